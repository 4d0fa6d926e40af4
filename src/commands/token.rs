//! `codex-creds token`: prints the bearer token and a newline on stdout, nothing else (or a JSON
//! object with `--json`). Fast path: no runtime, no HTTP client unless a refresh is due.

use crate::auth_json::AuthMode;
use crate::cli::TokenArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::jwt;
use crate::output::timestamp;
use crate::refresh::{self, RefreshOutcome};

pub fn run(ctx: &mut Ctx, args: &TokenArgs) -> Result<(), Error> {
    // `--account NAME`: the same command on a saved account, without making it active.
    super::account::on_account(ctx, args.account.as_deref(), |ctx| print(ctx, args))
}

fn print(ctx: &mut Ctx, args: &TokenArgs) -> Result<(), Error> {
    if is_stale(ctx, args)? {
        // Only now are tokio and reqwest built; the fresh path never reaches here.
        if let RefreshOutcome::KeptAfterFailure { warning, .. } =
            refresh::ensure_fresh_in(ctx, args.min_validity, false)?
        {
            ctx.out.warn(&warning);
        }
    }
    let Some(loaded) = ctx.load()? else {
        return Err(Error::not_logged_in());
    };
    let auth = &loaded.auth;
    let mode = auth.mode();
    let Some(token) = auth.bearer() else {
        return Err(Error::NotLoggedIn(format!(
            "the stored {} login has no bearer token codex-creds can print; log in again with \
             `codex-creds login`",
            mode.describe()
        )));
    };
    if args.json {
        let expires_at = match mode {
            AuthMode::ChatGpt => jwt::expires_at(token).map(timestamp),
            _ => None,
        };
        ctx.out.json(&serde_json::json!({
            "schema_version": 1,
            "token": token,
            "auth_mode": mode.as_str(),
            "expires_at": expires_at,
        }));
    } else {
        ctx.out.data(token);
    }
    Ok(())
}

/// Whether a stored ChatGPT access token expires within `--min-validity` (no network).
fn is_stale(ctx: &Ctx, args: &TokenArgs) -> Result<bool, Error> {
    Ok(match ctx.load()? {
        Some(loaded) => refresh::needs_refresh(&loaded.auth, ctx.now(), args.min_validity),
        None => false,
    })
}
