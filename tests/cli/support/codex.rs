//! The real Codex CLI (npm `@openai/codex@0.169.0`, installed by `.ci/run` into
//! tests/harness/node_modules). Tests fail with an install hint when it is missing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn binary() -> PathBuf {
    super::real_component("the Codex CLI");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/harness/node_modules/.bin/codex");
    assert!(
        path.exists(),
        "the Codex CLI is missing at {}; install it with `npm ci --prefix tests/harness` (see .ci/run)",
        path.display()
    );
    path
}

/// `codex` with a clean environment pointing at this CODEX_HOME.
pub fn cmd(home: &Path) -> Command {
    let mut cmd = Command::new(binary());
    super::clean_env(&mut cmd, home);
    cmd
}

/// Runs `codex app-server` with this store (`file`, `keyring`), asks for the auth status with a
/// forced refresh at `refresh_url`, and returns the JSON-RPC result (the server is killed
/// afterwards). `env` is added to the test environment (a Secret Service's; its HOME is not).
pub fn app_server_refresh(
    home: &Path,
    store: &str,
    refresh_url: &str,
    env: &[(&str, String)],
) -> serde_json::Value {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let mut cmd = std::process::Command::new(binary());
    cmd.env_clear()
        .envs(super::test_env(home))
        .env("CODEX_REFRESH_TOKEN_URL_OVERRIDE", refresh_url);
    for (name, value) in env.iter().filter(|(name, _)| *name != "HOME") {
        cmd.env(name, value);
    }
    let mut child = cmd
        .args(["app-server", "-c"])
        .arg(format!("cli_auth_credentials_store=\"{store}\""))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for line in [
        r#"{"id":1,"method":"initialize","params":{"clientInfo":{"name":"codex-creds-test","version":"0.0.1"}}}"#,
        r#"{"method":"initialized"}"#,
        r#"{"id":2,"method":"getAuthStatus","params":{"includeToken":true,"refreshToken":true}}"#,
    ] {
        writeln!(stdin, "{line}").unwrap();
    }
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line)
                && message["id"] == 2
            {
                let _ = tx.send(message);
                return;
            }
        }
    });
    let reply = rx.recv_timeout(std::time::Duration::from_secs(60));
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    let reply = reply.expect("codex app-server answered getAuthStatus");
    reply["result"].clone()
}
