//! The context every command runs in, resolved once by `app`: environment, CODEX_HOME, config,
//! the stores, the output, and the network handle (built on first use). Commands and use cases
//! receive it; nothing below them does.

use std::cell::{Cell, OnceCell, RefCell};

use chrono::{DateTime, Utc};

use crate::auth_json::TokenData;
use crate::config::{Config, StoreMode};
use crate::env::Env;
use crate::error::{Error, IssuerOrigin};
use crate::http::Http;
use crate::lock::{self, LockGuard};
use crate::oauth::{self, Issuer, OAuthError};
use crate::output::Output;
use crate::paths::CodexHome;
use crate::storage::{self, CredentialStore, Loaded, StoreError};

/// Everything a command needs, resolved once.
pub struct Ctx {
    pub env: Env,
    pub home: CodexHome,
    pub config: Config,
    /// The store mode in force (`--store` over config).
    pub store_mode: StoreMode,
    /// `--issuer`, else `CODEX_CREDS_ISSUER`; checked to be https (or loopback) at start.
    pub explicit_issuer: Option<String>,
    pub out: Output,
    stores: storage::Stores,
    /// The last load of the configured store; dropped by every write.
    cached: RefCell<Option<Option<Loaded>>>,
    /// Built on first use: only commands that touch the network pay for tokio and reqwest.
    http: OnceCell<Http>,
    /// Whether the "provenance beats your --issuer" line was printed (once per run).
    issuer_note_shown: Cell<bool>,
}

impl Ctx {
    /// Assembles a context from resolved parts. `explicit_issuer` must have passed
    /// [`oauth::check_issuer_url`].
    pub fn new(
        env: Env,
        home: CodexHome,
        config: Config,
        store_mode: StoreMode,
        explicit_issuer: Option<String>,
        out: Output,
        stores: storage::Stores,
    ) -> Self {
        Ctx {
            env,
            home,
            config,
            store_mode,
            explicit_issuer,
            out,
            stores,
            cached: RefCell::new(None),
            http: OnceCell::new(),
            issuer_note_shown: Cell::new(false),
        }
    }

    /// A context for another CODEX_HOME `dir` (a saved account's directory, which must exist):
    /// the same environment, settings (config.toml and `-c` of the user's CODEX_HOME), issuer
    /// and output, with the stores of `dir` in `store_mode` over the same keyring thread. Its
    /// locks, refresh flight and recovery files are those of `dir`.
    pub fn for_home(&self, dir: &std::path::Path, store_mode: StoreMode) -> Result<Ctx, Error> {
        let home = CodexHome::resolve(Some(dir), None).map_err(Error::CodexHome)?;
        let stores = self.stores.for_home(store_mode, &home);
        Ok(Ctx::new(
            self.env.clone(),
            home,
            self.config.clone(),
            store_mode,
            self.explicit_issuer.clone(),
            self.out,
            stores,
        ))
    }

    /// The configured store.
    pub fn store(&self) -> &dyn CredentialStore {
        self.stores.configured()
    }

    /// Every store that may hold credentials for this CODEX_HOME (for logout and enforcement).
    pub fn stores(&self) -> &storage::Stores {
        &self.stores
    }

    /// The stored credentials (cached until the next write through the Ctx).
    pub fn load(&self) -> Result<Option<Loaded>, StoreError> {
        if let Some(cached) = self.cached.borrow().as_ref() {
            return Ok(cached.clone());
        }
        let loaded = self.store().load();
        self.report_notices();
        let loaded = loaded?;
        *self.cached.borrow_mut() = Some(loaded.clone());
        Ok(loaded)
    }

    /// Prints, once, what the stores want the user to know (e.g. `auto` fell back to the file).
    pub fn report_notices(&self) {
        for notice in self.stores.take_notices() {
            self.out.warn(&notice);
        }
    }

    /// Forgets the cached load: the next [`Ctx::load`] reads the store again.
    pub fn invalidate(&self) {
        self.cached.borrow_mut().take();
    }

    /// Creates CODEX_HOME (0700) when it is missing, and points the stores at its canonical path.
    pub fn create_home(&mut self) -> Result<(), StoreError> {
        self.home.create().map_err(|source| StoreError::Write {
            path: self.home.dir().to_path_buf(),
            source,
        })?;
        self.stores.rebase(&self.home);
        Ok(())
    }

