//! `refresh` and `token` against a fake issuer (wiremock): the request Codex sends, what is
//! saved, when nothing is sent, endpoint precedence, single flight and the commit protocol.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::issuer::{
    self, CLIENT_ID, Gate, Rotating, chatgpt_auth, dead_url, json_body, run_bg,
};
use crate::support::login::Running;
use crate::support::{TestHome, exit_code, mode_of, run};

async fn rotating_server(rotating: &Rotating, expect: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(rotating.clone())
        .expect(expect)
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn forced_refresh_sends_codex_request_and_saves_rotated_tokens() {
    let rotating = Rotating::new();
    let server = rotating_server(&rotating, 1).await;
    let home = TestHome::new();
    let fixture = chatgpt_auth(&server.uri(), 3600);
    let mut stored = fixture.to_value();
    stored["tokens"]["future_field"] = json!("kept");
    stored["from_a_newer_codex"] = json!({"x": 1});
    home.write_auth(&serde_json::to_string_pretty(&stored).unwrap());

    let out = run_bg(home.cmd().arg("refresh")).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Refreshed the access token"), "{out:?}");

    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(
        json_body(request),
        json!({
            "client_id": CLIENT_ID,
            "grant_type": "refresh_token",
            "refresh_reason": "forced",
            "refresh_token": fixture.refresh_token,
        })
    );
    assert_eq!(request.headers["originator"], "codex_cli_rs");
    assert!(
        request.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("codex_cli_rs/")
    );
    assert_eq!(request.headers["content-type"], "application/json");

    let saved = home.auth_json();
    assert_eq!(saved["tokens"]["access_token"], issuer_token(&saved, 1));
    assert_eq!(saved["tokens"]["refresh_token"], "rt-rotated-1");
    assert_eq!(
        saved["tokens"]["id_token"], stored["tokens"]["id_token"],
        "kept when absent"
    );
    assert_eq!(saved["tokens"]["account_id"], "ws-test-1");
    assert_eq!(saved["tokens"]["future_field"], "kept");
    assert_eq!(saved["from_a_newer_codex"], json!({"x": 1}));
    assert_ne!(saved["last_refresh"], stored["last_refresh"]);
    assert_eq!(mode_of(&home.auth_path()), Some(0o600));
    assert!(!home.auth_bytes().unwrap().ends_with(b"\n"));
    assert_eq!(rotating.count(), 1);
}

/// The access token of grant `n` (its `jti` is `at-<n>`), checked through the stored value.
fn issuer_token(saved: &serde_json::Value, n: usize) -> String {
    let token = saved["tokens"]["access_token"].as_str().unwrap().to_owned();
    let claims = crate::support::jwt::claims(&token);
    assert_eq!(claims["jti"], format!("at-{n}"));
    token
}

#[tokio::test(flavor = "multi_thread")]
async fn min_validity_refreshes_only_when_the_token_expires_sooner() {
    let rotating = Rotating::new();
    let server = rotating_server(&rotating, 1).await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), 3600).to_json());
    let before = home.snapshot();

    let out = run_bg(home.cmd().args(["refresh", "--min-validity", "15m"])).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("still valid"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert_eq!(rotating.count(), 0);

    let out = run_bg(
        home.cmd()
            .args(["refresh", "--min-validity", "2h", "--json"]),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["outcome"], "refreshed");
    assert_eq!(report["reason"], "expires_soon");
    assert!(report["expires_at"].is_string());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        json_body(&requests[0])["refresh_reason"],
        "proactive_expiry"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn token_uses_no_network_while_fresh_and_refreshes_when_expired() {
    let rotating = Rotating::new();
    let server = rotating_server(&rotating, 1).await;
    let home = TestHome::new();
    let fresh = chatgpt_auth(&server.uri(), 3600);
    home.write_auth(&fresh.to_json());
    let before = home.snapshot();
    let out = run_bg(home.cmd().arg("token")).await;
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert_eq!(out.stdout, format!("{}\n", fresh.access_token()), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert!(server.received_requests().await.unwrap().is_empty());

    home.write_auth(&chatgpt_auth(&server.uri(), -10).to_json());
    let out = run_bg(home.cmd().arg("token")).await;
    assert_eq!(out.code, 0, "{out:?}");
    let saved = home.auth_json();
    assert_eq!(out.stdout, format!("{}\n", issuer_token(&saved, 1)));
    assert!(out.stderr.is_empty(), "{out:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        json_body(&requests[0])["refresh_reason"],
        "proactive_expiry"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn token_min_validity_widens_the_window() {
    let rotating = Rotating::new();
    let server = rotating_server(&rotating, 1).await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), 600).to_json());
    let out = run_bg(home.cmd().arg("token")).await;
    assert_eq!(out.code, 0);
    assert_eq!(
        rotating.count(),
        0,
        "10 minutes left is enough for the 1m default"
    );
    let out = run_bg(
        home.cmd()
            .args(["token", "--min-validity", "15m", "--json"]),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["token"], issuer_token(&home.auth_json(), 1));
}

/// Stored tokens are refreshed only by the issuer that minted them (issue #8): an explicit
/// issuer elsewhere gets nothing and one line says so; Codex's endpoint override, explicit by
/// nature, still beats both.
#[tokio::test(flavor = "multi_thread")]
async fn provenance_beats_an_explicit_issuer_and_the_override_beats_both() {
    let rotating = Rotating::new();
    let server = rotating_server(&rotating, 1).await;
    Mock::given(method("POST"))
        .and(path("/custom/refresh"))
        .and(body_json(json!({
            "client_id": "custom-client",
            "grant_type": "refresh_token",
            "refresh_reason": "forced",
            "refresh_token": "rt-rotated-1",
        })))
        .respond_with(rotating.clone())
        .expect(1)
        .mount(&server)
        .await;
    let stranger = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&stranger)
        .await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), 3600).to_json());
    let out = run_bg(
        home.cmd()
            .arg("refresh")
            .env("CODEX_CREDS_ISSUER", stranger.uri()),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stderr
            .matches("the issuer that minted the stored tokens")
            .count(),
        1,
        "{out:?}"
    );
    assert_eq!(home.auth_json()["tokens"]["refresh_token"], "rt-rotated-1");

    let out = run_bg(
        home.cmd()
            .arg("refresh")
            .env("CODEX_CREDS_ISSUER", stranger.uri())
            .env("CODEX_CREDS_CLIENT_ID", "custom-client")
            .env(
                "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
                format!("{}/custom/refresh", server.uri()),
            ),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(home.auth_json()["tokens"]["refresh_token"], "rt-rotated-2");
}

