//! Bad input of the issue: invalid names (exit 2, nothing written), unknown names (exit 3,
//! listing the saved ones), corrupt accounts (exit 7 with the path; the others still work),
//! restrictions (exit 4, marked in `list`), and the `ephemeral` store (exit 7).

use super::*;
use crate::support::check::assert_stderr_has;

const BAD_NAMES: [&str; 7] = [".hidden", "a/b", "a b", "", "x\u{1b}[2J", "é", "../up"];

#[test]
fn an_invalid_name_exits_2_and_writes_nothing() {
    let home = TestHome::new();
    save_key(&home, "a");
    let long = "n".repeat(65);
    let mut names: Vec<&str> = BAD_NAMES.to_vec();
    names.push(&long);
    for name in names {
        let before = contents(home.path());
        let commands: [Vec<&str>; 6] = [
            vec!["account", "save", name],
            vec!["account", "use", name],
            vec!["account", "rename", "a", name],
            vec!["account", "remove", name],
            vec!["account", "export", name],
            vec!["token", "--account", name],
        ];
        for args in commands {
            let out = creds(&home, &args);
            assert_code(&out, exit_code::USAGE);
            assert!(!out.stderr.contains('\u{1b}'), "{out:?}");
            assert_eq!(contents(home.path()), before, "{args:?} wrote something");
        }
        let out = run(home
            .cmd()
            .args(["account", "add", name, "--with-api-key"])
            .write_stdin(key_of("z")));
        assert_code(&out, exit_code::USAGE);
        let out = run(home
            .cmd()
            .args(["account", "import", "-", "--name", name])
            .write_stdin(key_file("z")));
        assert_code(&out, exit_code::USAGE);
        assert_eq!(
            contents(home.path()),
            before,
            "{name:?}: add/import wrote something"
        );
    }
}

#[test]
fn an_unknown_name_exits_3_listing_the_saved_ones() {
    let home = TestHome::new();
    let out = creds(&home, &["account", "use", "nobody"]);
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert_stderr_has(
        &out,
        &["no saved account is named \"nobody\"", "no saved accounts"],
    );
    assert!(
        crate::support::check::tree(home.path()).is_empty(),
        "nothing created"
    );
    save_key(&home, "a");
    add_key(&home, "b");
    for args in [
        vec!["account", "use", "c"],
        vec!["account", "remove", "c"],
        vec!["account", "rename", "c", "d"],
        vec!["account", "export", "c"],
        vec!["status", "--account", "c"],
        vec!["refresh", "--account", "c"],
    ] {
        let out = creds(&home, &args);
        assert_code(&out, exit_code::NOT_LOGGED_IN);
        assert_stderr_has(&out, &["the saved accounts are: a, b"]);
    }
}

#[test]
fn a_corrupt_account_is_reported_with_its_path_and_the_others_still_work() {
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    add_key(&home, "c");
    let meta = dir_of(&home, "b").join("codex-creds-account.json");
    std::fs::write(&meta, "{ torn").unwrap();
    let list = list_json(&home);
    let accounts = list["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    assert!(
        accounts[1]["error"]
            .as_str()
            .unwrap()
            .contains(&meta.display().to_string())
    );
    assert_eq!(accounts[2]["error"], serde_json::Value::Null);
    let out = creds(&home, &["account", "list"]);
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.contains("CORRUPT"), "{out:?}");

    let before = home.auth_bytes();
    for args in [vec!["account", "use", "b"], vec!["token", "--account", "b"]] {
        let out = creds(&home, &args);
        assert_code(&out, exit_code::STORE);
        assert_stderr_has(&out, &[&meta.display().to_string()]);
    }
    assert_eq!(home.auth_bytes(), before);
    assert_code(&creds(&home, &["account", "use", "c"]), exit_code::SUCCESS);
    assert_eq!(active(&home), key_file("c"));
    assert_eq!(
        copy_of(&home, "b"),
        Some(key_file("b")),
        "its credentials kept"
    );
}

#[test]
fn a_restricted_account_is_marked_and_cannot_be_made_active() {
    let home = TestHome::new();
    let allowed = ChatGptAuth {
        account_id: "ws-allowed".into(),
        ..ChatGptAuth::default()
    };
    home.write_auth(&allowed.to_json());
    assert_code(
        &creds(&home, &["account", "save", "ok"]),
        exit_code::SUCCESS,
    );
    add_key(&home, "key");
    let other = ChatGptAuth {
        account_id: "ws-other".into(),
        ..ChatGptAuth::default()
    };
    import_chatgpt(&home, "other", &other);
    home.write_config(
        "forced_login_method = \"chatgpt\"\nforced_chatgpt_workspace_id = \"ws-allowed\"\n",
    );
    let list = list_json(&home);
    let restricted: Vec<bool> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| !a["restricted"].is_null())
        .collect();
    assert_eq!(restricted, [true, false, true], "{list}");

    let before = contents(home.path());
    for name in ["key", "other"] {
        let out = creds(&home, &["account", "use", name]);
        assert_code(&out, exit_code::RESTRICTED);
        assert_stderr_has(&out, &["cannot be made active", "Nothing was changed"]);
        let out = creds(&home, &["token", "--account", name]);
        assert_code(&out, exit_code::RESTRICTED);
    }
    assert_eq!(contents(home.path()), before, "nothing changed");
}

#[test]
fn the_ephemeral_store_refuses_to_save_an_account_and_says_why() {
    let home = TestHome::new();
    login_key(&home, "a");
    home.write_config("cli_auth_credentials_store = \"ephemeral\"\n");
    let before = contents(home.path());
    let out = creds(&home, &["account", "save", "a"]);
    assert_code(&out, exit_code::STORE);
    assert_stderr_has(&out, &["\"ephemeral\"", "no account can be saved"]);
    let out = run(home
        .cmd()
        .args(["account", "import", "-", "--name", "b"])
        .write_stdin(key_file("b")));
    assert_code(&out, exit_code::STORE);
    assert_eq!(contents(home.path()), before);
}
