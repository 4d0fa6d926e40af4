//! The full key never reaches stdout or stderr unless `token` or `status --show-token` asked for
//! it: every command, success and failure, with a recognisable key and logging turned up.
//!
//! Submodules: `wire` (a recording relay that collects every secret crossing the network),
//! `echo` (issuers that echo the secrets of a request back, wiremock), `oidc` (browser, device
//! and access-token logins, refresh, logout against the real OpenID provider, file store),
//! `keyring` (keyring, auto and ephemeral stores with a real Secret Service and the real OpenID
//! provider), `logging` (what RUST_LOG may and may not turn on). The hermetic fast tier skips
//! the `oidc` and `keyring` paths.

mod echo;
mod keyring;
mod logging;
mod oidc;
mod wire;

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::check::{KEY, KEY_MIDDLE, api_key_file, assert_code};
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, exit_code, mode_of, run};

/// Runs with `RUST_LOG=trace` so that diagnostics are checked as well.
fn run_logged(home: &TestHome, args: &[&str], stdin: Option<&str>) -> Outcome {
    let mut cmd = home.cmd();
    cmd.args(args).env("RUST_LOG", "trace");
    if let Some(stdin) = stdin {
        cmd.write_stdin(stdin.to_owned());
    }
    run(&mut cmd)
}

#[track_caller]
fn assert_hidden(out: &Outcome, what: &str) {
    assert!(
        !out.stdout.contains(KEY_MIDDLE) && !out.stderr.contains(KEY_MIDDLE),
        "{what}: the key leaked\n{out:?}"
    );
}

/// What must not appear of a secret: all of it, or for a long one, its middle 16 characters
/// (a display mask shows at most the first 8 and the last 5).
fn telltale(secret: &str) -> &str {
    let chars: Vec<(usize, char)> = secret.char_indices().collect();
    if chars.len() < 32 {
        return secret;
    }
    let start = chars[chars.len() / 2 - 8].0;
    let end = chars[chars.len() / 2 + 8].0;
    &secret[start..end]
}

/// The secrets among `secrets` that `text` shows.
fn shown<'a>(text: &str, secrets: &'a BTreeSet<String>) -> Vec<&'a str> {
    secrets
        .iter()
        .map(String::as_str)
        .filter(|secret| text.contains(telltale(secret)))
        .collect()
}

/// Neither stream shows any of `secrets`.
#[track_caller]
fn assert_quiet(out: &Outcome, secrets: &BTreeSet<String>, what: &str) {
    assert_stderr_quiet(out, secrets, what);
    let leaked = shown(&out.stdout, secrets);
    assert!(
        leaked.is_empty(),
        "{what}: stdout shows {leaked:?}\n{out:?}"
    );
}

/// stderr shows none of `secrets` (stdout was asked for one: `token`, `status --show-token`).
#[track_caller]
fn assert_stderr_quiet(out: &Outcome, secrets: &BTreeSet<String>, what: &str) {
    let leaked = shown(&out.stderr, secrets);
    assert!(
        leaked.is_empty(),
        "{what}: stderr shows {leaked:?}\n{out:?}"
    );
}

/// No file below `dir` other than those named in `stores` (the credential store and its
/// backups) contains a secret, and every file that does is private (0600).
#[track_caller]
fn assert_files_quiet(dir: &Path, secrets: &BTreeSet<String>, stores: &[&str]) {
    for relative in crate::support::check::tree(dir) {
        let path = dir.join(&relative);
        if !path.is_file() {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let leaked = shown(&text, secrets);
        if leaked.is_empty() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            stores.iter().any(|store| name.starts_with(store)),
            "{relative} holds secrets {leaked:?}"
        );
        assert_eq!(mode_of(&path), Some(0o600), "{relative} holds secrets");
    }
}

/// The secret values of an auth.json text (keys, tokens), whatever its shape.
fn secrets_of_auth(text: &str) -> BTreeSet<String> {
    let mut found = wire::secrets_in(text);
    found.extend(wire::values_of(text, "OPENAI_API_KEY"));
    found.extend(wire::values_of(text, "personal_access_token"));
    found.retain(|value| value.len() >= 12);
    found
}

