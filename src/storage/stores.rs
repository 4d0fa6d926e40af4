//! The stores of one CODEX_HOME composed for the commands: the configured one, and every store
//! logout must clear. Building them touches nothing; the keyring is contacted only when needed.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use super::{CredentialStore, Loaded, StoreError, StoreKind, auto, ephemeral, file, keyring};
use crate::config::StoreMode;
use crate::lock::LockGuard;
use crate::paths::CodexHome;

/// auth.json holds credentials the configured keyring store does not use (for `status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shadow {
    /// auth.json holds credentials different from the keyring's, which were loaded.
    FileDiffers { file: String },
    /// auth.json holds credentials, and the selected keyring store holds none.
    FileWhileKeyringSelected { file: String },
}

/// File-mode logout gives the keyring at most this long.
const CLEANUP_TIMEOUT: Duration = Duration::from_secs(1);

/// The stores of one CODEX_HOME: the configured one, and the others logout must also clear.
/// Building them touches nothing: the keyring is contacted only by a call that needs it, so a
/// file-mode `status` never reaches D-Bus.
pub struct Stores {
    mode: StoreMode,
    ephemeral: ephemeral::EphemeralStore,
    /// auth.json and the keyring (configured timeout); together they are the `auto` store.
    persistent: auto::AutoStore,
    /// The keyring with a short timeout, for the best-effort cleanup of file-mode logout.
    cleanup: keyring::KeyringStore,
    /// Whether a keyring is plausibly reachable without waiting (e.g. a D-Bus session exists).
    keyring_plausible: bool,
    notices: RefCell<Vec<String>>,
}

impl Stores {
    /// Opens the stores for `mode` over the OS keyring. Nothing is touched yet.
    /// `keyring_plausible` says whether the keyring may be asked without risking a wait (see
    /// [`keyring::plausible`]); file-mode logout skips it otherwise.
    pub fn open(
        mode: StoreMode,
        home: &CodexHome,
        keyring_plausible: bool,
        timeout: Duration,
    ) -> Self {
        let api = Box::new(keyring::RealKeyring);
        Self::with_keyring(mode, home.dir(), api, timeout, keyring_plausible)
    }

    /// Opens the stores over any keyring client (unit tests inject a fake). Both keyring stores
    /// share one keyring thread, so the process's keyring calls run in order.
    pub fn with_keyring(
        mode: StoreMode,
        home: &Path,
        api: Box<dyn keyring::KeyringApi>,
        timeout: Duration,
        keyring_plausible: bool,
    ) -> Self {
        let file = file::FileStore::new(home.join(crate::paths::AUTH_JSON));
        let worker = Rc::new(keyring::Worker::new(api));
        let keyring = keyring::KeyringStore::new(Rc::clone(&worker), timeout, home, file.clone());
        let cleanup =
            keyring::KeyringStore::new(worker, timeout.min(CLEANUP_TIMEOUT), home, file.clone());
        Stores {
            mode,
            ephemeral: ephemeral::EphemeralStore::default(),
            persistent: auto::AutoStore::new(keyring, file),
            cleanup,
            keyring_plausible,
            notices: RefCell::new(Vec::new()),
        }
    }

    /// The stores of another CODEX_HOME (a saved account's directory) in `mode`, over the same
    /// keyring thread and timeouts. Nothing is touched yet.
    pub fn for_home(&self, mode: StoreMode, home: &CodexHome) -> Stores {
        let file = file::FileStore::new(home.auth_json());
        let keyring = self.persistent.keyring.for_home(home.dir(), file.clone());
        let cleanup = self.cleanup.for_home(home.dir(), file.clone());
        Stores {
            mode,
            ephemeral: ephemeral::EphemeralStore::default(),
            persistent: auto::AutoStore::new(keyring, file),
            cleanup,
            keyring_plausible: self.keyring_plausible,
            notices: RefCell::new(Vec::new()),
        }
    }

    /// Points the stores at a CODEX_HOME whose canonical path changed (it was just created).
    pub fn rebase(&mut self, home: &CodexHome) {
        let file = file::FileStore::new(home.auth_json());
        self.persistent.keyring.rebase(home.dir(), file.clone());
        self.cleanup.rebase(home.dir(), file.clone());
        self.persistent.file = file;
    }

    /// The store `cli_auth_credentials_store` (or `--store`) selects.
    pub fn configured(&self) -> &dyn CredentialStore {
        match self.mode {
            StoreMode::File => &self.persistent.file,
            StoreMode::Ephemeral => &self.ephemeral,
            StoreMode::Keyring => &self.persistent.keyring,
            StoreMode::Auto => &self.persistent,
        }
    }

