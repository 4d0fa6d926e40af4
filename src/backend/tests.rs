//! The backend adapter against a local HTTP stub: URLs, headers, lenient replies, and the
//! classification and retries of failures.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::env::Env;

struct Stub {
    server: MockServer,
    runtime: tokio::runtime::Runtime,
    http: Http,
    backend: Backend,
}

impl Stub {
    fn new() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(MockServer::start());
        let mut backend = Backend::new(&format!("{}/backend-api/", server.uri()));
        backend.backoff = vec![Duration::ZERO; 2];
        Stub {
            http: Http::build(&Env::default()).unwrap(),
            backend,
            server,
            runtime,
        }
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    fn verify(&self) {
        self.runtime.block_on(self.server.verify());
    }
}

const TOKEN: &str = "at-SECRET-0123456789";

fn login(token: &Secret) -> Login<'_> {
    Login {
        access_token: token,
        account_id: Some("acct_one"),
    }
}

#[test]
fn urls_follow_the_base_as_codex_does() {
    let backend = Backend::new("https://chatgpt.com/backend-api/");
    assert_eq!(
        backend.usage_url(),
        "https://chatgpt.com/backend-api/wham/usage"
    );
    assert_eq!(
        backend.accounts_check_url(),
        "https://chatgpt.com/backend-api/wham/accounts/check"
    );
    assert_eq!(
        backend.switch_workspace_url(),
        "https://chatgpt.com/backend-api/accounts/switch-workspace-token"
    );
    let other = Backend::new("http://127.0.0.1:9/api-root");
    assert_eq!(
        other.usage_url(),
        "http://127.0.0.1:9/api-root/api/codex/usage"
    );
}

#[test]
fn usage_sends_the_bearer_and_the_account_and_keeps_the_raw_reply() {
    let stub = Stub::new();
    let reply = json!({
        "plan_type": "pro",
        "rate_limit": {
            "allowed": true,
            "primary_window": {"used_percent": 12, "limit_window_seconds": 18000, "reset_at": 1_900_000_000},
            "secondary_window": null
        },
        "credits": {"has_credits": true, "unlimited": false, "balance": 7.5},
        "additional_rate_limits": [{"limit_name": "codex_other", "rate_limit": {"primary_window": {"used_percent": 3.5}}}],
        "future_field": {"x": 1}
    });
    stub.mount(
        Mock::given(method("GET"))
            .and(path("/backend-api/wham/usage"))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(header("chatgpt-account-id", "acct_one"))
            .and(header("originator", "codex_cli_rs"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&reply))
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let usage = stub.backend.usage(&stub.http, login(&token)).unwrap();
    assert_eq!(usage.plan_type.as_deref(), Some("pro"));
    let primary = usage.rate_limit.as_ref().unwrap().primary.clone().unwrap();
    assert_eq!(primary.used_percent, Some(12.0));
    assert_eq!(primary.limit_window_seconds, Some(18000));
    assert_eq!(primary.reset_at, Some(1_900_000_000));
    assert!(usage.rate_limit.as_ref().unwrap().secondary.is_none());
    assert_eq!(usage.credits.unwrap().balance.as_deref(), Some("7.5"));
    assert_eq!(
        usage.additional[0].limit_name.as_deref(),
        Some("codex_other")
    );
    assert_eq!(usage.raw["future_field"]["x"], 1);
    stub.verify();
}

#[test]
fn usage_fields_of_the_wrong_type_are_ignored_not_fatal() {
    let usage = usage::parse(json!({
        "plan_type": 5,
        "rate_limit": {"primary_window": {"used_percent": "lots", "limit_window_seconds": 604800.0}},
        "credits": "none",
        "additional_rate_limits": {"not": "a list"}
    }))
    .unwrap();
    assert_eq!(usage.plan_type, None);
    let primary = usage.rate_limit.unwrap().primary.unwrap();
    assert_eq!(primary.used_percent, None);
    assert_eq!(primary.limit_window_seconds, Some(604800));
    assert_eq!(usage.credits, None);
    assert!(usage.additional.is_empty());
    assert_eq!(usage::parse(json!([1, 2])), None);
}

#[test]
fn a_401_is_unauthorized_at_once_and_keeps_the_server_text_out_of_messages() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(
                ResponseTemplate::new(401)
                    .set_body_json(json!({"error": {"message": format!("token {TOKEN} expired")}})),
            )
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let err = stub.backend.usage(&stub.http, login(&token)).unwrap_err();
    assert_eq!(err.kind, FailureKind::Unauthorized);
    assert_eq!(err.status, Some(401));
    assert_eq!(
        err.server_text(),
        Some(format!("token {TOKEN} expired").as_str())
    );
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("/backend-api/wham/usage"), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");
    stub.verify();
}

#[test]
fn a_503_is_retried_then_transient_with_the_attempts() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(ResponseTemplate::new(503))
            .expect(3),
    );
    let token = Secret::new(TOKEN);
    let err = stub.backend.usage(&stub.http, login(&token)).unwrap_err();
    assert_eq!(err.kind, FailureKind::Transient);
    assert!(err.to_string().contains("HTTP 503"), "{err}");
    assert!(err.to_string().contains("(3 attempts)"), "{err}");
    stub.verify();
}

