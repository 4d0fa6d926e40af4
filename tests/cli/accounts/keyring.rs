//! Keyring mode against the real Secret Service: saved accounts keep their secrets in
//! Codex's keyring items keyed by their directories (no secrets in files), switching moves
//! them, and Codex uses an account directory as its CODEX_HOME.

use super::*;
use crate::support::codex;
use crate::support::keyring::{SecretService, account_for};

fn keyring_cmd(home: &TestHome, ss: &SecretService, args: &[&str]) -> Outcome {
    let mut cmd = home.cmd();
    ss.apply(&mut cmd);
    run(cmd.args(["--store", "keyring"]).args(args))
}

#[test]
fn accounts_in_keyring_mode_keep_secrets_in_the_keyring_keyed_by_their_directory() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let mut cmd = home.cmd();
    ss.apply(&mut cmd);
    let out = run(cmd
        .args(["--store", "keyring", "login", "--with-api-key"])
        .write_stdin(key_of("a")));
    assert_code(&out, exit_code::SUCCESS);
    assert_code(
        &keyring_cmd(&home, &ss, &["account", "save", "a"]),
        exit_code::SUCCESS,
    );
    let mut cmd = home.cmd();
    ss.apply(&mut cmd);
    let out = run(cmd
        .args([
            "--store",
            "keyring",
            "account",
            "add",
            "b",
            "--with-api-key",
        ])
        .write_stdin(key_of("b")));
    assert_code(&out, exit_code::SUCCESS);
    let b_dir = dir_of(&home, "b").canonicalize().unwrap();
    let b_key = account_for(&b_dir);
    assert!(ss.lookup(&b_key).unwrap().contains(&key_of("b")));
    assert_eq!(copy_of(&home, "b"), None, "no secret in a file");
    assert_eq!(meta_of(&home, "b")["store"], "keyring");
    let config = std::fs::read_to_string(b_dir.join("config.toml")).unwrap();
    assert!(config.contains("cli_auth_credentials_store = \"keyring\""));

    // Codex uses the account's directory as its CODEX_HOME, with its keyring item.
    let mut cmd = codex::cmd(&b_dir);
    ss.apply(&mut cmd);
    let out = run(cmd.args(["login", "status"]));
    assert!(
        out.stderr.contains("API key configured - sk-proj-***"),
        "{out:?}"
    );

    let out = keyring_cmd(&home, &ss, &["account", "use", "b"]);
    assert_code(&out, exit_code::SUCCESS);
    assert!(
        ss.lookup(&account_for(home.path()))
            .unwrap()
            .contains(&key_of("b"))
    );
    assert_eq!(ss.lookup(&b_key), None, "b parked");
    let a_key = account_for(&dir_of(&home, "a").canonicalize().unwrap());
    assert!(ss.lookup(&a_key).unwrap().contains(&key_of("a")));
    assert!(home.auth_bytes().is_none() && copy_of(&home, "a").is_none());

    let out = keyring_cmd(&home, &ss, &["token", "--account", "a"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{}\n", key_of("a")));

    // Renaming moves the item to the new directory's key.
    assert_code(
        &keyring_cmd(&home, &ss, &["account", "rename", "a", "alpha"]),
        exit_code::SUCCESS,
    );
    let alpha = dir_of(&home, "alpha").canonicalize().unwrap();
    assert!(
        ss.lookup(&account_for(&alpha))
            .unwrap()
            .contains(&key_of("a"))
    );
    assert_eq!(ss.lookup(&a_key), None);
    let out = keyring_cmd(&home, &ss, &["account", "use", "alpha"]);
    assert_code(&out, exit_code::SUCCESS);
    assert!(
        ss.lookup(&account_for(home.path()))
            .unwrap()
            .contains(&key_of("a"))
    );

    assert_code(
        &keyring_cmd(&home, &ss, &["account", "remove", "b", "--no-revoke"]),
        exit_code::SUCCESS,
    );
    assert_eq!(ss.lookup(&b_key), None);
    assert!(!b_dir.exists());
}
