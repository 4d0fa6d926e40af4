//! The `tokens` object of auth.json and its parts (the id_token with its claims, the provenance,
//! `last_refresh`), as values. Debug is hand-written: it never prints a token.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

use crate::jwt::{self, IdClaims};
use crate::secret::Secret;

/// The decoded id_token: the raw JWT (what is written back) and its claims.
#[derive(Clone, PartialEq, Eq)]
pub struct IdToken {
    pub raw: Secret,
    pub claims: IdClaims,
}

impl IdToken {
    /// Parses a raw id_token as Codex does: it must be a JWT with a JSON-object payload.
    pub fn parse(raw: &str) -> Result<Self, jwt::JwtError> {
        Ok(IdToken {
            claims: jwt::id_claims(raw)?,
            raw: Secret::new(raw),
        })
    }
}

/// `tokens.oauth_provenance`: which issuer and client minted the tokens (refresh uses it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OAuthProvenance {
    pub issuer: String,
    pub client_id: String,
}

/// The `tokens` object.
#[derive(Clone, PartialEq)]
pub struct TokenData {
    pub id_token: IdToken,
    pub access_token: Secret,
    pub refresh_token: Secret,
    pub oauth_provenance: Option<OAuthProvenance>,
    pub login_owner_id: Option<String>,
    pub account_id: Option<String>,
    /// Keys inside `tokens` we do not know, kept for the rewrite.
    pub extra: Map<String, Value>,
}

/// `last_refresh`: the text as stored (rewritten unchanged) and its instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastRefresh {
    pub(super) raw: String,
    pub at: DateTime<Utc>,
}

impl LastRefresh {
    /// Codex's format: RFC 3339 UTC with 9 fractional digits and `Z`.
    pub fn new(at: DateTime<Utc>) -> Self {
        LastRefresh {
            raw: at.to_rfc3339_opts(SecondsFormat::Nanos, true),
            at,
        }
    }
}

impl std::fmt::Debug for TokenData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenData")
            .field("id_token", &self.id_token)
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("oauth_provenance", &self.oauth_provenance)
            .field("account_id", &self.account_id)
            .field("extra_keys", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl std::fmt::Debug for IdToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdToken")
            .field("raw", &self.raw)
            .field("claims", &self.claims)
            .finish()
    }
}
