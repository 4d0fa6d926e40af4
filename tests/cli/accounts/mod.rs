//! `codex-creds account …` and `--account` (issue 10), running the real binary. Each area has
//! its own file; tests that start a real component live in the `oidc`, `keyring` and `interop`
//! modules (skipped by the hermetic fast tier).

mod bad_input;
mod basics;
mod concurrency;
mod import_export;
mod interop;
mod keyring;
mod oidc;
mod usage;

use std::path::{Path, PathBuf};

use crate::support::check::assert_code;
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, exit_code, run};

/// A recognisable API key per account name.
pub fn key_of(name: &str) -> String {
    format!("sk-proj-{name}-SECRETACCOUNTKEY-0123456789")
}

/// auth.json as Codex writes an API-key login.
pub fn key_file(name: &str) -> String {
    crate::support::check::api_key_file(&key_of(name))
}

/// `codex-creds` with these args in `home`, stdin empty.
pub fn creds(home: &TestHome, args: &[&str]) -> Outcome {
    run(home.cmd().args(args))
}

/// Logs in with the API key of `name` (the active login).
pub fn login_key(home: &TestHome, name: &str) {
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(key_of(name)));
    assert_code(&out, exit_code::SUCCESS);
}

/// Logs in with `name`'s key and saves it as the account `name`.
pub fn save_key(home: &TestHome, name: &str) {
    login_key(home, name);
    let out = creds(home, &["account", "save", name]);
    assert_code(&out, exit_code::SUCCESS);
}

/// Adds the account `name` (an API key) without touching the active login.
pub fn add_key(home: &TestHome, name: &str) {
    let out = run(home
        .cmd()
        .args(["account", "add", name, "--with-api-key"])
        .write_stdin(key_of(name)));
    assert_code(&out, exit_code::SUCCESS);
}

/// Imports a ChatGPT login (a workspace of the test user) as the account `name`.
pub fn import_chatgpt(home: &TestHome, name: &str, auth: &ChatGptAuth) {
    let out = run(home
        .cmd()
        .args(["account", "import", "-", "--name", name])
        .write_stdin(auth.to_json()));
    assert_code(&out, exit_code::SUCCESS);
}

/// The directory of the account `name`.
pub fn dir_of(home: &TestHome, name: &str) -> PathBuf {
    home.path().join("codex-creds/accounts").join(name)
}

/// The auth.json kept in an account's directory (`None` while parked).
pub fn copy_of(home: &TestHome, name: &str) -> Option<String> {
    std::fs::read_to_string(dir_of(home, name).join("auth.json")).ok()
}

/// The account metadata file of `name`, parsed.
pub fn meta_of(home: &TestHome, name: &str) -> serde_json::Value {
    let path = dir_of(home, name).join("codex-creds-account.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `account list --json`, parsed.
pub fn list_json(home: &TestHome) -> serde_json::Value {
    let out = creds(home, &["account", "list", "--json"]);
    assert_code(&out, exit_code::SUCCESS);
    serde_json::from_str(&out.stdout).unwrap()
}

/// The active login's auth.json as text.
pub fn active(home: &TestHome) -> String {
    String::from_utf8(home.auth_bytes().expect("an active login")).unwrap()
}

/// Every entry below `dir`, with its bytes (proves nothing was written).
#[derive(PartialEq, Eq)]
pub struct Contents(Vec<(String, Vec<u8>)>);

// Debug names the entries only: a failure shows which paths differ, not kilobytes of bytes.
impl std::fmt::Debug for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self
            .0
            .iter()
            .map(|(name, bytes)| format!("{name} ({} bytes, {:016x})", bytes.len(), digest(bytes)))
            .collect();
        f.debug_list().entries(names).finish()
    }
}

fn digest(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

pub fn contents(dir: &Path) -> Contents {
    Contents(
        crate::support::check::tree(dir)
            .into_iter()
            .map(|rel| {
                let bytes = std::fs::read(dir.join(&rel)).unwrap_or_default();
                (rel, bytes)
            })
            .collect(),
    )
}