#[test]
fn no_command_shows_a_stored_key_unasked() {
    use exit_code::{RESTRICTED, SUCCESS};
    // Minted by an issuer nobody serves: logout's revocation fails at once, without network.
    let chatgpt = ChatGptAuth {
        api_key: Some(KEY.into()),
        refresh_token: format!("rt-{KEY_MIDDLE}-refresh"),
        issuer: crate::support::issuer::dead_url(),
        ..ChatGptAuth::default()
    };
    // The exit code with the API key stored, and with the ChatGPT login stored.
    let cases: [(&[&str], u8, u8); 12] = [
        (&["status"], SUCCESS, SUCCESS),
        (&["status", "--json"], SUCCESS, SUCCESS),
        (&["logout", "--json"], SUCCESS, SUCCESS),
        (&["logout"], SUCCESS, SUCCESS),
        (
            &["-c", "forced_login_method=\"api\"", "status"],
            SUCCESS,
            RESTRICTED,
        ),
        (
            &["-c", "forced_login_method=\"chatgpt\"", "status"],
            RESTRICTED,
            SUCCESS,
        ),
        (
            &["-c", "forced_chatgpt_workspace_id=\"ws-x\"", "status"],
            SUCCESS,
            RESTRICTED,
        ),
        (
            &["-c", "forced_login_method=\"chatgpt\"", "token"],
            RESTRICTED,
            SUCCESS,
        ),
        (&["login", "--with-api-key"], SUCCESS, SUCCESS),
        (
            &["login", "--api-key", "sk-other-key-000000000000"],
            SUCCESS,
            SUCCESS,
        ),
        (&["completion", "bash"], SUCCESS, SUCCESS),
        (&["--help"], SUCCESS, SUCCESS),
    ];
    for (args, with_key, with_chatgpt) in cases {
        for (stored, code) in [
            (api_key_file(KEY), with_key),
            (chatgpt.to_json(), with_chatgpt),
        ] {
            let home = TestHome::new();
            home.write_auth(&stored);
            let out = run_logged(&home, args, Some("sk-other-key-000000000000"));
            assert_code(&out, code);
            assert_hidden(&out, &format!("{args:?}"));
        }
    }
}

#[test]
fn a_key_given_to_login_is_never_echoed() {
    let cases: [(&[&str], String, u8); 6] = [
        (
            &["login", "--with-api-key"],
            format!("{KEY}\n"),
            exit_code::SUCCESS,
        ),
        (&["login", "--api-key"], KEY.to_owned(), exit_code::SUCCESS),
        (
            &["login", "--api-key", KEY],
            String::new(),
            exit_code::SUCCESS,
        ),
        (
            &["login", "--with-api-key"],
            format!("{KEY}\nsecond line\n"),
            exit_code::USAGE,
        ),
        // Not a personal access token: refused without repeating it.
        (
            &["login", "--with-access-token"],
            KEY.to_owned(),
            exit_code::USAGE,
        ),
        (
            &[
                "-c",
                "forced_login_method=\"chatgpt\"",
                "login",
                "--api-key",
                KEY,
            ],
            String::new(),
            exit_code::RESTRICTED,
        ),
    ];
    for (args, stdin, code) in cases {
        let home = TestHome::new();
        let out = run_logged(&home, args, Some(&stdin));
        assert_code(&out, code);
        assert_hidden(&out, &format!("{args:?}"));
    }
}

