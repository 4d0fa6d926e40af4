//! Codex's device-code login (spec §6): JSON `usercode` and `token` endpoints; an approved poll
//! yields an authorization code plus its PKCE verifier, exchanged like the browser's code.
//!
//! Polling follows the server's interval; pending, slow-down, expired and denied are distinct.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::reply::{self, server_error_text_without};
use super::{Issuer, OAuthError};
use crate::secret::Secret;

/// The interval when the server gives none (spec §6).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// Bounds on a server-chosen interval: never hammer, never stall.
pub(crate) const MIN_INTERVAL: Duration = Duration::from_secs(1);
pub(crate) const MAX_INTERVAL: Duration = Duration::from_secs(60);
/// RFC 8628 §3.5: on slow_down, wait 5 s longer from then on.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// A device code to show the user.
#[derive(Clone)]
pub struct DeviceCode {
    /// Whoever holds it (with the user code) can poll for the authorization code: not shown.
    pub device_auth_id: String,
    pub user_code: String,
    pub interval: Duration,
}

// Debug is hand-written: the device_auth_id is a bearer of the pending login.
impl std::fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCode")
            .field("device_auth_id", &"[REDACTED]")
            .field("user_code", &self.user_code)
            .field("interval", &self.interval)
            .finish()
    }
}

/// An approved device login: exchange it at the token endpoint with the device redirect URI.
#[derive(Debug)]
pub struct DeviceGrant {
    pub authorization_code: Secret,
    pub code_verifier: Secret,
}

/// One poll's answer.
#[derive(Debug)]
pub enum Poll {
    Pending,
    SlowDown,
    Approved(DeviceGrant),
}

/// `POST {issuer}/api/accounts/deviceauth/usercode`.
pub async fn request_code(
    client: &reqwest::Client,
    issuer: &Issuer,
) -> Result<DeviceCode, OAuthError> {
    let url = issuer.device_usercode_url();
    let body = serde_json::json!({ "client_id": issuer.client_id });
    let (status, body) = reply::send(&url, client.post(&url).json(&body)).await?;
    if status == reqwest::StatusCode::NOT_FOUND {
        // The way round it from a remote machine: the callback port forwarded over SSH
        // (spec §15; 1455 is the port the issuer accepts).
        return Err(OAuthError::Login(format!(
            "device-code login is not enabled on {} (404 from {url}). To enable it, turn on \
             \"device code authorization\" for Codex in ChatGPT's settings (Security), or ask \
             your workspace admin to allow it. Or use the browser login: `codex-creds login \
             --browser` on a machine with a browser; from a remote machine, run `codex-creds \
             login --no-browser --port 1455` there, forward the port from your own machine \
             with `ssh -L 1455:127.0.0.1:1455 HOST`, and open the printed URL in your browser",
            issuer.base_url
        )));
    }
    if !status.is_success() {
        return Err(status_error(
            "the device-code request",
            &url,
            status,
            &body,
            &[],
        ));
    }
    parse_code(&body).ok_or_else(|| {
        OAuthError::Transient(format!(
            "the device-code reply from {url} has no device_auth_id and user_code"
        ))
    })
}

/// The device code in a reply, or `None` without `device_auth_id` and `user_code`. Any
/// interval is safe (see [`bounded_interval`]).
pub(crate) fn parse_code(body: &[u8]) -> Option<DeviceCode> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let text = |key: &str| {
        value[key]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let interval = match &value["interval"] {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .and_then(bounded_interval)
    .unwrap_or(DEFAULT_INTERVAL);
    Some(DeviceCode {
        device_auth_id: text("device_auth_id")?,
        // `usercode` is accepted as an alias (spec §6).
        user_code: text("user_code").or_else(|| text("usercode"))?,
        interval,
    })
}

/// A server-chosen interval in seconds, clamped to [`MIN_INTERVAL`]..=[`MAX_INTERVAL`] while
/// still a float: `"1e20"` seconds overflows a `Duration`, and converting it first once aborted
/// the login with a panic (issue 8 item 8). NaN, infinities and negatives mean "none given".
fn bounded_interval(secs: f64) -> Option<Duration> {
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    let secs = secs.clamp(MIN_INTERVAL.as_secs_f64(), MAX_INTERVAL.as_secs_f64());
    Duration::try_from_secs_f64(secs).ok()
}

/// `POST {issuer}/api/accounts/deviceauth/token` once.
pub async fn poll(
    client: &reqwest::Client,
    issuer: &Issuer,
    code: &DeviceCode,
) -> Result<Poll, OAuthError> {
    let url = issuer.device_token_url();
    let body =
        serde_json::json!({ "device_auth_id": code.device_auth_id, "user_code": code.user_code });
    let (status, body) = reply::send(&url, client.post(&url).json(&body)).await?;
    poll_outcome(&url, status, &body, code)
}

/// Polls until the login is approved or refused: the first poll at once (spec §6), then one
/// per interval (longer after `slow_down`). A network or server failure is retried up to
/// `attempts` times in a row: one hiccup must not end a long wait. The caller bounds the wait.
pub async fn wait_for_approval(
    client: &reqwest::Client,
    issuer: &Issuer,
    code: &DeviceCode,
    attempts: u32,
) -> Result<DeviceGrant, OAuthError> {
    let mut interval = code.interval;
    let mut failures = 0;
    loop {
        match poll(client, issuer, code).await {
            Ok(Poll::Approved(grant)) => return Ok(grant),
            Ok(outcome) => {
                failures = 0;
                interval = next_interval(interval, &outcome);
            }
            Err(OAuthError::Transient(message)) if failures + 1 < attempts => {
                failures += 1;
                tracing::debug!(failures, "device poll failed, retrying: {message}");
            }
            Err(err) => return Err(err),
        }
        tokio::time::sleep(interval).await;
    }
}

/// What one poll's reply (from `url`) means. Pure, so that the fuzz tests reach it.
pub(crate) fn poll_outcome(
    url: &str,
    status: reqwest::StatusCode,
    body: &[u8],
    code: &DeviceCode,
) -> Result<Poll, OAuthError> {
    #[derive(Deserialize)]
    struct Approved {
        authorization_code: Secret,
        code_verifier: Secret,
    }
    if status.is_success() {
        let approved: Approved = serde_json::from_slice(body).map_err(|_| {
            OAuthError::Transient(format!(
                "the device-code approval from {url} has no authorization_code and code_verifier"
            ))
        })?;
        return Ok(Poll::Approved(DeviceGrant {
            authorization_code: approved.authorization_code,
            code_verifier: approved.code_verifier,
        }));
    }
    let error = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned));
    // RFC 8628's error codes first: Codex's "403 or 404 means pending" must not turn an
    // explicit denial or expiry into polling until the timeout.
    match (status.as_u16(), error.as_deref()) {
        (_, Some("authorization_pending")) => Ok(Poll::Pending),
        (_, Some("slow_down")) => Ok(Poll::SlowDown),
        (_, Some("expired_token")) => Err(OAuthError::Login(
            "the device code expired before the sign-in was approved; nothing was saved. Run \
             `codex-creds login --device-auth` again"
                .to_owned(),
        )),
        (_, Some("access_denied")) => Err(OAuthError::Login(
            "the sign-in was denied; nothing was saved".to_owned(),
        )),
        (403 | 404, _) => Ok(Poll::Pending),
        (429, _) => Ok(Poll::SlowDown),
        _ => Err(status_error(
            "device-code polling",
            url,
            status,
            body,
            &[&Secret::new(code.device_auth_id.as_str())],
        )),
    }
}

