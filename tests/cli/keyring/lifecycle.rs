//! Moving between stores: `logout` after a mode switch and `migrate` in both directions, with
//! failures that lose nothing.

use super::*;

#[test]
fn logout_after_a_mode_switch_leaves_nothing_anywhere() {
    for logout_store in ["file", "keyring", "auto"] {
        let ss = SecretService::start();
        let home = TestHome::new();
        assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
        assert_eq!(
            login_key(&home, Some(&ss), "file", "sk-proj-file-1234567890").code,
            0
        );
        assert!(home.auth_bytes().is_some() && ss.count() == 1);

        let out = creds(&home, &ss, &["--store", logout_store, "logout"]);
        assert_eq!(out.code, 0, "{logout_store}: {out:?}");
        assert!(home.auth_bytes().is_none(), "{logout_store}");
        assert_eq!(ss.count(), 0, "{logout_store}: {}", ss.search());
        let out = codex_keyring(&home, &ss, &["login", "status"]);
        assert!(out.stderr.contains("Not logged in"), "{out:?}");
    }
}

#[test]
fn migrate_file_to_keyring_to_file_is_byte_identical() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let fixture = ChatGptAuth {
        api_key: Some("sk-proj-alongside-1234567890".into()),
        ..ChatGptAuth::default()
    };
    let mut value = fixture.to_value();
    value["future_field"] = serde_json::json!({"kept": [1, 2]});
    let original = serde_json::to_string_pretty(&value).unwrap();
    home.write_auth(&original);

    let out = creds(&home, &ss, &["migrate", "--to", "keyring"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Moved"), "{out:?}");
    assert!(
        out.stderr.contains("cli_auth_credentials_store"),
        "config hint: {out:?}"
    );
    assert!(home.auth_bytes().is_none());
    assert_eq!(ss.count(), 1);

    let out = creds(&home, &ss, &["migrate", "--to", "file"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(home.auth_bytes().unwrap(), original.as_bytes());
    assert_eq!(ss.count(), 0);

    let out = creds(&home, &ss, &["migrate", "--to", "file"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("already in"), "{out:?}");
}

#[test]
fn migrate_with_an_unavailable_keyring_loses_nothing() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let before = home.snapshot();
    for to in ["keyring", "file"] {
        let out = run(home.cmd().args(["migrate", "--to", to]));
        assert_eq!(out.code, exit_code::STORE as i32, "{to}: {out:?}");
        assert!(out.stderr.contains("not reachable"), "{out:?}");
        assert_eq!(home.snapshot(), before, "{to}");
    }
}

#[test]
fn migrate_refuses_when_both_stores_hold_different_credentials() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    assert_eq!(
        login_key(&home, Some(&ss), "file", "sk-proj-file-1234567890").code,
        0
    );
    let before = home.snapshot();
    let out = creds(&home, &ss, &["migrate", "--to", "keyring"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("differ"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert_eq!(ss.count(), 1);
}
