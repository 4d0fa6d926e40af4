//! Refresh failures (spec §12): permanent ones say "log in again" (exit 5), transient ones are
//! retried a bounded number of times and then exit 6. Every time, auth.json stays byte-identical
//! and no token appears in the output.

use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::issuer::{chatgpt_auth, dead_url, resetting_server, run_bg, with_refresh_lock};
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, exit_code};

/// An expired login minted by `issuer`, with a snapshot taken.
fn expired_home(issuer: &str) -> (TestHome, ChatGptAuth) {
    let home = TestHome::new();
    let auth = chatgpt_auth(issuer, -60);
    home.write_auth(&auth.to_json());
    with_refresh_lock(&home);
    (home, auth)
}

fn assert_no_secret(out: &Outcome, auth: &ChatGptAuth) {
    for secret in [auth.refresh_token.as_str(), &auth.access_token()] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "a token leaked: {out:?}"
        );
    }
}

async fn reply(server: &MockServer, template: ResponseTemplate, expect: u64) {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(template)
        .expect(expect)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn permanent_failures_ask_to_log_in_again() {
    let server = MockServer::start().await;
    let cases = [
        (
            400,
            r#"{"error":{"code":"refresh_token_expired","message":"x"}}"#,
            "has expired",
        ),
        (401, r#"{"error":"refresh_token_reused"}"#, "already used"),
        (
            400,
            r#"{"code":"refresh_token_invalidated"}"#,
            "was revoked",
        ),
        (
            400,
            r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
            "no longer accepts",
        ),
        (401, "<html>Unauthorized</html>", "no longer accepts"),
    ];
    for (status, body, fragment) in cases {
        let (home, auth) = expired_home(&server.uri());
        let before = home.snapshot();
        for command in ["token", "refresh"] {
            // Each run asks once: permanent failures are never retried.
            reply(
                &server,
                ResponseTemplate::new(status).set_body_string(body),
                1,
            )
            .await;
            let out = run_bg(home.cmd().arg(command)).await;
            assert_eq!(out.code, exit_code::RELOGIN as i32, "{body}: {out:?}");
            assert!(out.stderr.contains(fragment), "{body}: {out:?}");
            assert!(out.stderr.contains("codex-creds login"), "{out:?}");
            assert!(out.stdout.is_empty(), "{out:?}");
            assert_no_secret(&out, &auth);
            assert_eq!(home.snapshot(), before, "{body}");
            server.verify().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_without_account_id_never_refreshes() {
    let server = MockServer::start().await;
    let home = TestHome::new();
    let mut value = chatgpt_auth(&server.uri(), -60).to_value();
    value["tokens"]["account_id"] = serde_json::Value::Null;
    home.write_auth(&serde_json::to_string_pretty(&value).unwrap());
    with_refresh_lock(&home);
    let before = home.snapshot();
    let out = run_bg(home.cmd().arg("token")).await;
    assert_eq!(out.code, exit_code::RELOGIN as i32, "{out:?}");
    assert!(out.stderr.contains("account id"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// Runs `token`, expects the network exit code, `fragment` in the message, and nothing changed.
async fn expect_transient(home: &TestHome, auth: &ChatGptAuth, fragment: &str) -> Outcome {
    let before = home.snapshot();
    let out = run_bg(
        home.cmd()
            .arg("token")
            .env("CODEX_CREDS_HTTP_TIMEOUT", "1s"),
    )
    .await;
    assert_eq!(out.code, exit_code::NETWORK as i32, "{out:?}");
    assert!(
        out.stderr.contains(fragment),
        "wanted {fragment:?}: {out:?}"
    );
    assert!(out.stderr.contains("unchanged"), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert_no_secret(&out, auth);
    assert_eq!(home.snapshot(), before);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_and_rate_limits_are_retried_then_reported() {
    let server = MockServer::start().await;
    let (home, auth) = expired_home(&server.uri());
    reply(
        &server,
        ResponseTemplate::new(500).set_body_string("upstream exploded"),
        3,
    )
    .await;
    let out = expect_transient(
        &home,
        &auth,
        "HTTP 500 Internal Server Error: upstream exploded",
    )
    .await;
    assert!(out.stderr.contains("3 attempts"), "{out:?}");

    reply(
        &server,
        ResponseTemplate::new(429)
            .set_body_json(serde_json::json!({"error":{"message":"slow down"}})),
        3,
    )
    .await;
    expect_transient(&home, &auth, "HTTP 429 Too Many Requests: slow down").await;
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_replies_are_not_retried() {
    let server = MockServer::start().await;
    let (home, auth) = expired_home(&server.uri());
    reply(
        &server,
        ResponseTemplate::new(200).set_body_string("<<garbage>>"),
        1,
    )
    .await;
    expect_transient(&home, &auth, "is not a token response").await;

    reply(
        &server,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"refresh_token": "x"})),
        1,
    )
    .await;
    expect_transient(&home, &auth, "has no access_token").await;

    reply(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"access_token": "a", "id_token": "not-a-jwt"})),
        1,
    )
    .await;
    expect_transient(&home, &auth, "id_token that is not a JWT").await;

    reply(
        &server,
        ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "invalid_request"})),
        1,
    )
    .await;
    expect_transient(&home, &auth, "HTTP 400 Bad Request").await;
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn replies_are_capped_and_never_echo_tokens() {
    let server = MockServer::start().await;
    let (home, auth) = expired_home(&server.uri());
    let huge = format!("{} {}", auth.refresh_token, "x".repeat(4 * 1024 * 1024));
    reply(&server, ResponseTemplate::new(503).set_body_string(huge), 3).await;
    let out = expect_transient(&home, &auth, "HTTP 503").await;
    assert!(out.stderr.contains("[REDACTED]"), "{out:?}");
    assert!(
        out.stderr.len() < 1000,
        "the message is bounded: {} bytes",
        out.stderr.len()
    );

    // An issuer quoting a token the request did not carry (an older, rotated one).
    let rotated = "rt_Xk3vQ9pLm2Zt8Wb4Nc7Yd1Rf6Gh5Js0AqW";
    let body =
        json!({"error": "server_error", "error_description": format!("{rotated} was rotated")});
    reply(&server, ResponseTemplate::new(503).set_body_json(body), 3).await;
    let out = expect_transient(&home, &auth, "[REDACTED] was rotated").await;
    assert!(!out.stderr.contains(&rotated[..12]), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_issuer_times_out() {
    let server = MockServer::start().await;
    let (home, auth) = expired_home(&server.uri());
    reply(
        &server,
        ResponseTemplate::new(200)
            .set_body_string("{}")
            .set_delay(Duration::from_secs(10)),
        3,
    )
    .await;
    let out = expect_transient(&home, &auth, "timed out").await;
    assert!(out.stderr.contains("3 attempts"), "{out:?}");
}

#[test]
fn reset_connections_and_refused_connections_are_network_errors() {
    let (url, connections) = resetting_server();
    let (home, auth) = expired_home(&url);
    let before = home.snapshot();
    let out = crate::support::run(home.cmd().arg("token"));
    assert_eq!(home.snapshot(), before);
    assert_eq!(out.code, exit_code::NETWORK as i32, "{out:?}");
    assert!(out.stderr.contains("3 attempts"), "{out:?}");
    assert_no_secret(&out, &auth);
    assert_eq!(connections.load(Ordering::SeqCst), 3);

    let (home, auth) = expired_home(&dead_url());
    let before = home.snapshot();
    let out = crate::support::run(home.cmd().arg("refresh"));
    assert_eq!(out.code, exit_code::NETWORK as i32, "{out:?}");
    assert!(out.stderr.contains("could not connect"), "{out:?}");
    assert_no_secret(&out, &auth);
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_bad_timeout_setting_is_reported() {
    let (home, _) = expired_home(&dead_url());
    let out = crate::support::run(
        home.cmd()
            .arg("refresh")
            .env("CODEX_CREDS_HTTP_TIMEOUT", "soon"),
    );
    assert_eq!(out.code, i32::from(exit_code::USAGE), "{out:?}");
    assert!(out.stderr.contains("CODEX_CREDS_HTTP_TIMEOUT"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_is_honoured_up_to_a_cap() {
    let server = MockServer::start().await;
    let (home, auth) = expired_home(&server.uri());
    let busy = |seconds: &str| {
        ResponseTemplate::new(429)
            .insert_header("retry-after", seconds)
            .set_body_string("busy")
    };
    reply(&server, busy("1"), 3).await;
    let out = expect_transient(&home, &auth, "HTTP 429").await;
    assert!(out.stderr.contains("3 attempts"), "{out:?}");

    reply(&server, busy("3600"), 1).await;
    let out = expect_transient(&home, &auth, "asks to wait 3600s").await;
    assert!(!out.stderr.contains("attempts"), "{out:?}");

    // The HTTP-date form (RFC 9110): an hour from now is too long as well.
    let in_an_hour = (chrono::Utc::now() + chrono::Duration::hours(1))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    reply(&server, busy(&in_an_hour), 1).await;
    let out = expect_transient(&home, &auth, "asks to wait").await;
    assert!(
        ["3599s", "3600s"].iter().any(|s| out.stderr.contains(s)),
        "{out:?}"
    );
    assert!(!out.stderr.contains("attempts"), "{out:?}");
    server.verify().await;
}

/// Runs `token` in `n` processes at once and returns their outcomes.
fn concurrent_tokens(home: &TestHome, n: usize) -> Vec<Outcome> {
    tokio::task::block_in_place(|| {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..n)
                .map(|_| {
                    let mut cmd = crate::support::issuer::cmd(home, &["token"]);
                    scope.spawn(move || crate::support::run(&mut cmd))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    })
}

/// Processes queued behind a failing flight fail the same way without asking the issuer again.
#[tokio::test(flavor = "multi_thread")]
async fn a_failing_flight_is_shared_by_the_processes_queued_behind_it() {
    let server = MockServer::start().await;
    let (home, auth) = expired_home(&server.uri());
    let before = home.snapshot();
    let slow = Duration::from_millis(300);
    reply(
        &server,
        ResponseTemplate::new(500)
            .set_body_string("down")
            .set_delay(slow),
        3,
    )
    .await;
    for out in concurrent_tokens(&home, 16) {
        assert_eq!(out.code, exit_code::NETWORK as i32, "{out:?}");
        assert!(out.stderr.contains("HTTP 500"), "{out:?}");
        assert_no_secret(&out, &auth);
    }
    server.verify().await;
    assert_eq!(home.snapshot(), before);

    reply(
        &server,
        ResponseTemplate::new(400)
            .set_body_string(r#"{"error":"refresh_token_reused"}"#)
            // Long enough that every process is queued before the flight ends.
            .set_delay(Duration::from_secs(2)),
        1,
    )
    .await;
    for out in concurrent_tokens(&home, 16) {
        assert_eq!(out.code, exit_code::RELOGIN as i32, "{out:?}");
        assert!(out.stderr.contains("already used"), "{out:?}");
    }
    server.verify().await;
    assert_eq!(home.snapshot(), before);
}
