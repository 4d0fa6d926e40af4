//! The commands' happy paths: save, add, list, use (write-back and parking), rename, remove,
//! and `--account` on status, token and refresh.

use super::*;
use crate::support::check::{assert_not_leaked, assert_stderr_has};

#[test]
fn save_registers_the_active_login_parked_with_metadata_and_no_secret() {
    let home = TestHome::new();
    save_key(&home, "personal");
    assert_eq!(
        active(&home),
        key_file("personal"),
        "the active login is untouched"
    );
    assert_eq!(copy_of(&home, "personal"), None, "parked: no second copy");
    let meta = meta_of(&home, "personal");
    assert_eq!(meta["schema_version"], 1);
    assert_eq!(meta["parked"], true);
    assert_eq!(meta["store"], "file");
    assert!(
        meta["identity"]
            .as_str()
            .unwrap()
            .starts_with("apikey:sha256:")
    );
    let text = std::fs::read_to_string(dir_of(&home, "personal").join("codex-creds-account.json"));
    assert!(!text.unwrap().contains("SECRETACCOUNTKEY"));
    assert!(
        !home.path().join("accounts").exists(),
        "other switchers' directory untouched"
    );

    let list = list_json(&home);
    assert_eq!(list["schema_version"], 1);
    let account = &list["accounts"][0];
    assert_eq!(account["name"], "personal");
    assert_eq!(account["active"], true);
    assert_eq!(account["auth_mode"], "apikey");
    assert_eq!(
        account["codex_home"],
        dir_of(&home, "personal")
            .canonicalize()
            .unwrap()
            .display()
            .to_string()
    );
    for field in [
        "email",
        "plan_type",
        "workspace_id",
        "workspace_name",
        "store",
        "access_token_expires_at",
        "last_used",
        "restricted",
        "error",
    ] {
        assert!(account.get(field).is_some(), "{field} in {account}");
    }
}

