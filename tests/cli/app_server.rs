//! `codex-creds app-server`: the transport, the account methods and their notifications, and
//! the server-to-client token refresh on a backend 401 (a wiremock stand-in backend).

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::app_server::{self, Conversation};
use crate::support::jwt::forge;
use crate::support::{TestHome, free_port, run};
use codex_creds::error::exit_code;

/// An external access token for workspace `account` (claims as the backend's tokens carry).
fn external_token(account: &str, n: u32) -> String {
    forge(&json!({
        "exp": 4_102_444_800i64,
        "n": n,
        "https://api.openai.com/auth": {"chatgpt_account_id": account, "chatgpt_plan_type": "pro",
                                        "chatgpt_user_id": "user-ext"},
        "https://api.openai.com/profile": {"email": "ext@example.com"},
    }))
}

fn accounts_check(account: &str) -> Value {
    json!({"accounts": [{"id": account, "name": "Work X", "structure": "workspace",
                         "workspace_backend_origin": "https://chatgpt.com",
                         "account_routing_override": "NO_CONSTRAINT"}],
           "account_ordering": [account], "default_account_id": account})
}

/// A home whose config points the ChatGPT backend at `backend`.
fn home_with_backend(backend: &MockServer, extra_config: &str) -> TestHome {
    let home = TestHome::new();
    home.write_config(&format!(
        "chatgpt_base_url = \"{}/backend-api\"\n{extra_config}",
        backend.uri()
    ));
    home
}

fn login_external(conv: &mut Conversation, token: &str, account: &str) -> Value {
    conv.request(
        "account/login/start",
        json!({"type": "chatgptAuthTokens", "accessToken": token, "chatgptAccountId": account}),
    )
}

#[test]
fn initialize_answers_a_malformed_line_gets_an_error_and_end_of_input_ends_cleanly() {
    let home = TestHome::new();
    let mut conv = app_server::ours(home.path(), &[]);
    let early = conv.request("account/read", json!({}));
    assert_eq!(
        early["error"],
        json!({"code": -32600, "message": "Not initialized"})
    );
    let init = conv.initialize();
    assert_eq!(
        init["codexHome"],
        json!(home.path().canonicalize().unwrap())
    );
    assert!(
        init["userAgent"]
            .as_str()
            .unwrap()
            .starts_with("codex-creds-test/"),
        "{init}"
    );
    assert_eq!(init["platformFamily"], "unix");
    conv.send("{not json");
    let error = conv.wait_for(|m| m["id"].is_null() && m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700, "{error}");
    // The server goes on.
    let read = conv.request("account/read", json!({}));
    assert_eq!(
        read["result"],
        json!({"account": null, "userId": null, "requiresOpenaiAuth": true, "workspaceRouting": null})
    );
    let (code, _) = conv.close();
    assert_eq!(code, Some(i32::from(exit_code::SUCCESS)));
}

#[test]
fn an_api_key_login_is_saved_as_the_cli_saves_it_then_logout_removes_it() {
    let home = TestHome::new();
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    let start = conv.request(
        "account/login/start",
        json!({"type": "apiKey", "apiKey": "sk-app-server-0123456789"}),
    );
    assert_eq!(start["result"], json!({"type": "apiKey"}));
    let completed = conv.notification("account/login/completed");
    assert_eq!(
        completed["params"],
        json!({"loginId": null, "success": true, "error": null, "onboardingEntrypoint": null})
    );
    assert!(completed["emittedAtMs"].is_i64());
    let updated = conv.notification("account/updated");
    assert_eq!(
        updated["params"],
        json!({"authMode": "apikey", "planType": null})
    );
    assert_eq!(
        home.auth_json()["OPENAI_API_KEY"],
        "sk-app-server-0123456789"
    );
    let status = conv.request("getAuthStatus", json!({"includeToken": true}));
    assert_eq!(status["result"]["authToken"], "sk-app-server-0123456789");

    let logout = conv.request("account/logout", Value::Null);
    assert_eq!(logout["result"], json!({}));
    let updated = conv.notification("account/updated");
    assert_eq!(
        updated["params"],
        json!({"authMode": null, "planType": null})
    );
    assert!(home.auth_bytes().is_none(), "auth.json removed");
    let out = run(home.cmd().arg("status"));
    assert_eq!(out.code, i32::from(exit_code::NOT_LOGGED_IN), "{out:?}");
}

