//! `cli_auth_credentials_store = "auto"`: the OS keyring when it works, otherwise auth.json
//! (spec §4.1). The store never prints: when it falls back it keeps the reason, and the caller
//! reports it once through [`AutoStore::take_fallback`].
//!
//! Unlike Codex 0.169, `delete` also removes auth.json when the keyring cannot be reached.

use std::cell::{Cell, RefCell};

use super::file::FileStore;
use super::keyring::KeyringStore;
use super::{CredentialStore, Loaded, StoreError, StoreKind};
use crate::auth_json::AuthDotJson;
use crate::lock::LockGuard;

/// The persistent stores of one CODEX_HOME, used together in `auto` mode.
pub struct AutoStore {
    pub keyring: KeyringStore,
    pub file: FileStore,
    fallback: RefCell<Option<String>>,
    /// A fallback is reported once per process, not once per call.
    fell_back: Cell<bool>,
}

impl AutoStore {
    pub fn new(keyring: KeyringStore, file: FileStore) -> Self {
        AutoStore {
            keyring,
            file,
            fallback: RefCell::new(None),
            fell_back: Cell::new(false),
        }
    }

    /// Why the last call fell back to auth.json, once (the next call returns `None`).
    pub fn take_fallback(&self) -> Option<String> {
        self.fallback.borrow_mut().take()
    }

    fn fell_back(&self, action: &str, err: &StoreError) {
        if self.fell_back.replace(true) {
            return;
        }
        *self.fallback.borrow_mut() = Some(format!(
            "{err}; auto mode: {action} {} instead",
            self.file.path().display()
        ));
    }
}

impl CredentialStore for AutoStore {
    fn location(&self) -> String {
        format!(
            "{}, or {}",
            self.keyring.location(),
            self.file.path().display()
        )
    }

    fn load(&self) -> Result<Option<Loaded>, StoreError> {
        match self.keyring.load() {
            Ok(Some(loaded)) => Ok(Some(loaded)),
            Ok(None) => self.file.load(),
            Err(err) => {
                self.fell_back("reading", &err);
                self.file.load()
            }
        }
    }

    fn save(&self, auth: &AuthDotJson, lock: &LockGuard) -> Result<StoreKind, StoreError> {
        match self.keyring.save(auth, lock) {
            Ok(kind) => Ok(kind),
            Err(err) => {
                self.fell_back("saved the credentials to", &err);
                self.file.save(auth, lock)
            }
        }
    }

    fn delete(&self, lock: &LockGuard) -> Result<bool, StoreError> {
        let from_keyring = match self.keyring.delete(lock) {
            Ok(removed) => removed,
            Err(err) => {
                self.fell_back("removing only", &err);
                false
            }
        };
        let from_file = self.file.delete(lock)?;
        Ok(from_keyring || from_file)
    }
}

#[cfg(test)]
mod tests {
    use super::super::keyring::KeyringError;
    use super::super::keyring::fake::FakeKeyring;
    use super::*;
    use crate::secret::Secret;

    fn setup() -> (tempfile::TempDir, FakeKeyring, AutoStore, LockGuard) {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let file = FileStore::new(dir.path().join("auth.json"));
        let store = AutoStore::new(
            KeyringStore::new(Box::new(fake.clone()), dir.path(), file.clone()),
            file,
        );
        let lock = crate::lock::acquire_for_test(dir.path());
        (dir, fake, store, lock)
    }

    fn key(text: &str) -> AuthDotJson {
        AuthDotJson::from_api_key(Secret::new(text))
    }

    #[test]
    fn keeps_the_store_contract_with_a_working_keyring() {
        let (_dir, _fake, store, lock) = setup();
        super::super::conformance::check(&store, &lock);
        assert!(store.take_fallback().is_none());
    }

    #[test]
    fn keeps_the_store_contract_without_a_keyring() {
        let (_dir, fake, store, lock) = setup();
        let down = KeyringError::Unavailable("no dbus".into());
        {
            let mut state = fake.0.borrow_mut();
            state.fail_get = Some(down.clone());
            state.fail_set = Some(down.clone());
            state.fail_delete = Some(down);
        }
        super::super::conformance::check(&store, &lock);
        assert!(store.take_fallback().unwrap().contains("no dbus"));
    }

    #[test]
    fn saves_to_the_keyring_when_it_works() {
        let (dir, fake, store, lock) = setup();
        assert_eq!(
            store.save(&key("sk-a-0123456789"), &lock).unwrap(),
            StoreKind::Keyring
        );
        assert!(!dir.path().join("auth.json").exists());
        assert_eq!(fake.0.borrow().items.len(), 1);
        assert!(store.take_fallback().is_none());
    }

    #[test]
    fn falls_back_to_the_file_and_says_why() {
        let (dir, fake, store, lock) = setup();
        fake.0.borrow_mut().fail_set = Some(KeyringError::Locked("collection locked".into()));
        assert_eq!(
            store.save(&key("sk-b-0123456789"), &lock).unwrap(),
            StoreKind::File
        );
        assert!(dir.path().join("auth.json").exists());
        let why = store.take_fallback().unwrap();
        assert!(
            why.contains("collection locked") && why.contains("auth.json"),
            "{why}"
        );
        assert!(store.take_fallback().is_none(), "reported once");
        fake.0.borrow_mut().fail_get = Some(KeyringError::Locked("collection locked".into()));
        store.load().unwrap();
        assert!(store.take_fallback().is_none(), "once per process");
        // The file copy is found when the keyring cannot be read either.
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded.kind, StoreKind::File);
    }

    #[test]
    fn keyring_beats_the_file_on_load() {
        let (dir, _fake, store, lock) = setup();
        store.file.save(&key("sk-file-0123456789"), &lock).unwrap();
        store
            .keyring
            .write(&key("sk-ring-0123456789"), &lock)
            .unwrap();
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded.kind, StoreKind::Keyring);
        assert!(dir.path().join("auth.json").exists());
    }

    #[test]
    fn delete_removes_the_file_even_when_the_keyring_is_down() {
        let (dir, fake, store, lock) = setup();
        store.file.save(&key("sk-c-0123456789"), &lock).unwrap();
        fake.0.borrow_mut().fail_delete = Some(KeyringError::Unavailable("gone".into()));
        assert!(store.delete(&lock).unwrap());
        assert!(!dir.path().join("auth.json").exists());
        assert!(store.take_fallback().unwrap().contains("gone"));
    }
}