#[test]
fn saving_again_updates_and_another_name_for_the_same_login_is_refused() {
    let home = TestHome::new();
    save_key(&home, "work");
    let out = creds(&home, &["account", "save", "work"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["Updated account work"]);
    let before = contents(home.path());
    let out = creds(&home, &["account", "save", "other"]);
    assert_code(&out, exit_code::USAGE);
    assert_stderr_has(&out, &["already saved as account \"work\""]);
    assert_eq!(contents(home.path()), before, "nothing written");

    // A name that holds another login is not overwritten.
    login_key(&home, "second");
    let out = creds(&home, &["account", "save", "work"]);
    assert_code(&out, exit_code::USAGE);
    assert_stderr_has(&out, &["account \"work\" holds another login"]);
}

#[test]
fn add_logs_in_beside_the_active_login_without_touching_it() {
    let home = TestHome::new();
    save_key(&home, "a");
    let before = home.auth_bytes();
    add_key(&home, "b");
    assert_eq!(home.auth_bytes(), before, "the active login is untouched");
    assert_eq!(copy_of(&home, "b"), Some(key_file("b")));
    let hidden: Vec<_> = std::fs::read_dir(home.path().join("codex-creds/accounts"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "the staging directory is gone");
    let list = list_json(&home);
    assert_eq!(list["accounts"].as_array().unwrap().len(), 2);
    assert_eq!(list["accounts"][1]["active"], false);

    let out = run(home
        .cmd()
        .args(["account", "add", "c", "--with-api-key", "--use"])
        .write_stdin(key_of("c")));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(active(&home), key_file("c"));
    assert_eq!(copy_of(&home, "a"), Some(key_file("a")), "a written back");
    assert_eq!(copy_of(&home, "c"), None, "c parked");
}

#[test]
fn use_writes_the_replaced_login_back_then_parks_the_new_one() {
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    let out = creds(&home, &["account", "use", "b"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["Switched to account b", "saved back to account a"]);
    assert_not_leaked(&out, "SECRETACCOUNTKEY");
    assert_eq!(active(&home), key_file("b"));
    assert_eq!(copy_of(&home, "a"), Some(key_file("a")));
    assert_eq!(copy_of(&home, "b"), None);
    let list = list_json(&home);
    assert_eq!(list["accounts"][0]["active"], false);
    assert_eq!(list["accounts"][1]["active"], true);

    let out = creds(&home, &["account", "use", "b"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["already the active login"]);
    let out = creds(&home, &["account", "use", "a"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(active(&home), key_file("a"));
    assert_eq!(copy_of(&home, "b"), Some(key_file("b")));
}

#[test]
fn use_writes_back_the_tokens_codex_rotated_meanwhile() {
    let home = TestHome::new();
    let a = ChatGptAuth {
        account_id: "ws-a".into(),
        ..ChatGptAuth::default()
    };
    home.write_auth(&a.to_json());
    assert_code(&creds(&home, &["account", "save", "a"]), exit_code::SUCCESS);
    let b = ChatGptAuth {
        account_id: "ws-b".into(),
        refresh_token: "rt-b".into(),
        ..ChatGptAuth::default()
    };
    import_chatgpt(&home, "b", &b);
    // Codex refreshes account a in the active login: a new refresh token.
    let rotated = ChatGptAuth {
        refresh_token: "rt-rotated-by-codex".into(),
        ..a
    };
    home.write_auth(&rotated.to_json());
    assert_code(&creds(&home, &["account", "use", "b"]), exit_code::SUCCESS);
    let saved: serde_json::Value = serde_json::from_str(&copy_of(&home, "a").unwrap()).unwrap();
    assert_eq!(saved["tokens"]["refresh_token"], "rt-rotated-by-codex");
    assert_eq!(home.auth_json()["tokens"]["refresh_token"], "rt-b");
}

#[test]
fn two_workspaces_of_one_person_are_two_accounts() {
    let home = TestHome::new();
    let personal = ChatGptAuth {
        account_id: "ws-personal".into(),
        ..ChatGptAuth::default()
    };
    let team = ChatGptAuth {
        account_id: "ws-team".into(),
        plan: "team".into(),
        ..ChatGptAuth::default()
    };
    assert_eq!(personal.email, team.email);
    import_chatgpt(&home, "personal", &personal);
    import_chatgpt(&home, "team", &team);
    let list = list_json(&home);
    let accounts = list["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["workspace_id"], "ws-personal");
    assert_eq!(accounts[1]["workspace_id"], "ws-team");
    assert_eq!(accounts[1]["plan_type"], "team");
    assert_eq!(accounts[1]["email"], "user@example.com");
}

#[test]
fn list_text_is_one_line_per_account_with_untrusted_text_defused() {
    let home = TestHome::new();
    let evil = ChatGptAuth {
        email: "evil\u{1b}]0;pwned\u{7}@example.com".into(),
        ..ChatGptAuth::default()
    };
    import_chatgpt(&home, "evil", &evil);
    save_key(&home, "key");
    let out = creds(&home, &["account", "list"]);
    assert_code(&out, exit_code::SUCCESS);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{out:?}");
    assert!(
        lines[0].contains("evil") && lines[0].contains("chatgpt"),
        "{out:?}"
    );
    assert!(
        !out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'),
        "{out:?}"
    );
    assert!(
        lines[1].starts_with("* key") && lines[1].contains("[active]"),
        "{out:?}"
    );
}

#[test]
fn rename_moves_the_account_and_remove_forgets_it() {
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    assert_code(
        &creds(&home, &["account", "rename", "b", "bee"]),
        exit_code::SUCCESS,
    );
    assert!(!dir_of(&home, "b").exists());
    assert_eq!(copy_of(&home, "bee"), Some(key_file("b")));
    let out = creds(&home, &["account", "rename", "bee", "a"]);
    assert_code(&out, exit_code::USAGE);

    let out = creds(&home, &["account", "remove", "bee"]);
    assert_code(&out, exit_code::SUCCESS);
    assert!(!dir_of(&home, "bee").exists());

    // The active account: forgotten, but the active login stays, and the user is told.
    let out = creds(&home, &["account", "remove", "a"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["It is the active login, which was left as it is"]);
    assert_eq!(active(&home), key_file("a"));
    assert!(!dir_of(&home, "a").exists());
}

#[test]
fn account_flag_works_on_a_saved_account_without_making_it_active() {
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    let before = home.auth_bytes();
    let out = creds(&home, &["token", "--account", "b"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{}\n", key_of("b")));
    // The active account's token comes from the active login (its directory is empty).
    let out = creds(&home, &["token", "--account", "a"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{}\n", key_of("a")));
    let out = creds(&home, &["status", "--account", "b", "--json"]);
    assert_code(&out, exit_code::SUCCESS);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        status["codex_home"],
        dir_of(&home, "b")
            .canonicalize()
            .unwrap()
            .display()
            .to_string()
    );
    let out = creds(&home, &["refresh", "--account", "b", "--json"]);
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.contains("not_refreshable"), "{out:?}");
    assert_eq!(home.auth_bytes(), before, "nothing switched");
}

#[test]
fn file_mode_account_list_and_account_commands_on_files_never_touch_dbus() {
    use std::os::unix::net::UnixListener;
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    // A socket that accepts connections but never answers: a hung D-Bus.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hung-bus");
    let listener = UnixListener::bind(&path).unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = format!("unix:path={}", path.display());
    for args in [
        &["account", "list"][..],
        &["account", "list", "--json"],
        &["token", "--account", "b"],
        &["account", "use", "b"],
    ] {
        let out = run(home
            .cmd()
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .args(args));
        assert_code(&out, exit_code::SUCCESS);
    }
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "a file-mode account command connected to D-Bus"
    );
}
