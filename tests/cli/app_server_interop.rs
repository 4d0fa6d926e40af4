//! Differential: the same scripted conversations against the real `codex app-server` 0.169.0
//! and against ours must agree on answers, errors and account notifications, compared on
//! everything but ids, times and opaque strings (user agent, paths, login ids and URLs).

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::TestHome;
use crate::support::app_server::{self, Conversation};
use crate::support::jwt::forge;

/// One step: a request, and the notifications to wait for before the next step.
struct Step {
    method: &'static str,
    params: Value,
    wait: &'static [&'static str],
}

fn step(method: &'static str, params: Value, wait: &'static [&'static str]) -> Step {
    Step {
        method,
        params,
        wait,
    }
}

/// Drops what legitimately differs: ids, times and opaque strings.
fn normalize(mut message: Value) -> Value {
    if let Value::Object(map) = &mut message {
        map.remove("id");
        map.remove("emittedAtMs");
        map.remove("_seen");
    }
    for opaque in ["userAgent", "codexHome", "loginId", "authUrl"] {
        if let Some(field) = message.pointer_mut(&format!("/result/{opaque}"))
            && !field.is_null()
        {
            *field = json!("<opaque>");
        }
        if let Some(field) = message.pointer_mut(&format!("/params/{opaque}"))
            && !field.is_null()
        {
            *field = json!("<opaque>");
        }
    }
    message
}

/// Runs `steps` and returns the transcript: each answer and awaited notification, then every
/// `account/*` notification of the whole conversation, in order.
fn transcript(mut conv: Conversation, steps: &[Step]) -> Vec<Value> {
    let mut out = vec![normalize(json!({"result": conv.initialize()}))];
    for step in steps {
        out.push(normalize(conv.request(step.method, step.params.clone())));
        for name in step.wait {
            out.push(normalize(conv.notification(name)));
        }
    }
    let (_, log) = conv.close();
    out.extend(
        log.into_iter()
            .filter(|m| {
                m["method"]
                    .as_str()
                    .is_some_and(|name| name.starts_with("account/"))
            })
            .map(normalize),
    );
    out
}

/// Runs the conversation against both servers, each in a fresh home with `config`.
fn agree(config: &str, steps: &[Step]) {
    let (codex_home, our_home) = (TestHome::new(), TestHome::new());
    codex_home.write_config(config);
    our_home.write_config(config);
    let theirs = transcript(app_server::codex(codex_home.path(), &[]), steps);
    let ours = transcript(app_server::ours(our_home.path(), &[]), steps);
    let show = |t: &[Value]| {
        t.iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        ours,
        theirs,
        "\n--- ours\n{}\n--- codex\n{}",
        show(&ours),
        show(&theirs)
    );
}

#[test]
fn no_login() {
    agree(
        "",
        &[
            step("account/read", json!({}), &[]),
            step("getAuthStatus", json!({"includeToken": true}), &[]),
            step("account/login/cancel", json!({"loginId": "abc"}), &[]),
        ],
    );
}

#[test]
fn api_key_then_logout() {
    let done: &[&str] = &["account/login/completed", "account/updated"];
    agree(
        "",
        &[
            step(
                "account/login/start",
                json!({"type": "apiKey", "apiKey": "sk-differential-0123"}),
                done,
            ),
            step("account/read", json!({}), &[]),
            step(
                "getAuthStatus",
                json!({"includeToken": true, "refreshToken": false}),
                &[],
            ),
            step("account/logout", Value::Null, &["account/updated"]),
            step("account/read", json!({}), &[]),
            step("getAuthStatus", json!({"includeToken": true}), &[]),
        ],
    );
}

#[test]
fn the_forced_method_refuses_the_other_logins() {
    let token = forge(&json!({"exp": 4_102_444_800i64}));
    agree(
        "forced_login_method = \"api\"\n",
        &[
            step(
                "account/login/start",
                json!({"type": "chatgptAuthTokens", "accessToken": token, "chatgptAccountId": "ws-x"}),
                &[],
            ),
            step("account/login/start", json!({"type": "chatgpt"}), &[]),
        ],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_and_good_external_tokens() {
    let backend = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/backend-api/wham/accounts/check"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accounts": [{"id": "ws-x", "name": "Work X", "structure": "workspace",
                          "workspace_backend_origin": "https://chatgpt.com",
                          "account_routing_override": "NO_CONSTRAINT"}],
            "account_ordering": ["ws-x"], "default_account_id": "ws-x"})))
        .mount(&backend)
        .await;
    let token = forge(&json!({
        "exp": 4_102_444_800i64,
        "https://api.openai.com/auth": {"chatgpt_account_id": "ws-tok", "chatgpt_plan_type": "pro",
                                        "chatgpt_user_id": "user-1"},
        "https://api.openai.com/profile": {"email": "ext@example.com"},
    }));
    let login = |plan: Value| {
        json!({"type": "chatgptAuthTokens", "accessToken": token, "chatgptAccountId": "ws-x",
               "chatgptPlanType": plan})
    };
    let done: &[&str] = &["account/login/completed", "account/updated"];
    agree(
        &format!("chatgpt_base_url = \"{}/backend-api\"\n", backend.uri()),
        &[
            step(
                "account/login/start",
                json!({"type": "chatgptAuthTokens", "accessToken": "notajwt", "chatgptAccountId": "a"}),
                &[],
            ),
            step("account/login/start", login(Value::Null), done),
            step("account/read", json!({}), &[]),
            step("getAuthStatus", json!({"includeToken": false}), &[]),
            step("account/login/start", login(json!("plus")), done),
            step(
                "account/login/start",
                json!({"type": "apiKey", "apiKey": "sk-x"}),
                &[],
            ),
            step("account/logout", Value::Null, &["account/updated"]),
            step("account/read", json!({}), &[]),
        ],
    );
}
