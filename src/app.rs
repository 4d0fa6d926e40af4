//! Resolve once, dispatch, enforce: builds the [`Ctx`] from flags, environment and config, runs
//! the subcommand, enforces the login restrictions before exiting, and maps errors to exit codes.

use std::cell::RefCell;
use std::ffi::OsString;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Parser;

use crate::auth_json::TokenData;
use crate::cli::{Cli, Command, StoreArg};
use crate::commands;
use crate::config::{self, Config, StoreMode};
use crate::env::Env;
use crate::error::{Error, exit_code};
use crate::http::Http;
use crate::lock::{self, LockGuard};
use crate::oauth::{self, Issuer, OAuthError};
use crate::output::Output;
use crate::paths::CodexHome;
use crate::restrictions;
use crate::storage::{self, CredentialStore, Loaded, StoreError};

/// Everything a command needs, resolved once.
pub struct Ctx {
    pub env: Env,
    pub home: CodexHome,
    pub config: Config,
    /// The store mode in force (`--store` over config).
    pub store_mode: StoreMode,
    /// `--issuer`, which beats `CODEX_CREDS_ISSUER`.
    pub issuer_flag: Option<String>,
    pub out: Output,
    stores: storage::Stores,
    /// The last load of the configured store; dropped by every write.
    cached: RefCell<Option<Option<Loaded>>>,
    /// Built on first use: only commands that touch the network pay for tokio and reqwest.
    http: std::cell::OnceCell<Http>,
}

impl Ctx {
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
    fn report_notices(&self) {
        for notice in self.stores.take_notices() {
            self.out.warn(&notice);
        }
    }

    /// Forgets the cached load: the next [`Ctx::load`] reads the store again.
    pub fn invalidate(&self) {
        self.cached.borrow_mut().take();
    }

    /// Takes Codex's locks, creating CODEX_HOME (0700) when it is missing.
    pub fn lock(&mut self) -> Result<LockGuard, Error> {
        self.home.create().map_err(|source| StoreError::Write {
            path: self.home.dir().to_path_buf(),
            source,
        })?;
        self.stores.rebase(&self.home);
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

    /// The issuer for every flow: `--issuer`, else `CODEX_CREDS_ISSUER`, else Codex's; the
    /// client id from `CODEX_CREDS_CLIENT_ID`, else Codex's.
    pub fn issuer(&self) -> Issuer {
        let base = self
            .issuer_flag
            .as_deref()
            .or(self.env.issuer.as_deref())
            .unwrap_or(oauth::DEFAULT_ISSUER);
        let client_id = self
            .env
            .client_id
            .as_deref()
            .unwrap_or(oauth::DEFAULT_CLIENT_ID);
        let mut issuer = Issuer::new(base, client_id);
        issuer.refresh_url_override = self.env.refresh_url_override.clone();
        issuer.revoke_url_override = self.env.revoke_url_override.clone();
        issuer
    }

    /// The issuer that minted `tokens`, for refreshing and revoking them: an explicit issuer
    /// (flag or env) wins, else the tokens' `oauth_provenance`, else Codex's; the client id is
    /// `CODEX_CREDS_CLIENT_ID`, else the provenance's, else Codex's. (Codex revokes at its default
    /// issuer whatever the provenance says; revoking where the token was minted is what works.)
    pub fn issuer_for(&self, tokens: &TokenData) -> Issuer {
        let mut issuer = self.issuer();
        if let Some(provenance) = &tokens.oauth_provenance {
            if !self.issuer_is_explicit() && !provenance.issuer.is_empty() {
                issuer.base_url = provenance.issuer.trim_end_matches('/').to_owned();
            }
            if self.env.client_id.is_none() && !provenance.client_id.is_empty() {
                issuer.client_id = provenance.client_id.clone();
            }
        }
        issuer
    }

    /// Whether the issuer was chosen explicitly (flag or env), which beats stored provenance.
    pub fn issuer_is_explicit(&self) -> bool {
        self.issuer_flag.is_some() || self.env.issuer.is_some()
    }

    /// The current time; the one clock of the program.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Runs the program with these arguments and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                exit_code::USAGE
            } else {
                exit_code::SUCCESS
            });
        }
    };
    let out = Output;
    if let Command::Completion(args) = &cli.command {
        commands::completion::run(args, &out);
        return ExitCode::SUCCESS;
    }
    crate::logging::init_if_requested();
    let env = Env::capture();
    let mut ctx = match build_ctx(&cli, env, out) {
        Ok(ctx) => ctx,
        Err(err) => return report(&out, &err),
    };
    let result = dispatch(&mut ctx, cli.command);
    ctx.report_notices();
    // A restriction already reported by the command is not reported twice.
    let enforcement = match result {
        Err(Error::Restricted(_)) => Ok(()),
        _ => enforce(&mut ctx),
    };
    match (result, enforcement) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(err), Ok(())) => report(&out, &err),
        (Ok(()), Err(violation)) => report(&out, &violation),
        (Err(err), Err(violation)) => {
            report(&out, &err);
            report(&out, &violation)
        }
    }
}

