//! Unit tests of [`super::backend_call::call`]: a real auth.json in a temp CODEX_HOME, a local HTTP stub as
//! both the issuer and the ChatGPT backend, and the refresh flight for real.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::backend_call::*;
use crate::backend::Backend;
use crate::env::Env;
use crate::error::Error;
use crate::error::exit_code;
use crate::http::Http;
use crate::jwt::forge;
use crate::oauth::Issuer;
use crate::refresh::Deps;
use crate::refresh::Paths;
use crate::storage::file::FileStore;

type Fake = crate::refresh::fakes::FixedServices;

struct World {
    dir: tempfile::TempDir,
    store: FileStore,
    fake: Fake,
    server: MockServer,
    runtime: tokio::runtime::Runtime,
    backend: Backend,
}

/// An access token valid `ttl` seconds from `now`, tagged `tag`.
fn access(now: DateTime<Utc>, tag: &str, ttl: i64) -> String {
    forge(&json!({"exp": now.timestamp() + ttl, "tag": tag}).to_string())
}

impl World {
    /// A ChatGPT login (refresh token `rt-1`, account `acct_one`) whose access token `at-1`
    /// lives `ttl` more seconds.
    fn new(ttl: i64) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(MockServer::start());
        let dir = tempfile::tempdir().unwrap();
        #[allow(clippy::disallowed_methods)] // tests need a real clock for token expiries
        let now = Utc::now();
        let auth = json!({
            "auth_mode": "chatgpt",
            "OPENAI_API_KEY": null,
            "tokens": {
                "id_token": forge(&json!({"email": "a@b.c"}).to_string()),
                "access_token": access(now, "at-1", ttl),
                "refresh_token": "rt-1",
                "account_id": "acct_one"
            },
            "last_refresh": "2026-11-23T07:00:47Z"
        });
        std::fs::write(dir.path().join("auth.json"), auth.to_string()).unwrap();
        let mut backend = Backend::new(&format!("{}/backend-api", server.uri()));
        backend.backoff = vec![Duration::ZERO; 2];
        World {
            store: FileStore::new(dir.path().join("auth.json")),
            fake: Fake {
                http: Http::build(&Env::default()).unwrap(),
                issuer: Issuer::new(&server.uri(), "cid"),
                now,
            },
            dir,
            server,
            runtime,
            backend,
        }
    }

    fn token(&self, tag: &str) -> String {
        access(self.fake.now, tag, 3600)
    }

    fn auth_path(&self) -> PathBuf {
        self.dir.path().join("auth.json")
    }

    fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.auth_path()).unwrap()
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    /// The issuer answers one grant with `reason` by access token `at-2`, refresh token `rt-2`.
    fn grant(&self, reason: &str, times: u64) {
        self.mount(
            Mock::given(method("POST"))
                .and(path("/oauth/token"))
                .and(body_partial_json(
                    json!({"refresh_token": "rt-1", "refresh_reason": reason}),
                ))
                .respond_with(ResponseTemplate::new(200).set_body_json(
                    json!({"access_token": self.token("at-2"), "refresh_token": "rt-2"}),
                ))
                .expect(times),
        );
    }

    /// The backend answers usage for the bearer `token` with `reply`, `times` times.
    fn usage(&self, token: &str, reply: ResponseTemplate, times: u64) {
        self.mount(
            Mock::given(method("GET"))
                .and(path("/backend-api/wham/usage"))
                .and(header("authorization", format!("Bearer {token}").as_str()))
                .and(header("chatgpt-account-id", "acct_one"))
                .respond_with(reply)
                .expect(times),
        );
    }

    fn run(&self) -> Result<Called<Option<String>>, Error> {
        let home = self.dir.path();
        let deps = Deps {
            store: &self.store,
            store_is_keyring: false,
            paths: Paths {
                auth_lock: home.join("auth.lock"),
                credential_target: home.join("auth.json"),
                flight_lock: home.join("codex-creds-refresh.lock"),
                auth_json: home.join("auth.json"),
                home: home.to_path_buf(),
            },
            services: &self.fake,
        };
        call(&deps, &self.backend, |http, backend, login| {
            backend.usage(http, login).map(|u| u.plan_type)
        })
    }

    fn verify(&self) {
        self.runtime.block_on(self.server.verify());
    }
}

fn plan(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"plan_type": name}))
}

