//! `logout` revokes the ChatGPT token at the issuer (spec §7) before removing the local
//! credentials; a failed revocation is a warning, never a reason to keep them.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::issuer::{CLIENT_ID, chatgpt_auth, dead_url, run_bg};
use crate::support::{TestHome, run};

async fn revoke_mock(server: &MockServer, body: serde_json::Value, status: u16, expect: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/revoke"))
        .and(header("content-type", "application/json"))
        .and(header("originator", "codex_cli_rs"))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(status))
        .expect(expect)
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_the_refresh_token_then_removes_credentials() {
    let server = MockServer::start().await;
    let home = TestHome::new();
    let auth = chatgpt_auth(&server.uri(), 3600);
    home.write_auth(&auth.to_json());
    revoke_mock(
        &server,
        json!({"token": auth.refresh_token, "token_type_hint": "refresh_token", "client_id": CLIENT_ID}),
        200,
        1,
    )
    .await;
    let out = run_bg(home.cmd().args(["logout", "--json"])).await;
    assert_eq!(out.code, 0, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["revocation"], "revoked");
    assert_eq!(report["logged_out"], true);
    assert!(home.auth_bytes().is_none());
}

/// Without an explicit issuer, the token is revoked where it was minted (its `oauth_provenance`),
/// not at Codex's default issuer: a deliberate difference from Codex (spec §7).
#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_at_the_issuer_that_minted_the_token() {
    let server = MockServer::start().await;
    let home = TestHome::new();
    let auth = chatgpt_auth(&server.uri(), 3600);
    home.write_auth(&auth.to_json());
    revoke_mock(
        &server,
        json!({"token": auth.refresh_token, "token_type_hint": "refresh_token", "client_id": CLIENT_ID}),
        200,
        1,
    )
    .await;
    let out = run_bg(home.cmd().args(["logout", "--json"])).await;
    assert_eq!(out.code, 0, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["revocation"], "revoked", "{out:?}");
    assert!(home.auth_bytes().is_none());
}

/// An explicit issuer that is not the one that minted the token gets nothing: the refresh token
/// goes to its own issuer, and one line says which issuer was used and why (issue #8).
#[tokio::test(flavor = "multi_thread")]
async fn an_explicit_issuer_never_receives_another_issuers_token() {
    let minted_by = MockServer::start().await;
    let stranger = MockServer::start().await;
    let home = TestHome::new();
    let auth = chatgpt_auth(&minted_by.uri(), 3600);
    home.write_auth(&auth.to_json());
    revoke_mock(
        &minted_by,
        json!({"token": auth.refresh_token, "token_type_hint": "refresh_token", "client_id": CLIENT_ID}),
        200,
        1,
    )
    .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&stranger)
        .await;
    let out = run_bg(
        home.cmd()
            .args(["logout", "--issuer", &stranger.uri()])
            .env("CODEX_CREDS_ISSUER", stranger.uri()),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let notes: Vec<_> = out
        .stderr
        .lines()
        .filter(|l| l.contains("the issuer that minted the stored tokens"))
        .collect();
    assert_eq!(notes.len(), 1, "{out:?}");
    assert!(notes[0].contains(&minted_by.uri()) && notes[0].contains(&stranger.uri()));
    assert!(home.auth_bytes().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_refresh_override_moves_the_revoke_endpoint_too() {
    let server = MockServer::start().await;
    let home = TestHome::new();
    let auth = chatgpt_auth("https://provenance.invalid", 3600);
    home.write_auth(&auth.to_json());
    revoke_mock(
        &server,
        json!({"token": auth.refresh_token, "token_type_hint": "refresh_token", "client_id": CLIENT_ID}),
        200,
        1,
    )
    .await;
    let out = run_bg(home.cmd().arg("logout").env(
        "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
        format!("{}/some/token?x=1", server.uri()),
    ))
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("warning"), "{out:?}");
    assert!(home.auth_bytes().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_refresh_token_the_access_token_is_revoked() {
    let server = MockServer::start().await;
    let home = TestHome::new();
    let mut auth = chatgpt_auth("https://provenance.invalid", 3600);
    auth.refresh_token = String::new();
    home.write_auth(&auth.to_json());
    revoke_mock(
        &server,
        json!({"token": auth.access_token(), "token_type_hint": "access_token"}),
        200,
        1,
    )
    .await;
    let out = run_bg(home.cmd().arg("logout").env(
        "CODEX_REVOKE_TOKEN_URL_OVERRIDE",
        format!("{}/oauth/revoke", server.uri()),
    ))
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_revocation_warns_and_still_logs_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/revoke"))
        .respond_with(ResponseTemplate::new(500).set_body_string("revocation backend down"))
        .expect(1)
        .mount(&server)
        .await;
    let home = TestHome::new();
    let auth = chatgpt_auth(&server.uri(), 3600);
    home.write_auth(&auth.to_json());
    let out = run_bg(home.cmd().arg("logout")).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("warning"), "{out:?}");
    assert!(out.stderr.contains("HTTP 500"), "{out:?}");
    assert!(out.stderr.contains("Logged out"), "{out:?}");
    assert!(!out.stderr.contains(&auth.refresh_token));
    assert!(home.auth_bytes().is_none());
}

#[test]
fn logout_works_when_the_issuer_is_down() {
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth("https://provenance.invalid", 3600).to_json());
    let out = run(home
        .cmd()
        .arg("logout")
        .env("CODEX_CREDS_ISSUER", dead_url()));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("could not revoke"), "{out:?}");
    assert!(home.auth_bytes().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn no_revoke_and_api_keys_make_no_request() {
    let server = MockServer::start().await;
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth("https://provenance.invalid", 3600).to_json());
    let out = run_bg(
        home.cmd()
            .args(["logout", "--no-revoke", "--json"])
            .env("CODEX_CREDS_ISSUER", server.uri()),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["revocation"], "skipped");
    assert!(home.auth_bytes().is_none());

    home.write_auth(
        "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test-1234567890\"\n}",
    );
    let out = run_bg(
        home.cmd()
            .arg("logout")
            .env("CODEX_CREDS_ISSUER", server.uri()),
    )
    .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert!(server.received_requests().await.unwrap().is_empty());
}

mod oidc {
    use super::*;
    use crate::support::exit_code;
    use crate::support::oidc::OidcServer;

    /// A new login at another issuer replaces the stored one and revokes its refresh token where
    /// that token was minted, never at the new issuer (issue #8, item 1).
    #[tokio::test(flavor = "multi_thread")]
    async fn a_login_at_another_issuer_revokes_the_old_token_where_it_was_minted() {
        let minted_by = MockServer::start().await;
        let home = TestHome::new();
        let old = chatgpt_auth(&minted_by.uri(), 3600);
        home.write_auth(&old.to_json());
        revoke_mock(
            &minted_by,
            json!({"token": old.refresh_token, "token_type_hint": "refresh_token", "client_id": CLIENT_ID}),
            200,
            1,
        )
        .await;
        let server = OidcServer::start(json!({ "device_auto_approve_after": 0 }));
        let out = run_bg(
            home.cmd()
                .args(["login", "--device-auth", "--issuer", server.issuer()]),
        )
        .await;
        assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
        assert_eq!(
            home.auth_json()["tokens"]["oauth_provenance"]["issuer"],
            server.issuer()
        );
        assert_eq!(server.stat("revoke_requests"), 0, "{}", server.stats());
        assert!(!out.stderr.contains(&old.refresh_token), "{out:?}");
        minted_by.verify().await;
    }
}
