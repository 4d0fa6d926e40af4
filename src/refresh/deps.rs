//! What a refresh flight needs, and nothing more: the store, where the locks and recovery files
//! live, the network (built on first use), the issuer that minted the tokens, and a clock.
//! Commands build it from the `Ctx` ([`Deps::of`]); unit tests from a temp dir, a fake or
//! file store and a local HTTP stub.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::auth_json::TokenData;
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::http::Http;
use crate::oauth::Issuer;
use crate::storage::CredentialStore;

/// Where a flight takes its locks and leaves recovery files.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Codex's `auth.lock`.
    pub auth_lock: PathBuf,
    /// The credential file as written (a symlinked auth.json's target); its `.lock` is Codex's
    /// commit lock.
    pub credential_target: PathBuf,
    /// Our refresh lock (single flight), which also holds the last failure note.
    pub flight_lock: PathBuf,
    /// auth.json as the user knows it (for the restore command).
    pub auth_json: PathBuf,
    /// CODEX_HOME: recovery files go here.
    pub home: PathBuf,
}

/// The network, the issuer and the clock, as a flight uses them.
pub trait Services {
    /// The network handle, built on first use.
    fn http(&self) -> Result<&Http, Error>;
    /// The issuer that minted `tokens` (see `oauth::minting_issuer`).
    fn issuer_for(&self, tokens: &TokenData) -> Result<Issuer, Error>;
    fn now(&self) -> DateTime<Utc>;
}

impl Services for Ctx {
    fn http(&self) -> Result<&Http, Error> {
        Ctx::http(self)
    }

    fn issuer_for(&self, tokens: &TokenData) -> Result<Issuer, Error> {
        Ctx::issuer_for(self, tokens)
    }

    fn now(&self) -> DateTime<Utc> {
        Ctx::now(self)
    }
}

/// The narrow dependencies of [`super::ensure_fresh`].
pub struct Deps<'a> {
    pub store: &'a dyn CredentialStore,
    /// Whether the store may be the OS keyring (the restore command differs).
    pub store_is_keyring: bool,
    pub paths: Paths,
    pub services: &'a dyn Services,
}

impl<'a> Deps<'a> {
    /// The dependencies from a context. CODEX_HOME must exist (the locks live there):
    /// call `Ctx::create_home` first.
    pub fn of(ctx: &'a Ctx) -> Result<Self, Error> {
        Ok(Deps {
            store: ctx.store(),
            store_is_keyring: matches!(ctx.store_mode, StoreMode::Keyring | StoreMode::Auto),
            paths: Paths {
                auth_lock: ctx.home.auth_lock(),
                credential_target: ctx.stores().file().resolved_target()?,
                flight_lock: ctx.home.refresh_lock(),
                auth_json: ctx.home.auth_json(),
                home: ctx.home.dir().to_path_buf(),
            },
            services: ctx,
        })
    }

    pub(super) fn now(&self) -> DateTime<Utc> {
        self.services.now()
    }
}
