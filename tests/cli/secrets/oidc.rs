//! Secrets from the network stay in the store: browser, device and access-token logins, refresh
//! (success, a 500, a refused token echoed back by the issuer, a reused token), `logout`'s
//! revocation, against the real OpenID provider seen through the recording relay, file store,
//! every command at `RUST_LOG=trace`.

use std::collections::BTreeSet;

use serde_json::json;

use super::wire::{Relay, values_of};
use super::{assert_files_quiet, assert_quiet, assert_stderr_quiet, secrets_of_auth};
use crate::support::check::assert_code;
use crate::support::free_port;
use crate::support::oidc::{OidcServer, fake_browser};
use crate::support::{Outcome, TestHome, exit_code, run};

/// `codex-creds ARGS` at `RUST_LOG=trace` with the fake browser and `issuer`.
pub(super) fn logged(home: &TestHome, issuer: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = home.cmd();
    cmd.args(args)
        .args(["--issuer", issuer])
        .env("RUST_LOG", "trace")
        .env("BROWSER", fake_browser());
    cmd
}

/// The harness and a relay in front of it.
pub(super) fn harness(options: serde_json::Value) -> (OidcServer, Relay) {
    let server = OidcServer::start(options);
    let relay = Relay::start(server.issuer().trim_start_matches("http://"));
    (server, relay)
}

/// A browser login through `relay` (the fake browser completes it).
pub(super) fn browser_login(home: &TestHome, relay: &Relay, extra: &[&str]) -> Outcome {
    let port = free_port().to_string();
    let mut cmd = logged(home, &relay.url(), extra);
    run(cmd.args(["login", "--port", &port, "--timeout", "60s"]))
}

/// Everything secret the test knows of: the wire so far plus the stored credentials.
pub(super) fn known(relay: &Relay, home: &TestHome, more: &BTreeSet<String>) -> BTreeSet<String> {
    let mut secrets = relay.secrets();
    if let Some(bytes) = home.auth_bytes() {
        secrets.extend(secrets_of_auth(&String::from_utf8_lossy(&bytes)));
    }
    secrets.extend(more.iter().cloned());
    secrets
}

#[track_caller]
pub(super) fn assert_ok(out: &Outcome, server: &OidcServer) {
    assert_eq!(
        out.code,
        i32::from(exit_code::SUCCESS),
        "{out:?}\n{}",
        server.log()
    );
}

