//! Device-code logins against the real OpenID provider, and hostile token endpoints (wiremock)
//! during a browser login's code exchange.

use serde_json::{Value, json};

use crate::support::free_port;
use crate::support::login::{Running, previous_login, query};
use crate::support::oidc::{OidcServer, http_request};
use crate::support::{Outcome, TestHome, codex, exit_code, run};

fn device_login(home: &TestHome, server: &OidcServer, timeout: &str) -> Outcome {
    run(home.cmd().args([
        "login",
        "--device-auth",
        "--issuer",
        server.issuer(),
        "--timeout",
        timeout,
    ]))
}

#[test]
fn device_login_saves_what_codex_reads_as_a_chatgpt_login() {
    let server = OidcServer::start(json!({ "device_auto_approve_after": 1 }));
    let home = TestHome::new();
    let out = device_login(&home, &server, "60s");
    assert_eq!(
        out.code,
        i32::from(exit_code::SUCCESS),
        "{out:?}\n{}",
        server.log()
    );
    // Instructions on stderr; stdout stays clean for scripts.
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("{}/codex/device", server.issuer())),
        "{out:?}"
    );
    let auth = home.auth_json();
    assert_eq!(auth["auth_mode"], "chatgpt");
    // No API-key exchange after a device login (spec §6).
    assert_eq!(auth["OPENAI_API_KEY"], Value::Null);
    assert_eq!(server.stat("token_exchange"), 0);
    assert_eq!(
        auth["tokens"]["oauth_provenance"]["issuer"],
        server.issuer()
    );
    assert_eq!(auth["tokens"]["account_id"], "ws-test-1");
    assert_eq!(auth["tokens"]["login_owner_id"].as_str().unwrap().len(), 43);
    // First poll pending, second approved: one poll per interval, no hammering.
    assert_eq!(server.stat("device_polls"), 2);
    assert_eq!(server.stat("authorization_code"), 1);

    let status = run(codex::cmd(home.path()).args(["login", "status"]));
    assert!(
        format!("{}{}", status.stdout, status.stderr).contains("Logged in using ChatGPT"),
        "{status:?}"
    );
}

#[test]
fn device_login_prints_the_user_code_and_waits_for_approval() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let mut login = Running::spawn(
        &home,
        &["login", "--device-auth", "--issuer", server.issuer()],
        &[],
    );
    let code_line = login.wait_for(|line| {
        let line = line.trim();
        line.len() == 9 && line.as_bytes()[4] == b'-'
    });
    assert!(server.approve_device(Some(code_line.trim())));
    let out = login.finish();
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert_eq!(home.auth_json()["auth_mode"], "chatgpt");
}

#[test]
fn device_login_slows_down_when_asked() {
    let server =
        OidcServer::start(json!({ "device_mode": "slow_down", "device_auto_approve_after": 1 }));
    let home = TestHome::new();
    let out = device_login(&home, &server, "60s");
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert_eq!(server.stat("device_polls"), 2);
}

/// A device login meeting `mode`; returns the outcome, whether the previous login survived
/// byte for byte, and how many times the login polled.
fn failing_device_login(mode: &str) -> (Outcome, bool, u64) {
    let server = OidcServer::start(json!({ "device_mode": mode }));
    let home = TestHome::new();
    let before = previous_login(&home);
    let out = device_login(&home, &server, "60s");
    (out, home.snapshot() == before, server.stat("device_polls"))
}

#[test]
fn device_login_denied_keeps_the_previous_login() {
    let (out, unchanged, _) = failing_device_login("deny");
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains("denied"), "{out:?}");
    assert!(unchanged);
}

#[test]
fn device_login_with_an_expired_code_says_so() {
    let (out, unchanged, _) = failing_device_login("expire");
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains("expired"), "{out:?}");
    assert!(out.stderr.contains("--device-auth"), "{out:?}");
    assert!(unchanged);
}

#[test]
fn device_login_not_enabled_on_the_server_says_how_to_enable_it() {
    let (out, unchanged, _) = failing_device_login("disabled");
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    for hint in [
        "not enabled",
        "\"device code authorization\" for Codex",
        "ask your workspace admin",
        "`codex-creds login --no-browser --port 1455`",
        "`ssh -L 1455:127.0.0.1:1455 HOST`",
    ] {
        assert!(out.stderr.contains(hint), "{hint}\n{out:?}");
    }
    assert!(unchanged);
}

#[test]
fn device_login_server_error_is_a_network_failure() {
    let (out, unchanged, polls) = failing_device_login("error500");
    // Retried, then given up: a hiccup is not fatal, a broken server is.
    assert_eq!(polls, 3);
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    assert!(out.stderr.contains("500"), "{out:?}");
    assert!(unchanged);
}

