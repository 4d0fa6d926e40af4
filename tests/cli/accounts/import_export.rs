//! `account import` (a file, stdin, the codex-auth switcher, read-only) and `account export`
//! (stdout with a warning; `--access-only` leaves out the refresh token).

use super::*;
use crate::support::check::{assert_not_leaked, assert_stderr_has};

#[test]
fn import_reads_a_file_or_stdin_and_refuses_what_is_not_an_auth_json() {
    let home = TestHome::new();
    let file = home.path().join("from-ci.json");
    std::fs::write(&file, key_file("ci")).unwrap();
    let out = creds(
        &home,
        &["account", "import", file.to_str().unwrap(), "--name", "ci"],
    );
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(copy_of(&home, "ci"), Some(key_file("ci")));
    assert!(home.auth_bytes().is_none(), "nothing made active");

    let out = run(home
        .cmd()
        .args(["account", "import", "-", "--name", "again"])
        .write_stdin(key_file("ci")));
    assert_code(&out, exit_code::USAGE);
    assert_stderr_has(&out, &["already saved as account \"ci\""]);

    let before = contents(home.path());
    for bad in ["{", "[]", "{\"auth_mode\":\"nonsense\"}", ""] {
        let out = run(home
            .cmd()
            .args(["account", "import", "-", "--name", "bad"])
            .write_stdin(bad));
        assert!(out.code == i32::from(exit_code::USAGE), "{bad:?}: {out:?}");
        assert_eq!(contents(home.path()), before, "{bad:?}");
    }
    let out = creds(
        &home,
        &[
            "account",
            "import",
            "/nonexistent/auth.json",
            "--name",
            "bad",
        ],
    );
    assert_code(&out, exit_code::USAGE);
    assert_eq!(contents(home.path()), before);
}

#[test]
fn import_from_codex_auth_only_reads_and_skips_the_active_and_saved_logins() {
    let home = TestHome::new();
    save_key(&home, "mine");
    let theirs = home.path().join("accounts");
    std::fs::create_dir(&theirs).unwrap();
    let team = ChatGptAuth {
        account_id: "ws-team".into(),
        ..ChatGptAuth::default()
    };
    let registry = serde_json::json!({
        "schema_version": 4,
        "active_account_key": "user-test-123::ws-team",
        "accounts": [
            {"account_key": "user-test-123::ws-team", "alias": "Team Seat", "email": "user@example.com"},
            {"account_key": "apikey-1", "email": "key@example.com"},
            {"account_key": "mine-key", "alias": "dup"},
            {"account_key": "missing"}
        ]
    });
    std::fs::write(theirs.join("registry.json"), registry.to_string()).unwrap();
    std::fs::write(
        theirs.join("user-test-123::ws-team.auth.json"),
        team.to_json(),
    )
    .unwrap();
    std::fs::write(theirs.join("apikey-1.auth.json"), key_file("other")).unwrap();
    std::fs::write(theirs.join("mine-key.auth.json"), key_file("mine")).unwrap();
    let before = contents(&theirs);

    let out = creds(&home, &["account", "import", "--from", "codex-auth"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(
        &out,
        &[
            "as account Team-Seat",
            "as account key-example.com",
            "Skipped mine-key: it is the active login",
            "skipped missing",
        ],
    );
    assert_eq!(
        contents(&theirs),
        before,
        "codex-auth's files are left as they are"
    );
    let list = list_json(&home);
    let names: Vec<&str> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Team-Seat", "key-example.com", "mine"]);

    let out = creds(&home, &["account", "import", "--from", "codex-auth"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["already saved as account Team-Seat"]);
}

#[test]
fn export_prints_the_auth_json_with_a_warning_and_access_only_drops_the_refresh_token() {
    let home = TestHome::new();
    let auth = ChatGptAuth {
        refresh_token: "rt-EXPORT-SECRET".into(),
        ..ChatGptAuth::default()
    };
    import_chatgpt(&home, "ci", &auth);
    let out = creds(&home, &["account", "export", "ci"]);
    assert_code(&out, exit_code::SUCCESS);
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["tokens"]["refresh_token"], "rt-EXPORT-SECRET");
    assert_stderr_has(&out, &["warning:", "refresh token"]);
    assert!(!out.stderr.contains("rt-EXPORT-SECRET"));

    let out = creds(&home, &["account", "export", "ci", "--access-only"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_not_leaked(&out, "rt-EXPORT-SECRET");
    let printed: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(printed["tokens"]["refresh_token"], "");
    assert_eq!(printed["tokens"]["access_token"], auth.access_token());
    assert_stderr_has(&out, &["never rotate or revoke"]);
    // The saved account is untouched.
    let saved: serde_json::Value = serde_json::from_str(&copy_of(&home, "ci").unwrap()).unwrap();
    assert_eq!(saved["tokens"]["refresh_token"], "rt-EXPORT-SECRET");
}