    /// Takes Codex's locks, creating CODEX_HOME (0700) when it is missing.
    pub fn lock(&mut self) -> Result<LockGuard, Error> {
        self.create_home()?;
        let target = self.stores.file().resolved_target()?;
        Ok(lock::acquire(&self.home.auth_lock(), &target).map_err(StoreError::from)?)
    }

    /// The network handle, built on first use.
    pub fn http(&self) -> Result<&Http, Error> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        let http = Http::build(&self.env).map_err(OAuthError::from)?;
        Ok(self.http.get_or_init(|| http))
    }

    /// The issuer for a new login: `--issuer`, else `CODEX_CREDS_ISSUER`, else Codex's; the
    /// client id from `CODEX_CREDS_CLIENT_ID`, else Codex's.
    pub fn issuer(&self) -> Issuer {
        let base = self
            .explicit_issuer
            .as_deref()
            .unwrap_or(oauth::DEFAULT_ISSUER);
        let client_id = self
            .env
            .client_id
            .as_deref()
            .unwrap_or(oauth::DEFAULT_CLIENT_ID);
        self.with_overrides(Issuer::new(base, client_id))
    }

    /// The issuer that minted `tokens`, for refreshing and revoking them: their
    /// `oauth_provenance` always wins; the explicit issuer or Codex's default serves only tokens
    /// without provenance. When an explicit issuer is overruled, one line says so.
    pub fn issuer_for(&self, tokens: &TokenData) -> Result<Issuer, Error> {
        let provenance = tokens
            .oauth_provenance
            .as_ref()
            .map(|p| (p.issuer.as_str(), p.client_id.as_str()));
        let chosen = oauth::minting_issuer(
            self.explicit_issuer.as_deref(),
            self.env.client_id.as_deref(),
            provenance,
        )
        .map_err(|source| Error::UnsafeIssuer {
            origin: IssuerOrigin::Provenance,
            source,
        })?;
        if let Some(note) = chosen.overruled
            && !self.issuer_note_shown.replace(true)
        {
            self.out.note(&note);
        }
        Ok(self.with_overrides(chosen.issuer))
    }

    /// Codex's endpoint overrides, explicit by nature, apply to every issuer (spec §12).
    fn with_overrides(&self, mut issuer: Issuer) -> Issuer {
        issuer.refresh_url_override = self.env.refresh_url_override.clone();
        issuer.revoke_url_override = self.env.revoke_url_override.clone();
        issuer
    }

    /// The current time; the one clock of the program.
    #[allow(clippy::disallowed_methods)] // the one clock
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What a [`Ctx`] is built from. It is `Send` (a `Ctx` is not), so a thread of the app-server
/// can build its own context; each such context has its own stores over the same CODEX_HOME.
#[derive(Debug, Clone)]
pub struct CtxSeed {
    pub env: Env,
    pub home: CodexHome,
    pub config: Config,
    pub store_mode: StoreMode,
    pub explicit_issuer: Option<String>,
}

impl Ctx {
    /// The parts this context was built from.
    pub fn seed(&self) -> CtxSeed {
        CtxSeed {
            env: self.env.clone(),
            home: self.home.clone(),
            config: self.config.clone(),
            store_mode: self.store_mode,
            explicit_issuer: self.explicit_issuer.clone(),
        }
    }
}

impl CtxSeed {
    /// A new context over these parts (nothing is read or contacted yet).
    pub fn build(&self) -> Ctx {
        let timeout = self
            .env
            .keyring_timeout
            .unwrap_or(storage::keyring::DEFAULT_TIMEOUT);
        let plausible = storage::keyring::plausible(
            self.env.dbus_session_bus_address.as_deref(),
            self.env.xdg_runtime_dir.as_deref(),
        );
        let stores = storage::Stores::open(self.store_mode, &self.home, plausible, timeout);
        Ctx::new(
            self.env.clone(),
            self.home.clone(),
            self.config.clone(),
            self.store_mode,
            self.explicit_issuer.clone(),
            Output,
            stores,
        )
    }
}
