//! An account's metadata, `codex-creds-account.json` in its directory: what `account list`
//! shows without touching a credential (no secrets in it, ever). Unknown keys are kept, so a
//! later codex-creds (say, one that learns workspace names) can add fields.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::auth_json::AuthDotJson;
use crate::jwt;
use crate::output::timestamp;

/// The metadata file in an account's directory.
pub const FILE: &str = "codex-creds-account.json";
/// Metadata larger than this is not ours.
const MAX_BYTES: u64 = 64 * 1024;

/// Where an account keeps its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStore {
    /// `auth.json` in the account's directory.
    File,
    /// Codex's keyring item keyed by the account's directory (no secrets in files there).
    Keyring,
}

impl AccountStore {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStore::File => "file",
            AccountStore::Keyring => "keyring",
        }
    }

    pub fn mode(self) -> crate::config::StoreMode {
        match self {
            AccountStore::File => crate::config::StoreMode::File,
            AccountStore::Keyring => crate::config::StoreMode::Keyring,
        }
    }
}

/// `codex-creds-account.json` (schema 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub schema_version: u32,
    /// See `identity`: never a secret, never the email.
    pub identity: String,
    pub auth_mode: String,
    pub email: Option<String>,
    pub plan_type: Option<String>,
    pub workspace_id: Option<String>,
    /// Unknown until a backend call names it (issue 11).
    pub workspace_name: Option<String>,
    pub store: AccountStore,
    pub access_token_expires_at: Option<String>,
    pub last_used: Option<String>,
    pub saved_at: String,
    /// True while the account is the active login: its directory then holds no credentials.
    pub parked: bool,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Meta {
    /// Metadata describing `auth` (whose identity is `identity`), keeping what `previous` knew
    /// that the login does not say (the workspace name, unknown keys, when it was saved).
    pub fn describe(
        auth: &AuthDotJson,
        identity: String,
        store: AccountStore,
        parked: bool,
        now: DateTime<Utc>,
        previous: Option<&Meta>,
    ) -> Meta {
        let claims = auth.tokens.as_ref().map(|t| &t.id_token.claims);
        let chatgpt = auth.chatgpt_tokens();
        Meta {
            schema_version: 1,
            identity,
            auth_mode: auth.mode().as_str().to_owned(),
            email: chatgpt.and(claims).and_then(|c| c.email.clone()),
            plan_type: chatgpt
                .and(claims)
                .and_then(|c| c.plan_type.as_deref())
                .map(|p| jwt::plan_label(p).to_owned()),
            workspace_id: chatgpt.and_then(|t| {
                t.account_id
                    .clone()
                    .or_else(|| t.id_token.claims.account_id.clone())
            }),
            workspace_name: previous.and_then(|p| p.workspace_name.clone()),
            store,
            access_token_expires_at: chatgpt
                .and_then(|t| jwt::expires_at(t.access_token.expose()))
                .map(timestamp),
            last_used: previous.and_then(|p| p.last_used.clone()),
            saved_at: previous.map_or_else(|| timestamp(now), |p| p.saved_at.clone()),
            parked,
            extra: previous.map(|p| p.extra.clone()).unwrap_or_default(),
        }
    }

    /// Reads the metadata of the account directory `dir`; the error names the file.
    pub fn read(dir: &Path) -> Result<Meta, String> {
        let path = dir.join(FILE);
        let bytes =
            read_bounded(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let meta: Meta = serde_json::from_slice(&bytes).map_err(|err| {
            format!(
                "{} is not account metadata codex-creds can read ({})",
                path.display(),
                crate::untrusted::shown(&err.to_string())
            )
        })?;
        if meta.schema_version != 1 {
            return Err(format!(
                "{} has schema_version {}, which this codex-creds does not know; upgrade it",
                path.display(),
                meta.schema_version
            ));
        }
        Ok(meta)
    }

    /// Replaces the metadata of `dir` atomically.
    pub fn write(&self, dir: &Path) -> Result<(), crate::storage::StoreError> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        crate::storage::file::write_document(&dir.join(FILE), text.as_bytes())
    }
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a regular file",
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "too large to be account metadata",
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn round_trip_keeps_unknown_keys_and_holds_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let auth = AuthDotJson::from_api_key(Secret::new("sk-META-SECRET-0123456789"));
        let now = chrono::Utc::now();
        let mut meta = Meta::describe(
            &auth,
            "apikey:sha256:x".into(),
            AccountStore::File,
            false,
            now,
            None,
        );
        meta.extra.insert("future".into(), serde_json::json!(1));
        meta.write(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!text.contains("META-SECRET"), "{text}");
        assert_eq!(Meta::read(dir.path()).unwrap(), meta);
    }

    #[test]
    fn unreadable_metadata_names_its_path() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Meta::read(dir.path()).unwrap_err().contains(FILE));
        std::fs::write(dir.path().join(FILE), "{not json").unwrap();
        let err = Meta::read(dir.path()).unwrap_err();
        assert!(err.contains(&dir.path().display().to_string()), "{err}");
    }
}
