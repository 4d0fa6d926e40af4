//! A keyring that is missing, hung or locked: a store error in `keyring` mode, a file fallback
//! in `auto` mode, and no D-Bus traffic at all in `file` mode.

use std::os::unix::net::UnixListener;

use super::*;

/// A socket that accepts connections but never answers: a hung D-Bus / Secret Service.
fn hanging_bus() -> (tempfile::TempDir, UnixListener, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hung-bus");
    let listener = UnixListener::bind(&path).unwrap();
    listener.set_nonblocking(true).unwrap();
    (dir, listener, format!("unix:path={}", path.display()))
}

fn nobody_connected(listener: &UnixListener) -> bool {
    matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn auto_uses_the_keyring_when_it_works() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let out = login_key(&home, Some(&ss), "auto", KEY);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("warning"), "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert!(ss.lookup(&account_for(home.path())).is_some());
}

#[test]
fn auto_without_dbus_falls_back_to_the_file_and_says_so() {
    let home = TestHome::new();
    let out = login_key(&home, None, "auto", KEY);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_some(), "{out:?}");
    let warnings: Vec<_> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{out:?}");
    assert!(
        warnings[0].contains("not reachable") && warnings[0].contains("auth.json"),
        "{out:?}"
    );

    let out = run(home.cmd().args(["--store", "auto", "status", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "file");
    assert!(out.stderr.contains("auth.json instead"), "{out:?}");

    // auto logout (unlike Codex 0.169) still removes the file.
    let out = run(home.cmd().args(["--store", "auto", "logout"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
}

#[test]
fn keyring_without_dbus_fails_with_the_store_code_and_writes_nothing() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let before = home.snapshot();
    let out = login_key(&home, None, "keyring", "sk-proj-other-1234567890");
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("not reachable"), "{out:?}");
    assert_eq!(home.snapshot(), before);

    let out = run(home.cmd().args(["--store", "keyring", "status"]));
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert_eq!(home.snapshot(), before);

    // Logout removes what it can reach, and says what it could not.
    let out = run(home.cmd().args(["--store", "keyring", "logout"]));
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(
        out.stderr.contains("not reachable") && out.stderr.contains("removed from"),
        "{out:?}"
    );
    assert!(home.auth_bytes().is_none());
}

#[test]
fn a_hung_keyring_times_out_in_keyring_mode_and_falls_back_in_auto_mode() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let before = home.snapshot();
    let (_dir, _listener, address) = hanging_bus();
    let with_bus = |args: &[&str]| {
        run(home
            .cmd()
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("CODEX_CREDS_KEYRING_TIMEOUT", "300ms")
            .args(args))
    };
    let out = with_bus(&["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("did not answer"), "{out:?}");

    let out = with_bus(&["--store", "auto", "token"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, format!("{KEY}\n"));
    assert!(out.stderr.contains("did not answer"), "{out:?}");

    let out = with_bus(&["--store", "keyring", "migrate", "--to", "keyring"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("still in"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_locked_keyring_is_a_store_error_in_keyring_mode_and_a_fallback_in_auto_mode() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    ss.lock();

    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("locked"), "{out:?}");

    let before = home.snapshot();
    let out = login_key(&home, Some(&ss), "keyring", "sk-proj-new-1234567890");
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert_eq!(home.snapshot(), before, "nothing written");

    // No item yet: creating one in a locked collection fails the same way.
    let fresh = TestHome::new();
    let out = login_key(&fresh, Some(&ss), "keyring", "sk-proj-new-1234567890");
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("locked"), "{out:?}");
    assert!(fresh.auth_bytes().is_none());

    let out = login_key(&home, Some(&ss), "auto", "sk-proj-new-1234567890");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("locked") && out.stderr.contains("auth.json"),
        "{out:?}"
    );
    assert!(home.auth_bytes().is_some());
}

#[test]
fn file_mode_status_and_token_never_touch_dbus() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let (_dir, listener, address) = hanging_bus();
    for args in [&["status"][..], &["status", "--json"], &["token"]] {
        let out = run(home
            .cmd()
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .args(args));
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
    }
    assert!(
        nobody_connected(&listener),
        "a file-mode read connected to D-Bus"
    );

    // File-mode logout may look at the keyring, but a hung one is no error.
    let out = run(home
        .cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .arg("logout"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
}
