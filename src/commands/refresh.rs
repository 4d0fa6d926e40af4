//! `codex-creds refresh`: refreshes the ChatGPT access token now, or with `--min-validity` only
//! when it expires sooner than that; says what happened (human text or `--json`).

use chrono::{DateTime, Utc};

use crate::cli::RefreshArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::output::timestamp;
use crate::refresh::{self, RefreshOutcome};

pub fn run(ctx: &mut Ctx, args: &RefreshArgs) -> Result<(), Error> {
    // `--account NAME`: the same command on a saved account, without making it active.
    super::account::on_account(ctx, args.account.as_deref(), |ctx| refresh_now(ctx, args))
}

fn refresh_now(ctx: &mut Ctx, args: &RefreshArgs) -> Result<(), Error> {
    let outcome = refresh::ensure_fresh_in(
        ctx,
        args.min_validity.unwrap_or_default(),
        args.min_validity.is_none(),
    )?;
    let now = ctx.now();
    if let RefreshOutcome::KeptAfterFailure { warning, .. } = &outcome {
        ctx.out.warn(warning);
    }
    if args.json {
        let (name, reason, expires_at, mode) = match &outcome {
            RefreshOutcome::Fresh { expires_at } => ("fresh", None, *expires_at, None),
            RefreshOutcome::Refreshed { reason, expires_at } => {
                ("refreshed", Some(reason.as_str()), *expires_at, None)
            }
            RefreshOutcome::Adopted { expires_at } => ("adopted", None, *expires_at, None),
            RefreshOutcome::KeptAfterFailure { expires_at, .. } => {
                ("kept", None, *expires_at, None)
            }
            RefreshOutcome::NotRefreshable(mode) => {
                ("not_refreshable", None, None, Some(mode.as_str()))
            }
        };
        ctx.out.json(&serde_json::json!({
            "schema_version": 1,
            "outcome": name,
            "reason": reason,
            "auth_mode": mode,
            "expires_at": expires_at.map(timestamp),
        }));
        return Ok(());
    }
    let message = match outcome {
        RefreshOutcome::Fresh { expires_at } => format!(
            "The access token is still valid ({}); nothing to refresh.",
            describe_expiry(expires_at, now)
        ),
        RefreshOutcome::Refreshed { expires_at, .. } => format!(
            "Refreshed the access token ({}).",
            describe_expiry(expires_at, now)
        ),
        RefreshOutcome::Adopted { expires_at } => format!(
            "Another process refreshed the access token meanwhile; using its tokens ({}).",
            describe_expiry(expires_at, now)
        ),
        RefreshOutcome::KeptAfterFailure { expires_at, .. } => format!(
            "The access token could not be refreshed now, but it is still valid ({}).",
            describe_expiry(expires_at, now)
        ),
        RefreshOutcome::NotRefreshable(mode) => format!(
            "The stored {} login has no token to refresh; nothing to do.",
            mode.describe()
        ),
    };
    ctx.out.info(&message);
    Ok(())
}

fn describe_expiry(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(at) = expires_at else {
        return "its expiry is unknown".to_owned();
    };
    let stamp = timestamp(at);
    let left = (at - now).num_seconds();
    if left <= 0 {
        return format!("expired at {stamp}");
    }
    format!("expires at {stamp}, in {}", crate::duration::relative(left))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn expiry_texts() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let at = |secs| Some(now + chrono::TimeDelta::seconds(secs));
        assert_eq!(describe_expiry(None, now), "its expiry is unknown");
        assert_eq!(
            describe_expiry(at(-5), now),
            "expired at 2026-11-23T11:59:55Z"
        );
        assert!(describe_expiry(at(90), now).ends_with("in 90s"));
        assert!(describe_expiry(at(3600), now).ends_with("in 1h"));
        assert!(describe_expiry(at(86_400), now).ends_with("in 1d"));
    }
}
