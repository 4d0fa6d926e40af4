//! The refresh grant (spec §12): one POST to the refresh endpoint, and [`classify`], which
//! decides whether a failed reply means "log in again" or "try again later".

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::reply::{self, Body};
use super::{Issuer, OAuthError, redact};
use crate::auth_json::IdToken;
use crate::http::Http;
use crate::secret::Secret;

/// Why a refresh is made; sent as `refresh_reason` (spec §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshReason {
    /// The access token expires within the validity window.
    ProactiveExpiry,
    /// The access token has no `exp` and `last_refresh` is older than 8 days.
    Scheduled,
    /// The user asked for it (`codex-creds refresh`).
    Forced,
    /// The ChatGPT backend answered HTTP 401 (spec §12.1).
    UnauthorizedRecovery,
}

impl RefreshReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RefreshReason::ProactiveExpiry => "proactive_expiry",
            RefreshReason::Scheduled => "scheduled",
            RefreshReason::Forced => "forced",
            RefreshReason::UnauthorizedRecovery => "unauthorized_recovery",
        }
    }
}

/// Why the issuer refused the refresh token for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermanentReason {
    /// `refresh_token_expired`.
    Expired,
    /// `refresh_token_reused`: a rotated refresh token was presented again.
    Reused,
    /// `refresh_token_invalidated`.
    Revoked,
    /// `invalid_grant`, HTTP 401 or another code that ends the session.
    Other,
}

impl PermanentReason {
    /// What happened, in a sentence (the caller adds what to do next).
    pub fn message(self) -> &'static str {
        match self {
            PermanentReason::Expired => {
                "The access token could not be refreshed: the refresh token has expired."
            }
            PermanentReason::Reused => {
                "The access token could not be refreshed: the refresh token was already used \
                 (another program refreshed with it and received a new one)."
            }
            PermanentReason::Revoked => {
                "The access token could not be refreshed: the refresh token was revoked."
            }
            PermanentReason::Other => {
                "The access token could not be refreshed: the issuer no longer accepts the \
                 refresh token."
            }
        }
    }
}

/// The meaning of a failed reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Permanent(PermanentReason),
    /// `retryable`: worth trying again soon (429, 5xx); else only later (400, 403, 404…).
    Transient {
        retryable: bool,
    },
}

/// Classifies a non-success reply as Codex does (spec §12): the code comes from `error.code`,
/// else a string `error`, else the top-level `code`, lowercased.
pub fn classify(status: u16, body: &[u8]) -> Verdict {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let code = json.as_ref().and_then(error_code);
    match code.as_deref() {
        Some("refresh_token_expired") => return Verdict::Permanent(PermanentReason::Expired),
        Some("refresh_token_reused") => return Verdict::Permanent(PermanentReason::Reused),
        Some("refresh_token_invalidated") => return Verdict::Permanent(PermanentReason::Revoked),
        Some("invalid_grant") => return Verdict::Permanent(PermanentReason::Other),
        _ => {}
    }
    if status == 401 {
        return Verdict::Permanent(PermanentReason::Other);
    }
    Verdict::Transient {
        retryable: status == 429 || (500..600).contains(&status),
    }
}

fn error_code(json: &Value) -> Option<String> {
    let code = match json.get("error") {
        Some(Value::Object(error)) => error.get("code").and_then(Value::as_str),
        Some(Value::String(code)) => Some(code.as_str()),
        _ => None,
    }
    .or_else(|| json.get("code").and_then(Value::as_str))?;
    Some(code.to_ascii_lowercase())
}

/// What a refresh failure means, with a message that never contains a token.
#[derive(Debug)]
pub enum GrantError {
    Permanent(PermanentReason),
    /// `retry_after`: the wait the issuer asked for (`Retry-After`: seconds or a date), if any.
    Transient {
        message: String,
        retryable: bool,
        retry_after: Option<Duration>,
    },
}

impl From<GrantError> for OAuthError {
    fn from(err: GrantError) -> Self {
        match err {
            GrantError::Permanent(reason) => OAuthError::Permanent {
                message: reason.message().to_owned(),
            },
            GrantError::Transient { message, .. } => OAuthError::Transient(message),
        }
    }
}

/// The new tokens; whatever the issuer left out is kept from the stored ones.
#[derive(Debug, Clone)]
pub struct Refreshed {
    pub id_token: Option<IdToken>,
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
}

#[derive(Deserialize)]
struct Wire {
    id_token: Option<String>,
    access_token: Option<String>,
    refresh_token: Option<String>,
}

/// Sends the refresh grant (JSON, as Codex does) with the `default` client's headers; `now`
/// turns a dated `Retry-After` into a wait.
pub async fn refresh(
    http: &Http,
    issuer: &Issuer,
    refresh_token: &Secret,
    reason: RefreshReason,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Refreshed, GrantError> {
    let body = serde_json::json!({
        "client_id": issuer.client_id,
        "grant_type": "refresh_token",
        "refresh_reason": reason.as_str(),
        "refresh_token": refresh_token.expose(),
    });
    let transport = |err: reqwest::Error| GrantError::Transient {
        message: format!(
            "could not refresh the access token: {}",
            reply::describe_transport(&err)
        ),
        retryable: true,
        retry_after: None,
    };
    let response = http
        .default
        .post(issuer.refresh_url())
        .json(&body)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| parse_retry_after(value.to_str().ok()?, now));
    let body = reply::read_capped(response).await.map_err(transport)?;
    read_reply(status, &body, retry_after, refresh_token)
}

