//! The token endpoint for logins: the authorization-code exchange (spec §5.4, §6) and the
//! best-effort API-key token exchange (spec §5.5). Form bodies, Codex's plain client.
//!
//! Replies are read through [`super::reply`]: size-capped, and what a server says is shown only
//! as a short, cleaned excerpt; no token ever reaches an error message.

use serde::Deserialize;

use super::reply::{self, server_error_text_without};
use super::{Issuer, OAuthError};
use crate::secret::Secret;

/// What a successful code exchange returns.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub id_token: Secret,
    pub access_token: Secret,
    pub refresh_token: Secret,
}

/// `POST {issuer}/oauth/token` with `grant_type=authorization_code`.
///
/// A 4xx reply is a failed login ([`OAuthError::Login`]); a 5xx, a network failure or an
/// unreadable reply is [`OAuthError::Transient`].
pub async fn exchange_code(
    client: &reqwest::Client,
    issuer: &Issuer,
    code: &Secret,
    redirect_uri: &str,
    verifier: &Secret,
) -> Result<TokenResponse, OAuthError> {
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", issuer.client_id.as_str()),
        ("code", code.expose()),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier.expose()),
    ];
    let url = issuer.token_url();
    let (status, body) = reply::send(&url, client.post(&url).form(&form)).await?;
    if !status.is_success() {
        let detail = server_error_text_without(&body, &[code, verifier]);
        let message = format!(
            "the token exchange at {url} failed with status {status}{}",
            detail.map(|d| format!(": {d}")).unwrap_or_default()
        );
        return Err(if status.is_server_error() {
            OAuthError::Transient(message)
        } else {
            OAuthError::Login(message)
        });
    }
    let tokens: TokenResponse = serde_json::from_slice(&body).map_err(|_| {
        OAuthError::Transient(format!(
            "the token exchange at {url} returned a reply without id_token, access_token and \
             refresh_token"
        ))
    })?;
    if tokens.id_token.is_empty() || tokens.access_token.is_empty() {
        return Err(OAuthError::Transient(format!(
            "the token exchange at {url} returned empty tokens"
        )));
    }
    Ok(tokens)
}

/// The API-key token exchange: an id_token in, an `OPENAI_API_KEY` out (spec §5.5). Callers
/// treat a failure as "no key", as Codex does.
pub async fn exchange_api_key(
    client: &reqwest::Client,
    issuer: &Issuer,
    id_token: &Secret,
) -> Result<Secret, OAuthError> {
    #[derive(Deserialize)]
    struct KeyResponse {
        access_token: Secret,
    }
    let form = [
        (
            "grant_type",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        ),
        ("client_id", issuer.client_id.as_str()),
        ("requested_token", "openai-api-key"),
        ("subject_token", id_token.expose()),
        (
            "subject_token_type",
            "urn:ietf:params:oauth:token-type:id_token",
        ),
    ];
    let url = issuer.token_url();
    let (status, body) = reply::send(&url, client.post(&url).form(&form)).await?;
    if !status.is_success() {
        return Err(OAuthError::Login(format!(
            "the API-key exchange failed with status {status}"
        )));
    }
    let key: KeyResponse = serde_json::from_slice(&body).map_err(|_| {
        OAuthError::Transient("the API-key exchange returned no access_token".to_owned())
    })?;
    if key.access_token.is_empty() {
        return Err(OAuthError::Transient(
            "the API-key exchange returned an empty key".to_owned(),
        ));
    }
    Ok(key.access_token)
}
