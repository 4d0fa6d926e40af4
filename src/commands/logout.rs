//! `codex-creds logout`: revokes the ChatGPT refresh token at the issuer (best effort, unless
//! `--no-revoke`), then removes the credentials from every store that holds them. Idempotent.

use crate::cli::LogoutArgs;
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::oauth::revoke;

/// What happened to the token at the issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Revocation {
    Revoked,
    Failed,
    Skipped,
    NotApplicable,
}

impl Revocation {
    fn as_str(self) -> &'static str {
        match self {
            Revocation::Revoked => "revoked",
            Revocation::Failed => "failed",
            Revocation::Skipped => "skipped",
            Revocation::NotApplicable => "not_applicable",
        }
    }
}

pub fn run(ctx: &mut Ctx, args: &LogoutArgs) -> Result<(), Error> {
    let revocation = if args.no_revoke {
        Revocation::Skipped
    } else {
        revoke_best_effort(ctx)
    };
    let removed = if !ctx.home.exists() && ctx.store_mode == StoreMode::File {
        Vec::new()
    } else {
        let lock = ctx.lock()?;
        let removed = ctx.stores().delete_everywhere(&lock)?;
        drop(lock);
        ctx.invalidate();
        removed
    };
    if args.json {
        ctx.out.json(&serde_json::json!({
            "schema_version": 1,
            "logged_out": !removed.is_empty(),
            "removed_from": removed,
            "revocation": revocation.as_str(),
        }));
    } else if removed.is_empty() {
        ctx.out
            .info("Not logged in: there were no stored credentials to remove.");
    } else {
        ctx.out.info(&format!(
            "Logged out: removed the credentials from {}.",
            removed.join(" and ")
        ));
    }
    Ok(())
}

/// Revokes a stored ChatGPT login's token (spec §7). A failure is only a warning: the local
/// credentials are removed regardless.
fn revoke_best_effort(ctx: &Ctx) -> Revocation {
    // Unreadable credentials cannot be revoked; removing them is still the job.
    let Ok(Some(loaded)) = ctx.load() else {
        return Revocation::NotApplicable;
    };
    let Some(tokens) = loaded.auth.chatgpt_tokens() else {
        return Revocation::NotApplicable;
    };
    if tokens.refresh_token.is_empty() && tokens.access_token.is_empty() {
        return Revocation::NotApplicable;
    }
    let result = ctx.issuer_for(tokens).and_then(|issuer| {
        let http = ctx.http()?;
        Ok(http.block_on(revoke::revoke(http, &issuer, tokens))?)
    });
    match result {
        Ok(()) => Revocation::Revoked,
        Err(err) => {
            ctx.out.warn(&format!(
                "{err}\nThe local credentials are removed anyway; the token expires on its own."
            ));
            Revocation::Failed
        }
    }
}
