//! Logins that only talk to the auth API (personal-access-token whoami), and the network
//! plumbing every login shares (proxies from the environment). The tests that need the real
//! OpenID provider are in `oidc` (the hermetic fast tier skips that path).

use crate::support::{TestHome, exit_code, run};

/// HTTPS_PROXY from the environment is honoured: the request for an issuer that does not even
/// resolve is tunnelled through the proxy (a wiremock server, which refuses the tunnel).
#[tokio::test(flavor = "multi_thread")]
async fn logins_go_through_the_proxy_from_the_environment() {
    let proxy = wiremock::MockServer::start().await;
    let proxy_url = proxy.uri();
    let out = tokio::task::spawn_blocking(move || {
        let home = TestHome::new();
        run(home
            .cmd()
            .args([
                "login",
                "--device-auth",
                "--issuer",
                "https://issuer.invalid",
            ])
            .env("HTTPS_PROXY", &proxy_url))
    })
    .await
    .unwrap();
    assert_eq!(out.code, i32::from(exit_code::NETWORK), "{out:?}");
    let requests = proxy.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{out:?}");
    assert_eq!(requests[0].method.as_str(), "CONNECT", "{:?}", requests[0]);
    assert!(
        requests[0].url.as_str().contains("issuer.invalid"),
        "{:?}",
        requests[0]
    );
}

mod oidc {
    use serde_json::json;

    use crate::support::oidc::OidcServer;
    use crate::support::{TestHome, exit_code, run};

    fn token_login(home: &TestHome, server: &OidcServer, token: &str) -> crate::support::Outcome {
        run(home
            .cmd()
            .args(["login", "--with-access-token", "--issuer", server.issuer()])
            .write_stdin(format!("{token}\n")))
    }

    #[test]
    fn access_token_login_checks_the_token_then_saves_it_as_codex_does() {
        let server = OidcServer::start_default();
        let home = TestHome::new();
        let out = token_login(&home, &server, "at-test-token-1234567890");
        assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
        assert!(out.stderr.contains("tester@example.com"), "{out:?}");
        assert!(
            !out.stderr.contains("at-test-token-1234567890"),
            "token printed: {out:?}"
        );
        assert_eq!(
            home.auth_json(),
            json!({ "OPENAI_API_KEY": null, "personal_access_token": "at-test-token-1234567890" })
        );
        let sent = &server.requests()["whoami"]["headers"];
        assert_eq!(sent["authorization"], "Bearer at-test-token-1234567890");
        assert_eq!(sent["originator"], "codex_cli_rs");
        assert!(
            sent["user-agent"]
                .as_str()
                .unwrap()
                .starts_with("codex_cli_rs/")
        );
    }

    #[test]
    fn access_token_login_with_a_rejected_token_saves_nothing() {
        let server = OidcServer::start_default();
        let home = TestHome::new();
        home.write_auth(r#"{"auth_mode":"apikey","OPENAI_API_KEY":"sk-previous-key-123456"}"#);
        let before = home.snapshot();
        let out = token_login(&home, &server, "at-bad-token-1234567890");
        assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
        assert!(out.stderr.contains("rejected the access token"), "{out:?}");
        assert!(
            !out.stderr.contains("at-bad-token-1234567890"),
            "token printed: {out:?}"
        );
        assert_eq!(home.snapshot(), before);
    }

    #[test]
    fn access_token_login_outside_the_forced_workspace_saves_nothing() {
        let server = OidcServer::start_default();
        let home = TestHome::new();
        home.write_config("forced_chatgpt_workspace_id = \"ws-allowed\"\n");
        let before = home.snapshot();
        let out = token_login(&home, &server, "at-test-token-1234567890");
        assert_eq!(out.code, i32::from(exit_code::RESTRICTED), "{out:?}");
        for fragment in ["ws-allowed", "ws-test-1", "Nothing was saved"] {
            assert!(out.stderr.contains(fragment), "{fragment}\n{out:?}");
        }
        assert_eq!(home.snapshot(), before);
    }

    #[test]
    fn access_token_login_uses_codex_authapi_base_url() {
        let server = OidcServer::start_default();
        let home = TestHome::new();
        let out = run(home
            .cmd()
            .args([
                "login",
                "--with-access-token",
                "--issuer",
                "http://127.0.0.1:9",
            ])
            .env("CODEX_AUTHAPI_BASE_URL", server.url("/api/accounts"))
            .write_stdin("at-test-token-1234567890"));
        assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
        assert_eq!(server.stat("whoami"), 1);
    }

    /// `CODEX_CREDS_CLIENT_ID` (with `CODEX_CREDS_ISSUER`) changes the client of every flow, and the
    /// saved provenance says so.
    #[test]
    fn client_id_and_issuer_come_from_the_environment() {
        let server = OidcServer::start(
            json!({ "client_id": "app_custom_client", "device_auto_approve_after": 0 }),
        );
        let home = TestHome::new();
        let out = run(home
            .cmd()
            .args(["login", "--device-auth"])
            .env("CODEX_CREDS_ISSUER", server.issuer())
            .env("CODEX_CREDS_CLIENT_ID", "app_custom_client"));
        assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
        let provenance = &home.auth_json()["tokens"]["oauth_provenance"];
        assert_eq!(provenance["client_id"], "app_custom_client");
        assert_eq!(provenance["issuer"], server.issuer());
        assert_eq!(
            server.requests()["token"]["params"]["client_id"],
            "app_custom_client"
        );
    }
}
