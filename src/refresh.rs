//! Keeping the ChatGPT access token fresh (spec §2, §3.4, §12): [`freshness`] decides (pure);
//! [`ensure_fresh`] refreshes single-flight across codex-creds processes and commits with
//! Codex's protocol, so neither a Codex process nor another codex-creds ever loses its tokens.
//!
//! The flight: take our refresh lock → re-read → another process refreshed meanwhile? adopt its
//! tokens (unless they expired too) → did the flight we queued behind fail with these
//! credentials? fail alike → HTTP (bounded retries, see `retry`) → `commit`.
//! Once the grant is sent the old refresh token may be dead, so from then on the new tokens are
//! stored or kept in a recovery file, never dropped; termination signals wait for the commit.
//! [`backend_call`] runs ChatGPT backend calls with the token kept fresh this way (and
//! [`recover_unauthorized`] after a 401).

pub mod backend_call;
#[cfg(test)]
mod backend_call_tests;
mod commit;
mod deps;
#[cfg(test)]
mod fakes;
#[cfg(test)]
mod flight_tests;
mod note;
mod retry;
#[cfg(test)]
mod tests;

use std::time::Duration;

use chrono::{DateTime, Utc};

#[cfg(test)]
pub use deps::Paths;
pub use deps::{Deps, Services};

use crate::auth_json::{AuthDotJson, AuthMode, TokenData};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::jwt;
use crate::lock;
use crate::oauth::OAuthError;
use crate::oauth::refresh_grant::RefreshReason;
use crate::signals;
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
    /// The ChatGPT backend refused the access token (HTTP 401, spec §12.1).
    Unauthorized,
}