    /// auth.json, whatever the mode (its path anchors Codex's commit lock).
    pub fn file(&self) -> &file::FileStore {
        &self.persistent.file
    }

    /// The OS keyring, whatever the mode (for `migrate`).
    pub fn keyring(&self) -> &keyring::KeyringStore {
        &self.persistent.keyring
    }

    /// Warnings to show the user once: why `auto` fell back to the file, what logout could not
    /// reach. Stores never print; the caller does.
    pub fn take_notices(&self) -> Vec<String> {
        let mut notices = std::mem::take(&mut *self.notices.borrow_mut());
        notices.extend(self.persistent.take_fallback());
        notices
    }

    /// Whether auth.json, not in use, holds credentials beside what `loaded` came from
    /// (keyring and auto modes only: it reads auth.json, never the keyring). A fact; the
    /// caller words it.
    pub fn shadow(&self, loaded: Option<&Loaded>) -> Option<Shadow> {
        if !matches!(self.mode, StoreMode::Keyring | StoreMode::Auto) {
            return None;
        }
        let file = self.file().load().ok().flatten()?;
        match loaded {
            Some(loaded) if loaded.kind == StoreKind::Keyring && loaded.auth != file.auth => {
                Some(Shadow::FileDiffers {
                    file: file.location,
                })
            }
            None => Some(Shadow::FileWhileKeyringSelected {
                file: file.location,
            }),
            Some(_) => None,
        }
    }

