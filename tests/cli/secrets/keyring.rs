//! The keyring, auto and ephemeral stores keep secrets out of the output too, with the D-Bus and
//! Secret Service libraries tracing at `RUST_LOG=trace`: a real Secret Service per test (and
//! none at all for auto's fallback), the real OpenID provider behind the recording relay.

use std::collections::BTreeSet;

use serde_json::json;

use super::oidc::{assert_ok, harness, known, logged};
use super::{assert_files_quiet, assert_quiet, assert_stderr_quiet};
use crate::support::check::assert_code;
use crate::support::keyring::{SecretService, account_for};
use crate::support::{Outcome, TestHome, run};
use crate::support::{exit_code, free_port};

const KEY: &str = "sk-proj-KEYRINGSTOREKEY-0123456789abcdef";
const PAT: &str = "at-KEYRINGSTOREPAT-0123456789abcdef";

/// `codex-creds ARGS` at trace level, against `issuer`, on the Secret Service `ss`.
fn on(ss: Option<&SecretService>, home: &TestHome, issuer: &str, args: &[&str]) -> Outcome {
    let mut cmd = logged(home, issuer, args);
    if let Some(ss) = ss {
        ss.apply(&mut cmd);
    }
    run(&mut cmd)
}

fn with_stdin(
    ss: Option<&SecretService>,
    home: &TestHome,
    issuer: &str,
    args: &[&str],
    stdin: &str,
) -> Outcome {
    let mut cmd = logged(home, issuer, args);
    if let Some(ss) = ss {
        ss.apply(&mut cmd);
    }
    run(cmd.write_stdin(stdin.to_owned()))
}

/// Every command in one store mode (`--store STORE` or `-c cli_auth_credentials_store=…`),
/// starting logged out: API key, access token and browser logins, then status, token, refresh,
/// logout. Returns the secrets seen.
fn every_command(
    ss: Option<&SecretService>,
    mode: &[&str],
    home: &TestHome,
    persists: bool,
) -> BTreeSet<String> {
    let (server, relay) = harness(json!({ "api_key": "sk-test-KEYRINGEXCHANGED-0123456789ab" }));
    let issuer = relay.url();
    let args = |rest: &[&str]| -> Vec<String> {
        mode.iter().chain(rest).map(|s| (*s).to_owned()).collect()
    };
    let call = |rest: &[&str]| {
        let all = args(rest);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        on(ss, home, &issuer, &all)
    };
    let mut secrets = BTreeSet::from([KEY.to_owned(), PAT.to_owned()]);
    // What a later command finds: the login, or (ephemeral) nothing.
    let later = if persists {
        exit_code::SUCCESS
    } else {
        exit_code::NOT_LOGGED_IN
    };

    for (method, secret) in [("--with-api-key", KEY), ("--with-access-token", PAT)] {
        let all = args(&["login", method]);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = with_stdin(ss, home, &issuer, &all, &format!("{secret}\n"));
        assert_ok(&out, &server);
        assert_quiet(&out, &secrets, &format!("{mode:?} login {method}"));
        for rest in [&["status"][..], &["status", "--json"]] {
            let out = call(rest);
            assert_code(&out, later);
            assert_quiet(&out, &secrets, &format!("{mode:?} {rest:?} after {method}"));
        }
        let out = call(&["token"]);
        assert_code(&out, later);
        if persists {
            assert_eq!(out.stdout, format!("{secret}\n"), "{mode:?}\n{out:?}");
        } else {
            assert_quiet(&out, &secrets, "token with nothing kept");
        }
        assert_stderr_quiet(&out, &secrets, &format!("{mode:?} token"));
    }

    // The key on the command line: the warning about argv does not repeat it.
    let out = call(&["login", "--api-key", KEY]);
    assert_ok(&out, &server);
    assert!(out.stderr.contains("command line"), "{out:?}");
    assert_quiet(&out, &secrets, &format!("{mode:?} login --api-key KEY"));

    let port = free_port().to_string();
    let out = call(&["login", "--port", &port, "--timeout", "60s"]);
    assert_ok(&out, &server);
    secrets.extend(relay.secrets());
    assert!(secrets.contains("sk-test-KEYRINGEXCHANGED-0123456789ab"));
    assert_quiet(&out, &secrets, &format!("{mode:?} browser login"));
    for rest in [
        &["status"][..],
        &["status", "--json"],
        &["refresh"],
        &["refresh", "--json"],
    ] {
        let out = call(rest);
        assert_code(&out, later);
        secrets = known(&relay, home, &secrets);
        assert_quiet(&out, &secrets, &format!("{mode:?} {rest:?}"));
    }
    for rest in [
        &["token"][..],
        &["token", "--json"],
        &["status", "--show-token"],
    ] {
        let out = call(rest);
        assert_code(&out, later);
        assert_stderr_quiet(&out, &secrets, &format!("{mode:?} {rest:?}"));
    }
    let out = call(&["logout", "--json"]);
    assert_ok(&out, &server);
    if persists {
        assert_eq!(server.stat("revoke_requests"), 1);
    }
    secrets = known(&relay, home, &secrets);
    assert_quiet(&out, &secrets, &format!("{mode:?} logout"));
    secrets
}