impl StaleReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StaleReason::Expired => "expired",
            StaleReason::ExpiresSoon => "expires_soon",
            StaleReason::Scheduled => "scheduled",
            StaleReason::Forced => "forced",
            StaleReason::Unauthorized => "unauthorized",
        }
    }

    fn grant_reason(self) -> RefreshReason {
        match self {
            StaleReason::Expired | StaleReason::ExpiresSoon => RefreshReason::ProactiveExpiry,
            StaleReason::Scheduled => RefreshReason::Scheduled,
            StaleReason::Forced => RefreshReason::Forced,
            StaleReason::Unauthorized => RefreshReason::UnauthorizedRecovery,
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
    /// The refresh failed for now (network, 5xx), but the stored access token is still valid
    /// and is used, as Codex does; `warning` says so in one line.
    KeptAfterFailure {
        expires_at: Option<DateTime<Utc>>,
        warning: String,
    },
    /// These credentials have nothing to refresh (API key, personal access token, …).
    NotRefreshable(AuthMode),
}

/// Makes sure the stored access token is valid for `min_validity` (or refreshes anyway when
/// `force`), single-flight across processes. Until the grant is sent the store is untouched on
/// every failure; after it, the new tokens are saved, or kept in a recovery file.
pub fn ensure_fresh(
    deps: &Deps,
    min_validity: Duration,
    force: bool,
) -> Result<RefreshOutcome, Error> {
    flight(deps, min_validity, force.then_some(StaleReason::Forced))
}

/// After the ChatGPT backend refused `used` with an HTTP 401 (spec §12.1): the guarded reload
/// (the stored login must still be `used`'s account; when its access token is already another
/// one, that one is used with nothing sent), else one refresh with `refresh_reason =
/// unauthorized_recovery`, single-flight like [`ensure_fresh`].
pub fn recover_unauthorized(deps: &Deps, used: &TokenData) -> Result<RefreshOutcome, Error> {
    let stored = load(deps)?;
    let tokens = stored.chatgpt_tokens().ok_or_else(account_changed)?;
    if tokens.account_id.is_none() || tokens.account_id != used.account_id {
        return Err(account_changed());
    }
    if tokens.access_token != used.access_token {
        return Ok(RefreshOutcome::Adopted {
            expires_at: expiry(&stored),
        });
    }
    flight(deps, Duration::ZERO, Some(StaleReason::Unauthorized))
}

/// The flight behind [`ensure_fresh`] and [`recover_unauthorized`]; `forced` refreshes
/// whatever the token's expiry, for that reason.
fn flight(
    deps: &Deps,
    min_validity: Duration,
    forced: Option<StaleReason>,
) -> Result<RefreshOutcome, Error> {
    let force = forced.is_some();
    let initial = load(deps)?;
    let Some(tokens) = initial.chatgpt_tokens() else {
        return Ok(RefreshOutcome::NotRefreshable(initial.mode()));
    };
    let now = deps.now();
    let Some(reason) = stale_reason(&initial, tokens, now, min_validity, forced) else {
        return Ok(RefreshOutcome::Fresh {
            expires_at: expiry(&initial),
        });
    };
    refreshable(tokens)?;
    // Refuse an issuer the tokens must not go to before anything is locked or written.
    deps.services.issuer_for(tokens)?;

    let waiting_since = deps.now();
    let flight = lock::exclusive(&deps.paths.flight_lock, FLIGHT_WAIT).map_err(StoreError::from)?;
    let current = load(deps)?;
    let tokens = same_account(&initial, &current)?;
    if tokens_changed(&initial, &current) && !expired(&current, deps.now()) {
        // Another process refreshed (or logged in again) while we waited: use its tokens. They
        // need not meet `min_validity`: the issuer decides how long a token lives.
        return Ok(RefreshOutcome::Adopted {
            expires_at: expiry(&current),
        });
    }
    refreshable(tokens)?;
    // The flight we queued behind failed with these very credentials: so would ours.
    if let Some(failure) = note::read(&flight)
        && failure.applies(&tokens.refresh_token, waiting_since)
    {
        return kept_or_failed(&current, failure.into_error(), force, deps.now());
    }

    let issuer = deps.services.issuer_for(tokens)?;
    let http = deps.services.http()?;
    // From here the old refresh token may be dead at the issuer: a Ctrl-C or SIGTERM waits
    // until the new tokens are stored.
    let _signals = signals::Deferred::now();
    let result = retry::grant(
        http,
        &issuer,
        &tokens.refresh_token,
        reason.grant_reason(),
        || deps.now(),
    );
    let failure = match &result {
        Err(err) => note::FailureNote::of(err, &tokens.refresh_token, deps.now()),
        Ok(_) => None,
    };
    note::write(&flight, failure.as_ref());
    let refreshed = match result {
        Ok(refreshed) => refreshed,
        Err(err) => return kept_or_failed(&current, err, force, deps.now()),
    };
    commit::commit(deps, &current, refreshed, reason)
}

/// [`ensure_fresh`] with the context's store, locks, network, issuer and clock. The context's
/// cached load is dropped afterwards, so the caller reads what the flight left.
pub fn ensure_fresh_in(
    ctx: &mut Ctx,
    min_validity: Duration,
    force: bool,
) -> Result<RefreshOutcome, Error> {
    let result = ctx
        .create_home()
        .map_err(Error::from)
        .and_then(|()| ensure_fresh(&Deps::of(ctx)?, min_validity, force));
    ctx.invalidate();
    result
}

/// [`recover_unauthorized`] with the context's store, locks, network, issuer and clock; the
/// context's cached load is dropped afterwards.
pub fn recover_unauthorized_in(ctx: &mut Ctx, used: &TokenData) -> Result<RefreshOutcome, Error> {
    let result = ctx
        .create_home()
        .map_err(Error::from)
        .and_then(|()| recover_unauthorized(&Deps::of(ctx)?, used));
    ctx.invalidate();
    result
}

fn load(deps: &Deps) -> Result<AuthDotJson, Error> {
    match deps.store.load()? {
        Some(loaded) => Ok(loaded.auth),
        None => Err(Error::not_logged_in()),
    }
}

fn stale_reason(
    auth: &AuthDotJson,
    tokens: &TokenData,
    now: DateTime<Utc>,
    min_validity: Duration,
    forced: Option<StaleReason>,
) -> Option<StaleReason> {
    if forced.is_some() {
        return forced;
    }
    let last_refresh = auth.last_refresh.as_ref().map(|l| l.at);
    match freshness(tokens, last_refresh, now, min_validity) {
        Freshness::Fresh => None,
        Freshness::Stale(reason) => Some(reason),
    }
}

/// Refuses tokens Codex would not refresh either (spec §12: no account id, no refresh token).
fn refreshable(tokens: &TokenData) -> Result<(), Error> {
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
    Ok(())
}

fn expiry(auth: &AuthDotJson) -> Option<DateTime<Utc>> {
    jwt::expires_at(auth.tokens.as_ref()?.access_token.expose())
}

/// Whether the access token has expired (unknown expiry: not known to be expired).
fn expired(auth: &AuthDotJson, now: DateTime<Utc>) -> bool {
    expiry(auth).is_some_and(|exp| exp <= now)
}

/// The tokens of `now`, if they still belong to the account of `before` (spec §12's guarded
/// reload); else the "signed in to another account" failure.
fn same_account<'a>(before: &AuthDotJson, now: &'a AuthDotJson) -> Result<&'a TokenData, Error> {
    let account = |auth: &AuthDotJson| auth.chatgpt_tokens().and_then(|t| t.account_id.clone());
    match now.chatgpt_tokens() {
        Some(tokens) if account(now).is_some() && account(now) == account(before) => Ok(tokens),
        _ => Err(account_changed()),
    }
}

/// Whether another process replaced the tokens (a refresh, or a new login of the account).
/// Only the tokens count: a rewrite that leaves them alone (a new unknown key, a reordered
/// file) is not a refresh.
fn tokens_changed(before: &AuthDotJson, now: &AuthDotJson) -> bool {
    match (before.chatgpt_tokens(), now.chatgpt_tokens()) {
        (Some(a), Some(b)) => {
            a.refresh_token != b.refresh_token || a.access_token != b.access_token
        }
        _ => true,
    }
}

/// After a failed grant: a transient failure with a still-valid access token keeps it (unless
/// the refresh was forced), as Codex does; anything else is the error.
fn kept_or_failed(
    current: &AuthDotJson,
    err: OAuthError,
    force: bool,
    now: DateTime<Utc>,
) -> Result<RefreshOutcome, Error> {
    match err {
        OAuthError::Transient(message) if !force && !expired(current, now) => {
            let expires_at = expiry(current);
            let until = expires_at
                .map(|at| format!(" until {}", crate::output::timestamp(at)))
                .unwrap_or_default();
            let first_line = message.lines().next().unwrap_or_default().to_owned();
            Ok(RefreshOutcome::KeptAfterFailure {
                expires_at,
                warning: format!(
                    "{first_line}; the stored access token is still valid{until}, so it is used"
                ),
            })
        }
        other => Err(other.into()),
    }
}

fn account_changed() -> Error {
    OAuthError::Permanent {
        message: "The access token could not be refreshed: the stored credentials have no \
                  ChatGPT account id, or now belong to another account."
            .to_owned(),
    }
    .into()
}
