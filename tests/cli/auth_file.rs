//! auth.json on disk through the binary: atomic writes under Codex's locks, refused replacements
//! (read-only, hard-linked), symlinks, stray temp files, and the ephemeral store.

use std::fs::File;
use std::time::Duration;

use crate::support::check::{
    AFTER_SAVE, KEY, api_key_file, assert_code, assert_stderr_has, cmd_at,
};
use crate::support::{TestHome, exit_code, mode_of, run, set_mode};

/// Codex's lock files, as any home that was written before has them (they are never deleted).
fn touch_locks(home: &TestHome) {
    for name in ["auth.lock", "auth.json.lock"] {
        File::create(home.path().join(name)).unwrap();
    }
}

/// Waits until another process holds an exclusive lock on `path` (polling, with a deadline).
fn wait_until_held(path: &std::path::Path) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(file) = File::open(path)
            && matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "nobody took {}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn login(home: &TestHome) -> crate::support::Outcome {
    run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(KEY))
}

#[test]
fn stray_temp_files_are_swept_by_the_next_save() {
    let home = TestHome::new();
    for stray in [".auth-Ab12Cd", ".codex-creds-auth-deadbeef01"] {
        std::fs::write(home.path().join(stray), "half-written").unwrap();
    }
    assert_code(&login(&home), exit_code::SUCCESS);
    assert_eq!(home.files(), AFTER_SAVE);
}

#[test]
fn read_only_auth_json_is_not_replaced() {
    let home = TestHome::new();
    home.write_auth(&api_key_file("sk-old-key-00000000000000"));
    set_mode(&home.auth_path(), 0o400);
    touch_locks(&home);
    let before = home.snapshot();
    let out = login(&home);
    assert_code(&out, exit_code::STORE);
    assert_stderr_has(
        &out,
        &[
            &home.auth_path().display().to_string(),
            "read-only",
            "chmod u+w",
        ],
    );
    assert_eq!(home.snapshot(), before);
}

#[test]
fn hard_linked_auth_json_is_not_replaced() {
    let home = TestHome::new();
    home.write_auth(&api_key_file("sk-old-key-00000000000000"));
    std::fs::hard_link(home.auth_path(), home.path().join("backup.json")).unwrap();
    touch_locks(&home);
    let before = home.snapshot();
    let out = login(&home);
    assert_code(&out, exit_code::STORE);
    assert_stderr_has(&out, &["hard-linked"]);
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_symlinked_auth_json_keeps_its_link() {
    let home = TestHome::new();
    let real_dir = home.path().join("real");
    std::fs::create_dir(&real_dir).unwrap();
    std::fs::write(
        real_dir.join("creds.json"),
        api_key_file("sk-old-key-00000000000000"),
    )
    .unwrap();
    std::os::unix::fs::symlink(real_dir.join("creds.json"), home.auth_path()).unwrap();
    assert_code(&login(&home), exit_code::SUCCESS);
    assert!(
        std::fs::symlink_metadata(home.auth_path())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(real_dir.join("creds.json")).unwrap(),
        api_key_file(KEY)
    );
    assert_eq!(mode_of(&real_dir.join("creds.json")), Some(0o600));
    assert!(
        real_dir.join("creds.json.lock").exists(),
        "the commit lock sits beside the target"
    );
}

/// Issue 8 item 6: `CODEX_HOME/auth.json -> ~/auth.json` must not chmod the user's home to 0700
/// nor sweep files there that look like temp files; only the target and its commit lock change.
#[test]
fn a_symlinked_auth_json_outside_codex_home_changes_nothing_else_there() {
    let home = TestHome::new();
    let outside = tempfile::Builder::new()
        .prefix("codex-creds-user-home-")
        .tempdir()
        .unwrap();
    set_mode(outside.path(), 0o755);
    let target = outside.path().join("auth.json");
    std::fs::write(&target, api_key_file("sk-old-key-00000000000000")).unwrap();
    set_mode(&target, 0o644);
    // Not ours, whatever their names say: a save must leave them alone.
    let lookalikes = [".codex-creds-auth-AbCd1234", ".auth-Ab12Cd"];
    for name in lookalikes {
        std::fs::write(outside.path().join(name), "someone else's").unwrap();
    }
    std::os::unix::fs::symlink(&target, home.auth_path()).unwrap();

    assert_code(&login(&home), exit_code::SUCCESS);

    assert_eq!(mode_of(outside.path()), Some(0o755), "the directory's mode");
    for name in lookalikes {
        assert_eq!(
            std::fs::read_to_string(outside.path().join(name)).unwrap(),
            "someone else's",
            "{name}"
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".auth-Ab12Cd",
            ".codex-creds-auth-AbCd1234",
            "auth.json",
            "auth.json.lock"
        ],
        "only the target and Codex's commit lock beside it"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), api_key_file(KEY));
    assert_eq!(mode_of(&target), Some(0o600), "written 0600, as Codex does");
    assert!(
        std::fs::symlink_metadata(home.auth_path())
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_codex_home_under_a_file_cannot_be_created() {
    let home = TestHome::new();
    std::fs::write(home.path().join("file"), "x").unwrap();
    let out = run(cmd_at(&home, &home.path().join("file/codex"))
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::STORE);
    assert_stderr_has(&out, &["cannot write", "file/codex"]);
    assert_eq!(
        std::fs::read_to_string(home.path().join("file")).unwrap(),
        "x"
    );
}

#[test]
fn a_held_commit_lock_delays_the_save_until_released() {
    let home = TestHome::new();
    let lock = File::create(home.path().join("auth.json.lock")).unwrap();
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_codex-creds"))
        .args(["login", "--api-key", KEY])
        .env_clear()
        .env("CODEX_HOME", home.path())
        .env("HOME", home.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The child holds auth.lock once it is waiting for the commit lock (spec §3.1).
    wait_until_held(&home.path().join("auth.lock"));
    assert!(
        home.auth_bytes().is_none(),
        "nothing is written while the lock is held"
    );
    lock.unlock().unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY)
    );
}

#[test]
fn a_commit_lock_held_too_long_fails_cleanly() {
    let home = TestHome::new();
    home.write_auth(&api_key_file("sk-old-key-00000000000000"));
    let lock = File::create(home.path().join("auth.json.lock")).unwrap();
    lock.lock().unwrap();
    touch_locks(&home);
    let before = home.snapshot();
    let out = login(&home);
    assert_code(&out, exit_code::STORE);
    assert_stderr_has(&out, &["auth.json.lock", "held by another process"]);
    assert_eq!(home.snapshot(), before);
}

#[test]
fn ephemeral_store_writes_nothing() {
    let home = TestHome::new();
    home.write_config("cli_auth_credentials_store = \"ephemeral\"\n");
    let out = login(&home);
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["ephemeral"]);
    assert!(home.auth_bytes().is_none());
    let out = run(home.cmd().args(["status", "--json"]));
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["store"]["mode"], "ephemeral");
}
