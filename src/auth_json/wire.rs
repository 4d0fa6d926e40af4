//! auth.json text <-> [`AuthDotJson`]: parsing that rejects what Codex cannot load (with errors
//! that never quote a secret), and writing in Codex's key order and form.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{AuthDotJson, AuthFileError, AuthMode, IdToken, LastRefresh, TokenData};
use crate::secret::Secret;

impl AuthDotJson {
    /// Parses auth.json bytes; rejects what Codex cannot load, so both tools agree.
    pub fn parse(bytes: &[u8]) -> Result<Self, AuthFileError> {
        let value: Value = serde_json::from_slice(bytes).map_err(|err| AuthFileError::Syntax {
            line: err.line(),
            column: err.column(),
            message: syntax_message(&err),
        })?;
        let Value::Object(mut map) = value else {
            return Err(field_error("(top level)", "must be a JSON object"));
        };
        let auth_mode = match take::<String>(&mut map, "auth_mode")? {
            None => None,
            Some(name) => Some(AuthMode::from_wire(&name).ok_or_else(|| {
                field_error(
                    "auth_mode",
                    &format!("has an unknown value {}", shown_mode(&name)),
                )
            })?),
        };
        let tokens = match map.shift_remove("tokens") {
            None | Some(Value::Null) => None,
            Some(Value::Object(tokens)) => Some(parse_tokens(tokens)?),
            Some(_) => return Err(field_error("tokens", "must be an object")),
        };
        let last_refresh = match take::<String>(&mut map, "last_refresh")? {
            None => None,
            Some(raw) => {
                let at = DateTime::parse_from_rfc3339(&raw)
                    .map_err(|_| field_error("last_refresh", "is not an RFC 3339 timestamp"))?
                    .with_timezone(&Utc);
                Some(LastRefresh { raw, at })
            }
        };
        let auth = AuthDotJson {
            auth_mode,
            openai_api_key: take(&mut map, "OPENAI_API_KEY")?,
            tokens,
            last_refresh,
            agent_identity: take_value(&mut map, "agent_identity"),
            personal_access_token: take(&mut map, "personal_access_token")?,
            bedrock_api_key: take_value(&mut map, "bedrock_api_key"),
            bedrock_access_keys: take_value(&mut map, "bedrock_access_keys"),
            extra: map,
        };
        auth.check_mode()?;
        Ok(auth)
    }

    /// Modes Codex refuses to load from storage (spec §1.3).
    fn check_mode(&self) -> Result<(), AuthFileError> {
        match self.auth_mode {
            Some(AuthMode::Headers) => Err(field_error(
                "auth_mode",
                "is \"headers\": externally provided auth cannot be loaded from storage",
            )),
            Some(AuthMode::ApiKey) if self.openai_api_key.is_none() => Err(field_error(
                "OPENAI_API_KEY",
                "is missing, but auth_mode is \"apikey\"",
            )),
            _ => Ok(()),
        }
    }

    /// Pretty form for auth.json: 2-space indent, no trailing newline (as Codex writes it).
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default()
    }

    /// Compact form, for the keyring value (spec §4.2).
    pub fn to_compact_json(&self) -> String {
        serde_json::to_string(&self.to_value()).unwrap_or_default()
    }

    fn to_value(&self) -> Value {
        let mut map = Map::new();
        if let Some(mode) = self.auth_mode {
            map.insert("auth_mode".into(), mode.as_str().into());
        }
        map.insert(
            "OPENAI_API_KEY".into(),
            secret_value(self.openai_api_key.as_ref()),
        );
        if let Some(tokens) = &self.tokens {
            map.insert("tokens".into(), tokens_value(tokens));
        }
        if let Some(last_refresh) = &self.last_refresh {
            map.insert("last_refresh".into(), last_refresh.raw.clone().into());
        }
        insert_some(&mut map, "agent_identity", self.agent_identity.clone());
        if let Some(token) = &self.personal_access_token {
            map.insert("personal_access_token".into(), token.expose().into());
        }
        insert_some(&mut map, "bedrock_api_key", self.bedrock_api_key.clone());
        insert_some(
            &mut map,
            "bedrock_access_keys",
            self.bedrock_access_keys.clone(),
        );
        for (key, value) in &self.extra {
            map.insert(key.clone(), value.clone());
        }
        Value::Object(map)
    }
}

