//! In-memory credentials for the life of the process (`cli_auth_credentials_store = "ephemeral"`).
//! Owned by `Stores` (so by the `Ctx`; no global): every process and every test gets its own.

use std::cell::RefCell;

use super::{CredentialStore, Loaded, StoreError, StoreKind};
use crate::auth_json::AuthDotJson;
use crate::lock::LockGuard;

#[derive(Debug, Default)]
pub struct EphemeralStore {
    auth: RefCell<Option<AuthDotJson>>,
}

impl CredentialStore for EphemeralStore {
    fn location(&self) -> String {
        "memory (ephemeral: gone when the process exits)".to_owned()
    }

    fn load(&self) -> Result<Option<Loaded>, StoreError> {
        Ok(self.auth.borrow().clone().map(|auth| Loaded {
            auth,
            kind: StoreKind::Ephemeral,
            location: self.location(),
        }))
    }

    fn save(&self, auth: &AuthDotJson, _lock: &LockGuard) -> Result<StoreKind, StoreError> {
        *self.auth.borrow_mut() = Some(auth.clone());
        Ok(StoreKind::Ephemeral)
    }

    fn delete(&self, _lock: &LockGuard) -> Result<bool, StoreError> {
        Ok(self.auth.borrow_mut().take().is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_store_contract() {
        let dir = tempfile::tempdir().unwrap();
        let lock = crate::lock::acquire_for_test(dir.path());
        super::super::conformance::check(&EphemeralStore::default(), &lock);
    }

    #[test]
    fn two_stores_are_independent() {
        let dir = tempfile::tempdir().unwrap();
        let lock = crate::lock::acquire_for_test(dir.path());
        let (a, b) = (EphemeralStore::default(), EphemeralStore::default());
        a.save(
            &AuthDotJson::from_api_key(crate::secret::Secret::new("k")),
            &lock,
        )
        .unwrap();
        assert!(b.load().unwrap().is_none());
    }
}