fn stored_access(world: &World) -> String {
    let value: serde_json::Value = serde_json::from_slice(&world.bytes()).unwrap();
    value["tokens"]["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn a_fresh_token_is_used_as_is_with_no_refresh() {
    let world = World::new(3600);
    let at1 = stored_access(&world);
    world.grant("proactive_expiry", 0);
    world.usage(&at1, plan("pro"), 1);
    let before = world.bytes();
    let called = world.run().unwrap();
    assert_eq!(called.value.as_deref(), Some("pro"));
    assert_eq!(world.bytes(), before);
    world.verify();
}

#[test]
fn a_token_due_for_refresh_is_refreshed_first_and_the_new_one_sent() {
    let world = World::new(60);
    world.grant("proactive_expiry", 1);
    world.usage(&world.token("at-2"), plan("plus"), 1);
    let called = world.run().unwrap();
    assert_eq!(called.value.as_deref(), Some("plus"));
    assert_eq!(stored_access(&world), world.token("at-2"));
    world.verify();
}

#[test]
fn a_401_refreshes_once_with_unauthorized_recovery_and_retries_once() {
    let world = World::new(3600);
    let at1 = stored_access(&world);
    world.usage(&at1, ResponseTemplate::new(401), 1);
    world.grant("unauthorized_recovery", 1);
    world.usage(&world.token("at-2"), plan("team"), 1);
    let called = world.run().unwrap();
    assert_eq!(called.value.as_deref(), Some("team"));
    let stored: serde_json::Value = serde_json::from_slice(&world.bytes()).unwrap();
    assert_eq!(stored["tokens"]["refresh_token"], "rt-2");
    world.verify();
}

#[test]
fn a_second_401_asks_to_log_in_again_after_a_single_refresh() {
    let world = World::new(3600);
    let at1 = stored_access(&world);
    world.usage(&at1, ResponseTemplate::new(401), 1);
    world.grant("unauthorized_recovery", 1);
    world.usage(&world.token("at-2"), ResponseTemplate::new(401), 1);
    let err = world.run().err().unwrap();
    assert_eq!(err.exit_code(), exit_code::RELOGIN);
    assert!(err.to_string().contains("/backend-api/wham/usage"), "{err}");
    world.verify();
}

/// Another process refreshes (writes `at-2`) while the backend is answering 401 to `at-1`.
struct RefreshedMeanwhile {
    auth: PathBuf,
    text: String,
}

impl Respond for RefreshedMeanwhile {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        std::fs::write(&self.auth, &self.text).unwrap();
        ResponseTemplate::new(401)
    }
}

#[test]
fn a_401_after_another_process_refreshed_retries_with_its_token_and_sends_no_grant() {
    let world = World::new(3600);
    let at1 = stored_access(&world);
    let text = String::from_utf8(world.bytes())
        .unwrap()
        .replace(&at1, &world.token("at-2"))
        .replace("rt-1", "rt-2");
    world.mount(
        Mock::given(path("/backend-api/wham/usage"))
            .and(header("authorization", format!("Bearer {at1}").as_str()))
            .respond_with(RefreshedMeanwhile {
                auth: world.auth_path(),
                text,
            })
            .expect(1),
    );
    world.grant("unauthorized_recovery", 0);
    world.usage(&world.token("at-2"), plan("pro"), 1);
    assert_eq!(world.run().unwrap().value.as_deref(), Some("pro"));
    world.verify();
}

#[test]
fn a_failing_backend_is_a_network_error_and_changes_nothing() {
    let world = World::new(3600);
    let at1 = stored_access(&world);
    world.usage(
        &at1,
        ResponseTemplate::new(503)
            .set_body_json(json!({"error": {"message": format!("bad {at1}")}})),
        3,
    );
    let before = world.bytes();
    let err = world.run().err().unwrap();
    assert_eq!(err.exit_code(), exit_code::NETWORK);
    let text = err.to_string();
    assert!(text.contains("/backend-api/wham/usage: HTTP 503"), "{text}");
    assert!(text.contains("(3 attempts)"), "{text}");
    assert!(text.contains("bad [REDACTED]"), "{text}");
    assert!(!text.contains(&at1), "{text}");
    assert_eq!(world.bytes(), before);
    world.verify();
}

#[test]
fn an_api_key_login_has_no_usage_and_sends_nothing() {
    let world = World::new(3600);
    std::fs::write(
        world.auth_path(),
        json!({"auth_mode": "apikey", "OPENAI_API_KEY": "sk-test"}).to_string(),
    )
    .unwrap();
    let err = world.run().err().unwrap();
    assert_eq!(err.exit_code(), exit_code::FAILURE);
    assert!(err.to_string().contains("API key login"), "{err}");
    assert!(
        world
            .runtime
            .block_on(world.server.received_requests())
            .unwrap()
            .is_empty()
    );
}