fn parse_tokens(mut map: Map<String, Value>) -> Result<TokenData, AuthFileError> {
    let required = |map: &mut Map<String, Value>, key: &str| -> Result<String, AuthFileError> {
        take::<String>(map, key)
            .map_err(|err| prefix_field(err, "tokens."))?
            .ok_or_else(|| field_error(&format!("tokens.{key}"), "is missing"))
    };
    let raw_id = required(&mut map, "id_token")?;
    let id_token =
        IdToken::parse(&raw_id).map_err(|err| field_error("tokens.id_token", &err.to_string()))?;
    Ok(TokenData {
        id_token,
        access_token: Secret::new(required(&mut map, "access_token")?),
        refresh_token: Secret::new(required(&mut map, "refresh_token")?),
        oauth_provenance: take(&mut map, "oauth_provenance")
            .map_err(|err| prefix_field(err, "tokens."))?,
        login_owner_id: take(&mut map, "login_owner_id")
            .map_err(|err| prefix_field(err, "tokens."))?,
        account_id: take(&mut map, "account_id").map_err(|err| prefix_field(err, "tokens."))?,
        extra: map,
    })
}

fn tokens_value(tokens: &TokenData) -> Value {
    let mut map = Map::new();
    map.insert("id_token".into(), tokens.id_token.raw.expose().into());
    map.insert("access_token".into(), tokens.access_token.expose().into());
    map.insert("refresh_token".into(), tokens.refresh_token.expose().into());
    if let Some(provenance) = &tokens.oauth_provenance {
        let mut inner = Map::new();
        inner.insert("issuer".into(), provenance.issuer.clone().into());
        inner.insert("client_id".into(), provenance.client_id.clone().into());
        map.insert("oauth_provenance".into(), Value::Object(inner));
    }
    if let Some(owner) = &tokens.login_owner_id {
        map.insert("login_owner_id".into(), owner.clone().into());
    }
    // Always written, `null` when absent (spec §1.2).
    map.insert(
        "account_id".into(),
        tokens
            .account_id
            .clone()
            .map(Value::String)
            .unwrap_or(Value::Null),
    );
    for (key, value) in &tokens.extra {
        map.insert(key.clone(), value.clone());
    }
    Value::Object(map)
}

fn take<T: DeserializeOwned>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<T>, AuthFileError> {
    match map.shift_remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value).map(Some).map_err(|err| {
            field_error(key, &format!("has the wrong type ({})", type_message(&err)))
        }),
    }
}

fn take_value(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.shift_remove(key).filter(|value| !value.is_null())
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.into(), value);
    }
}

fn secret_value(secret: Option<&Secret>) -> Value {
    secret
        .map(|s| Value::String(s.expose().to_owned()))
        .unwrap_or(Value::Null)
}

fn field_error(field: &str, message: &str) -> AuthFileError {
    AuthFileError::Field {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

fn prefix_field(err: AuthFileError, prefix: &str) -> AuthFileError {
    match err {
        AuthFileError::Field { field, message } => AuthFileError::Field {
            field: format!("{prefix}{field}"),
            message,
        },
        other => other,
    }
}

// serde_json's messages can quote the offending input (which may be a secret): keep only the
// classification, never the value.
fn syntax_message(err: &serde_json::Error) -> String {
    match err.classify() {
        serde_json::error::Category::Eof => "the file ends too early".to_owned(),
        serde_json::error::Category::Syntax => "syntax error".to_owned(),
        serde_json::error::Category::Data => "unexpected data".to_owned(),
        serde_json::error::Category::Io => "read error".to_owned(),
    }
}

fn type_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    // "invalid type: integer `5`, expected a string" -> "expected a string"
    text.split(", ")
        .find(|part| part.starts_with("expected") || part.starts_with("missing"))
        .map(str::to_owned)
        .unwrap_or_else(|| "unexpected value".to_owned())
}

/// An unknown `auth_mode` is shown only when it looks like a mode name: a secret pasted into the
/// wrong field must not reach the terminal.
fn shown_mode(text: &str) -> String {
    if text.len() <= 32 && text.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        format!("\"{text}\"")
    } else {
        "(not shown: it does not look like a mode name)".to_owned()
    }
}