#[test]
fn device_login_times_out_and_changes_nothing() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let before = previous_login(&home);
    let out = device_login(&home, &server, "2s");
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains("timed out"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn ctrl_c_ends_the_device_login_and_changes_nothing() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let before = previous_login(&home);
    let mut login = Running::spawn(
        &home,
        &["login", "--device-auth", "--issuer", server.issuer()],
        &[],
    );
    login.wait_for(|line| line.contains("/codex/device"));
    login.interrupt();
    let out = login.finish();
    assert_eq!(out.code, i32::from(exit_code::INTERRUPTED), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

// ---------------------------------------------------------------------------------------------
// Hostile token endpoints during the browser login's code exchange (replies the real provider
// cannot be made to send).
// ---------------------------------------------------------------------------------------------

/// Runs a browser login against `issuer` (a wiremock server), delivers a callback with the
/// right state, and returns the login's outcome and the page the browser got.
fn browser_login_with_callback(home: &TestHome, issuer: &str, timeout: &str) -> (Outcome, String) {
    let port = free_port();
    let mut login = Running::spawn(
        home,
        &[
            "login",
            "--issuer",
            issuer,
            "--port",
            &port.to_string(),
            "--no-browser",
            "--timeout",
            timeout,
        ],
        &[],
    );
    let url = login.authorize_url();
    let state = query(&url, "state");
    let addr = format!("127.0.0.1:{port}");
    let (status, mut page) = http_request(
        &addr,
        "GET",
        &format!("/auth/callback?code=test-code&state={state}"),
        "text/plain",
        None,
    );
    // The code is answered with a redirect to the result page (issue #8): follow it as a
    // browser would.
    if status == 302 {
        page = http_request(&addr, "GET", "/success", "text/plain", None).1;
    }
    (login.finish(), page)
}

async fn hostile_issuer(response: wiremock::ResponseTemplate) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A browser login whose code exchange meets `response`; returns the outcome, the browser's
/// page, and whether the previous login survived byte for byte.
async fn hostile_exchange(
    response: wiremock::ResponseTemplate,
    timeout: &'static str,
) -> (Outcome, String, bool) {
    let server = hostile_issuer(response).await;
    let uri = server.uri();
    tokio::task::spawn_blocking(move || {
        let home = TestHome::new();
        let before = previous_login(&home);
        let (out, page) = browser_login_with_callback(&home, &uri, timeout);
        assert!(
            !out.stderr.contains("test-code"),
            "the code leaked: {out:?}"
        );
        (out, page, home.snapshot() == before)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_500_is_a_network_failure_and_changes_nothing() {
    let (out, page, unchanged) = hostile_exchange(
        wiremock::ResponseTemplate::new(500).set_body_string("<html>upstream exploded</html>"),
        "60s",
    )
    .await;
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    assert!(out.stderr.contains("500"), "{out:?}");
    assert!(
        !out.stderr.contains("upstream exploded"),
        "raw body echoed: {out:?}"
    );
    assert!(page.contains("token_exchange_failed"), "{page}");
    assert!(unchanged);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_rejection_explains_and_changes_nothing() {
    let (out, _, unchanged) = hostile_exchange(
        wiremock::ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_grant", "error_description": "authorization code expired"}),
        ),
        "60s",
    )
    .await;
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(
        out.stderr
            .contains("invalid_grant: authorization code expired"),
        "{out:?}"
    );
    assert!(unchanged);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_garbage_is_refused_and_changes_nothing() {
    let (out, _, unchanged) = hostile_exchange(
        wiremock::ResponseTemplate::new(200).set_body_string("{\"access_token\": 12"),
        "60s",
    )
    .await;
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    assert!(out.stderr.contains("id_token"), "{out:?}");
    assert!(unchanged);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_non_jwt_id_token_is_refused() {
    let (out, _, unchanged) = hostile_exchange(
        wiremock::ResponseTemplate::new(200).set_body_json(
            json!({"id_token": "not-a-jwt", "access_token": "at", "refresh_token": "rt"}),
        ),
        "60s",
    )
    .await;
    // A malformed reply is a server failure, as the same reply to a refresh is.
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    assert!(out.stderr.contains("id_token"), "{out:?}");
    assert!(unchanged);
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_huge_reply_is_capped() {
    let (out, _, unchanged) = hostile_exchange(
        wiremock::ResponseTemplate::new(200).set_body_string("x".repeat(2 * 1024 * 1024)),
        "60s",
    )
    .await;
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    assert!(out.stderr.contains("larger than"), "{out:?}");
    assert!(unchanged);
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_token_endpoint_ends_at_the_timeout_and_changes_nothing() {
    let (out, page, unchanged) = hostile_exchange(
        wiremock::ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(std::time::Duration::from_secs(120)),
        "3s",
    )
    .await;
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains("timed out"), "{out:?}");
    assert!(page.contains("did not complete"), "{page}");
    assert!(unchanged);
}