/// What the issuer's reply to the grant means: the new tokens, or why not. Pure, so that the
/// fuzz tests reach it; `retry_after` is the reply's parsed `Retry-After`; `refresh_token`
/// is redacted from any text of the reply that reaches the message.
pub(crate) fn read_reply(
    status: reqwest::StatusCode,
    body: &Body,
    retry_after: Option<Duration>,
    refresh_token: &Secret,
) -> Result<Refreshed, GrantError> {
    let Body { bytes, truncated } = body;
    if !status.is_success() {
        return Err(match classify(status.as_u16(), bytes) {
            Verdict::Permanent(reason) => GrantError::Permanent(reason),
            Verdict::Transient { retryable } => GrantError::Transient {
                message: format!(
                    "could not refresh the access token: the issuer replied HTTP {status}: {}",
                    failure_detail(bytes, *truncated, refresh_token)
                ),
                retryable,
                retry_after,
            },
        });
    }
    let bad = |what: &str| GrantError::Transient {
        message: format!(
            "could not refresh the access token: the issuer's reply (HTTP {status}) {what}"
        ),
        retryable: false,
        retry_after: None,
    };
    let wire: Wire = serde_json::from_slice(bytes).map_err(|_| bad("is not a token response"))?;
    let access_token = wire
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("has no access_token"))?;
    let id_token = match wire.id_token.filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => {
            Some(IdToken::parse(&raw).map_err(|_| bad("has an id_token that is not a JWT"))?)
        }
    };
    Ok(Refreshed {
        id_token,
        access_token: Secret::new(access_token),
        refresh_token: wire
            .refresh_token
            .filter(|t| !t.is_empty())
            .map(Secret::new),
    })
}

/// The server's explanation: `error.message` / `error_description`, else the body itself.
fn failure_detail(bytes: &[u8], truncated: bool, refresh_token: &Secret) -> String {
    let json: Option<Value> = serde_json::from_slice(bytes).ok();
    let message = json.as_ref().and_then(|json| {
        json.get("error")
            .and_then(|e| e.get("message"))
            .or_else(|| json.get("error_description"))
            .or_else(|| json.get("message"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let text = match message {
        Some(message) => message,
        None if bytes.is_empty() => "no details".to_owned(),
        None => {
            let mut text = String::from_utf8_lossy(bytes).into_owned();
            if truncated {
                text.push('…');
            }
            text
        }
    };
    redact::shown(&text, &[refresh_token])
}

/// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; a date in the past means
/// "now". Anything else is ignored, as if the header were absent.
pub(crate) fn parse_retry_after(
    value: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((when.to_utc() - now).to_std().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T08:49:30Z")
            .unwrap()
            .to_utc();
        let parse = |value| parse_retry_after(value, now);
        assert_eq!(parse(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse("Mon, 23 Nov 2026 08:49:37 GMT"),
            Some(Duration::from_secs(7))
        );
        assert_eq!(parse("Mon, 23 Nov 2026 08:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse("-3"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse(""), None);
    }

    fn verdict(status: u16, body: &str) -> Verdict {
        classify(status, body.as_bytes())
    }

    #[test]
    fn codes_that_end_the_session() {
        use PermanentReason::*;
        for (body, reason) in [
            (r#"{"error":{"code":"refresh_token_expired"}}"#, Expired),
            (r#"{"error":"REFRESH_TOKEN_REUSED"}"#, Reused),
            (r#"{"code":"refresh_token_invalidated"}"#, Revoked),
            (
                r#"{"error":"invalid_grant","error_description":"x"}"#,
                Other,
            ),
        ] {
            assert_eq!(verdict(400, body), Verdict::Permanent(reason), "{body}");
            assert_eq!(verdict(500, body), Verdict::Permanent(reason), "{body}");
        }
    }

    #[test]
    fn unauthorized_is_permanent_whatever_the_body() {
        assert_eq!(
            verdict(401, "garbage"),
            Verdict::Permanent(PermanentReason::Other)
        );
        assert_eq!(
            verdict(401, r#"{"error":{"code":"refresh_token_reused"}}"#),
            Verdict::Permanent(PermanentReason::Reused)
        );
    }

    #[test]
    fn server_trouble_is_retryable_and_the_rest_is_not() {
        for status in [429, 500, 502, 503, 504] {
            assert_eq!(
                verdict(status, "<html>"),
                Verdict::Transient { retryable: true }
            );
        }
        for status in [400, 403, 404] {
            assert_eq!(
                verdict(status, r#"{"error":"invalid_request"}"#),
                Verdict::Transient { retryable: false }
            );
        }
    }

    #[test]
    fn detail_prefers_the_message_and_hides_the_token() {
        let rt = Secret::new("rt-abc");
        assert_eq!(
            failure_detail(br#"{"error":{"message":"down for rt-abc"}}"#, false, &rt),
            "down for [REDACTED]"
        );
        assert_eq!(failure_detail(b"", false, &rt), "no details");
        assert_eq!(failure_detail(b"oops", true, &rt), "oops…");
    }

    #[test]
    fn reasons_have_wire_names() {
        assert_eq!(RefreshReason::ProactiveExpiry.as_str(), "proactive_expiry");
        assert_eq!(RefreshReason::Scheduled.as_str(), "scheduled");
        assert_eq!(RefreshReason::Forced.as_str(), "forced");
        assert_eq!(
            RefreshReason::UnauthorizedRecovery.as_str(),
            "unauthorized_recovery"
        );
    }
}