#[test]
fn a_429_asking_for_too_long_a_wait_is_not_waited_out() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let err = stub.backend.usage(&stub.http, login(&token)).unwrap_err();
    assert_eq!(err.kind, FailureKind::Transient);
    assert!(err.to_string().contains("asks to wait 3600s"), "{err}");
    stub.verify();
}

#[test]
fn a_429_then_success_is_retried_once() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
            .up_to_n_times(1)
            .expect(1),
    );
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"plan_type": "plus"})))
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let usage = stub.backend.usage(&stub.http, login(&token)).unwrap();
    assert_eq!(usage.plan_type.as_deref(), Some("plus"));
    stub.verify();
}

#[test]
fn garbage_and_the_wrong_shape_are_transient() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(ResponseTemplate::new(200).set_body_string("<html>oops</html>"))
            .expect(3),
    );
    stub.mount(
        Mock::given(path("/backend-api/wham/accounts/check"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!(["x"])))
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let err = stub.backend.usage(&stub.http, login(&token)).unwrap_err();
    assert_eq!(err.kind, FailureKind::Transient);
    assert!(err.to_string().contains("is not JSON"), "{err}");
    let err = stub
        .backend
        .workspaces(&stub.http, login(&token))
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Transient);
    assert!(
        err.to_string().contains("not a list of workspaces"),
        "{err}"
    );
    stub.verify();
}

#[test]
fn another_status_is_other_and_not_retried() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .respond_with(ResponseTemplate::new(403).set_body_json(json!({"detail": "nope"})))
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let err = stub.backend.usage(&stub.http, login(&token)).unwrap_err();
    assert_eq!(err.kind, FailureKind::Other);
    assert_eq!(err.server_text(), Some("nope"));
    stub.verify();
}

#[test]
fn a_refused_connection_is_transient_and_names_the_url() {
    let mut backend = Backend::new("http://127.0.0.1:9/backend-api");
    backend.backoff = vec![Duration::ZERO];
    let http = Http::build(&Env::default()).unwrap();
    let token = Secret::new(TOKEN);
    let err = backend.usage(&http, login(&token)).unwrap_err();
    assert_eq!(err.kind, FailureKind::Transient);
    assert!(err.transport.is_some());
    assert!(
        err.to_string()
            .starts_with("http://127.0.0.1:9/backend-api/wham/usage: "),
        "{err}"
    );
    assert!(err.to_string().contains("(2 attempts)"), "{err}");
}

#[test]
fn workspaces_come_as_a_list_or_as_a_map_in_the_servers_order() {
    let list = workspaces::parse(json!({
        "accounts": [
            {"id": "acct_one", "name": "Personal One", "structure": "personal"},
            {"id": "acct_team", "name": "Team", "structure": "workspace"},
            {"name": "no id"}
        ],
        "account_ordering": ["acct_team", "acct_one"],
        "default_account_id": "acct_one"
    }))
    .unwrap();
    let ids: Vec<_> = list.accounts.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["acct_team", "acct_one"]);
    assert!(list.find("acct_one").unwrap().is_personal());
    assert_eq!(list.default_account_id.as_deref(), Some("acct_one"));
    let map = workspaces::parse(json!({
        "accounts": {
            "b": {"account": {"account_id": "b", "name": "Bee", "structure": "workspace"}},
            "a": {"account": {"account_id": "a", "name": "Ay", "structure": "personal"}}
        },
        "account_ordering": ["a", "b"]
    }))
    .unwrap();
    let ids: Vec<_> = map.accounts.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(map.find("b").unwrap().name.as_deref(), Some("Bee"));
    assert_eq!(workspaces::parse(json!({"accounts": 3})), None);
}

#[test]
fn switch_posts_the_workspace_and_returns_the_new_access_token() {
    let stub = Stub::new();
    stub.mount(
        Mock::given(method("POST"))
            .and(path("/backend-api/accounts/switch-workspace-token"))
            .and(body_json(json!({"workspace_id": "acct_team"})))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"access_token": "at-new", "refresh_token": "ignored"})),
            )
            .expect(1),
    );
    let token = Secret::new(TOKEN);
    let switched = stub
        .backend
        .switch_workspace(&stub.http, login(&token), "acct_team")
        .unwrap();
    assert_eq!(switched.access_token.expose(), "at-new");
    assert!(workspaces::parse_switched(json!({"access_token": ""})).is_none());
    stub.verify();
}

#[test]
fn a_stored_value_that_is_no_valid_header_fails_once_without_a_panic() {
    let stub = Stub::new();
    let token = Secret::new(TOKEN);
    let login = Login {
        access_token: &token,
        account_id: Some("acct\r\nX-Injected: 1"),
    };
    let err = stub.backend.usage(&stub.http, login).unwrap_err();
    assert_eq!(err.kind, FailureKind::Other);
    assert!(err.to_string().contains("not a valid header"), "{err}");
    assert!(
        stub.runtime
            .block_on(stub.server.received_requests())
            .unwrap()
            .is_empty()
    );
}
