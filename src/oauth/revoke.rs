//! Token revocation at the issuer (spec §7): best effort, bounded by a short timeout. The
//! refresh token when there is one, else the access token.

use std::time::Duration;

use super::reply;
use super::{Issuer, OAuthError};
use crate::auth_json::TokenData;
use crate::http::Http;
use crate::redact;

/// Codex gives revocation 10 s; a lower `CODEX_CREDS_HTTP_TIMEOUT` wins.
const REVOKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Revokes the refresh token (or, without one, the access token) at `issuer.revoke_url()`.
/// Errors are for a warning: the caller goes on regardless.
pub async fn revoke(http: &Http, issuer: &Issuer, tokens: &TokenData) -> Result<(), OAuthError> {
    let body = if tokens.refresh_token.is_empty() {
        serde_json::json!({
            "token": tokens.access_token.expose(),
            "token_type_hint": "access_token",
        })
    } else {
        serde_json::json!({
            "token": tokens.refresh_token.expose(),
            "token_type_hint": "refresh_token",
            "client_id": issuer.client_id,
        })
    };
    let failed = |what: String| {
        OAuthError::Transient(format!("could not revoke the token at the issuer: {what}"))
    };
    let response = http
        .default
        .post(issuer.revoke_url())
        .timeout(REVOKE_TIMEOUT.min(http.timeout))
        .json(&body)
        .send()
        .await
        .map_err(|err| failed(reply::describe_transport(&err)))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let detail = match reply::read_capped(response).await {
        Ok(body) => redact::shown(
            &String::from_utf8_lossy(&body.bytes),
            &[&tokens.refresh_token, &tokens.access_token],
        ),
        Err(err) => reply::describe_transport(&err),
    };
    Err(failed(format!("HTTP {status}: {detail}")))
}
