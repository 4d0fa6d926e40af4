//! auth.json text <-> [`AuthDotJson`]: parsing that rejects what Codex cannot load (with errors
//! that never quote a secret), and writing in Codex's key order and form.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::locate::locate;
use super::{
    AuthDotJson, AuthFileError, AuthMode, IdToken, LastRefresh, OAuthProvenance, TokenData,
};
use crate::secret::Secret;

impl AuthDotJson {
    /// Parses auth.json bytes; rejects what Codex cannot load, so both tools agree. A field
    /// error names the field, its line and column, and never quotes the value.
    pub fn parse(bytes: &[u8]) -> Result<Self, AuthFileError> {
        let value: Value = serde_json::from_slice(bytes).map_err(|err| AuthFileError::Syntax {
            line: err.line(),
            column: err.column(),
            message: syntax_message(&err),
        })?;
        document(value).map_err(|bad| bad.located(bytes))
    }

    /// Modes Codex refuses to load from storage (spec §1.3).
    fn check_mode(&self) -> Result<(), Bad> {
        match self.auth_mode {
            Some(AuthMode::Headers) => Err(Bad::at(
                &["auth_mode"],
                "is \"headers\": externally provided auth cannot be loaded from storage",
            )),
            Some(AuthMode::ApiKey) if self.openai_api_key.is_none() => Err(Bad::at(
                &["OPENAI_API_KEY"],
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

/// The whole document, from its JSON value.
fn document(value: Value) -> Result<AuthDotJson, Bad> {
    let Value::Object(mut map) = value else {
        return Err(Bad::at(&[], "must be a JSON object"));
    };
    let auth_mode = match string(&mut map, &["auth_mode"])? {
        None => None,
        Some(name) => Some(AuthMode::from_wire(&name).ok_or_else(|| {
            Bad::at(
                &["auth_mode"],
                &format!("has an unknown value {}", shown_mode(&name)),
            )
        })?),
    };
    let tokens = match map.shift_remove("tokens") {
        None | Some(Value::Null) => None,
        Some(Value::Object(tokens)) => Some(parse_tokens(tokens)?),
        Some(_) => return Err(Bad::at(&["tokens"], "must be an object")),
    };
    let last_refresh = match string(&mut map, &["last_refresh"])? {
        None => None,
        Some(raw) => {
            let at = DateTime::parse_from_rfc3339(&raw)
                .map_err(|_| Bad::at(&["last_refresh"], "is not an RFC 3339 timestamp"))?
                .with_timezone(&Utc);
            Some(LastRefresh { raw, at })
        }
    };
    let auth = AuthDotJson {
        auth_mode,
        openai_api_key: string(&mut map, &["OPENAI_API_KEY"])?.map(Secret::new),
        tokens,
        last_refresh,
        agent_identity: take_value(&mut map, "agent_identity"),
        personal_access_token: string(&mut map, &["personal_access_token"])?.map(Secret::new),
        bedrock_api_key: take_value(&mut map, "bedrock_api_key"),
        bedrock_access_keys: take_value(&mut map, "bedrock_access_keys"),
        extra: map,
    };
    auth.check_mode()?;
    Ok(auth)
}

fn parse_tokens(mut map: Map<String, Value>) -> Result<TokenData, Bad> {
    let required = |map: &mut Map<String, Value>, key: &'static str| {
        string(map, &["tokens", key])?.ok_or_else(|| Bad::at(&["tokens", key], "is missing"))
    };
    let raw_id = required(&mut map, "id_token")?;
    let id_token = IdToken::parse(&raw_id)
        .map_err(|err| Bad::at(&["tokens", "id_token"], &err.to_string()))?;
    Ok(TokenData {
        id_token,
        access_token: Secret::new(required(&mut map, "access_token")?),
        refresh_token: Secret::new(required(&mut map, "refresh_token")?),
        oauth_provenance: provenance(&mut map)?,
        login_owner_id: string(&mut map, &["tokens", "login_owner_id"])?,
        account_id: string(&mut map, &["tokens", "account_id"])?,
        extra: map,
    })
}

/// `tokens.oauth_provenance`: an object with string `issuer` and `client_id` (other keys in
/// it are ignored, as Codex's serde does).
fn provenance(tokens: &mut Map<String, Value>) -> Result<Option<OAuthProvenance>, Bad> {
    const PATH: [&str; 2] = ["tokens", "oauth_provenance"];
    let mut inner = match tokens.shift_remove("oauth_provenance") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(inner)) => inner,
        Some(other) => return Err(Bad::wrong_type(&PATH, "an object", &other)),
    };
    let mut required = |key: &'static str| {
        let path = ["tokens", "oauth_provenance", key];
        string(&mut inner, &path)?.ok_or_else(|| Bad::at(&path, "is missing"))
    };
    Ok(Some(OAuthProvenance {
        issuer: required("issuer")?,
        client_id: required("client_id")?,
    }))
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

/// Removes the string at `path`'s last key from `map`: `None` when absent or null.
fn string(map: &mut Map<String, Value>, path: &[&'static str]) -> Result<Option<String>, Bad> {
    let Some(key) = path.last() else {
        return Ok(None);
    };
    match map.shift_remove(*key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(Bad::wrong_type(path, "a string", &other)),
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

/// A field that Codex could not load, by its key path; the message is ours, built from what
/// we know (the field, the type we expect, the type we found), never from serde's text, which
/// may quote the value (issue 9).
struct Bad {
    path: Vec<&'static str>,
    message: String,
}

impl Bad {
    fn at(path: &[&'static str], message: &str) -> Self {
        Bad {
            path: path.to_vec(),
            message: message.to_owned(),
        }
    }

    fn wrong_type(path: &[&'static str], expected: &str, found: &Value) -> Self {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        Bad::at(
            path,
            &format!("has the wrong type (expected {expected}, found {found})"),
        )
    }

    /// The error, with where the field (or the object it is missing from) is in `bytes`.
    fn located(self, bytes: &[u8]) -> AuthFileError {
        AuthFileError::Field {
            field: if self.path.is_empty() {
                "(top level)".to_owned()
            } else {
                self.path.join(".")
            },
            message: self.message,
            at: locate(bytes, &self.path),
        }
    }
}

// serde_json's messages can quote the offending input (which may be a secret): keep only the
// classification and the position, never the text.
fn syntax_message(err: &serde_json::Error) -> String {
    match err.classify() {
        serde_json::error::Category::Eof => "the file ends too early".to_owned(),
        serde_json::error::Category::Syntax => "syntax error".to_owned(),
        serde_json::error::Category::Data => "unexpected data".to_owned(),
        serde_json::error::Category::Io => "read error".to_owned(),
    }
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
