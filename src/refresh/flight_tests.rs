//! Unit tests of [`super::ensure_fresh`] for each order of events, on a real auth.json in a
//! temp CODEX_HOME, a store wrapper that lets another "process" act between the flight's reads,
//! and a local HTTP stub as the issuer.

use std::cell::{Cell, RefCell};
use std::path::Path;

use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::env::Env;
use crate::error::exit_code;
use crate::http::Http;
use crate::jwt::forge;
use crate::lock::LockGuard;
use crate::oauth::Issuer;
use crate::storage::file::FileStore;
use crate::storage::{CredentialStore, Loaded, StoreKind};

/// Another process, acting just before the flight's n-th read of the store (1: the first look,
/// 2: after the flight lock, 3: the commit's re-read under Codex's locks).
type Meanwhile = Box<dyn Fn(usize, &Path)>;

/// auth.json, with a hook before each load and a switch that makes saves fail.
struct Watched {
    file: FileStore,
    loads: Cell<usize>,
    meanwhile: RefCell<Option<Meanwhile>>,
    fail_saves: Cell<bool>,
}

impl CredentialStore for Watched {
    fn location(&self) -> String {
        self.file.location()
    }
    fn load(&self) -> Result<Option<Loaded>, StoreError> {
        self.loads.set(self.loads.get() + 1);
        if let Some(act) = self.meanwhile.borrow().as_ref() {
            act(self.loads.get(), self.file.path());
        }
        self.file.load()
    }
    fn save(&self, auth: &AuthDotJson, lock: &LockGuard) -> Result<StoreKind, StoreError> {
        if self.fail_saves.get() {
            return Err(StoreError::Write {
                path: self.file.path().to_path_buf(),
                source: std::io::Error::from_raw_os_error(28), // ENOSPC
            });
        }
        self.file.save(auth, lock)
    }
    fn delete(&self, lock: &LockGuard) -> Result<bool, StoreError> {
        self.file.delete(lock)
    }
}

type Services = super::fakes::FixedServices;

struct World {
    dir: tempfile::TempDir,
    store: Watched,
    services: Services,
    server: MockServer,
    runtime: tokio::runtime::Runtime,
}

/// A login whose access token expires `expires_in` seconds from `now`.
fn login(now: DateTime<Utc>, refresh_token: &str, expires_in: i64, account: &str) -> String {
    let exp = now.timestamp() + expires_in;
    json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": null,
        "tokens": {
            "id_token": forge(&json!({"email": "a@b.c"}).to_string()),
            "access_token": forge(&json!({"exp": exp, "rt": refresh_token}).to_string()),
            "refresh_token": refresh_token,
            "account_id": account
        },
        "last_refresh": "2026-11-23T07:00:47Z"
    })
    .to_string()
}

impl World {
    fn new(stored: impl FnOnce(DateTime<Utc>) -> String) -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(MockServer::start());
        let dir = tempfile::tempdir().unwrap();
        #[allow(clippy::disallowed_methods)] // tests need a real clock for token expiries
        let now = Utc::now();
        std::fs::write(dir.path().join("auth.json"), stored(now)).unwrap();
        World {
            store: Watched {
                file: FileStore::new(dir.path().join("auth.json")),
                loads: Cell::new(0),
                meanwhile: RefCell::new(None),
                fail_saves: Cell::new(false),
            },
            services: Services {
                http: Http::build(&Env::default()).unwrap(),
                issuer: Issuer::new(&server.uri(), "cid"),
                now,
            },
            dir,
            server,
            runtime,
        }
    }

    /// The issuer answers a grant for `refresh_token` with `reply`, `times` times.
    fn grant(&self, refresh_token: &str, reply: ResponseTemplate, times: u64) {
        self.runtime.block_on(
            Mock::given(method("POST"))
                .and(path("/oauth/token"))
                .and(body_partial_json(json!({"refresh_token": refresh_token})))
                .respond_with(reply)
                .expect(times)
                .mount(&self.server),
        );
    }

    /// A rotating reply: new access token (valid 1 h) and refresh token `next`.
    fn rotated(&self, next: &str) -> ResponseTemplate {
        let exp = self.services.now.timestamp() + 3600;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": forge(&json!({"exp": exp, "rt": next}).to_string()),
            "refresh_token": next,
        }))
    }

    fn meanwhile(&self, act: impl Fn(usize, &Path) + 'static) {
        *self.store.meanwhile.borrow_mut() = Some(Box::new(act));
    }

    fn run(&self, min_validity: Duration, force: bool) -> Result<RefreshOutcome, Error> {
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
            services: &self.services,
        };
        ensure_fresh(&deps, min_validity, force)
    }

    fn stored(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.dir.path().join("auth.json")).unwrap()).unwrap()
    }

    fn stored_bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(self.dir.path().join("auth.json")).ok()
    }

    fn verify(&self) {
        self.runtime.block_on(self.server.verify());
    }
}

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn refreshes_and_saves_the_rotated_tokens() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("rt-2"), 1);
    let outcome = world.run(MINUTE, false).unwrap();
    assert!(matches!(
        outcome,
        RefreshOutcome::Refreshed {
            reason: StaleReason::Expired,
            ..
        }
    ));
    assert_eq!(world.stored()["tokens"]["refresh_token"], "rt-2");
    world.verify();
}