#[test]
fn a_key_in_the_wrong_place_of_a_broken_file_is_not_shown() {
    use exit_code::{STORE, SUCCESS};
    // Every file is refused by `status` and `token`; a login replaces it (after a backup).
    for text in [
        format!(r#"{{"auth_mode": "{KEY}"}}"#),
        format!(r#"{{"OPENAI_API_KEY": ["{KEY}"]}}"#),
        format!(r#"{{"OPENAI_API_KEY": {{"key": "{KEY}"}}}}"#),
        format!(r#"{{"auth_mode": "apikey", "last_refresh": "{KEY}", "OPENAI_API_KEY": "{KEY}"}}"#),
        format!(r#"{{"OPENAI_API_KEY": "{KEY}" "#),
        format!(r#"{{"OPENAI_API_KEY": "{KEY}", }}"#),
        format!(
            r#"{{"tokens": {{"id_token": "{KEY}", "access_token": "{KEY}", "refresh_token": "r"}}}}"#
        ),
        format!(
            r#"{{"tokens": {{"id_token": "a.{KEY}.c", "access_token": "{KEY}", "refresh_token": "r"}}}}"#
        ),
    ] {
        for (args, code) in [
            (&["status"][..], STORE),
            (&["token"], STORE),
            (&["login", "--with-api-key"], SUCCESS),
        ] {
            let home = TestHome::new();
            home.write_auth(&text);
            let out = run_logged(&home, args, Some("sk-other-key-000000000000"));
            assert_code(&out, code);
            assert_hidden(&out, &format!("{text} {args:?}"));
        }
    }
}

#[test]
fn the_key_is_shown_only_when_asked_for() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{KEY}\n"));
    assert!(!out.stderr.contains(KEY_MIDDLE));
    for args in [
        &["token", "--json"][..],
        &["status", "--show-token"],
        &["status", "--json", "--show-token"],
    ] {
        let out = run(home.cmd().args(args));
        assert_code(&out, exit_code::SUCCESS);
        assert!(
            out.stdout.contains(KEY) && !out.stderr.contains(KEY_MIDDLE),
            "{args:?}\n{out:?}"
        );
    }
}

#[test]
fn keys_from_the_environment_are_not_shown_unasked() {
    let pat = format!("at-{KEY_MIDDLE}-personal-token");
    for (var, value) in [
        ("CODEX_API_KEY", KEY.to_owned()),
        ("OPENAI_API_KEY", KEY.to_owned()),
        ("CODEX_ACCESS_TOKEN", pat),
    ] {
        let home = TestHome::new();
        home.write_auth(&api_key_file("sk-proj-stored-key-0123456789"));
        for (args, code) in [
            (&["status"][..], exit_code::SUCCESS),
            (&["status", "--json"], exit_code::SUCCESS),
            (&["refresh"], exit_code::SUCCESS),
            (&["logout"], exit_code::SUCCESS),
            (&["login", "--with-api-key"], exit_code::SUCCESS),
            // The keyring it would move from is unreachable here (no D-Bus session).
            (&["migrate", "--to", "file"], exit_code::STORE),
        ] {
            let mut cmd = home.cmd();
            cmd.args(args)
                .env("RUST_LOG", "trace")
                .env(var, &value)
                .write_stdin("sk-proj-other-key-0123456789\n");
            let out = run(&mut cmd);
            assert_code(&out, code);
            assert_hidden(&out, &format!("{var} {args:?}"));
        }
    }
}

/// Saved accounts hold keys too: no `account` command, nor `status`/`token` with `--account`,
/// shows one unasked, at trace level; `token --account` and `account export` (which are asked
/// for it) do. The metadata file beside a saved key holds no part of it.
#[test]
fn account_commands_show_a_saved_key_only_when_asked() {
    use exit_code::SUCCESS;
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let cases: &[(&[&str], u8)] = &[
        (&["account", "save", "work"], SUCCESS),
        (&["account", "list"], SUCCESS),
        (&["account", "list", "--json"], SUCCESS),
        (&["status", "--account", "work"], SUCCESS),
        (&["status", "--account", "work", "--json"], SUCCESS),
        (&["account", "rename", "work", "job"], SUCCESS),
        (&["account", "use", "job"], SUCCESS),
        (&["account", "unknown-command-name"], exit_code::USAGE),
        (&["account", "use", "nobody"], exit_code::NOT_LOGGED_IN),
    ];
    for (args, code) in cases {
        let out = run_logged(&home, args, None);
        assert_code(&out, *code);
        assert_hidden(&out, &format!("{args:?}"));
    }
    let meta = home
        .path()
        .join("codex-creds/accounts/job/codex-creds-account.json");
    let meta = std::fs::read_to_string(&meta).unwrap();
    assert!(!meta.contains(KEY_MIDDLE), "{meta}");

    for args in [
        &["token", "--account", "job"][..],
        &["account", "export", "job"],
    ] {
        let out = run(home.cmd().args(args));
        assert_code(&out, SUCCESS);
        assert!(
            out.stdout.contains(KEY),
            "{args:?} was asked for it\n{out:?}"
        );
        assert!(!out.stderr.contains(KEY_MIDDLE), "{args:?}\n{out:?}");
    }
}
