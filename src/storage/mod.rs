//! Where credentials live, behind one trait: auth.json, the OS keyring, `auto` (keyring, else
//! file) and in-memory `ephemeral`. Stores know nothing of OAuth; writers must hold a [`LockGuard`].
//! This file holds the contract (trait, errors, conformance test); `stores` composes the backends.

pub mod auto;
pub mod ephemeral;
pub mod file;
pub mod keyring;

mod stores;

#[cfg(test)]
pub(crate) use stores::tests::setup as stores_with_fake_keyring;
pub use stores::{Shadow, Stores};

use std::path::PathBuf;

use crate::auth_json::{AuthDotJson, AuthFileError};
use crate::lock::{LockError, LockGuard};

/// Which kind of store actually holds (or received) the credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    File,
    Keyring,
    Ephemeral,
}

impl StoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreKind::File => "file",
            StoreKind::Keyring => "keyring",
            StoreKind::Ephemeral => "ephemeral",
        }
    }
}

/// Credentials read from a store, and where they came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub auth: AuthDotJson,
    pub kind: StoreKind,
    /// Human description of the exact place (a path, or the keyring service and account).
    pub location: String,
}

/// A store could not be read or written. Messages name the place and never contain secrets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{location} is malformed: {error}.\nIt was left untouched. Fix it, or run `codex-creds login` \
         (which keeps a backup of it) or `codex-creds logout` (which removes it)."
    )]
    Malformed {
        location: String,
        error: AuthFileError,
    },
    #[error("cannot write {}: {source}. The previous credentials are unchanged.", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {reason}", path.display())]
    Refused { path: PathBuf, reason: String },
    #[error(transparent)]
    Lock(#[from] LockError),
    /// Logout removed some copies but not all.
    #[error("{source}\nThe credentials were removed from {}, but not from there.", removed.join(" and "))]
    Partial {
        removed: Vec<String>,
        source: Box<StoreError>,
    },
    /// `migrate` failed; the message says where the credentials are now.
    #[error("migrate: {0}")]
    Migration(String),
    /// A save failed, and the credentials were written to a recovery file instead.
    #[error(
        "{failure}\nThe new credentials were saved to {} instead (0600). Once the problem is \
         fixed, restore them with:\n    {restore}",
        saved_to.display()
    )]
    SavedElsewhere {
        failure: Box<StoreError>,
        saved_to: PathBuf,
        /// The exact command that puts them back.
        restore: String,
    },
    /// A save failed after the issuer had rotated the tokens, and no recovery file could be
    /// written either.
    #[error(
        "{failure}\nThe new tokens could not be kept anywhere (no recovery file could be \
         written), so this login is lost: run `codex-creds login` once the problem is fixed."
    )]
    Lost { failure: Box<StoreError> },
    #[error("cannot {op} the OS keyring: {source}")]
    Keyring {
        op: &'static str,
        source: keyring::KeyringError,
    },
}

/// The contract every backend keeps.
pub trait CredentialStore {
    /// A human description of where this store keeps credentials.
    fn location(&self) -> String;
    /// The stored credentials, or `None` when there are none.
    fn load(&self) -> Result<Option<Loaded>, StoreError>;
    /// Replaces the stored credentials; returns the kind that received them.
    fn save(&self, auth: &AuthDotJson, lock: &LockGuard) -> Result<StoreKind, StoreError>;
    /// Removes the stored credentials; `true` when there was something to remove.
    fn delete(&self, lock: &LockGuard) -> Result<bool, StoreError>;
}

#[cfg(test)]
pub(crate) mod conformance {
    //! The shared contract test, run against every backend.
    use super::*;
    use crate::secret::Secret;

    pub fn check(store: &dyn CredentialStore, lock: &LockGuard) {
        assert!(store.load().unwrap().is_none(), "a new store is empty");
        assert!(
            !store.delete(lock).unwrap(),
            "deleting nothing reports false"
        );

        let mut auth = AuthDotJson::from_api_key(Secret::new("sk-conformance-0123456789"));
        auth.extra
            .insert("future".into(), serde_json::json!({"kept": true}));
        store.save(&auth, lock).unwrap();
        let loaded = store.load().unwrap().expect("saved credentials load");
        assert_eq!(
            loaded.auth, auth,
            "round trip keeps every field, unknown ones too"
        );
        assert!(
            !format!("{loaded:?}").contains("sk-conformance"),
            "Debug is redacted"
        );

        let replacement = AuthDotJson::from_personal_access_token(Secret::new("at-replacement"));
        store.save(&replacement, lock).unwrap();
        assert_eq!(
            store.load().unwrap().unwrap().auth,
            replacement,
            "save replaces"
        );

        assert!(store.delete(lock).unwrap());
        assert!(store.load().unwrap().is_none());
        assert!(!store.delete(lock).unwrap(), "delete is idempotent");
    }
}
