//! `logout`: removes the stored credentials, is idempotent, and never creates what is missing.

use crate::support::check::{KEY, api_key_file, assert_code, assert_stderr_has, cmd_at, tree};
use crate::support::jwt::ChatGptAuth;
use crate::support::{TestHome, exit_code, run};

#[test]
fn logout_removes_the_credentials_and_is_idempotent() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let out = run(home.cmd().arg("logout"));
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(
        &out,
        &["Logged out", &home.auth_path().display().to_string()],
    );
    assert_eq!(out.stdout, "");
    assert!(home.auth_bytes().is_none());
    assert!(
        home.files().iter().all(|name| name.ends_with(".lock")),
        "only the lock files stay: {:?}",
        home.files()
    );

    let out = run(home.cmd().arg("logout"));
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["Not logged in"]);
    assert_code(&run(home.cmd().arg("status")), exit_code::NOT_LOGGED_IN);
}

#[test]
fn logout_json_reports_what_was_removed() {
    let home = TestHome::new();
    home.write_auth(&ChatGptAuth::default().to_json());
    let out = run(home.cmd().args(["logout", "--json", "--no-revoke"]));
    assert_code(&out, exit_code::SUCCESS);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["logged_out"], true);
    assert_eq!(
        json["removed_from"],
        serde_json::json!([home.auth_path().display().to_string()])
    );

    let out = run(home.cmd().args(["logout", "--json"]));
    assert_code(&out, exit_code::SUCCESS);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["logged_out"], false);
    assert_eq!(json["removed_from"], serde_json::json!([]));
}

#[test]
fn logout_with_a_missing_codex_home_creates_nothing() {
    let home = TestHome::new();
    let missing = home.path().join("missing");
    let out = run(cmd_at(&home, &missing).arg("logout"));
    assert_code(&out, exit_code::SUCCESS);
    assert!(!missing.exists(), "logout must not create CODEX_HOME");
    assert!(tree(home.path()).is_empty());
}

#[test]
fn logout_removes_a_malformed_file() {
    let home = TestHome::new();
    home.write_auth("{ not json");
    let out = run(home.cmd().arg("logout"));
    assert_code(&out, exit_code::SUCCESS);
    assert!(home.auth_bytes().is_none());
}

#[test]
fn logout_removes_a_symlink_but_not_its_target() {
    let home = TestHome::new();
    let target = home.path().join("real-auth.json");
    std::fs::write(&target, api_key_file(KEY)).unwrap();
    std::os::unix::fs::symlink(&target, home.auth_path()).unwrap();
    assert_code(&run(home.cmd().arg("status")), exit_code::SUCCESS);
    let out = run(home.cmd().arg("logout"));
    assert_code(&out, exit_code::SUCCESS);
    assert!(std::fs::symlink_metadata(home.auth_path()).is_err());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), api_key_file(KEY));
}
