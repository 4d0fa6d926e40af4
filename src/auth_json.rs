//! auth.json exactly as Codex writes it (spec §1): key order, 2-space pretty form with no trailing
//! newline, `OPENAI_API_KEY` always present, and the mode resolved in one place ([`AuthDotJson::mode`]).
//!
//! Unlike Codex, keys we do not know are kept, in their order, after the known ones.
//!
//! This file holds the document model; `wire` parses and writes its text, `tokens` holds the
//! `tokens` object.

mod locate;
mod tokens;
mod wire;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::secret::Secret;

pub use locate::Position;
pub use tokens::{IdToken, LastRefresh, OAuthProvenance, TokenData};

/// How the stored credentials authenticate (the wire enum of `auth_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    ApiKey,
    ChatGpt,
    ChatGptAuthTokens,
    Headers,
    AgentIdentity,
    PersonalAccessToken,
    BedrockApiKey,
    BedrockAccessKeys,
}

impl AuthMode {
    const ALL: [AuthMode; 8] = [
        AuthMode::ApiKey,
        AuthMode::ChatGpt,
        AuthMode::ChatGptAuthTokens,
        AuthMode::Headers,
        AuthMode::AgentIdentity,
        AuthMode::PersonalAccessToken,
        AuthMode::BedrockApiKey,
        AuthMode::BedrockAccessKeys,
    ];

    /// The wire name, as in `auth_mode`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::ApiKey => "apikey",
            AuthMode::ChatGpt => "chatgpt",
            AuthMode::ChatGptAuthTokens => "chatgptAuthTokens",
            AuthMode::Headers => "headers",
            AuthMode::AgentIdentity => "agentIdentity",
            AuthMode::PersonalAccessToken => "personalAccessToken",
            AuthMode::BedrockApiKey => "bedrockApiKey",
            AuthMode::BedrockAccessKeys => "bedrockAccessKeys",
        }
    }

    fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|mode| mode.as_str() == name)
    }

    /// The mode named `name` as in `auth_mode` (e.g. from saved account metadata).
    pub fn from_wire_name(name: &str) -> Option<Self> {
        Self::from_wire(name)
    }

    /// A human description ("API key", "ChatGPT", …).
    pub fn describe(self) -> &'static str {
        match self {
            AuthMode::ApiKey => "API key",
            AuthMode::ChatGpt | AuthMode::ChatGptAuthTokens => "ChatGPT",
            AuthMode::Headers => "external headers",
            AuthMode::AgentIdentity => "agent identity",
            AuthMode::PersonalAccessToken => "personal access token",
            AuthMode::BedrockApiKey => "Amazon Bedrock API key",
            AuthMode::BedrockAccessKeys => "Amazon Bedrock AWS access keys",
        }
    }
}

/// The whole auth.json document.
#[derive(Clone, PartialEq)]
pub struct AuthDotJson {
    pub auth_mode: Option<AuthMode>,
    pub openai_api_key: Option<Secret>,
    pub tokens: Option<TokenData>,
    pub last_refresh: Option<LastRefresh>,
    /// Agent identity (string or object): kept as is; it may hold a private key.
    pub agent_identity: Option<Value>,
    pub personal_access_token: Option<Secret>,
    /// Bedrock credentials: kept as is; they hold secrets.
    pub bedrock_api_key: Option<Value>,
    pub bedrock_access_keys: Option<Value>,
    /// Top-level keys we do not know, kept for the rewrite.
    pub extra: Map<String, Value>,
}

/// Why auth.json (or a keyring value) could not be read. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthFileError {
    #[error("invalid JSON at line {line} column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// `at`: where the field is, or the object it is missing from.
    #[error("`{field}` {message}{}", .at.map(|at| format!(" (at {at})")).unwrap_or_default())]
    Field {
        field: String,
        message: String,
        at: Option<Position>,
    },
}

impl AuthDotJson {
    /// An API-key login (spec §10.1): replaces everything else.
    pub fn from_api_key(key: Secret) -> Self {
        AuthDotJson {
            auth_mode: Some(AuthMode::ApiKey),
            openai_api_key: Some(key),
            ..Self::empty()
        }
    }

