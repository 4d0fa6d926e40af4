//! Refresh and revocation against the real OpenID provider (support/oidc.rs): rotating refresh
//! tokens, JWT access tokens with `exp`, and the server's own counters as the witness.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::issuer::{cmd, now_secs, with_refresh_lock};
use crate::support::jwt::claims;
use crate::support::oidc::{CLIENT_ID, OidcServer};
use crate::support::{TestHome, exit_code, run};

/// Logs in through the device flow by hand (raw HTTP) and returns the token response.
pub(crate) fn device_login(server: &OidcServer) -> Value {
    let (status, body) = server.request(
        "POST",
        "/api/accounts/deviceauth/usercode",
        Some(&json!({ "client_id": CLIENT_ID }).to_string()),
    );
    assert_eq!(status, 200, "{body}");
    let device: Value = serde_json::from_str(&body).unwrap();
    assert!(server.approve_device(device["user_code"].as_str()));
    let poll =
        json!({ "device_auth_id": device["device_auth_id"], "user_code": device["user_code"] });
    let (status, body) = server.request(
        "POST",
        "/api/accounts/deviceauth/token",
        Some(&poll.to_string()),
    );
    assert_eq!(status, 200, "{body}");
    let code: Value = serde_json::from_str(&body).unwrap();
    let redirect = server.url("/deviceauth/callback");
    let (status, body) = server.post_form(
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code", code["authorization_code"].as_str().unwrap()),
            ("redirect_uri", &redirect),
            ("code_verifier", code["code_verifier"].as_str().unwrap()),
        ],
    );
    assert_eq!(status, 200, "{body}\n{}", server.log());
    serde_json::from_str(&body).unwrap()
}

/// auth.json as Codex writes it after a ChatGPT login at `server`.
pub(crate) fn write_login(home: &TestHome, server: &OidcServer, tokens: &Value) {
    let auth = json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": null,
        "tokens": {
            "id_token": tokens["id_token"],
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "oauth_provenance": {"issuer": server.issuer(), "client_id": CLIENT_ID},
            "account_id": "ws-test-1",
        },
        "last_refresh": "2026-11-23T07:00:47.258487777Z",
    });
    home.write_auth(&serde_json::to_string_pretty(&auth).unwrap());
}

