//! The refresh grant with bounded retries: network errors, timeouts, 429 and 5xx are tried
//! again after a backoff (longer when the issuer asks, up to a cap); anything else is final.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::http::Http;
use crate::oauth::refresh_grant::{self, GrantError, RefreshReason, Refreshed};
use crate::oauth::{Issuer, OAuthError};
use crate::secret::Secret;

/// The pauses between attempts: three attempts in all.
const BACKOFF: [Duration; 2] = [Duration::from_millis(500), Duration::from_millis(1500)];
/// The longest `Retry-After` we wait out; beyond it we stop and report.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// Runs the grant until it succeeds, fails for good, or the attempts run out; `now` is the
/// program's clock.
#[allow(clippy::disallowed_methods)] // the backoff between attempts
pub fn grant(
    http: &Http,
    issuer: &Issuer,
    refresh_token: &Secret,
    reason: RefreshReason,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<Refreshed, OAuthError> {
    let mut pauses = BACKOFF.iter();
    let mut attempts = 1;
    loop {
        let err = match http.block_on(refresh_grant::refresh(
            http,
            issuer,
            refresh_token,
            reason,
            now(),
        )) {
            Ok(refreshed) => return Ok(refreshed),
            Err(err) => err,
        };
        let (message, retryable, retry_after) = match err {
            GrantError::Permanent(_) => return Err(OAuthError::from(err)),
            GrantError::Transient {
                message,
                retryable,
                retry_after,
            } => (message, retryable, retry_after),
        };
        let too_long = retry_after.filter(|wait| *wait > MAX_RETRY_AFTER);
        match pauses.next() {
            Some(pause) if retryable && too_long.is_none() => {
                std::thread::sleep((*pause).max(retry_after.unwrap_or_default()));
                attempts += 1;
            }
            _ => {
                let mut note = String::new();
                if attempts > 1 {
                    note = format!(" ({attempts} attempts)");
                }
                if let Some(wait) = too_long {
                    note.push_str(&format!(" (the issuer asks to wait {}s)", wait.as_secs()));
                }
                return Err(OAuthError::Transient(format!(
                    "{message}{note}.\nThe stored credentials are unchanged; try again later."
                )));
            }
        }
    }
}
