//! `usage` against the stand-in ChatGPT backend (support/backend.rs): text and JSON, the
//! headers Codex sends, API-key logins, faults (429, 503, garbage, wrong shape, slow, reset),
//! and, in `oidc`, the 401 → refresh → retry path against the real OpenID provider.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::support::backend::{StandIn, USAGE, header_of, usage_reply};
use crate::support::check::{KEY, api_key_file, assert_code, assert_stderr_has};
use crate::support::issuer::{dead_url, resetting_server, run_bg};
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, exit_code};

/// A ChatGPT login (workspace ws-test-1) whose access token is good until 2100, minted by an
/// issuer nobody serves (so a refresh would fail loudly).
fn logged_in() -> (TestHome, ChatGptAuth) {
    let home = TestHome::new();
    let auth = ChatGptAuth {
        issuer: dead_url(),
        ..ChatGptAuth::default()
    };
    home.write_auth(&auth.to_json());
    (home, auth)
}

async fn usage(home: &TestHome, backend: &StandIn, args: &[&str]) -> Outcome {
    let mut cmd = home.cmd();
    cmd.args(["usage", "-c", &backend.config_arg()]).args(args);
    run_bg(&mut cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_shows_plan_windows_by_length_resets_and_credits() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-test-1", usage_reply("pro", 25, 40));
    let (home, _) = logged_in();
    let out = usage(&home, &backend, &[]).await;
    assert_code(&out, exit_code::SUCCESS);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "Plan: pro", "{out:?}");
    assert!(
        lines[1].starts_with("5h        25% used  resets 2100-01-01 00:00 ("),
        "{out:?}"
    );
    assert!(
        lines[2].starts_with("weekly    40% used  resets 2100-01-02 00:00 ("),
        "{out:?}"
    );
    assert_eq!(lines[3], "Credits: available, balance 12.5", "{out:?}");
    assert_eq!(
        &lines[4..6],
        ["Additional limits:", "  codex_other"],
        "{out:?}"
    );
    // Not a terminal: no bar.
    assert!(!out.stdout.contains("[#"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_sends_the_bearer_account_and_originator_as_codex_does() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-test-1", usage_reply("plus", 1, 2));
    let (home, auth) = logged_in();
    let before = home.snapshot();
    assert_code(&usage(&home, &backend, &[]).await, exit_code::SUCCESS);
    let requests = backend.requests(USAGE).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        header_of(request, "authorization"),
        format!("Bearer {}", auth.access_token())
    );
    assert_eq!(header_of(request, "chatgpt-account-id"), "ws-test-1");
    assert_eq!(header_of(request, "originator"), "codex_cli_rs");
    assert!(header_of(request, "user-agent").starts_with("codex_cli_rs/"));
    // A fresh token: nothing was refreshed or rewritten.
    assert_eq!(home.snapshot(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_json_has_the_documented_schema_and_the_raw_reply() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-test-1", usage_reply("pro", 25, 40));
    let (home, _) = logged_in();
    let out = usage(&home, &backend, &["--json"]).await;
    assert_code(&out, exit_code::SUCCESS);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["plan_type"], "pro");
    assert_eq!(
        doc["windows"],
        json!([
            {"label": "5h", "used_percent": 25, "window_minutes": 300, "resets_at": "2100-01-01T00:00:00Z"},
            {"label": "weekly", "used_percent": 40, "window_minutes": 10080, "resets_at": "2100-01-02T00:00:00Z"}
        ])
    );
    assert_eq!(
        doc["credits"],
        json!({"has_credits": true, "unlimited": false, "balance": "12.5"})
    );
    assert_eq!(doc["additional"][0]["name"], "codex_other");
    assert_eq!(doc["raw"]["from_a_newer_backend"]["kept"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_of_an_api_key_login_exits_1_and_sends_nothing() {
    let backend = StandIn::start().await;
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let out = usage(&home, &backend, &[]).await;
    assert_code(&out, exit_code::FAILURE);
    assert_stderr_has(&out, &["API key login", "ChatGPT login"]);
    assert!(backend.server.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_when_not_logged_in_exits_3_and_creates_nothing() {
    let backend = StandIn::start().await;
    let home = TestHome::new();
    let out = usage(&home, &backend, &[]).await;
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert!(home.files().is_empty(), "{:?}", home.files());
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_refuses_a_plain_http_backend_that_is_not_loopback() {
    let (home, auth) = logged_in();
    let out = run_bg(home.cmd().args([
        "usage",
        "-c",
        "chatgpt_base_url=\"http://chatgpt.example/backend-api\"",
    ]))
    .await;
    assert_code(&out, exit_code::USAGE);
    assert_stderr_has(&out, &["refusing to send tokens", "chatgpt_base_url"]);
    assert!(!out.stderr.contains(&auth.access_token()));
}

/// Given a backend that fails, `usage` exits `code`, names the URL, and leaves auth.json as it
/// was; `attempts` requests reached the backend.
async fn fails(backend: &StandIn, code: u8, fragments: &[&str], attempts: usize) {
    let (home, auth) = logged_in();
    let before = home.snapshot();
    let out = usage(&home, backend, &[]).await;
    assert_code(&out, code);
    assert_stderr_has(&out, fragments);
    assert!(
        out.stderr
            .contains(&format!("{}/backend-api/wham/usage", backend.server.uri())),
        "{out:?}"
    );
    assert!(!out.stderr.contains(&auth.access_token()), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert_eq!(backend.requests(USAGE).await.len(), attempts);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_retries_a_503_then_exits_6_with_credentials_unchanged() {
    let backend = StandIn::start().await;
    backend.fault(USAGE, ResponseTemplate::new(503), None).await;
    fails(
        &backend,
        exit_code::NETWORK,
        &["HTTP 503", "(3 attempts)", "unchanged"],
        3,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_retries_a_429_and_succeeds() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-test-1", usage_reply("pro", 5, 6));
    backend
        .fault(
            USAGE,
            ResponseTemplate::new(429).insert_header("retry-after", "1"),
            Some(1),
        )
        .await;
    let (home, _) = logged_in();
    let out = usage(&home, &backend, &[]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(backend.requests(USAGE).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_exits_6_on_a_reply_that_is_not_json() {
    let backend = StandIn::start().await;
    let garbage = ResponseTemplate::new(200).set_body_string("<html>\u{1b}[2Jgateway</html>");
    backend.fault(USAGE, garbage, None).await;
    fails(&backend, exit_code::NETWORK, &["is not JSON"], 3).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_exits_6_on_a_reply_of_the_wrong_shape() {
    let backend = StandIn::start().await;
    let list = ResponseTemplate::new(200).set_body_json(json!(["not", "usage"]));
    backend.fault(USAGE, list, None).await;
    fails(&backend, exit_code::NETWORK, &["is not a usage object"], 1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_exits_6_when_the_backend_is_too_slow() {
    let backend = StandIn::start().await;
    backend
        .fault(USAGE, StandIn::slow(Duration::from_secs(30)), None)
        .await;
    let (home, _) = logged_in();
    let before = home.snapshot();
    let mut cmd = home.cmd();
    cmd.env("CODEX_CREDS_HTTP_TIMEOUT", "1s")
        .args(["usage", "-c", &backend.config_arg()]);
    let out = run_bg(&mut cmd).await;
    assert_code(&out, exit_code::NETWORK);
    assert_stderr_has(&out, &["/backend-api/wham/usage", "timed out"]);
    assert_eq!(home.snapshot(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_exits_6_when_the_connection_is_reset() {
    let (url, connections) = resetting_server();
    let (home, _) = logged_in();
    let before = home.snapshot();
    let config = format!("chatgpt_base_url=\"{url}/backend-api\"");
    let out = run_bg(home.cmd().args(["usage", "-c", &config])).await;
    assert_code(&out, exit_code::NETWORK);
    assert_stderr_has(&out, &[&format!("{url}/backend-api/wham/usage")]);
    assert_eq!(home.snapshot(), before);
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_reports_a_refusal_with_the_servers_words_redacted() {
    let backend = StandIn::start().await;
    let (home, auth) = logged_in();
    let token = auth.access_token();
    let reply = ResponseTemplate::new(403)
        .set_body_json(json!({"detail": format!("token {token} may not read usage")}));
    backend.fault(USAGE, reply, None).await;
    let out = usage(&home, &backend, &[]).await;
    assert_code(&out, exit_code::FAILURE);
    assert_stderr_has(&out, &["HTTP 403", "[REDACTED] may not read usage"]);
    assert!(!out.stderr.contains(&token), "{out:?}");
}

/// Against the real OpenID provider: its tokens, its refresh grant.
mod oidc {
    use super::*;
    use crate::support::oidc::{CLIENT_ID, OidcServer};

    #[tokio::test(flavor = "multi_thread")]
    async fn usage_after_a_401_refreshes_once_at_the_issuer_and_retries() {
        let issuer = OidcServer::start(json!({"rotate_refresh_tokens": true}));
        let tokens = crate::refresh_oidc::device_login(&issuer);
        let home = TestHome::new();
        crate::refresh_oidc::write_login(&home, &issuer, &tokens);
        let old_access = tokens["access_token"].as_str().unwrap().to_owned();
        let backend = StandIn::start().await;
        backend.set_usage("ws-test-1", usage_reply("pro", 10, 20));
        backend.unauthorized_for(USAGE, &old_access).await;

        let out = usage(&home, &backend, &["--json"]).await;
        assert_code(&out, exit_code::SUCCESS);
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(doc["windows"][0]["used_percent"], 10);
        assert_eq!(issuer.stat("refresh_token"), 1, "{}", issuer.log());
        let stored = home.auth_json();
        let new_access = stored["tokens"]["access_token"].as_str().unwrap();
        assert_ne!(new_access, old_access);
        let requests = backend.requests(USAGE).await;
        assert_eq!(requests.len(), 2);
        assert_eq!(
            header_of(&requests[1], "authorization"),
            format!("Bearer {new_access}")
        );
        let grant = &issuer.requests()["token"]["params"];
        assert_eq!(grant["refresh_reason"], "unauthorized_recovery", "{grant}");
        assert_eq!(grant["client_id"], CLIENT_ID);
    }
}
