//! The real Codex: after `account use B`, `codex login status` shows B; and each saved
//! account is a CODEX_HOME Codex can use while another account is active.

use super::*;
use crate::support::codex;

fn codex_status(codex_home: &Path) -> String {
    let out = run(codex::cmd(codex_home).args(["login", "status"]));
    assert_eq!(out.code, 0, "{out:?}");
    format!("{}{}", out.stdout, out.stderr)
}

#[test]
fn codex_sees_the_account_made_active_and_each_account_directory_as_a_codex_home() {
    let home = TestHome::new();
    save_key(&home, "key");
    import_chatgpt(&home, "chat", &ChatGptAuth::default());
    assert!(codex_status(home.path()).contains("API key configured - sk-proj-***"));

    assert_code(
        &creds(&home, &["account", "use", "chat"]),
        exit_code::SUCCESS,
    );
    assert!(codex_status(home.path()).contains("Logged in using ChatGPT"));
    // The account not in use runs as itself in its own CODEX_HOME, beside the active one.
    assert!(codex_status(&dir_of(&home, "key")).contains("API key configured - sk-proj-***"));

    assert_code(
        &creds(&home, &["account", "use", "key"]),
        exit_code::SUCCESS,
    );
    assert!(codex_status(home.path()).contains("API key configured - sk-proj-***"));
    assert!(codex_status(&dir_of(&home, "chat")).contains("Logged in using ChatGPT"));
    // The active account's directory is parked: Codex finds no second copy there.
    let out = run(codex::cmd(&dir_of(&home, "key")).args(["login", "status"]));
    assert!(
        format!("{}{}", out.stdout, out.stderr).contains("Not logged in"),
        "{out:?}"
    );
}