#[test]
fn adopts_tokens_another_process_refreshed() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("never"), 0);
    let theirs = login(world.services.now, "rt-theirs", 30, "acct-1");
    world.meanwhile(move |load, auth| {
        if load == 2 {
            std::fs::write(auth, &theirs).unwrap();
        }
    });
    // Their token lives 30 s, less than the 1 min asked for: the issuer decides, so it is used.
    let outcome = world.run(MINUTE, false).unwrap();
    assert!(
        matches!(outcome, RefreshOutcome::Adopted { .. }),
        "{outcome:?}"
    );
    assert_eq!(world.stored()["tokens"]["refresh_token"], "rt-theirs");
    world.verify();
}

#[test]
fn refreshes_the_adopted_tokens_when_they_expired_too() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("never"), 0);
    world.grant("rt-theirs", world.rotated("rt-3"), 1);
    let theirs = login(world.services.now, "rt-theirs", -5, "acct-1");
    world.meanwhile(move |load, auth| {
        if load == 2 {
            std::fs::write(auth, &theirs).unwrap();
        }
    });
    let outcome = world.run(MINUTE, false).unwrap();
    assert!(
        matches!(outcome, RefreshOutcome::Refreshed { .. }),
        "{outcome:?}"
    );
    assert_eq!(world.stored()["tokens"]["refresh_token"], "rt-3");
    world.verify();
}

#[test]
fn a_rewrite_that_keeps_the_tokens_is_not_a_refresh() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("rt-2"), 1);
    world.meanwhile(move |load, auth| {
        if load == 2 {
            let mut doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(auth).unwrap()).unwrap();
            doc["added_by_a_newer_codex"] = json!(true);
            std::fs::write(auth, doc.to_string()).unwrap();
        }
    });
    let outcome = world.run(MINUTE, false).unwrap();
    assert!(
        matches!(outcome, RefreshOutcome::Refreshed { .. }),
        "{outcome:?}"
    );
    let stored = world.stored();
    assert_eq!(stored["tokens"]["refresh_token"], "rt-2", "ours were saved");
    assert_eq!(stored["added_by_a_newer_codex"], true, "theirs were kept");
    world.verify();
}

#[test]
fn yields_to_a_newer_commit() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("rt-ours"), 1);
    let theirs = login(world.services.now, "rt-codex", 3600, "acct-1");
    let written = theirs.clone();
    world.meanwhile(move |load, auth| {
        if load == 3 {
            std::fs::write(auth, &written).unwrap();
        }
    });
    let outcome = world.run(MINUTE, false).unwrap();
    assert!(
        matches!(outcome, RefreshOutcome::Adopted { .. }),
        "{outcome:?}"
    );
    assert_eq!(world.stored_bytes().unwrap(), theirs.into_bytes());
    world.verify();
}

#[test]
fn another_account_meanwhile_is_never_adopted_or_overwritten() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("never"), 0);
    let other = login(world.services.now, "rt-other", 3600, "acct-2");
    let written = other.clone();
    world.meanwhile(move |load, auth| {
        if load == 2 {
            std::fs::write(auth, &written).unwrap();
        }
    });
    let err = world.run(MINUTE, false).unwrap_err();
    assert_eq!(err.exit_code(), exit_code::RELOGIN, "{err}");
    assert_eq!(world.stored_bytes().unwrap(), other.into_bytes());
    world.verify();
}

