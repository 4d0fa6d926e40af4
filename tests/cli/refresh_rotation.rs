//! Once the issuer has answered a refresh, the old refresh token is dead: the new tokens are
//! committed or kept in a recovery file, never dropped (issue #8, item 3). And a refresh that
//! fails for now does not stop `token` while the access token still works (item 10).

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::issuer::{Rotating, chatgpt_auth, run_bg};
use crate::support::{TestHome, exit_code, set_mode, test_env};

async fn slow_rotating_server(delay: Duration) -> (MockServer, Rotating) {
    let mut rotating = Rotating::new();
    rotating.delay = delay;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(rotating.clone())
        .expect(1)
        .mount(&server)
        .await;
    (server, rotating)
}

async fn wait_for_grant(server: &MockServer) {
    for _ in 0..1000 {
        if !server.received_requests().await.unwrap().is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the refresh grant never arrived");
}

/// A termination signal that arrives while the grant is in flight waits for the commit: the
/// process still dies of it, but only after the rotated tokens are saved.
#[tokio::test(flavor = "multi_thread")]
async fn a_signal_during_the_grant_waits_for_the_commit() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let (server, _rotating) = slow_rotating_server(Duration::from_millis(800)).await;
        let home = TestHome::new();
        home.write_auth(&chatgpt_auth(&server.uri(), -30).to_json());
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_codex-creds"))
            .arg("refresh")
            .env_clear()
            .envs(test_env(home.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_grant(&server).await;
        // SAFETY: kill(2) on our own child's pid.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let status = tokio::task::block_in_place(|| child.wait()).unwrap();
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        assert_eq!(
            home.auth_json()["tokens"]["refresh_token"],
            "rt-rotated-1",
            "the rotated refresh token was saved before the signal took effect"
        );
        server.verify().await;
    }
}

/// A save the store refuses (here: auth.json made read-only while the grant is in flight)
/// keeps the rotated tokens in a 0600 recovery file, and the message says how to restore them.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_save_keeps_the_rotated_tokens_in_a_recovery_file() {
    let (server, _rotating) = slow_rotating_server(Duration::from_millis(500)).await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), -30).to_json());
    let task = crate::support::issuer::spawn(crate::support::issuer::cmd(&home, &["refresh"]));
    wait_for_grant(&server).await;
    set_mode(&home.auth_path(), 0o400);
    let before = home.auth_bytes();
    let out = task.await.unwrap();
    assert_eq!(out.code, i32::from(exit_code::STORE), "{out:?}");
    assert_eq!(home.auth_bytes(), before, "auth.json is untouched");
    let recovered: Vec<_> = home
        .files()
        .into_iter()
        .filter(|f| f.starts_with("codex-creds-recovered-") && f.ends_with(".json"))
        .collect();
    assert_eq!(recovered.len(), 1, "{:?}", home.files());
    let path = home.path().join(&recovered[0]);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc["tokens"]["refresh_token"], "rt-rotated-1");
    assert_eq!(crate::support::mode_of(&path), Some(0o600));
    assert!(
        out.stderr.contains(&format!("mv '{}'", path.display())),
        "{out:?}"
    );
    assert!(!out.stderr.contains("rt-rotated-1"), "{out:?}");

    // Following the instructions restores the login.
    set_mode(&home.auth_path(), 0o600);
    std::fs::rename(&path, home.auth_path()).unwrap();
    let out = run_bg(home.cmd().arg("status").arg("--json")).await;
    assert_eq!(out.code, 0, "{out:?}");
    server.verify().await;
}

/// The issuer is down for now (400 with an unknown code: transient, spec §12).
async fn unavailable_issuer() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"error": "temporarily_unavailable"})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn token_keeps_a_valid_token_when_the_refresh_fails_for_now() {
    let server = unavailable_issuer().await;
    let home = TestHome::new();
    // Valid for 30 s: inside `token`'s 1 min window, so it tries to refresh.
    let auth = chatgpt_auth(&server.uri(), 30);
    home.write_auth(&auth.to_json());
    crate::support::issuer::with_refresh_lock(&home);
    let before = home.snapshot();

    let out = run_bg(home.cmd().arg("token")).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, format!("{}\n", auth.access_token()));
    let warnings: Vec<_> = out.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(warnings.len(), 1, "one line: {out:?}");
    assert!(warnings[0].starts_with("warning:") && warnings[0].contains("still valid"));

    let out = run_bg(home.cmd().args(["token", "--json"])).await;
    assert_eq!(out.code, 0, "{out:?}");
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["token"], auth.access_token());

    let out = run_bg(home.cmd().args(["refresh", "--min-validity", "5m"])).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("still valid"), "{out:?}");

    // Asked for explicitly, a refresh that fails is a failure.
    let out = run_bg(home.cmd().arg("refresh")).await;
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");

    assert_eq!(home.snapshot(), before, "credentials unchanged");
}

#[tokio::test(flavor = "multi_thread")]
async fn token_fails_when_the_refresh_fails_and_the_token_has_expired() {
    let server = unavailable_issuer().await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), -5).to_json());
    let before = home.auth_bytes();
    let out = run_bg(home.cmd().arg("token")).await;
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_eq!(home.auth_bytes(), before);
}
