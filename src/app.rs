//! Resolve once, dispatch, enforce: builds the [`Ctx`] from flags, environment and config, runs
//! the subcommand, enforces the login restrictions before exiting, and reports errors once.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, CtxCommand, StoreArg};
use crate::commands;
use crate::config::{self, StoreMode};
use crate::ctx::Ctx;
use crate::env::Env;
use crate::error::{Error, IssuerOrigin, exit_code};
use crate::oauth;
use crate::output::Output;
use crate::paths::CodexHome;
use crate::restrictions;
use crate::storage;

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
    let command = match cli.command {
        Command::Completion(args) => {
            commands::completion::run(&args, &out);
            return ExitCode::SUCCESS;
        }
        Command::WithCtx(command) => command,
    };
    crate::logging::init_if_requested();
    let mut ctx = match build_ctx(&cli.global, out) {
        Ok(ctx) => ctx,
        Err(err) => return report(&out, &err),
    };
    let result = dispatch(&mut ctx, command);
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

/// Reads and validates everything a command may need, once: the environment, CODEX_HOME,
/// config.toml and the flags. Nothing is written and no store is contacted.
fn build_ctx(global: &crate::cli::GlobalArgs, out: Output) -> Result<Ctx, Error> {
    let env = Env::capture()?;
    let home = CodexHome::resolve(global.codex_home.as_deref(), env.codex_home.as_deref())
        .map_err(Error::CodexHome)?;
    let config = config::load(&home.config_toml(), &global.config_overrides)?;
    let store_mode = match global.store {
        Some(StoreArg::File) => StoreMode::File,
        Some(StoreArg::Keyring) => StoreMode::Keyring,
        Some(StoreArg::Auto) => StoreMode::Auto,
        None => config.store_mode,
    };
    let explicit_issuer = global.issuer.clone().or_else(|| env.issuer.clone());
    if let Some(issuer) = &explicit_issuer {
        oauth::check_issuer_url(issuer).map_err(|source| Error::UnsafeIssuer {
            origin: IssuerOrigin::Explicit,
            source,
        })?;
    }
    let keyring_timeout = env
        .keyring_timeout
        .unwrap_or(storage::keyring::DEFAULT_TIMEOUT);
    let keyring_plausible = storage::keyring::plausible(
        env.dbus_session_bus_address.as_deref(),
        env.xdg_runtime_dir.as_deref(),
    );
    let stores = storage::Stores::open(store_mode, &home, keyring_plausible, keyring_timeout);
    Ok(Ctx::new(
        env,
        home,
        config,
        store_mode,
        explicit_issuer,
        out,
        stores,
    ))
}

fn dispatch(ctx: &mut Ctx, command: CtxCommand) -> Result<(), Error> {
    match command {
        CtxCommand::Login(args) => commands::login::run(ctx, &args),
        CtxCommand::Logout(args) => commands::logout::run(ctx, &args),
        CtxCommand::Status(args) => {
            enforce(ctx)?;
            commands::status::run(ctx, &args)
        }
        CtxCommand::Refresh(args) => {
            enforce(ctx)?;
            commands::refresh::run(ctx, &args)
        }
        CtxCommand::Token(args) => {
            enforce(ctx)?;
            commands::token::run(ctx, &args)
        }
        CtxCommand::Migrate(args) => {
            enforce(ctx)?;
            commands::migrate::run(ctx, &args)
        }
        CtxCommand::AppServer(args) => {
            // As Codex at session start: disallowed stored credentials are removed, and the
            // server still starts (logged out), so the client can log in again (spec §11).
            if let Err(err) = enforce(ctx) {
                ctx.out.warn(&err.to_string());
            }
            commands::app_server::run(ctx, &args)
        }
        CtxCommand::Usage(args) => {
            enforce(ctx)?;
            commands::usage::run(ctx, &args)
        }
        CtxCommand::Workspace(args) => {
            enforce(ctx)?;
            commands::workspace::run(ctx, &args)
        }
        CtxCommand::Account(args) => commands::account::run(ctx, args.command),
    }
}

/// [`restrictions::enforce`] over the context's stores and Codex's locks.
fn enforce(ctx: &mut Ctx) -> Result<(), Error> {
    let seen = ctx.load();
    let (config, env) = (ctx.config.clone(), ctx.env.clone());
    let relock = |ctx: &mut Ctx| ctx.lock();
    let result = restrictions::enforce(&config, &env, seen, ctx, relock);
    ctx.invalidate();
    result
}

fn report(out: &Output, err: &Error) -> ExitCode {
    match err {
        // Already printed by the flow that was interrupted.
        Error::Interrupted => {}
        other => out.error(&other.to_string()),
    }
    err.to_exit_code()
}
