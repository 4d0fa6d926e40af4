//! A stand-in ChatGPT backend (wiremock) for `usage` and `workspace`: `/wham/usage` per account
//! id, `/wham/accounts/check`, `/accounts/switch-workspace-token` (which mints an access token
//! tagged with the workspace), and faults mounted over them (401 once, 429, 503, garbage,
//! slow, a scripted sequence). Its base URL goes to the child with `-c chatgpt_base_url=…`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::jwt::forge;

pub const USAGE: &str = "/backend-api/wham/usage";
pub const CHECK: &str = "/backend-api/wham/accounts/check";
pub const SWITCH: &str = "/backend-api/accounts/switch-workspace-token";

/// Two workspaces of one login, as `accounts/check` lists them (backend.md §3).
pub fn two_workspaces() -> Value {
    json!({
        "accounts": [
            {"id": "ws-test-1", "name": "Personal One", "structure": "personal",
             "workspace_backend_origin": "https://chatgpt.com", "account_routing_override": "NO_CONSTRAINT"},
            {"id": "ws-team", "name": "Team Two", "structure": "workspace"}
        ],
        "account_ordering": ["ws-test-1", "ws-team"],
        "default_account_id": "ws-test-1"
    })
}

/// A usage reply: a 5-hour window at `five_hour` %, a weekly one at `weekly` %.
pub fn usage_reply(plan: &str, five_hour: u32, weekly: u32) -> Value {
    json!({
        "plan_type": plan,
        "rate_limit": {
            "allowed": true, "limit_reached": false,
            "primary_window": {"used_percent": five_hour, "limit_window_seconds": 18000,
                               "reset_after_seconds": 11520, "reset_at": 4102444800i64},
            "secondary_window": {"used_percent": weekly, "limit_window_seconds": 604800,
                                 "reset_after_seconds": 187200, "reset_at": 4102531200i64}
        },
        "credits": {"has_credits": true, "unlimited": false, "balance": "12.5"},
        "additional_rate_limits": [
            {"limit_name": "codex_other", "metered_feature": "codex_bengalfox",
             "rate_limit": {"primary_window": {"used_percent": 3, "limit_window_seconds": 18000,
                                               "reset_at": 4102444800i64}}}
        ],
        "from_a_newer_backend": {"kept": true}
    })
}

/// The access token the stand-in mints when switching to `workspace`.
pub fn switched_token(workspace: &str) -> String {
    forge(&json!({"exp": 4_102_444_800i64, "switched_to": workspace}))
}

/// The stand-in; dies with the value.
pub struct StandIn {
    pub server: MockServer,
    usage: Arc<Mutex<HashMap<String, Value>>>,
}

/// Answers `/wham/usage` with the reply of the request's `ChatGPT-Account-Id`.
struct PerAccount(Arc<Mutex<HashMap<String, Value>>>);

impl Respond for PerAccount {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let account = request
            .headers
            .get("chatgpt-account-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        match self.0.lock().unwrap().get(account) {
            Some(reply) => ResponseTemplate::new(200).set_body_json(reply),
            None => ResponseTemplate::new(404).set_body_json(json!({"detail": "unknown account"})),
        }
    }
}

/// Answers each request with the next reply of a script, then repeats the last one.
pub struct Script(Mutex<Vec<ResponseTemplate>>);

impl Script {
    pub fn new(mut replies: Vec<ResponseTemplate>) -> Self {
        replies.reverse();
        Script(Mutex::new(replies))
    }
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut replies = self.0.lock().unwrap();
        if replies.len() > 1 {
            replies.pop().unwrap()
        } else {
            replies[0].clone()
        }
    }
}

/// Mints a token for the requested workspace.
struct Switcher;

impl Respond for Switcher {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match body["workspace_id"].as_str() {
            Some(id) => ResponseTemplate::new(200).set_body_json(
                json!({"access_token": switched_token(id), "refresh_token": "rt-ignored"}),
            ),
            None => ResponseTemplate::new(400),
        }
    }
}

impl StandIn {
    /// Serves usage per account (none yet), the two workspaces, and the switch.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let usage = Arc::new(Mutex::new(HashMap::new()));
        Mock::given(method("GET"))
            .and(path(USAGE))
            .respond_with(PerAccount(usage.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(CHECK))
            .respond_with(ResponseTemplate::new(200).set_body_json(two_workspaces()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(SWITCH))
            .respond_with(Switcher)
            .mount(&server)
            .await;
        StandIn { server, usage }
    }

    /// `-c chatgpt_base_url=…` for the child.
    pub fn config_arg(&self) -> String {
        format!("chatgpt_base_url=\"{}/backend-api\"", self.server.uri())
    }

    /// `/wham/usage` answers `reply` for `account_id`.
    pub fn set_usage(&self, account_id: &str, reply: Value) {
        self.usage
            .lock()
            .unwrap()
            .insert(account_id.to_owned(), reply);
    }

    /// `route` answers `reply` (the next `times` requests; `None`: every one), over the
    /// normal replies.
    pub async fn fault(&self, route: &str, reply: impl Respond + 'static, times: Option<u64>) {
        let mut mock = Mock::given(path(route))
            .respond_with(reply)
            .with_priority(1);
        if let Some(times) = times {
            mock = mock.up_to_n_times(times);
        }
        mock.mount(&self.server).await;
    }

    /// `route` answers 401 to the bearer `token`, over the normal replies.
    pub async fn unauthorized_for(&self, route: &str, token: &str) {
        Mock::given(path(route))
            .and(header("authorization", format!("Bearer {token}").as_str()))
            .respond_with(
                ResponseTemplate::new(401).set_body_json(json!({"detail": "Unauthorized"})),
            )
            .with_priority(1)
            .mount(&self.server)
            .await;
    }

    /// A reply held back for `delay` (a slow backend).
    pub fn slow(delay: Duration) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .set_body_json(json!({"plan_type": "pro"}))
            .set_delay(delay)
    }

    /// The requests received on `route`.
    pub async fn requests(&self, route: &str) -> Vec<Request> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == route)
            .collect()
    }
}

/// A request's header, as text.
pub fn header_of(request: &Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
