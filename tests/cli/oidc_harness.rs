//! The OpenID provider harness itself (tests/harness/oidc-server.mjs): it must speak Codex's
//! protocol, or every login and refresh test built on it proves nothing.

use serde_json::{Value, json};

use crate::support::jwt::claims;
use crate::support::oidc::{CLIENT_ID, OidcServer};

/// The harness speaks Codex's protocol: device code → real authorization code → JWT tokens with
/// the ChatGPT claims; rotating refresh; the API-key exchange; a JSON revoke body.
#[test]
fn harness_issues_codex_shaped_tokens() {
    let server = OidcServer::start(json!({ "access_token_ttl": 5 }));
    let (status, body) = server.request(
        "POST",
        "/api/accounts/deviceauth/usercode",
        Some(&json!({ "client_id": CLIENT_ID }).to_string()),
    );
    assert_eq!(status, 200, "{body}");
    let device: Value = serde_json::from_str(&body).unwrap();
    let poll =
        json!({ "device_auth_id": device["device_auth_id"], "user_code": device["user_code"] })
            .to_string();
    let (status, _) = server.request("POST", "/api/accounts/deviceauth/token", Some(&poll));
    assert_eq!(status, 403, "pending");
    assert!(server.approve_device(device["user_code"].as_str()));
    let (status, body) = server.request("POST", "/api/accounts/deviceauth/token", Some(&poll));
    assert_eq!(status, 200, "{body}");
    let code: Value = serde_json::from_str(&body).unwrap();

    let redirect = format!("{}/deviceauth/callback", server.issuer());
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
    let tokens: Value = serde_json::from_str(&body).unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["email"], "tester@example.com");
    assert_eq!(
        id["https://api.openai.com/auth"]["chatgpt_account_id"],
        "ws-test-1"
    );
    let access = claims(tokens["access_token"].as_str().unwrap());
    assert_eq!(
        access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(),
        5
    );
    assert_eq!(
        access["https://api.openai.com/auth"]["chatgpt_plan_type"],
        "pro"
    );
    let refresh = tokens["refresh_token"].as_str().unwrap();

    let (status, body) = server.post_form(
        "/oauth/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("refresh_token", refresh),
        ],
    );
    assert_eq!(status, 200, "{body}");
    let refreshed: Value = serde_json::from_str(&body).unwrap();
    let rotated = refreshed["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, refresh, "refresh tokens rotate");

    let (status, body) = server.post_form(
        "/oauth/token",
        &[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange",
            ),
            ("client_id", CLIENT_ID),
            ("requested_token", "openai-api-key"),
            ("subject_token", tokens["id_token"].as_str().unwrap()),
            (
                "subject_token_type",
                "urn:ietf:params:oauth:token-type:id_token",
            ),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        serde_json::from_str::<Value>(&body).unwrap()["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sk-test-")
    );

    // Codex's revoke: a JSON body.
    let (status, body) = server.request(
        "POST",
        "/oauth/revoke",
        Some(
            &json!({ "token": rotated, "token_type_hint": "refresh_token", "client_id": CLIENT_ID })
                .to_string(),
        ),
    );
    assert_eq!(status, 200, "{body}");
    let (status, _) = server.post_form(
        "/oauth/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("refresh_token", rotated),
        ],
    );
    assert_eq!(status, 400, "a revoked refresh token is refused");

    let stats = server.stats();
    assert_eq!(stats["authorization_code"], 1);
    assert_eq!(stats["refresh_token"], 1);
    assert_eq!(stats["token_exchange"], 1);
    assert_eq!(stats["revocations"], 1);
    assert_eq!(stats["device_polls"], 2);
    assert_eq!(server.requests()["revoke"]["params"]["token"], rotated);
}