#[test]
fn a_permanent_failure_leaves_the_store_untouched() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    let reused = ResponseTemplate::new(400)
        .set_body_json(json!({"error": {"code": "refresh_token_reused"}}));
    world.grant("rt-1", reused, 1);
    let before = world.stored_bytes();
    let err = world.run(MINUTE, false).unwrap_err();
    assert_eq!(err.exit_code(), exit_code::RELOGIN, "{err}");
    assert!(err.to_string().contains("already used"), "{err}");
    assert_eq!(world.stored_bytes(), before);
    world.verify();
}

/// 400 with an unknown code: transient (spec §12), and not worth retrying at once.
fn unavailable() -> ResponseTemplate {
    ResponseTemplate::new(400).set_body_json(json!({"error": "temporarily_unavailable"}))
}

#[test]
fn a_transient_failure_keeps_a_token_that_is_still_valid() {
    // Valid for 30 s more, but 1 min was asked for.
    let world = World::new(|now| login(now, "rt-1", 30, "acct-1"));
    world.grant("rt-1", unavailable(), 1);
    let before = world.stored_bytes();
    let outcome = world.run(MINUTE, false).unwrap();
    let RefreshOutcome::KeptAfterFailure { warning, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(warning.contains("still valid"), "{warning}");
    assert!(!warning.contains('\n'), "one line: {warning}");
    assert_eq!(world.stored_bytes(), before);
    world.verify();
}

#[test]
fn a_transient_failure_with_an_expired_token_is_a_network_error() {
    let world = World::new(|now| login(now, "rt-1", -1, "acct-1"));
    world.grant("rt-1", unavailable(), 1);
    let before = world.stored_bytes();
    let err = world.run(MINUTE, false).unwrap_err();
    assert_eq!(err.exit_code(), exit_code::NETWORK, "{err}");
    assert_eq!(world.stored_bytes(), before);
    world.verify();
}

#[test]
fn a_forced_refresh_reports_a_transient_failure_even_with_a_valid_token() {
    let world = World::new(|now| login(now, "rt-1", 3600, "acct-1"));
    world.grant("rt-1", unavailable(), 1);
    let err = world.run(Duration::ZERO, true).unwrap_err();
    assert_eq!(err.exit_code(), exit_code::NETWORK, "{err}");
    world.verify();
}

#[test]
fn credentials_removed_meanwhile_are_not_recreated() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("rt-2"), 1);
    world.meanwhile(|load, auth| {
        if load == 3 {
            std::fs::remove_file(auth).unwrap();
        }
    });
    let err = world.run(MINUTE, false).unwrap_err();
    assert_eq!(err.exit_code(), exit_code::NOT_LOGGED_IN, "{err}");
    assert!(world.stored_bytes().is_none());
    world.verify();
}

#[test]
fn a_failed_save_keeps_the_rotated_tokens_in_a_recovery_file() {
    let world = World::new(|now| login(now, "rt-1", -30, "acct-1"));
    world.grant("rt-1", world.rotated("rt-2"), 1);
    world.store.fail_saves.set(true);
    let before = world.stored_bytes();
    let err = world.run(MINUTE, false).unwrap_err();
    assert_eq!(err.exit_code(), exit_code::STORE, "{err}");
    let Error::Store(StoreError::SavedElsewhere {
        saved_to, restore, ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(saved_to.parent(), Some(world.dir.path()));
    let recovered: serde_json::Value =
        serde_json::from_slice(&std::fs::read(saved_to).unwrap()).unwrap();
    assert_eq!(recovered["tokens"]["refresh_token"], "rt-2");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(saved_to).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(restore.starts_with("mv '"), "{restore}");
    assert!(restore.ends_with("auth.json'"), "{restore}");
    let message = err.to_string();
    assert!(
        message.contains(restore) && !message.contains("rt-2"),
        "{message}"
    );
    assert_eq!(
        world.stored_bytes(),
        before,
        "auth.json itself is unchanged"
    );
    world.verify();
}

#[test]
fn a_fresh_token_sends_nothing() {
    let world = World::new(|now| login(now, "rt-1", 3600, "acct-1"));
    world.grant("rt-1", world.rotated("never"), 0);
    let outcome = world.run(MINUTE, false).unwrap();
    assert!(matches!(outcome, RefreshOutcome::Fresh { .. }));
    assert!(!world.dir.path().join("codex-creds-refresh.lock").exists());
    world.verify();
}