/// An issuer off loopback must be https: plain http is refused before anything is sent, from
/// a flag, the environment, or a stored provenance (issue #8).
#[test]
fn plain_http_issuers_off_loopback_are_refused() {
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&dead_url(), 3600).to_json());
    let before = home.snapshot();
    for (flag, env) in [
        (Some("http://auth.example.com"), None),
        (None, Some("http://10.1.2.3:8080")),
    ] {
        let mut cmd = home.cmd();
        cmd.arg("refresh");
        if let Some(flag) = flag {
            cmd.args(["--issuer", flag]);
        }
        if let Some(env) = env {
            cmd.env("CODEX_CREDS_ISSUER", env);
        }
        let out = run(&mut cmd);
        assert_eq!(out.code, i32::from(exit_code::USAGE), "{out:?}");
        assert!(out.stderr.contains("plain http"), "{out:?}");
        assert_eq!(home.snapshot(), before);
    }

    home.write_auth(&chatgpt_auth("http://evil.example", 3600).to_json());
    let before = home.snapshot();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, i32::from(exit_code::USAGE), "{out:?}");
    assert!(out.stderr.contains("oauth_provenance"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn api_key_logins_have_nothing_to_refresh() {
    let home = TestHome::new();
    home.write_auth(
        "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-1234567890\"\n}",
    );
    let before = home.snapshot();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("nothing to do"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0);
}

#[test]
fn refresh_without_credentials_is_not_logged_in() {
    let home = TestHome::new();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, exit_code::NOT_LOGGED_IN as i32, "{out:?}");
}

/// The acceptance test: N processes need a token at once; the issuer sees one grant.
#[tokio::test(flavor = "multi_thread")]
async fn concurrent_tokens_cause_exactly_one_refresh_grant() {
    const N: usize = 32;
    let mut rotating = Rotating::new();
    rotating.delay = Duration::from_millis(300);
    let server = rotating_server(&rotating, 1).await;
    let home = TestHome::new();
    let old = chatgpt_auth(&server.uri(), -30);
    home.write_auth(&old.to_json());

    let started = Instant::now();
    let outcomes = tokio::task::spawn_blocking({
        let cmds: Vec<_> = (0..N).map(|_| issuer::cmd(&home, &["token"])).collect();
        move || {
            std::thread::scope(|scope| {
                let handles: Vec<_> = cmds
                    .into_iter()
                    .map(|mut cmd| scope.spawn(move || run(&mut cmd)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<_>>()
            })
        }
    })
    .await
    .unwrap();
    let elapsed = started.elapsed();
    eprintln!("{N} concurrent `token` (wiremock, 300 ms grant): {elapsed:?}");

    let saved = home.auth_json();
    let new_token = issuer_token(&saved, 1);
    assert_ne!(new_token, old.access_token());
    for out in &outcomes {
        assert_eq!(out.code, 0, "{out:?}");
        assert_eq!(out.stdout, format!("{new_token}\n"), "{out:?}");
    }
    assert_eq!(rotating.count(), 1, "exactly one refresh grant");
    assert!(
        !home
            .files()
            .iter()
            .any(|f| f.starts_with(".auth-") || f.starts_with(".tmp"))
    );
}

/// Starts a fake issuer whose one refresh grant is held until the test releases it.
async fn gated_server(rotating: &Rotating) -> (MockServer, Gate) {
    let (gated, gate) = issuer::gated(rotating.clone());
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(gated)
        .expect(1)
        .mount(&server)
        .await;
    (server, gate)
}

/// Spec §3.4: credentials another program stores while our grant is in flight win.
#[tokio::test(flavor = "multi_thread")]
async fn the_commit_yields_to_credentials_written_during_the_refresh() {
    let rotating = Rotating::new();
    let (server, gate) = gated_server(&rotating).await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), -30).to_json());

    let task = issuer::spawn(issuer::cmd(&home, &["token"]));
    // The grant is in flight (its reply held): another program writes newer credentials.
    tokio::task::block_in_place(|| gate.wait_for_request());
    let mut newer = chatgpt_auth(&server.uri(), 7200);
    newer.refresh_token = "rt-from-another-program".into();
    home.write_auth(&newer.to_json());
    let written = home.auth_bytes();
    gate.release();

    let out = task.await.unwrap();
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert_eq!(out.stdout, format!("{}\n", newer.access_token()));
    assert_eq!(
        home.auth_bytes(),
        written,
        "our tokens were discarded, theirs kept"
    );
    assert_eq!(rotating.count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_removed_during_the_refresh_are_not_recreated() {
    let rotating = Rotating::new();
    let (server, gate) = gated_server(&rotating).await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), -30).to_json());

    let task = issuer::spawn(issuer::cmd(&home, &["refresh"]));
    tokio::task::block_in_place(|| gate.wait_for_request());
    std::fs::remove_file(home.auth_path()).unwrap();
    gate.release();
    let out = task.await.unwrap();
    assert_eq!(out.code, i32::from(exit_code::NOT_LOGGED_IN), "{out:?}");
    assert!(out.stderr.contains("removed while"), "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert_eq!(rotating.count(), 1);
}

