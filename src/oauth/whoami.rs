//! Who a personal access token belongs to (spec §10.2): `GET {authapi}/v1/user-auth-credential/whoami`
//! with the token as a bearer, through the default client (originator + User-Agent).

use serde::Deserialize;

use super::OAuthError;
use super::reply::{self, server_error_text_without};
use crate::secret::Secret;

/// The path under the auth API base (`CODEX_AUTHAPI_BASE_URL`, else `{issuer}/api/accounts`).
pub const WHOAMI_PATH: &str = "/v1/user-auth-credential/whoami";

/// The account behind a personal access token (the fields codex-creds uses; the reply also has
/// `chatgpt_user_id` and `chatgpt_account_is_fedramp`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Whoami {
    pub email: Option<String>,
    pub chatgpt_account_id: Option<String>,
    pub chatgpt_plan_type: Option<String>,
}

/// Asks the auth API who `token` belongs to. A 401/403 means the token is not valid
/// ([`OAuthError::Login`]); a 5xx or a network failure is [`OAuthError::Transient`].
pub async fn whoami(
    client: &reqwest::Client,
    authapi_base: &str,
    token: &Secret,
) -> Result<Whoami, OAuthError> {
    let url = format!("{}{WHOAMI_PATH}", authapi_base.trim_end_matches('/'));
    let (status, body) = reply::send(&url, client.get(&url).bearer_auth(token.expose())).await?;
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        return Err(OAuthError::Login(format!(
            "{url} rejected the access token (status {status}); check that it is a valid, \
             unexpired personal access token"
        )));
    }
    if !status.is_success() {
        let message = format!(
            "{url} failed with status {status}{}",
            server_error_text_without(&body, &[token])
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        );
        return Err(if status.is_server_error() {
            OAuthError::Transient(message)
        } else {
            OAuthError::Login(message)
        });
    }
    serde_json::from_slice(&body)
        .map_err(|_| OAuthError::Transient(format!("{url} returned a reply that is not JSON")))
}
