//! `cli_auth_credentials_store = "auto"`: the OS keyring when it works, otherwise auth.json
//! (spec §4.1). The store never prints: when it falls back it keeps the reason, and the caller
//! reports it once through [`AutoStore::take_fallback`].
//!
//! Unlike Codex 0.169, `delete` also removes auth.json when the keyring cannot be reached.

use std::cell::{Cell, RefCell};

use super::file::FileStore;
use super::keyring::{KeyringError, KeyringStore};
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
            "{}; auto mode: {action} {} instead",
            fallback_reason(err),
            self.file.path().display()
        ));
    }

    /// After a save that did not fit in the keyring went to auth.json: the keyring works, so
    /// remove the older item there, or it would still be loaded first (by Codex too) instead
    /// of the new credentials. Best effort; a failure is added to the fallback notice.
    fn remove_outdated_keyring_item(&self, lock: &LockGuard) {
        if let Err(err) = self.keyring.delete(lock)
            && let Some(notice) = self.fallback.borrow_mut().as_mut()
        {
            notice.push_str(&format!(
                " (but {err}, so the older credentials there are still loaded first; remove \
                 that item: {})",
                self.keyring.location()
            ));
        }
    }
}

/// Why `auto` did not use the keyring, for the one line that says it fell back. A value too
/// large for the platform is said plainly: the keyring's own advice (`--store auto`) is what
/// is happening.
pub fn fallback_reason(err: &StoreError) -> String {
    match err {
        StoreError::Keyring {
            source: KeyringError::TooLong { limit },
            ..
        } => format!(
            "the credentials are too large for one OS keyring item (Windows Credential Manager \
             holds at most {limit} bytes)"
        ),
        other => other.to_string(),
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
                let saved = self.file.save(auth, lock)?;
                if let StoreError::Keyring {
                    source: KeyringError::TooLong { .. },
                    ..
                } = err
                {
                    self.remove_outdated_keyring_item(lock);
                }
                Ok(saved)
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
pub(crate) mod tests {
    use super::super::keyring::Worker;
    use super::super::keyring::fake::{FakeKeyring, Op};
    use super::*;
    use crate::secret::Secret;
    use std::time::Duration;

    fn setup() -> (tempfile::TempDir, FakeKeyring, AutoStore, LockGuard) {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let store = store_over(&fake, dir.path(), Duration::from_secs(60));
        let lock = crate::lock::acquire_for_test(dir.path());
        (dir, fake, store, lock)
    }

    fn store_over(fake: &FakeKeyring, home: &std::path::Path, timeout: Duration) -> AutoStore {
        let file = FileStore::new(home.join("auth.json"));
        let worker = std::rc::Rc::new(Worker::new(Box::new(fake.clone())));
        AutoStore::new(KeyringStore::new(worker, timeout, home, file.clone()), file)
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
            let mut state = fake.state();
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
        assert_eq!(fake.state().items.len(), 1);
        assert!(store.take_fallback().is_none());
    }

    #[test]
    fn falls_back_to_the_file_and_says_why() {
        let (dir, fake, store, lock) = setup();
        fake.state().fail_set = Some(KeyringError::Locked("collection locked".into()));
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
        fake.state().fail_get = Some(KeyringError::Locked("collection locked".into()));
        store.load().unwrap();
        assert!(store.take_fallback().is_none(), "once per process");
        // The file copy is found when the keyring cannot be read either.
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded.kind, StoreKind::File);
    }

    /// Issue 8 item 5, through the store: the fallback goes on, the late keyring write keeps
    /// Codex's locks until it lands (see `keyring::worker`).
    #[test]
    fn a_keyring_write_that_answers_late_keeps_the_locks_past_the_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let commit_lock_is_free =
            || crate::lock::exclusive(&dir.path().join("auth.json.lock"), Duration::ZERO).is_ok();
        let mut tries = 0..50;
        let held = loop {
            assert!(tries.next().is_some(), "the write never stayed running");
            let store = store_over(&fake, dir.path(), Duration::from_millis(20));
            let held = fake.hold_next(Op::Set);
            let lock = crate::lock::acquire_for_test(dir.path());
            let saved = store.save(&key("sk-late-0123456789"), &lock).unwrap();
            assert_eq!(saved, StoreKind::File, "auto falls back to the file");
            drop(lock);
            let why = store.take_fallback().unwrap();
            if why.contains("may still carry out the write") {
                break held;
            }
            // A busy machine: the write was cancelled before the worker started it.
            assert!(why.contains("did not answer"), "{why}");
        };
        held.wait_entered();
        assert!(!commit_lock_is_free(), "the late write keeps the locks");
        held.release();
        // The next writer gets the locks once the late write has landed.
        drop(crate::lock::acquire_for_test(dir.path()));
        assert_eq!(fake.state().sets.len(), 1);
        assert!(dir.path().join("auth.json").exists());
    }

    /// A ChatGPT login the size real ones have (well over Windows' 2560-byte limit).
    pub(crate) fn large_chatgpt_login() -> AuthDotJson {
        let claims = format!(r#"{{"email":"a@b.c","pad":"{}"}}"#, "x".repeat(1500));
        let text = serde_json::json!({
            "auth_mode": "chatgpt",
            "OPENAI_API_KEY": null,
            "tokens": {
                "id_token": crate::jwt::forge(&claims),
                "access_token": crate::jwt::forge(&claims),
                "refresh_token": "rt-large-0123456789",
                "account_id": "acct-1"
            },
            "last_refresh": "2026-11-23T07:00:47Z"
        });
        AuthDotJson::parse(text.to_string().as_bytes()).unwrap()
    }

    /// Issue 13: Windows Credential Manager refuses a ChatGPT login; auto keeps it in auth.json,
    /// says why in one line, and removes the older keyring item that would still be loaded.
    #[test]
    fn a_login_too_large_for_the_keyring_goes_to_the_file_with_one_line() {
        let (dir, fake, store, lock) = setup();
        fake.state().blob_limit = Some(2560);
        store.save(&key("sk-old-0123456789"), &lock).unwrap();
        assert_eq!(fake.state().items.len(), 1, "a small login fits");

        let large = large_chatgpt_login();
        assert_eq!(store.save(&large, &lock).unwrap(), StoreKind::File);
        let why = store.take_fallback().unwrap();
        assert!(
            why.contains("2560 bytes") && why.contains("auth.json") && !why.contains('\n'),
            "{why}"
        );
        assert!(!why.contains("rt-large"), "no secret in the notice: {why}");
        assert!(fake.state().items.is_empty(), "the outdated item is gone");
        let loaded = store.load().unwrap().unwrap();
        assert_eq!((loaded.kind, loaded.auth), (StoreKind::File, large));
        assert!(dir.path().join("auth.json").exists());
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
        fake.state().fail_delete = Some(KeyringError::Unavailable("gone".into()));
        assert!(store.delete(&lock).unwrap());
        assert!(!dir.path().join("auth.json").exists());
        assert!(store.take_fallback().unwrap().contains("gone"));
    }
}