    /// A personal-access-token login (spec §1.4): no `auth_mode`, on purpose.
    pub fn from_personal_access_token(token: Secret) -> Self {
        AuthDotJson {
            personal_access_token: Some(token),
            ..Self::empty()
        }
    }

    /// A ChatGPT login (spec §5.5), with the key from the token exchange when there was one.
    pub fn from_chatgpt(tokens: TokenData, api_key: Option<Secret>, now: DateTime<Utc>) -> Self {
        AuthDotJson {
            auth_mode: Some(AuthMode::ChatGpt),
            openai_api_key: api_key,
            tokens: Some(tokens),
            last_refresh: Some(LastRefresh::new(now)),
            ..Self::empty()
        }
    }

    fn empty() -> Self {
        AuthDotJson {
            auth_mode: None,
            openai_api_key: None,
            tokens: None,
            last_refresh: None,
            agent_identity: None,
            personal_access_token: None,
            bedrock_api_key: None,
            bedrock_access_keys: None,
            extra: Map::new(),
        }
    }

    /// The resolved mode (spec §1.3): `auth_mode` when present, else inferred.
    pub fn mode(&self) -> AuthMode {
        if let Some(mode) = self.auth_mode {
            return match mode {
                // Stored on disk, external tokens load as ChatGPT (spec §1.3).
                AuthMode::ChatGptAuthTokens => AuthMode::ChatGpt,
                other => other,
            };
        }
        if self.personal_access_token.is_some() {
            AuthMode::PersonalAccessToken
        } else if self.bedrock_api_key.is_some() {
            AuthMode::BedrockApiKey
        } else if self.openai_api_key.is_some() {
            AuthMode::ApiKey
        } else {
            AuthMode::ChatGpt
        }
    }

    /// The ChatGPT tokens, when the resolved mode is ChatGPT (other modes' tokens are ignored).
    pub fn chatgpt_tokens(&self) -> Option<&TokenData> {
        match self.mode() {
            AuthMode::ChatGpt | AuthMode::ChatGptAuthTokens => self.tokens.as_ref(),
            AuthMode::ApiKey
            | AuthMode::Headers
            | AuthMode::AgentIdentity
            | AuthMode::PersonalAccessToken
            | AuthMode::BedrockApiKey
            | AuthMode::BedrockAccessKeys => None,
        }
    }

    /// The bearer a request would carry for these credentials, if they have one.
    pub fn bearer(&self) -> Option<&str> {
        match self.mode() {
            AuthMode::ApiKey => self.openai_api_key.as_ref().map(|k| k.expose()),
            AuthMode::ChatGpt | AuthMode::ChatGptAuthTokens => {
                self.tokens.as_ref().map(|t| t.access_token.expose())
            }
            AuthMode::PersonalAccessToken => {
                self.personal_access_token.as_ref().map(|t| t.expose())
            }
            AuthMode::Headers
            | AuthMode::AgentIdentity
            | AuthMode::BedrockApiKey
            | AuthMode::BedrockAccessKeys => None,
        }
    }

    /// The workspace (ChatGPT account) id used by restrictions: the id_token claim (spec §11).
    pub fn workspace_id(&self) -> Option<&str> {
        self.tokens.as_ref()?.id_token.claims.account_id.as_deref()
    }
}

// Debug is hand-written: it names what is present and never prints a value.
impl std::fmt::Debug for AuthDotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthDotJson")
            .field("mode", &self.mode())
            .field("openai_api_key", &self.openai_api_key)
            .field("tokens", &self.tokens)
            .field("last_refresh", &self.last_refresh.as_ref().map(|l| l.at))
            .field(
                "agent_identity",
                &self.agent_identity.as_ref().map(|_| "[REDACTED]"),
            )
            .field("personal_access_token", &self.personal_access_token)
            .field(
                "bedrock",
                &(self.bedrock_api_key.is_some() || self.bedrock_access_keys.is_some()),
            )
            .field("extra_keys", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}