    /// Removes credentials from every store that may hold them (auth.json, the keyring, memory)
    /// and returns the places that had some. Every store is tried; an error that may leave
    /// credentials behind is returned after. In file mode the keyring is tried only when a
    /// session bus exists, with a short timeout, and its failures are ignored; in auto mode an
    /// unreachable keyring is a notice.
    pub fn delete_everywhere(&self, lock: &LockGuard) -> Result<Vec<String>, StoreError> {
        let mut removed = Vec::new();
        let mut first_error = None;
        let mut record = |location: String, result: Result<bool, StoreError>| match result {
            Ok(true) => removed.push(location),
            Ok(false) => {}
            Err(err) => {
                first_error.get_or_insert(err);
            }
        };
        match self.mode {
            StoreMode::Keyring => {
                let keyring = &self.persistent.keyring;
                record(keyring.location(), keyring.delete(lock));
            }
            StoreMode::Auto => {
                let keyring = &self.persistent.keyring;
                match keyring.delete(lock) {
                    Err(err) => self.notices.borrow_mut().push(format!(
                        "{err}; credentials stored there, if any, were not removed (run logout \
                         again when the keyring is available)"
                    )),
                    result => record(keyring.location(), result),
                }
            }
            StoreMode::File | StoreMode::Ephemeral if self.keyring_plausible => {
                match self.cleanup.delete(lock) {
                    Err(err) => tracing::debug!("logout: the keyring was not cleared: {err}"),
                    result => record(self.cleanup.location(), result),
                }
            }
            StoreMode::File | StoreMode::Ephemeral => {}
        }
        let file = &self.persistent.file;
        record(file.location(), file.delete(lock));
        record(self.ephemeral.location(), self.ephemeral.delete(lock));
        match first_error {
            Some(err) if removed.is_empty() => Err(err),
            Some(err) => Err(StoreError::Partial {
                removed,
                source: Box::new(err),
            }),
            None => Ok(removed),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::keyring::KeyringError;
    use super::keyring::fake::FakeKeyring;
    use super::*;
    use crate::auth_json::AuthDotJson;
    use crate::secret::Secret;

    /// Stores over a shared fake keyring in a new temp CODEX_HOME, with the commit lock held
    /// (also used by the `migrate` unit tests).
    pub(crate) fn setup(
        mode: StoreMode,
        plausible: bool,
    ) -> (tempfile::TempDir, FakeKeyring, Stores, LockGuard) {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let stores = Stores::with_keyring(
            mode,
            dir.path(),
            Box::new(fake.clone()),
            Duration::from_secs(60),
            plausible,
        );
        let lock = crate::lock::acquire_for_test(dir.path());
        (dir, fake, stores, lock)
    }

    fn fill_both(stores: &Stores, lock: &LockGuard) {
        let auth = AuthDotJson::from_api_key(Secret::new("sk-both-0123456789"));
        stores.file().save(&auth, lock).unwrap();
        stores.keyring().write(&auth, lock).unwrap();
    }

    #[test]
    fn logout_clears_file_and_keyring_in_every_mode() {
        for mode in [StoreMode::File, StoreMode::Keyring, StoreMode::Auto] {
            let (dir, fake, stores, lock) = setup(mode, true);
            fill_both(&stores, &lock);
            let removed = stores.delete_everywhere(&lock).unwrap();
            assert_eq!(removed.len(), 2, "{mode:?}: {removed:?}");
            assert!(!dir.path().join("auth.json").exists());
            assert!(fake.state().items.is_empty(), "{mode:?}");
        }
    }

    #[test]
    fn file_mode_logout_ignores_an_unreachable_keyring_and_skips_it_without_a_bus() {
        let (dir, fake, stores, lock) = setup(StoreMode::File, true);
        fill_both(&stores, &lock);
        fake.state().fail_delete = Some(KeyringError::TimedOut(CLEANUP_TIMEOUT));
        assert_eq!(stores.delete_everywhere(&lock).unwrap().len(), 1);
        assert!(!dir.path().join("auth.json").exists());
        assert!(stores.take_notices().is_empty());

        let (_dir, fake, stores, lock) = setup(StoreMode::File, false);
        fill_both(&stores, &lock);
        let calls = fake.state().calls;
        stores.delete_everywhere(&lock).unwrap();
        assert_eq!(
            fake.state().calls,
            calls,
            "no bus: the keyring is not asked"
        );
    }

    #[test]
    fn keyring_mode_logout_reports_an_unreachable_keyring_auto_mode_warns() {
        let (dir, fake, stores, lock) = setup(StoreMode::Keyring, true);
        fill_both(&stores, &lock);
        fake.state().fail_delete = Some(KeyringError::Unavailable("no bus".into()));
        let err = stores.delete_everywhere(&lock).unwrap_err().to_string();
        assert!(err.contains("no bus") && err.contains("auth.json"), "{err}");
        assert!(
            !dir.path().join("auth.json").exists(),
            "the file still goes"
        );

        let (dir, fake, stores, lock) = setup(StoreMode::Auto, true);
        fill_both(&stores, &lock);
        fake.state().fail_delete = Some(KeyringError::Unavailable("no bus".into()));
        assert_eq!(stores.delete_everywhere(&lock).unwrap().len(), 1);
        assert!(!dir.path().join("auth.json").exists());
        assert!(stores.take_notices()[0].contains("no bus"));
    }

    #[test]
    fn configured_store_follows_the_mode() {
        for mode in [
            StoreMode::File,
            StoreMode::Keyring,
            StoreMode::Auto,
            StoreMode::Ephemeral,
        ] {
            let (_dir, _fake, stores, _lock) = setup(mode, false);
            let expected = match mode {
                StoreMode::File => stores.persistent.file.location(),
                StoreMode::Keyring => stores.persistent.keyring.location(),
                StoreMode::Auto => stores.persistent.location(),
                StoreMode::Ephemeral => stores.ephemeral.location(),
            };
            assert_eq!(stores.configured().location(), expected, "{mode:?}");
        }
    }

    #[test]
    fn file_mode_status_never_asks_the_keyring() {
        let (_dir, fake, stores, lock) = setup(StoreMode::File, true);
        fill_both(&stores, &lock);
        let calls = fake.state().calls;
        let loaded = stores.configured().load().unwrap();
        assert!(stores.shadow(loaded.as_ref()).is_none());
        assert_eq!(fake.state().calls, calls);
    }

    #[test]
    fn shadow_when_file_and_keyring_differ_or_only_the_file_holds_some() {
        let (dir, fake, stores, lock) = setup(StoreMode::Keyring, true);
        fill_both(&stores, &lock);
        let loaded = stores.configured().load().unwrap();
        assert_eq!(stores.shadow(loaded.as_ref()), None, "same credentials");
        let other = AuthDotJson::from_api_key(Secret::new("sk-other-0123456789"));
        stores.file().save(&other, &lock).unwrap();
        let file = dir.path().join("auth.json").display().to_string();
        assert_eq!(
            stores.shadow(loaded.as_ref()),
            Some(Shadow::FileDiffers { file: file.clone() })
        );
        fake.state().items.clear();
        let loaded = stores.configured().load().unwrap();
        assert_eq!(
            stores.shadow(loaded.as_ref()),
            Some(Shadow::FileWhileKeyringSelected { file })
        );
    }
}