fn build_ctx(cli: &Cli, env: Env, out: Output) -> Result<Ctx, Error> {
    let home = CodexHome::resolve(cli.global.codex_home.as_deref(), env.codex_home.as_deref())
        .map_err(|err| Error::Usage(format!("cannot resolve CODEX_HOME: {err}")))?;
    let config = config::load(&home.config_toml(), &cli.global.config_overrides)?;
    let store_mode = match cli.global.store {
        Some(StoreArg::File) => StoreMode::File,
        Some(StoreArg::Keyring) => StoreMode::Keyring,
        Some(StoreArg::Auto) => StoreMode::Auto,
        None => config.store_mode,
    };
    let keyring_timeout =
        storage::keyring::parse_timeout(env.keyring_timeout.as_deref()).map_err(Error::Usage)?;
    let stores = storage::Stores::open(store_mode, &home, &env, keyring_timeout);
    Ok(Ctx {
        env,
        home,
        config,
        store_mode,
        issuer_flag: cli.global.issuer.clone(),
        out,
        stores,
        cached: RefCell::new(None),
        http: std::cell::OnceCell::new(),
    })
}

fn dispatch(ctx: &mut Ctx, command: Command) -> Result<(), Error> {
    match command {
        Command::Login(args) => commands::login::run(ctx, &args),
        Command::Logout(args) => commands::logout::run(ctx, &args),
        Command::Status(args) => {
            enforce(ctx)?;
            commands::status::run(ctx, &args)
        }
        Command::Refresh(args) => {
            enforce(ctx)?;
            commands::refresh::run(ctx, &args)
        }
        Command::Token(args) => {
            enforce(ctx)?;
            commands::token::run(ctx, &args)
        }
        Command::Migrate(args) => {
            enforce(ctx)?;
            commands::migrate::run(ctx, &args)
        }
        Command::Completion(args) => {
            commands::completion::run(&args, &ctx.out);
            Ok(())
        }
    }
}

/// Removes stored credentials that violate the config (from every store) and reports a
/// violation by environment credentials. Unreadable credentials are the command's business.
fn enforce(ctx: &mut Ctx) -> Result<(), Error> {
    if let Some(message) = restrictions::check_env(&ctx.config, &ctx.env) {
        return Err(Error::Restricted(message));
    }
    let Ok(Some(loaded)) = ctx.load() else {
        return Ok(());
    };
    let Err(violation) = restrictions::check(&ctx.config, &loaded.auth) else {
        return Ok(());
    };
    let lock = ctx.lock()?;
    let removed = ctx.stores.delete_everywhere(&lock);
    ctx.invalidate();
    drop(lock);
    let mut message = format!("{violation}.");
    match removed {
        Ok(places) if !places.is_empty() => {
            message.push_str(&format!(
                "\nThe credentials were removed ({}).",
                places.join(", ")
            ));
        }
        Ok(_) => {}
        Err(err) => message.push_str(&format!("\nThey could not all be removed: {err}")),
    }
    message.push_str("\nLog in again with an allowed method: `codex-creds login`.");
    Err(Error::Restricted(message))
}

fn report(out: &Output, err: &Error) -> ExitCode {
    match err {
        // Already printed by the flow that was interrupted.
        Error::Interrupted => {}
        other => out.error(&other.to_string()),
    }
    err.to_exit_code()
}