#[test]
fn errors_carry_codex_codes_and_texts() {
    let home = TestHome::new();
    home.write_config("forced_login_method = \"api\"\n");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    let cancel = conv.request("account/login/cancel", json!({"loginId": "nope"}));
    assert_eq!(
        cancel["error"],
        json!({"code": -32600, "message": "invalid login id: nope"})
    );
    let forced = login_external(&mut conv, &external_token("ws-x", 1), "ws-x");
    assert_eq!(
        forced["error"],
        json!({"code": -32600, "message": "External ChatGPT auth is disabled. Use API key login instead."})
    );
    let browser = conv.request("account/login/start", json!({"type": "chatgpt"}));
    assert_eq!(browser["error"]["code"], -32600, "{browser}");
    let missing = conv.request("account/read", Value::Null);
    assert_eq!(
        missing["error"],
        json!({"code": -32600, "message": "Invalid request: missing field `params`"})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn external_tokens_stay_in_memory_and_account_read_discovers_the_workspace() {
    let backend = MockServer::start().await;
    let token = external_token("ws-x", 1);
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/accounts/check"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .and(header("chatgpt-account-id", "ws-x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(accounts_check("ws-x")))
        .mount(&backend)
        .await;
    let home = home_with_backend(&backend, "");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    let bad = login_external(&mut conv, "notajwt", "ws-x");
    assert_eq!(
        bad["error"],
        json!({"code": -32603, "message": "failed to set external auth: invalid ID token format"})
    );
    assert_eq!(
        login_external(&mut conv, &token, "ws-x")["result"],
        json!({"type": "chatgptAuthTokens"})
    );
    assert_eq!(
        conv.notification("account/login/completed")["params"]["success"],
        true
    );
    assert_eq!(
        conv.notification("account/updated")["params"],
        json!({"authMode": "chatgptAuthTokens", "planType": "pro"})
    );
    let read = conv.request("account/read", json!({}));
    assert_eq!(
        read["result"],
        json!({"account": {"type": "chatgpt", "email": "ext@example.com", "planType": "pro",
                           "workspaceName": "Work X"},
               "userId": "user-ext", "requiresOpenaiAuth": true,
               "workspaceRouting": {"chatgptAccountId": "ws-x", "backendOrigin": "https://chatgpt.com",
                                    "accountRoutingOverride": "NO_CONSTRAINT"}})
    );
    let api_key = conv.request(
        "account/login/start",
        json!({"type": "apiKey", "apiKey": "sk-x"}),
    );
    assert_eq!(
        api_key["error"]["message"],
        "External auth is active. Use account/login/start (chatgptAuthTokens) to update it or account/logout to clear it."
    );
    let _ = conv.close();
    assert!(
        home.auth_bytes().is_none(),
        "external tokens never reach a file"
    );
}

/// A backend that answers 401 to `old` and the workspace to anything else.
async fn backend_rejecting(old: &str, account: &str) -> MockServer {
    let backend = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/accounts/check"))
        .and(header("authorization", format!("Bearer {old}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .mount(&backend)
        .await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/accounts/check"))
        .respond_with(ResponseTemplate::new(200).set_body_json(accounts_check(account)))
        .with_priority(2)
        .mount(&backend)
        .await;
    backend
}

#[tokio::test(flavor = "multi_thread")]
async fn a_backend_401_asks_the_client_for_new_tokens_and_retries_once() {
    let (old, new) = (external_token("ws-x", 1), external_token("ws-x", 2));
    let backend = backend_rejecting(&old, "ws-x").await;
    let home = home_with_backend(&backend, "");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    // The login's own discovery meets the 401 first.
    let login = conv.start(
        "account/login/start",
        json!({"type": "chatgptAuthTokens", "accessToken": old, "chatgptAccountId": "ws-x"}),
    );
    conv.answer(login);
    let ask = conv.server_request("account/chatgptAuthTokens/refresh");
    assert_eq!(ask["id"], 0, "server request ids start at 0");
    assert_eq!(
        ask["params"],
        json!({"reason": "unauthorized", "previousAccountId": "ws-x"})
    );
    conv.reply(
        &ask["id"],
        json!({"accessToken": new, "chatgptAccountId": "ws-x", "chatgptPlanType": null}),
    );
    assert_eq!(
        conv.notification("account/login/completed")["params"]["success"],
        true
    );
    let status = conv.request("getAuthStatus", json!({"includeToken": true}));
    assert_eq!(status["result"]["authToken"], json!(new));
    let checks = backend.received_requests().await.unwrap();
    assert_eq!(checks.len(), 2, "one call, one retry");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_reply_for_a_forbidden_workspace_is_refused() {
    let (old, other) = (external_token("ws-x", 1), external_token("ws-evil", 2));
    let backend = backend_rejecting(&old, "ws-x").await;
    let home = home_with_backend(&backend, "forced_chatgpt_workspace_id = \"ws-x\"\n");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    login_external(&mut conv, &old, "ws-x");
    let ask = conv.server_request("account/chatgptAuthTokens/refresh");
    conv.reply(
        &ask["id"],
        json!({"accessToken": other, "chatgptAccountId": "ws-evil"}),
    );
    let completed = conv.notification("account/login/completed");
    assert_eq!(completed["params"]["success"], false, "{completed}");
    let status = conv.request("getAuthStatus", json!({"includeToken": true}));
    assert_eq!(
        status["result"]["authToken"],
        json!(old),
        "the forbidden tokens were not taken"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silent_client_gets_an_error_after_the_timeout_and_the_server_stays_responsive() {
    let old = external_token("ws-x", 1);
    let backend = backend_rejecting(&old, "ws-x").await;
    let home = home_with_backend(&backend, "");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    login_external(&mut conv, &old, "ws-x");
    conv.server_request("account/chatgptAuthTokens/refresh");
    // While the login waits on us, other requests are answered.
    let status = conv.request("getAuthStatus", json!({}));
    assert_eq!(status["result"]["authMethod"], "chatgptAuthTokens");
    assert!(
        conv.log
            .iter()
            .all(|m| m["method"] != "account/login/completed"),
        "the login still waits: {}",
        conv.log_text()
    );
    // Never answered: the login fails (after the 10 s timeout).
    let completed = conv.notification("account/login/completed");
    assert_eq!(
        completed["params"],
        json!({"loginId": null, "success": false, "error": "workspace routing discovery failed",
               "onboardingEntrypoint": null})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn end_of_input_cancels_a_pending_server_request_and_answers_its_caller() {
    let old = external_token("ws-x", 1);
    let backend = backend_rejecting(&old, "ws-x").await;
    let home = home_with_backend(&backend, "");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    login_external(&mut conv, &old, "ws-x");
    conv.server_request("account/chatgptAuthTokens/refresh");
    let (code, log) = conv.close();
    assert_eq!(code, Some(i32::from(exit_code::SUCCESS)));
    let completed = log
        .iter()
        .find(|m| m["method"] == "account/login/completed")
        .expect("the waiting login was answered");
    assert_eq!(completed["params"]["success"], false, "{completed}");
}

#[test]
fn a_second_login_or_a_cancel_ends_the_running_one_with_codex_words() {
    let home = TestHome::new();
    let port = free_port().to_string();
    let mut conv = app_server::ours_with(home.path(), &["--port", &port], &[]);
    conv.initialize();
    let first = conv.request("account/login/start", json!({"type": "chatgpt"}));
    let first_id = first["result"]["loginId"].clone();
    let second = conv.request("account/login/start", json!({"type": "chatgpt"}));
    let second_id = second["result"]["loginId"].clone();
    let ended = conv.notification("account/login/completed");
    assert_eq!(
        ended["params"],
        json!({"loginId": first_id, "success": false,
               "error": "Login server error: Login cancelled", "onboardingEntrypoint": null})
    );
    let cancel = conv.request("account/login/cancel", json!({"loginId": second_id}));
    assert_eq!(cancel["result"], json!({"status": "canceled"}));
    let ended = conv.notification("account/login/completed");
    assert_eq!(ended["params"]["loginId"], second_id);
    assert_eq!(ended["params"]["success"], false);
    assert!(home.auth_bytes().is_none(), "nothing saved");
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_come_from_the_usage_backend_and_a_401_there_asks_the_client_too() {
    let (old, new) = (external_token("ws-x", 1), external_token("ws-x", 2));
    let backend = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/accounts/check"))
        .respond_with(ResponseTemplate::new(200).set_body_json(accounts_check("ws-x")))
        .mount(&backend)
        .await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/usage"))
        .and(header("authorization", format!("Bearer {old}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .mount(&backend)
        .await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/usage"))
        .and(header("authorization", format!("Bearer {new}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "plan_type": "pro",
            "rate_limit": {"allowed": true, "limit_reached": false,
                           "primary_window": {"used_percent": 42, "limit_window_seconds": 18000,
                                              "reset_after_seconds": 100, "reset_at": 1_900_000_000},
                           "secondary_window": null},
            "credits": {"has_credits": false, "unlimited": false, "balance": "0"}})))
        .with_priority(2)
        .mount(&backend)
        .await;
    let home = home_with_backend(&backend, "");
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    login_external(&mut conv, &old, "ws-x");
    conv.notification("account/login/completed");
    let read = conv.start("account/rateLimits/read", Value::Null);
    let ask = conv.server_request("account/chatgptAuthTokens/refresh");
    assert_eq!(ask["params"]["previousAccountId"], "ws-x");
    conv.reply(
        &ask["id"],
        json!({"accessToken": new, "chatgptAccountId": "ws-x"}),
    );
    let limits = conv.answer(read);
    let snapshot = &limits["result"]["rateLimits"];
    assert_eq!(
        snapshot["primary"],
        json!({"usedPercent": 42, "windowDurationMins": 300, "resetsAt": 1_900_000_000}),
        "{limits}"
    );
    assert_eq!(snapshot["secondary"], Value::Null);
    assert_eq!(snapshot["planType"], "pro");
    assert_eq!(snapshot["credits"]["balance"], "0");
    assert_eq!(limits["result"]["rateLimitsByLimitId"]["codex"], *snapshot);
}

#[test]
fn rate_limits_need_a_chatgpt_login() {
    let home = TestHome::new();
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    let limits = conv.request("account/rateLimits/read", Value::Null);
    assert_eq!(limits["error"]["code"], -32600, "{limits}");
}

/// A managed login whose token the backend refuses is refreshed as Codex's UnauthorizedRecovery
/// does (spec §12.1): one grant with `refresh_reason: unauthorized_recovery`, then one retry.
#[tokio::test(flavor = "multi_thread")]
async fn a_backend_401_on_a_stored_login_refreshes_with_unauthorized_recovery_and_retries() {
    use crate::support::issuer::{Rotating, chatgpt_auth};
    use wiremock::matchers::body_partial_json;
    let issuer = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_partial_json(
            json!({"grant_type": "refresh_token", "refresh_reason": "unauthorized_recovery"}),
        ))
        .respond_with(Rotating::new())
        .expect(1)
        .mount(&issuer)
        .await;
    let stored = chatgpt_auth(&issuer.uri(), 3600);
    let old = stored.access_token();
    let backend = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/usage"))
        .and(header("authorization", format!("Bearer {old}").as_str()))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(1)
        .expect(1)
        .mount(&backend)
        .await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/usage"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "plan_type": "pro",
            "rate_limit": {"primary_window": {"used_percent": 7, "limit_window_seconds": 18000,
                                              "reset_at": 1_900_000_000}}})))
        .with_priority(2)
        .expect(1)
        .mount(&backend)
        .await;
    let home = home_with_backend(&backend, "");
    home.write_auth(&stored.to_json());
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    let limits =
        tokio::task::block_in_place(|| conv.request("account/rateLimits/read", Value::Null));
    assert_eq!(
        limits["result"]["rateLimits"]["primary"]["usedPercent"], 7,
        "{limits}"
    );
    assert_eq!(home.auth_json()["tokens"]["refresh_token"], "rt-rotated-1");
    issuer.verify().await;
    backend.verify().await;
}
