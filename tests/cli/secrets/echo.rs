//! An issuer that repeats the secrets of the request in its error reply (wiremock): the code
//! exchange, the device poll, the access-token whoami, the refresh grant and the revocation all
//! show the issuer's words with the echoed secrets cut out, at `RUST_LOG=trace`.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::assert_quiet;
use crate::support::check::assert_code;
use crate::support::free_port;
use crate::support::issuer::{chatgpt_auth, run_bg};
use crate::support::jwt::ChatGptAuth;
use crate::support::login::{Running, query};
use crate::support::oidc::http_request;
use crate::support::{Outcome, TestHome, exit_code};

/// Replies `status` with an OAuth error whose description repeats every secret-looking value
/// of the request (form or JSON parameters, the bearer header), secrets first so that no
/// length cap hides them.
struct Echo(u16);

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut echoed = Vec::new();
        if let Some(auth) = request.headers.get("authorization") {
            echoed.push(auth.to_str().unwrap_or_default().to_owned());
        }
        let names = [
            "code",
            "code_verifier",
            "refresh_token",
            "token",
            "subject_token",
            "device_auth_id",
        ];
        let params: Vec<(String, String)> = match serde_json::from_slice::<Value>(&request.body) {
            Ok(Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_owned()))
                .collect(),
            _ => url::form_urlencoded::parse(&request.body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        };
        for (name, value) in params {
            if names.contains(&name.as_str()) {
                echoed.push(value);
            }
        }
        ResponseTemplate::new(self.0).set_body_json(json!({
            "error": "invalid_request",
            "error_description": format!("rejected {}", echoed.join(" ")),
        }))
    }
}

async fn mount(server: &MockServer, verb: &str, route: &str, response: impl Respond + 'static) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Every secret the server received (from its request log), plus `more`.
async fn received(server: &MockServer, more: &[&str]) -> BTreeSet<String> {
    let mut text = String::new();
    for request in server.received_requests().await.unwrap_or_default() {
        for (name, value) in &request.headers {
            text.push_str(&format!("\n{name}: {}", value.to_str().unwrap_or_default()));
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&request.body));
    }
    let mut secrets = super::wire::secrets_in(&text);
    secrets.extend(super::wire::values_of(&text, "device_auth_id"));
    secrets.extend(more.iter().map(|s| (*s).to_owned()));
    secrets
}

/// The command failed with `code`, and showed the issuer's words without the secrets echoed.
#[track_caller]
fn assert_echo_redacted(out: &Outcome, code: u8, secrets: &BTreeSet<String>, what: &str) {
    assert_code(out, code);
    assert_quiet(out, secrets, what);
    assert!(
        out.stderr.contains("rejected") && out.stderr.contains("[REDACTED]"),
        "{what}: the issuer's words are shown, redacted\n{out:?}"
    );
}