/// Spec §3.4 as a Codex process does it: it holds `auth.lock` while it writes; our commit waits
/// for the lock, re-reads, and keeps Codex's tokens.
#[tokio::test(flavor = "multi_thread")]
async fn the_commit_waits_for_a_codex_writer_holding_auth_lock() {
    let rotating = Rotating::new();
    let server = rotating_server(&rotating, 1).await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), -30).to_json());
    let auth_lock_path = home.path().join("auth.lock");
    let auth_lock = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&auth_lock_path)
        .unwrap();
    // "Codex" holds auth.lock from the start; our refresh takes it only to commit.
    auth_lock.lock().unwrap();

    let mut token = Running::spawn(&home, &["token"], &[]);
    // It opens auth.lock once the grant has been answered: its commit is now waiting for us.
    tokio::task::block_in_place(|| token.wait_until_open(&auth_lock_path));
    assert_eq!(rotating.count(), 1, "the grant came before the commit");
    let mut codex = chatgpt_auth(&server.uri(), 7200);
    codex.refresh_token = "rt-written-by-codex".into();
    home.write_auth(&codex.to_json());
    auth_lock.unlock().unwrap();

    let out = tokio::task::block_in_place(|| token.finish());
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert_eq!(out.stdout, format!("{}\n", codex.access_token()));
    assert_eq!(
        home.auth_json()["tokens"]["refresh_token"],
        "rt-written-by-codex"
    );
    assert_eq!(rotating.count(), 1);
}
