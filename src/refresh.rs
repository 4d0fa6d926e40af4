//! Keeping the ChatGPT access token fresh (spec §2, §3.4, §12): [`freshness`] decides (pure);
//! [`ensure_fresh`] refreshes single-flight across codex-creds processes and commits with
//! Codex's protocol, so neither a Codex process nor another codex-creds ever loses its tokens.
//!
//! The flight: take our refresh lock → re-read → changed meanwhile? adopt it → did the flight
//! we queued behind fail with these credentials? fail alike → HTTP (bounded retries, see
//! `retry`) → take Codex's locks → re-read → changed? adopt, else save.

mod note;
mod retry;
#[cfg(test)]
mod tests;

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::auth_json::{AuthDotJson, AuthMode, LastRefresh, TokenData};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::jwt;
use crate::lock;
use crate::oauth::OAuthError;
use crate::oauth::refresh_grant::{RefreshReason, Refreshed};
use crate::storage::StoreError;

/// With no `exp`, Codex refreshes when `last_refresh` is older than this (spec §2).
const SCHEDULED_AFTER: chrono::TimeDelta = chrono::TimeDelta::days(8);
/// How long we wait for another process's refresh (which may itself retry) to finish.
const FLIGHT_WAIT: Duration = Duration::from_secs(120);

/// Why the access token needs a refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    /// `exp` has passed.
    Expired,
    /// `exp` falls within the validity window asked for.
    ExpiresSoon,
    /// No `exp`, and `last_refresh` is older than 8 days.
    Scheduled,
    /// Asked for explicitly.
    Forced,
}

impl StaleReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StaleReason::Expired => "expired",
            StaleReason::ExpiresSoon => "expires_soon",
            StaleReason::Scheduled => "scheduled",
            StaleReason::Forced => "forced",
        }
    }

    fn grant_reason(self) -> RefreshReason {
        match self {
            StaleReason::Expired | StaleReason::ExpiresSoon => RefreshReason::ProactiveExpiry,
            StaleReason::Scheduled => RefreshReason::Scheduled,
            StaleReason::Forced => RefreshReason::Forced,
        }
    }
}

/// What [`freshness`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    Stale(StaleReason),
}

/// Whether the access token stays valid for at least `min_validity` after `now`.
pub fn freshness(
    tokens: &TokenData,
    last_refresh: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    min_validity: Duration,
) -> Freshness {
    let window = chrono::TimeDelta::from_std(min_validity).unwrap_or(chrono::TimeDelta::MAX);
    match jwt::expires_at(tokens.access_token.expose()) {
        Some(exp) if exp <= now => Freshness::Stale(StaleReason::Expired),
        Some(exp)
            if exp
                <= now
                    .checked_add_signed(window)
                    .unwrap_or(DateTime::<Utc>::MAX_UTC) =>
        {
            Freshness::Stale(StaleReason::ExpiresSoon)
        }
        Some(_) => Freshness::Fresh,
        None => match last_refresh {
            Some(at) if now - at > SCHEDULED_AFTER => Freshness::Stale(StaleReason::Scheduled),
            _ => Freshness::Fresh,
        },
    }
}

/// Whether stored ChatGPT credentials need a refresh to stay valid for `min_validity` (pure;
/// other credentials never do).
pub fn needs_refresh(auth: &AuthDotJson, now: DateTime<Utc>, min_validity: Duration) -> bool {
    let Some(tokens) = auth.chatgpt_tokens() else {
        return false;
    };
    let last_refresh = auth.last_refresh.as_ref().map(|l| l.at);
    matches!(
        freshness(tokens, last_refresh, now, min_validity),
        Freshness::Stale(_)
    )
}

/// What [`ensure_fresh`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was fresh enough; nothing was sent.
    Fresh { expires_at: Option<DateTime<Utc>> },
    /// This process refreshed and saved new tokens.
    Refreshed {
        reason: StaleReason,
        expires_at: Option<DateTime<Utc>>,
    },
    /// Another process refreshed meanwhile; its tokens are used and nothing was sent.
    Adopted { expires_at: Option<DateTime<Utc>> },
    /// These credentials have nothing to refresh (API key, personal access token, …).
    NotRefreshable(AuthMode),
}

