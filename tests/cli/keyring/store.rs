//! The keyring store itself: one item updated in place, a stale auth.json removed, `status`
//! naming where the credentials are, and no secret in the output.

use super::*;

#[test]
fn keyring_save_removes_a_stale_auth_json() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "file", KEY).code, 0);
    assert!(home.auth_bytes().is_some());
    let out = login_key(&home, Some(&ss), "keyring", "sk-proj-new-1234567890");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none(), "the stale auth.json is gone");
    assert!(
        home.files().contains(&"auth.lock".to_owned()),
        "Codex's locks were taken"
    );
}

#[test]
fn status_names_the_store_and_warns_when_copies_differ() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    assert_eq!(
        login_key(&home, Some(&ss), "file", "sk-proj-file-1234567890").code,
        0
    );

    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(KEY_MASK), "{out:?}");
    assert!(
        out.stdout.contains("Store:") && out.stdout.contains("keyring"),
        "{out:?}"
    );
    assert!(out.stdout.contains("different"), "{out:?}");

    let out = creds(&home, &ss, &["--store", "auto", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "keyring");
    assert_eq!(status["store"]["mode"], "auto");

    let out = creds(&home, &ss, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "file", "file mode reads auth.json");
}

#[test]
fn keyring_status_points_at_credentials_left_in_auth_json() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "file", KEY).code, 0);
    let before = home.snapshot();
    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::NOT_LOGGED_IN as i32, "{out:?}");
    assert!(out.stdout.contains("migrate --to keyring"), "{out:?}");
    assert_eq!(home.snapshot(), before, "status changes nothing");
}

#[test]
fn secrets_never_reach_the_output() {
    let ss = SecretService::start();
    let home = TestHome::new();
    for out in [
        login_key(&home, Some(&ss), "keyring", KEY),
        creds(&home, &ss, &["--store", "keyring", "status"]),
        creds(&home, &ss, &["migrate", "--to", "file"]),
        creds(&home, &ss, &["logout"]),
    ] {
        assert!(
            !out.stdout.contains(KEY) && !out.stderr.contains(KEY),
            "{out:?}"
        );
    }
}