/// A browser login against `server` whose callback brings `code`; returns its outcome.
async fn login_with_code(server: &MockServer, code: &'static str) -> (Outcome, TestHome) {
    let uri = server.uri();
    tokio::task::spawn_blocking(move || {
        let home = TestHome::new();
        let port = free_port();
        let mut login = Running::spawn(
            &home,
            &[
                "login",
                "--issuer",
                &uri,
                "--port",
                &port.to_string(),
                "--no-browser",
                "--timeout",
                "60s",
            ],
            &[("RUST_LOG", "trace")],
        );
        let state = query(&login.authorize_url(), "state");
        http_request(
            &format!("127.0.0.1:{port}"),
            "GET",
            &format!("/auth/callback?code={code}&state={state}"),
            "text/plain",
            None,
        );
        (login.finish(), home)
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_code_exchange_echoing_the_code_and_verifier() {
    let server = MockServer::start().await;
    mount(&server, "POST", "/oauth/token", Echo(400)).await;
    let code = "CODE-ECHOMARKER-0123456789abcdef";
    let (out, _home) = login_with_code(&server, code).await;
    let secrets = received(&server, &[code]).await;
    assert!(secrets.len() >= 2, "{secrets:?}");
    assert_echo_redacted(&out, exit_code::FAILURE, &secrets, "code exchange");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_login_whose_issuer_echoes_the_device_id_and_then_the_code() {
    for fail_at in ["/api/accounts/deviceauth/token", "/oauth/token"] {
        let server = MockServer::start().await;
        let code = "CODE-DEVICEECHO-0123456789abcdef";
        let verifier = "VERIFIER-DEVICEECHO-0123456789abcdefghijklmnop";
        mount(
            &server,
            "POST",
            "/api/accounts/deviceauth/usercode",
            ResponseTemplate::new(200).set_body_json(json!({
                "device_auth_id": "dev_DEVICEIDECHO0123456789",
                "user_code": "ABCD-EFGH",
                "interval": "1",
            })),
        )
        .await;
        if fail_at == "/oauth/token" {
            mount(
                &server,
                "POST",
                "/api/accounts/deviceauth/token",
                ResponseTemplate::new(200).set_body_json(json!({
                    "authorization_code": code,
                    "code_verifier": verifier,
                    "code_challenge": "x",
                })),
            )
            .await;
        }
        mount(&server, "POST", fail_at, Echo(400)).await;
        let home = TestHome::new();
        let out = run_bg(
            home.cmd()
                .args(["login", "--device-auth", "--timeout", "30s"])
                .args(["--issuer", &server.uri()])
                .env("RUST_LOG", "trace"),
        )
        .await;
        let secrets = received(&server, &[code, verifier, "dev_DEVICEIDECHO0123456789"]).await;
        assert_echo_redacted(&out, exit_code::FAILURE, &secrets, fail_at);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_access_token_whoami_echoing_the_token() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/api/accounts/v1/user-auth-credential/whoami",
        Echo(400),
    )
    .await;
    let pat = "at-WHOAMIECHO-0123456789abcdef";
    let home = TestHome::new();
    let out = run_bg(
        home.cmd()
            .args(["login", "--with-access-token", "--issuer", &server.uri()])
            .env("RUST_LOG", "trace")
            .write_stdin(format!("{pat}\n")),
    )
    .await;
    let secrets = received(&server, &[pat]).await;
    assert_echo_redacted(&out, exit_code::FAILURE, &secrets, "whoami");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_and_a_revocation_echoing_the_refresh_token() {
    let server = MockServer::start().await;
    mount(&server, "POST", "/oauth/token", Echo(403)).await;
    mount(&server, "POST", "/oauth/revoke", Echo(400)).await;
    let home = TestHome::new();
    let auth = chatgpt_auth(&server.uri(), 3600);
    home.write_auth(&auth.to_json());
    let mut secrets = BTreeSet::from([auth.refresh_token.clone(), auth.access_token()]);
    let out = run_bg(
        home.cmd()
            .args(["refresh", "--issuer", &server.uri()])
            .env("RUST_LOG", "trace"),
    )
    .await;
    secrets.extend(received(&server, &[]).await);
    assert_echo_redacted(&out, exit_code::NETWORK, &secrets, "refresh");

    let out = run_bg(
        home.cmd()
            .args(["logout", "--issuer", &server.uri()])
            .env("RUST_LOG", "trace"),
    )
    .await;
    secrets.extend(received(&server, &[]).await);
    // Logout succeeds (revocation is best effort) and says why the revocation failed.
    assert_code(&out, exit_code::SUCCESS);
    assert_quiet(&out, &secrets, "logout");
    assert!(out.stderr.contains("[REDACTED]"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_key_exchange_echoing_the_id_token() {
    let server = MockServer::start().await;
    let fixture = ChatGptAuth {
        refresh_token: "rt-APIKEYEXCHANGEECHO-0123456789".into(),
        ..ChatGptAuth::default()
    };
    let tokens = fixture.to_value()["tokens"].clone();
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id_token": tokens["id_token"],
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("token-exchange"))
        .respond_with(Echo(403))
        .mount(&server)
        .await;
    let code = "CODE-APIKEYECHO-0123456789abcdef";
    let (out, home) = login_with_code(&server, code).await;
    // The login stands without an API key, as in Codex.
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(home.auth_json()["OPENAI_API_KEY"], Value::Null);
    let mut secrets = received(&server, &[code]).await;
    for name in ["id_token", "access_token", "refresh_token"] {
        secrets.insert(tokens[name].as_str().unwrap().to_owned());
    }
    assert_quiet(&out, &secrets, "API-key exchange");
}
