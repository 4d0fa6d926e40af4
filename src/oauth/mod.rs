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

/// An issuer URL that tokens must not be sent to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssuerUrlError {
    #[error("the issuer `{0}` is not a URL")]
    NotAUrl(String),
    #[error(
        "the issuer `{0}` uses plain http: tokens may only be sent over https, except to a \
         loopback address (127.0.0.0/8, ::1, localhost)"
    )]
    Insecure(String),
    #[error("the issuer `{0}` is neither https nor http")]
    Scheme(String),
}

/// Checks that tokens may be sent to `base`: https anywhere, plain http only on loopback.
pub fn check_issuer_url(base: &str) -> Result<(), IssuerUrlError> {
    let shown = || base.chars().take(200).collect::<String>();
    let url = url::Url::parse(base).map_err(|_| IssuerUrlError::NotAUrl(shown()))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(IssuerUrlError::Insecure(shown())),
        _ => Err(IssuerUrlError::Scheme(shown())),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Which issuer refreshes or revokes stored tokens, and why (spec §12, issue #8): the issuer
/// that minted them (`oauth_provenance`) always; the explicit one (`--issuer`,
/// `CODEX_CREDS_ISSUER`) or Codex's default only for tokens without provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintingIssuer {
    pub issuer: Issuer,
    /// Set when an explicit issuer was given but the provenance won: a line for the user.
    pub overruled: Option<String>,
}

/// Resolves the issuer of stored tokens. `explicit` is `--issuer` or `CODEX_CREDS_ISSUER`;
/// `client_override` is `CODEX_CREDS_CLIENT_ID`; `provenance` is `(issuer, client_id)`.
pub fn minting_issuer(
    explicit: Option<&str>,
    client_override: Option<&str>,
    provenance: Option<(&str, &str)>,
) -> Result<MintingIssuer, IssuerUrlError> {
    let provenance = provenance.filter(|(issuer, _)| !issuer.is_empty());
    let Some((minted_by, minted_for)) = provenance else {
        let issuer = Issuer::new(
            explicit.unwrap_or(DEFAULT_ISSUER),
            client_override.unwrap_or(DEFAULT_CLIENT_ID),
        );
        return Ok(MintingIssuer {
            issuer,
            overruled: None,
        });
    };
    check_issuer_url(minted_by)?;
    let client_id = client_override
        .or(Some(minted_for).filter(|c| !c.is_empty()))
        .unwrap_or(DEFAULT_CLIENT_ID);
    let issuer = Issuer::new(minted_by, client_id);
    let overruled = explicit
        .filter(|explicit| Issuer::new(explicit, "").base_url != issuer.base_url)
        .map(|explicit| {
            format!(
                "using {}, the issuer that minted the stored tokens (oauth_provenance), not {}: \
                 tokens are only ever sent where they were minted",
                issuer.base_url,
                explicit.trim_end_matches('/')
            )
        });
    Ok(MintingIssuer { issuer, overruled })
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

    #[test]
    fn plain_http_is_allowed_only_on_loopback() {
        for ok in [
            "https://auth.openai.com",
            "http://127.0.0.1:8080",
            "http://127.5.0.1",
            "http://[::1]:9",
            "http://localhost:1455/x",
            "http://LOCALHOST",
        ] {
            assert_eq!(check_issuer_url(ok), Ok(()), "{ok}");
        }
        for insecure in [
            "http://other.example",
            "http://10.0.0.1",
            "http://localhost.evil.com",
        ] {
            assert!(
                matches!(check_issuer_url(insecure), Err(IssuerUrlError::Insecure(_))),
                "{insecure}"
            );
        }
        assert!(matches!(
            check_issuer_url("ftp://x"),
            Err(IssuerUrlError::Scheme(_))
        ));
        assert!(matches!(
            check_issuer_url("not a url"),
            Err(IssuerUrlError::NotAUrl(_))
        ));
    }

    #[test]
    fn stored_tokens_go_to_the_issuer_that_minted_them() {
        let minted = Some(("https://auth.openai.com/", "app_x"));
        let chosen = minting_issuer(Some("https://other.example"), None, minted).unwrap();
        assert_eq!(chosen.issuer.base_url, "https://auth.openai.com");
        assert_eq!(chosen.issuer.client_id, "app_x");
        let note = chosen.overruled.unwrap();
        assert!(note.contains("https://auth.openai.com") && note.contains("other.example"));

        let same = minting_issuer(Some("https://auth.openai.com"), None, minted).unwrap();
        assert_eq!(same.overruled, None, "no line when they agree");

        let unmarked = minting_issuer(Some("https://other.example"), Some("cid"), None).unwrap();
        assert_eq!(unmarked.issuer.base_url, "https://other.example");
        assert_eq!(unmarked.issuer.client_id, "cid");
        assert_eq!(unmarked.overruled, None);

        let default = minting_issuer(None, None, Some(("", ""))).unwrap();
        assert_eq!(
            default.issuer,
            Issuer::new(DEFAULT_ISSUER, DEFAULT_CLIENT_ID)
        );
    }

    #[test]
    fn a_provenance_over_plain_http_is_refused() {
        let err = minting_issuer(None, None, Some(("http://evil.example", "c"))).unwrap_err();
        assert!(matches!(err, IssuerUrlError::Insecure(_)));
    }
}