#[test]
fn the_keyring_store_with_every_command_and_migrate() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let secrets = every_command(Some(&ss), &["--store", "keyring"], &home, true);
    assert_eq!(ss.count(), 0, "{}", ss.search());

    // migrate both ways: the keyring item moves, nothing is said of its contents.
    let stored = crate::support::check::api_key_file(KEY);
    home.write_auth(&stored);
    for to in ["keyring", "file", "keyring"] {
        let out = on(
            Some(&ss),
            &home,
            "http://127.0.0.1:9",
            &["migrate", "--to", to],
        );
        assert_code(&out, exit_code::SUCCESS);
        assert_quiet(&out, &secrets, &format!("migrate --to {to}"));
    }
    assert!(ss.lookup(&account_for(home.path())).unwrap().contains(KEY));
    assert_files_quiet(home.path(), &secrets, &["auth.json"]);
    assert!(home.auth_bytes().is_none());

    // A keyring item with the key in the wrong place: every reader refuses it without
    // quoting it, and a new login replaces it.
    let misplaced = "sk-proj-MISPLACEDKEYRING-0123456789";
    let secrets = BTreeSet::from([misplaced.to_owned(), KEY.to_owned()]);
    for value in [
        format!(r#"{{"OPENAI_API_KEY": ["{misplaced}"]}}"#),
        format!(r#"{{"auth_mode": "{misplaced}"}}"#),
        format!(r#"{{"OPENAI_API_KEY": "{misplaced}""#),
    ] {
        ss.store(&account_for(home.path()), &value);
        for (args, code) in [
            (&["--store", "keyring", "status"][..], exit_code::STORE),
            (&["--store", "keyring", "token"], exit_code::STORE),
            (
                &["--store", "keyring", "migrate", "--to", "file"],
                exit_code::STORE,
            ),
            (&["--store", "keyring", "logout"], exit_code::SUCCESS),
        ] {
            let out = on(Some(&ss), &home, "http://127.0.0.1:9", args);
            assert_code(&out, code);
            assert_quiet(&out, &secrets, &format!("{value} {args:?}"));
        }
        let out = with_stdin(
            Some(&ss),
            &home,
            "http://127.0.0.1:9",
            &["--store", "keyring", "login", "--with-api-key"],
            &format!("{KEY}\n"),
        );
        assert_code(&out, exit_code::SUCCESS);
        assert_quiet(&out, &secrets, &format!("{value} login"));
        assert_files_quiet(home.path(), &secrets, &["auth.json"]);
    }
}

#[test]
fn the_auto_store_with_and_without_a_keyring() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let secrets = every_command(Some(&ss), &["--store", "auto"], &home, true);
    assert_files_quiet(home.path(), &secrets, &[]);

    // No D-Bus session at all: auto falls back to auth.json.
    let home = TestHome::new();
    let secrets = every_command(None, &["--store", "auto"], &home, true);
    assert_files_quiet(home.path(), &secrets, &["auth.json"]);
}

#[test]
fn the_ephemeral_store() {
    let home = TestHome::new();
    let secrets = every_command(
        None,
        &["-c", "cli_auth_credentials_store=\"ephemeral\""],
        &home,
        false,
    );
    assert_files_quiet(home.path(), &secrets, &[]);
}
