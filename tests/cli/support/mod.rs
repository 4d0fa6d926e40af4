//! Shared test support: a temp CODEX_HOME per test, commands with a cleared environment, and
//! helpers that prove nothing was lost.

pub mod app_server;
pub mod backend;
pub mod check;
pub mod codex;
pub mod corpus;
pub mod issuer;
pub mod jwt;
pub mod keyring;
pub mod login;
pub mod oidc;
pub mod rng;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub use codex_creds::error::exit_code;

/// A temporary directory used as both `HOME` and `CODEX_HOME`.
pub struct TestHome {
    dir: tempfile::TempDir,
}

impl TestHome {
    pub fn new() -> Self {
        TestHome {
            dir: tempfile::Builder::new()
                .prefix("codex-creds-test-")
                .tempdir()
                .unwrap(),
        }
    }

    /// CODEX_HOME (the temp directory itself).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn auth_path(&self) -> PathBuf {
        self.path().join("auth.json")
    }

    pub fn write_auth(&self, text: &str) {
        std::fs::write(self.auth_path(), text).unwrap();
        set_mode(&self.auth_path(), 0o600);
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.path().join("config.toml"), text).unwrap();
    }

    /// The bytes of auth.json; `None` when it is missing or not a regular file (a FIFO would block).
    pub fn auth_bytes(&self) -> Option<Vec<u8>> {
        std::fs::metadata(self.auth_path())
            .is_ok_and(|m| m.is_file())
            .then(|| std::fs::read(self.auth_path()).ok())
            .flatten()
    }

    pub fn auth_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.auth_bytes().expect("auth.json exists")).unwrap()
    }

    /// Every file name in CODEX_HOME (to spot stray temp files).
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// `codex-creds` with a clean environment pointing at this home.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_codex-creds"));
        clean_env(&mut cmd, self.path());
        cmd
    }

    /// Snapshot of auth.json (bytes and mode) to compare after a failing command.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            bytes: self.auth_bytes(),
            mode: mode_of(&self.auth_path()),
            files: self.files(),
        }
    }
}

/// What a failing command must leave exactly as it was.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    bytes: Option<Vec<u8>>,
    mode: Option<u32>,
    files: Vec<String>,
}

/// Clears the environment and sets only what a test home needs.
pub fn clean_env(cmd: &mut Command, home: &Path) {
    cmd.env_clear().envs(test_env(home));
}

/// The whole environment of a command run by a test: nothing from the developer's shell
/// (`CODEX_API_KEY`, `RUST_LOG`, a real `~/.codex`) leaks in.
pub fn test_env(home: &Path) -> [(&'static str, OsString); 6] {
    [
        ("PATH", std::env::var_os("PATH").unwrap_or_default()),
        ("HOME", home.into()),
        ("CODEX_HOME", home.into()),
        ("NO_COLOR", "1".into()),
        ("LANG", "C".into()),
        ("NO_PROXY", "127.0.0.1,localhost".into()),
    ]
}

/// Set to `1` by the hermetic fast tier (README, Development): a test that starts a real
/// component then fails, so that a skip list that misses one cannot pass unnoticed.
pub const HERMETIC: &str = "CODEX_CREDS_TEST_HERMETIC";

/// Called before starting a real component (`what`): in the fast tier the test fails, naming
/// the fix.
#[track_caller]
pub fn real_component(what: &str) {
    if std::env::var_os(HERMETIC).is_some_and(|value| value == "1") {
        panic!(
            "this test starts {what}, a real component, but {HERMETIC}=1 asks for the hermetic \
             fast tier: put the test under a path the tier skips (a module named `oidc`, \
             `keyring` or `interop`; README, Development)"
        );
    }
}

/// A port on 127.0.0.1 that was free a moment ago (for `login --port`, or a URL nobody serves).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn mode_of(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o777)
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The output of a finished command as text, for assertions with good failure messages.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs a command to completion and captures everything.
pub fn run(cmd: &mut Command) -> Outcome {
    let output = cmd.output().unwrap();
    Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