/// The wait before the next poll after `outcome`, growing on slow-down.
pub fn next_interval(current: Duration, outcome: &Poll) -> Duration {
    match outcome {
        Poll::SlowDown => (current + SLOW_DOWN_STEP).min(MAX_INTERVAL),
        Poll::Pending | Poll::Approved(_) => current,
    }
}

/// The failure of a device-code call; `redact`: the secrets the request carried.
fn status_error(
    what: &str,
    url: &str,
    status: reqwest::StatusCode,
    body: &[u8],
    redact: &[&Secret],
) -> OAuthError {
    let message = format!(
        "{what} at {url} failed with status {status}{}",
        server_error_text_without(body, redact)
            .map(|d| format!(": {d}"))
            .unwrap_or_default()
    );
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        OAuthError::Transient(message)
    } else {
        OAuthError::Login(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_may_be_a_number_or_a_string_and_is_bounded() {
        let code = |json: &str| parse_code(json.as_bytes()).unwrap().interval;
        assert_eq!(
            code(r#"{"device_auth_id":"d","user_code":"U","interval":"3"}"#),
            Duration::from_secs(3)
        );
        assert_eq!(
            code(r#"{"device_auth_id":"d","user_code":"U","interval":7}"#),
            Duration::from_secs(7)
        );
        assert_eq!(
            code(r#"{"device_auth_id":"d","user_code":"U"}"#),
            DEFAULT_INTERVAL
        );
        assert_eq!(
            code(r#"{"device_auth_id":"d","user_code":"U","interval":0}"#),
            MIN_INTERVAL
        );
        assert_eq!(
            code(r#"{"device_auth_id":"d","user_code":"U","interval":1e9}"#),
            MAX_INTERVAL
        );
        assert_eq!(
            parse_code(br#"{"device_auth_id":"d","usercode":"ALIAS"}"#)
                .unwrap()
                .user_code,
            "ALIAS"
        );
        assert!(parse_code(br#"{"user_code":"U"}"#).is_none());
    }

    #[test]
    fn any_interval_is_safe_and_bounded() {
        // Issue 8 item 8: "1e20" once reached Duration::from_secs_f64 before the clamp and
        // aborted the login with a panic.
        let code = |interval: &str| {
            parse_code(
                format!(r#"{{"device_auth_id":"d","user_code":"U","interval":{interval}}}"#)
                    .as_bytes(),
            )
            .unwrap()
            .interval
        };
        for huge in [
            r#""1e20""#,
            "1e20",
            "1e308",
            r#""1e308""#,
            "18446744073709551616",
            "184467440737095516150000",
            r#""18446744073709551616""#,
        ] {
            assert_eq!(code(huge), MAX_INTERVAL, "{huge}");
        }
        for junk in [
            r#""NaN""#,
            r#""nan""#,
            r#""inf""#,
            r#""-inf""#,
            r#""infinity""#,
            "-5",
            r#""-1e20""#,
            "-1e308",
            r#""""#,
            r#""soon""#,
            "null",
            "true",
            "[1]",
            "{}",
        ] {
            assert_eq!(code(junk), DEFAULT_INTERVAL, "{junk}");
        }
        assert_eq!(code("-0.0"), MIN_INTERVAL);
        assert_eq!(code("1e-300"), MIN_INTERVAL);
        assert_eq!(code(r#"" 2.5 ""#), Duration::from_millis(2500));
    }

    #[test]
    fn slow_down_adds_five_seconds() {
        let one = Duration::from_secs(1);
        assert_eq!(next_interval(one, &Poll::SlowDown), Duration::from_secs(6));
        assert_eq!(next_interval(one, &Poll::Pending), one);
    }
}
