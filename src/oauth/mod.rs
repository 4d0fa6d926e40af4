//! OAuth against the issuer (spec §2, §5–§7, §12). Speaks HTTP, never stores: every function
//! takes an [`Issuer`] and the [`crate::http::Http`] handle and returns values.

pub mod authorize;
pub mod browser;
pub mod device;
pub mod pkce;
pub mod refresh_grant;
pub mod reply;
pub mod revoke;
pub mod token;
pub mod whoami;

use crate::error::exit_code;

/// Codex's issuer and public client id (spec, "Defaults").
pub const DEFAULT_ISSUER: &str = "https://auth.openai.com";
pub const DEFAULT_CLIENT_ID: &str = "app_EMoamEEZ73f0CkXaXp7hrann";

/// The issuer and client, with every endpoint URL derived in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// Base URL without a trailing slash.
    pub base_url: String,
    pub client_id: String,
    /// `CODEX_REFRESH_TOKEN_URL_OVERRIDE`, used verbatim.
    pub refresh_url_override: Option<String>,
    /// `CODEX_REVOKE_TOKEN_URL_OVERRIDE`.
    pub revoke_url_override: Option<String>,
}

impl Issuer {
    pub fn new(base_url: &str, client_id: &str) -> Self {
        Issuer {
            base_url: base_url.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            refresh_url_override: None,
            revoke_url_override: None,
        }
    }

    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.base_url)
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.base_url)
    }

    /// Refresh endpoint (spec §12): the override verbatim, else `<issuer>/oauth/token`.
    pub fn refresh_url(&self) -> String {
        self.refresh_url_override
            .clone()
            .unwrap_or_else(|| self.token_url())
    }

    /// Revocation endpoint (spec §7): the revoke override, else the refresh override with its
    /// path replaced by `/oauth/revoke` and its query dropped, else `<issuer>/oauth/revoke`.
    pub fn revoke_url(&self) -> String {
        if let Some(url) = &self.revoke_url_override {
            return url.clone();
        }
        if let Some(refresh) = &self.refresh_url_override
            && let Ok(mut url) = url::Url::parse(refresh)
        {
            url.set_path("/oauth/revoke");
            url.set_query(None);
            url.set_fragment(None);
            return url.to_string();
        }
        format!("{}/oauth/revoke", self.base_url)
    }

    pub fn device_usercode_url(&self) -> String {
        format!("{}/api/accounts/deviceauth/usercode", self.base_url)
    }

    pub fn device_token_url(&self) -> String {
        format!("{}/api/accounts/deviceauth/token", self.base_url)
    }

    /// Where the user enters the device code.
    pub fn device_verification_url(&self) -> String {
        format!("{}/codex/device", self.base_url)
    }

    /// The redirect_uri of the device flow's code exchange (spec §6).
    pub fn device_redirect_uri(&self) -> String {
        format!("{}/deviceauth/callback", self.base_url)
    }
}

/// Why an OAuth exchange failed. Messages never contain a token.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The issuer rejected the refresh token for good: the user must log in again.
    #[error("{message}\nRun `codex-creds login` to sign in again.")]
    Permanent { message: String },
    /// The network or the server failed; trying again later may work.
    #[error("{0}")]
    Transient(String),
    /// The login could not be completed (denied, bad reply, workspace mismatch at the issuer).
    #[error("{0}")]
    Login(String),
    /// The network client could not be set up (bad CA bundle).
    #[error(transparent)]
    Setup(#[from] crate::http::HttpError),
}

impl OAuthError {
    pub fn exit_code(&self) -> u8 {
        match self {
            OAuthError::Permanent { .. } => exit_code::RELOGIN,
            OAuthError::Transient(_) => exit_code::NETWORK,
            OAuthError::Login(_) => exit_code::FAILURE,
            OAuthError::Setup(_) => exit_code::STORE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_spec() {
        let mut issuer = Issuer::new("https://auth.example.com/", "cid");
        assert_eq!(issuer.token_url(), "https://auth.example.com/oauth/token");
        assert_eq!(issuer.revoke_url(), "https://auth.example.com/oauth/revoke");
        issuer.refresh_url_override = Some("http://127.0.0.1:9/custom/token?x=1".into());
        assert_eq!(issuer.refresh_url(), "http://127.0.0.1:9/custom/token?x=1");
        assert_eq!(issuer.revoke_url(), "http://127.0.0.1:9/oauth/revoke");
        issuer.revoke_url_override = Some("http://r/revoke".into());
        assert_eq!(issuer.revoke_url(), "http://r/revoke");
    }
}