#[test]
fn a_browser_login_and_every_command_after_it_keep_the_tokens_to_themselves() {
    let (server, relay) = harness(json!({ "api_key": "sk-test-EXCHANGEDKEY-0123456789abcdef" }));
    let home = TestHome::new();
    // A malformed file holding a key: login backs it up (privately) before replacing it.
    let old_key = "sk-proj-MALFORMEDOLDKEY-0123456789";
    home.write_auth(&format!(r#"{{"OPENAI_API_KEY": "{old_key}", "#));
    let mut extra = BTreeSet::from([old_key.to_owned()]);

    let out = browser_login(&home, &relay, &[]);
    assert_ok(&out, &server);
    let wire = relay.text();
    for name in [
        "code",
        "code_verifier",
        "access_token",
        "refresh_token",
        "id_token",
    ] {
        let values = values_of(&wire, name);
        assert!(!values.is_empty(), "no {name} on the wire:\n{wire}");
        extra.extend(values);
    }
    assert!(wire.contains("sk-test-EXCHANGEDKEY-0123456789abcdef"));
    let secrets = known(&relay, &home, &extra);
    assert_quiet(&out, &secrets, "browser login");
    assert_files_quiet(home.path(), &secrets, &["auth.json"]);
    let backups: Vec<String> = home
        .files()
        .into_iter()
        .filter(|f| f.starts_with("auth.json.malformed-"))
        .collect();
    assert_eq!(backups.len(), 1, "{:?}", home.files());
    let backup = home.path().join(&backups[0]);
    assert!(std::fs::read_to_string(&backup).unwrap().contains(old_key));
    assert_eq!(crate::support::mode_of(&backup), Some(0o600));

    for args in [
        &["status"][..],
        &["status", "--json"],
        &["refresh", "--min-validity", "1m"],
        &["refresh", "--json", "--min-validity", "1m"],
        &["completion", "zsh"],
    ] {
        let out = run(&mut logged(&home, &relay.url(), args));
        assert_ok(&out, &server);
        assert_quiet(&out, &secrets, &format!("{args:?}"));
    }
    let access = home.auth_json()["tokens"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for args in [
        &["token"][..],
        &["token", "--json"],
        &["status", "--show-token"],
        &["status", "--json", "--show-token"],
    ] {
        let out = run(&mut logged(&home, &relay.url(), args));
        assert_ok(&out, &server);
        assert_stderr_quiet(&out, &secrets, &format!("{args:?}"));
        assert!(
            out.stdout.contains(&access)
                || out.stdout.contains("sk-test-EXCHANGEDKEY-0123456789abcdef"),
            "{args:?} was asked for the token\n{out:?}"
        );
    }

    // A real refresh grant: the old and the new tokens stay out of the output.
    let before_refresh = home.auth_bytes().unwrap();
    let out = run(&mut logged(&home, &relay.url(), &["refresh"]));
    assert_ok(&out, &server);
    let secrets = known(&relay, &home, &extra);
    assert_quiet(&out, &secrets, "refresh");
    assert_eq!(server.stat("refresh_token"), 1);

    // The issuer fails, echoing the refresh token it was sent: the echo is not repeated.
    // A one-shot 500 is retried to success, a 403 is the server's failure, and the permanent
    // verdicts ask to log in again.
    let echoes = [
        (500, "server_error", exit_code::SUCCESS),
        (400, "invalid_grant", exit_code::RELOGIN),
        (403, "forbidden", exit_code::NETWORK),
        (401, "refresh_token_reused", exit_code::RELOGIN),
    ];
    for (status, error, code) in echoes {
        let refresh_token = home.auth_json()["tokens"]["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned();
        server.configure(json!({ "fail_next_token": { "status": status, "body": {
            "error": error,
            "error_description": format!("refresh token {refresh_token} is not acceptable"),
            "token": refresh_token,
        }}}));
        let out = run(&mut logged(&home, &relay.url(), &["refresh"]));
        assert_code(&out, code);
        let secrets = known(&relay, &home, &extra);
        assert_quiet(&out, &secrets, &format!("refresh meeting a {status}"));
        if status == 403 {
            // Shown, as the issuer's words, with the token it echoed cut out.
            assert!(out.stderr.contains("[REDACTED]"), "{out:?}");
        }
        // Failures keep the credentials, and the next refresh may succeed again.
        if code != exit_code::SUCCESS {
            let out = run(&mut logged(&home, &relay.url(), &["refresh"]));
            assert_ok(&out, &server);
            assert_quiet(&out, &secrets, "refresh after a failure");
        }
    }

    // A rotated refresh token presented again (Codex's stale copy): the real reuse refusal.
    let current = home.auth_bytes().unwrap();
    std::fs::write(home.auth_path(), &before_refresh).unwrap();
    let out = run(&mut logged(&home, &relay.url(), &["refresh"]));
    assert_code(&out, exit_code::RELOGIN);
    let secrets = known(&relay, &home, &extra);
    assert_quiet(&out, &secrets, "refresh with a reused token");
    let out = run(&mut logged(
        &home,
        &relay.url(),
        &["token", "--min-validity", "1d"],
    ));
    assert_code(&out, exit_code::RELOGIN);
    assert_quiet(&out, &secrets, "token with a reused refresh token");
    std::fs::write(home.auth_path(), &current).unwrap();

    // Logout revokes the refresh token on the wire and says nothing of it, even when the
    // issuer's error echoes it.
    let stored = home.auth_bytes().unwrap();
    let refresh_token = home.auth_json()["tokens"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    server.configure(json!({ "fail_next_revoke": { "status": 400, "body": {
        "error": "invalid_request",
        "error_description": format!("cannot revoke {refresh_token}"),
    }}}));
    let out = run(&mut logged(&home, &relay.url(), &["logout"]));
    assert_ok(&out, &server);
    assert_eq!(
        server.requests()["revoke"]["params"]["token"],
        refresh_token.as_str()
    );
    let secrets = known(&relay, &home, &extra);
    assert_quiet(&out, &secrets, "logout with a failing revocation");
    home.write_auth(&String::from_utf8_lossy(&stored));
    let out = run(&mut logged(&home, &relay.url(), &["logout", "--json"]));
    assert_ok(&out, &server);
    assert_quiet(&out, &secrets, "logout --json");
    assert_eq!(server.stat("revoke_requests"), 2);
    assert_files_quiet(home.path(), &secrets, &["auth.json"]);
}

#[test]
fn a_device_login_keeps_the_code_and_verifier_it_received_to_itself() {
    // Not through the relay: the device code's redirect_uri names the harness's own address.
    let server = OidcServer::start(json!({ "device_auto_approve_after": 1 }));
    let home = TestHome::new();
    let out = run(&mut logged(
        &home,
        server.issuer(),
        &["login", "--device-auth", "--timeout", "60s"],
    ));
    assert_ok(&out, &server);
    // The code exchange is the last token request: its code and PKCE verifier came from the
    // device endpoint and went to the token endpoint.
    let params = &server.requests()["token"]["params"];
    assert_eq!(params["grant_type"], "authorization_code");
    let mut secrets = secrets_of_auth(&String::from_utf8_lossy(&home.auth_bytes().unwrap()));
    for name in ["code", "code_verifier"] {
        let value = params[name].as_str().unwrap();
        assert!(value.len() >= 32, "{params}");
        secrets.insert(value.to_owned());
    }
    assert_eq!(secrets.len(), 5, "{secrets:?}");
    assert_quiet(&out, &secrets, "device login");
    // The device_auth_id (the harness's `dev_…`) is the handle to poll with: not shown either.
    assert!(!out.stderr.contains("dev_"), "{out:?}");
    let out = run(&mut logged(&home, server.issuer(), &["status", "--json"]));
    assert_ok(&out, &server);
    assert_quiet(&out, &secrets, "status --json");
    assert_files_quiet(home.path(), &secrets, &["auth.json"]);
}

#[test]
fn an_access_token_login_and_its_whoami_do_not_show_the_token() {
    let (server, relay) = harness(json!({}));
    let home = TestHome::new();
    let pat = "at-PERSONALACCESSTOKEN-0123456789abcdef";
    let bad = "at-bad-PERSONALACCESSTOKEN-0123456789";
    let secrets = BTreeSet::from([pat.to_owned(), bad.to_owned()]);

    let out = run(
        logged(&home, &relay.url(), &["login", "--with-access-token"])
            .write_stdin(format!("{bad}\n")),
    );
    assert_code(&out, exit_code::FAILURE);
    assert_quiet(&out, &secrets, "rejected access token login");

    let out = run(
        logged(&home, &relay.url(), &["login", "--with-access-token"])
            .write_stdin(format!("{pat}\n")),
    );
    assert_ok(&out, &server);
    assert!(relay.secrets().contains(pat), "whoami carried the token");
    assert_quiet(&out, &secrets, "access token login");
    for args in [&["status"][..], &["status", "--json"], &["refresh"]] {
        let out = run(&mut logged(&home, &relay.url(), args));
        assert_ok(&out, &server);
        assert_quiet(&out, &secrets, &format!("{args:?}"));
    }
    let out = run(&mut logged(&home, &relay.url(), &["token"]));
    assert_ok(&out, &server);
    assert_eq!(out.stdout, format!("{pat}\n"), "{out:?}");
    assert_stderr_quiet(&out, &secrets, "token");
    let out = run(&mut logged(&home, &relay.url(), &["logout"]));
    assert_ok(&out, &server);
    assert_quiet(&out, &secrets, "logout");
}
