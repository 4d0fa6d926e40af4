//! Assertions shared by the acceptance tests: exit codes with the whole output on failure, secrets
//! that must not leak, and the exact bytes Codex writes.

use std::path::Path;

use assert_cmd::Command;

use super::{Outcome, TestHome};

/// A recognisable API key: long enough that its mask hides the middle.
pub const KEY: &str = "sk-proj-SECRETMIDDLE0123456789ABCDE";
/// What `status` shows for [`KEY`] (Codex's mask: first 8, `***`, last 5).
pub const KEY_MASKED: &str = "sk-proj-***ABCDE";
/// The part of [`KEY`] that no masked output may contain.
pub const KEY_MIDDLE: &str = "SECRETMIDDLE";

/// Fails with the full output unless the command exited with `code`.
#[track_caller]
pub fn assert_code(out: &Outcome, code: u8) {
    assert_eq!(out.code, i32::from(code), "unexpected exit code\n{out:?}");
}

/// Fails unless stderr contains every fragment (case-sensitive).
#[track_caller]
pub fn assert_stderr_has(out: &Outcome, fragments: &[&str]) {
    for fragment in fragments {
        assert!(
            out.stderr.contains(fragment),
            "stderr lacks {fragment:?}\n{out:?}"
        );
    }
}

/// Fails if `secret` (or a long piece of it) appears on stdout or stderr.
#[track_caller]
pub fn assert_not_leaked(out: &Outcome, secret: &str) {
    for stream in [&out.stdout, &out.stderr] {
        assert!(!stream.contains(secret), "secret leaked\n{out:?}");
    }
}

/// auth.json exactly as Codex 0.169.0 writes an API-key login.
pub fn api_key_file(key: &str) -> String {
    format!("{{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"{key}\"\n}}")
}

/// `codex-creds` for another CODEX_HOME (one that may not exist), with `home` as HOME.
pub fn cmd_at(home: &TestHome, codex_home: &Path) -> Command {
    let mut cmd = home.cmd();
    cmd.env("CODEX_HOME", codex_home);
    cmd
}

/// Every entry below `dir` (relative paths, sorted): proves nothing was created.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            out.push(path.strip_prefix(root).unwrap().display().to_string());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The files a save leaves in CODEX_HOME: the credentials and Codex's two lock files.
pub const AFTER_SAVE: [&str; 3] = ["auth.json", "auth.json.lock", "auth.lock"];