/// Waits until the clock is past `exp` (seconds since the epoch), when a token with that expiry
/// is expired for the issuer and for codex-creds alike: the event itself, not a guessed sleep.
pub(crate) fn wait_until_past(exp: i64) {
    while now_secs() <= exp {
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn logged_in(options: Value) -> (OidcServer, TestHome, Value) {
    let server = OidcServer::start(options);
    let home = TestHome::new();
    let tokens = device_login(&server);
    write_login(&home, &server, &tokens);
    with_refresh_lock(&home);
    (server, home, tokens)
}

/// The acceptance test: 32 concurrent `token` with an expired access token → one grant.
#[test]
fn concurrent_tokens_share_one_real_refresh_grant() {
    const N: usize = 32;
    let (server, home, tokens) = logged_in(json!({ "access_token_ttl": 1 }));
    let old = tokens["access_token"].as_str().unwrap().to_owned();
    wait_until_past(claims(&old)["exp"].as_i64().unwrap());
    server.configure(json!({ "access_token_ttl": 3600 }));

    let started = Instant::now();
    let outcomes: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..N)
            .map(|_| {
                let mut cmd = cmd(&home, &["token"]);
                scope.spawn(move || run(&mut cmd))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed();
    eprintln!("{N} concurrent `token` against oidc-provider: {elapsed:?}");

    let saved = home.auth_json();
    let new = saved["tokens"]["access_token"].as_str().unwrap();
    assert_ne!(new, old);
    for out in &outcomes {
        assert_eq!(out.code, 0, "{out:?}\n{}", server.log());
        assert_eq!(out.stdout, format!("{new}\n"), "{out:?}");
    }
    let stats = server.stats();
    // Read by tests/bench/bench.py.
    println!(
        "BENCH refresh_grants={} callers={N} elapsed_ms={}",
        stats["refresh_token"],
        elapsed.as_millis()
    );
    assert_eq!(stats["refresh_token"], 1, "{stats}");
    assert_eq!(stats["token_errors"], 0, "{stats}");
    assert_ne!(
        saved["tokens"]["refresh_token"], tokens["refresh_token"],
        "rotated"
    );
    let params = &server.requests()["token"]["params"];
    assert_eq!(params["grant_type"], "refresh_token");
    assert_eq!(params["refresh_reason"], "proactive_expiry");

    // The issuer accepts the new refresh token (and so the saved pair is the live one).
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.stat("refresh_token"), 2);
}

#[test]
fn a_reused_rotated_refresh_token_asks_to_log_in_again() {
    let (server, home, _) = logged_in(json!({}));
    let stale_copy = String::from_utf8(home.auth_bytes().unwrap()).unwrap();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0, "{out:?}");
    // Another machine's copy of the old file: its refresh token was rotated away.
    home.write_auth(&stale_copy);
    let before = home.snapshot();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, exit_code::RELOGIN as i32, "{out:?}");
    assert!(out.stderr.contains("codex-creds login"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert_eq!(server.stat("refresh_token"), 1);
}

#[test]
fn an_expired_refresh_token_asks_to_log_in_again() {
    let (_server, home, _) = logged_in(json!({ "refresh_token_ttl": 1 }));
    // The refresh token is opaque; it was issued by now, so it expires within a second.
    wait_until_past(now_secs() + 1);
    let before = home.snapshot();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, exit_code::RELOGIN as i32, "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_revoked_refresh_token_asks_to_log_in_again() {
    let (server, home, tokens) = logged_in(json!({}));
    let (status, _) = server.request(
        "POST",
        "/oauth/revoke",
        Some(&json!({"token": tokens["refresh_token"], "token_type_hint": "refresh_token", "client_id": CLIENT_ID}).to_string()),
    );
    assert_eq!(status, 200);
    let before = home.snapshot();
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, exit_code::RELOGIN as i32, "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_transient_server_error_is_retried_to_success() {
    let (server, home, _) = logged_in(json!({}));
    server.configure(
        json!({ "fail_next_token": {"status": 503, "body": {"error": "temporarily_unavailable"}} }),
    );
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0, "{out:?}");
    let stats = server.stats();
    assert_eq!(
        stats["token_requests"], 3,
        "login exchange + failed + retried: {stats}"
    );
    assert_eq!(stats["refresh_token"], 1, "{stats}");
}

#[test]
fn logout_revokes_at_the_real_issuer() {
    let (server, home, tokens) = logged_in(json!({}));
    let out = run(home
        .cmd()
        .arg("logout")
        .env("CODEX_CREDS_ISSUER", server.issuer()));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("warning"), "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert_eq!(server.stat("revocations"), 1);
    let params = &server.requests()["revoke"]["params"];
    assert_eq!(params["token_type_hint"], "refresh_token");
    assert_eq!(params["client_id"], CLIENT_ID);
    // The issuer no longer accepts the revoked refresh token.
    let (status, _) = server.post_form(
        "/oauth/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ],
    );
    assert_eq!(status, 400);
}

#[test]
fn logout_removes_credentials_when_the_real_issuer_is_down() {
    let (server, home, _) = logged_in(json!({}));
    let issuer = server.issuer().to_owned();
    drop(server);
    let out = run(home.cmd().arg("logout").env("CODEX_CREDS_ISSUER", &issuer));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("could not revoke"), "{out:?}");
    assert!(home.auth_bytes().is_none());
}

/// The real Codex reads what a codex-creds refresh wrote.
#[test]
fn codex_reads_the_refreshed_credentials() {
    let (_server, home, _) = logged_in(json!({}));
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0, "{out:?}");
    let out = run(crate::support::codex::cmd(home.path()).args(["login", "status"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("ChatGPT") || out.stdout.contains("ChatGPT"),
        "{out:?}"
    );
}

/// A new login revokes the refresh token of the login it replaced (after saving).
#[test]
fn a_new_login_revokes_the_replaced_refresh_token() {
    let server = OidcServer::start(json!({ "device_auto_approve_after": 0 }));
    let home = TestHome::new();
    let login = |home: &TestHome| {
        run(home.cmd().args([
            "login",
            "--device-auth",
            "--issuer",
            server.issuer(),
            "--timeout",
            "60s",
        ]))
    };
    let out = login(&home);
    assert_eq!(out.code, 0, "{out:?}\n{}", server.log());
    let first = home.auth_json()["tokens"]["refresh_token"].clone();
    assert_eq!(server.stat("revocations"), 0);

    let out = login(&home);
    assert_eq!(out.code, 0, "{out:?}\n{}", server.log());
    assert!(!out.stderr.contains("warning"), "{out:?}");
    assert_ne!(home.auth_json()["tokens"]["refresh_token"], first);
    assert_eq!(server.stat("revocations"), 1);
    assert_eq!(server.requests()["revoke"]["params"]["token"], first);
    // The new login still refreshes.
    let out = run(home.cmd().arg("refresh"));
    assert_eq!(out.code, 0, "{out:?}");
}