/// Makes sure the stored access token is valid for `min_validity` (or refreshes anyway when
/// `force`), single-flight across processes. On every failure the store is left untouched.
pub fn ensure_fresh(
    ctx: &mut Ctx,
    min_validity: Duration,
    force: bool,
) -> Result<RefreshOutcome, Error> {
    let initial = load(ctx)?;
    let Some(tokens) = initial.chatgpt_tokens() else {
        return Ok(RefreshOutcome::NotRefreshable(initial.mode()));
    };
    let Some(reason) = stale_reason(ctx, &initial, tokens, min_validity, force) else {
        return Ok(RefreshOutcome::Fresh {
            expires_at: expiry(&initial),
        });
    };
    if tokens.account_id.is_none() {
        return Err(account_changed());
    }
    if tokens.refresh_token.is_empty() {
        return Err(OAuthError::Permanent {
            message: "The stored ChatGPT login has no refresh token, so its access token \
                      cannot be refreshed."
                .to_owned(),
        }
        .into());
    }

    ctx.home.create().map_err(|source| StoreError::Write {
        path: ctx.home.dir().to_path_buf(),
        source,
    })?;
    let flight_lock = ctx.home.refresh_lock();
    let waiting_since = ctx.now();
    let _flight = lock::exclusive(&flight_lock, FLIGHT_WAIT).map_err(StoreError::from)?;
    ctx.invalidate();
    let current = load(ctx)?;
    if current != initial {
        // Another process refreshed (or logged in again) while we waited: use its tokens.
        return adopt(&initial, &current);
    }
    // The flight we queued behind failed with these very credentials: so would ours.
    if let Some(failure) = note::read(&flight_lock)
        && failure.applies(&tokens.refresh_token, waiting_since)
    {
        return Err(failure.into_error().into());
    }

    let issuer = ctx.issuer_for(tokens)?;
    let result = retry::grant(
        ctx.http()?,
        &issuer,
        &tokens.refresh_token,
        reason.grant_reason(),
        || ctx.now(),
    );
    let failure = match &result {
        Err(Error::OAuth(err)) => note::FailureNote::of(err, &tokens.refresh_token, ctx.now()),
        _ => None,
    };
    note::write(&flight_lock, failure.as_ref());
    let refreshed = result?;

    // Commit (spec §3.4): Codex's locks, re-read, yield to anything newer, else save.
    let guard = ctx.lock()?;
    ctx.invalidate();
    let stored = load(ctx).map_err(|err| match err {
        Error::NotLoggedIn(_) => Error::NotLoggedIn(
            "the credentials were removed while the access token was being refreshed; the new \
             tokens were discarded. Run `codex-creds login` to sign in again."
                .to_owned(),
        ),
        other => other,
    })?;
    if stored != current {
        drop(guard);
        return adopt(&current, &stored);
    }
    let updated = apply(&stored, tokens, refreshed, ctx.now());
    ctx.store().save(&updated, &guard)?;
    drop(guard);
    ctx.invalidate();
    Ok(RefreshOutcome::Refreshed {
        reason,
        expires_at: expiry(&updated),
    })
}

fn load(ctx: &Ctx) -> Result<AuthDotJson, Error> {
    match ctx.load()? {
        Some(loaded) => Ok(loaded.auth),
        None => Err(Error::not_logged_in()),
    }
}

fn stale_reason(
    ctx: &Ctx,
    auth: &AuthDotJson,
    tokens: &TokenData,
    min_validity: Duration,
    force: bool,
) -> Option<StaleReason> {
    if force {
        return Some(StaleReason::Forced);
    }
    let last_refresh = auth.last_refresh.as_ref().map(|l| l.at);
    match freshness(tokens, last_refresh, ctx.now(), min_validity) {
        Freshness::Fresh => None,
        Freshness::Stale(reason) => Some(reason),
    }
}

fn expiry(auth: &AuthDotJson) -> Option<DateTime<Utc>> {
    jwt::expires_at(auth.tokens.as_ref()?.access_token.expose())
}

/// Uses credentials another process stored, if they are still the same account's.
fn adopt(before: &AuthDotJson, now: &AuthDotJson) -> Result<RefreshOutcome, Error> {
    let account = |auth: &AuthDotJson| auth.chatgpt_tokens().and_then(|t| t.account_id.clone());
    if account(now).is_none() || account(now) != account(before) {
        return Err(account_changed());
    }
    Ok(RefreshOutcome::Adopted {
        expires_at: expiry(now),
    })
}

fn account_changed() -> Error {
    OAuthError::Permanent {
        message: "The access token could not be refreshed: the stored credentials have no \
                  ChatGPT account id, or now belong to another account."
            .to_owned(),
    }
    .into()
}

/// The stored auth with the new tokens; whatever the issuer left out is kept (spec §12).
fn apply(
    stored: &AuthDotJson,
    before: &TokenData,
    refreshed: Refreshed,
    now: DateTime<Utc>,
) -> AuthDotJson {
    let mut auth = stored.clone();
    let mut tokens = before.clone();
    if let Some(id_token) = refreshed.id_token {
        tokens.id_token = id_token;
    }
    tokens.access_token = refreshed.access_token;
    if let Some(refresh_token) = refreshed.refresh_token {
        tokens.refresh_token = refresh_token;
    }
    auth.tokens = Some(tokens);
    auth.last_refresh = Some(LastRefresh::new(now));
    auth
}
