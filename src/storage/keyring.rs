//! The OS keyring store, exactly as Codex keeps it (spec §4.2): service `Codex Auth`, account
//! `cli|` + the first 16 hex digits of SHA-256(canonical CODEX_HOME), value = auth.json as
//! compact JSON. The platform calls sit behind [`KeyringApi`]: [`RealKeyring`] (the `keyring`
//! crate) and, in tests, an in-memory fake; both run on the one keyring thread of the process
//! ([`Worker`]), which keeps a late write from overwriting newer credentials.
//!
//! Nothing here connects to anything until `load`/`save`/`delete` is called.

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::file::FileStore;
use super::{CredentialStore, Loaded, StoreError, StoreKind};
use crate::auth_json::AuthDotJson;
use crate::lock::LockGuard;

/// Codex's keyring service name.
pub const SERVICE: &str = "Codex Auth";
/// How long one keyring call may take by default (a locked keyring may wait on a prompt forever).
/// On macOS the Keychain asks the user to allow access to an item another binary (Codex)
/// created, so a person must have time to answer.
pub const DEFAULT_TIMEOUT: Duration = if cfg!(target_os = "macos") {
    Duration::from_secs(30)
} else {
    Duration::from_secs(5)
};

/// Codex's account name for a CODEX_HOME: `cli|` + 16 lowercase hex digits of SHA-256 of the
/// canonical path (the raw path when it cannot be canonicalised), as Codex's
/// `compute_store_key`. It must be std's canonical form, not the normal form the home is shown
/// in: on Windows that is the verbatim `\\?\C:\...` path, and Codex hashes exactly that.
pub fn account_for(codex_home: &Path) -> String {
    let canonical = codex_home
        .canonicalize()
        .unwrap_or_else(|_| codex_home.to_path_buf());
    account_for_path_text(&canonical.to_string_lossy())
}

/// The account name for a path already in the form Codex hashes (pure; pinned by tests).
pub fn account_for_path_text(canonical: &str) -> String {
    let digest = Sha256::digest(canonical.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("cli|{}", &hex[..16])
}

#[cfg(test)]
pub(crate) mod fake;
mod platform;
mod worker;

pub use platform::{KeyringApi, KeyringError, RealKeyring, plausible};
pub use worker::Worker;

/// Codex's keyring store for one CODEX_HOME.
pub struct KeyringStore {
    /// The keyring thread, shared with the other keyring store of the process.
    worker: Rc<Worker>,
    /// How long each call may take before it counts as unreachable.
    timeout: Duration,
    /// The CODEX_HOME the account name is derived from.
    home: std::path::PathBuf,
    /// Derived on first use (canonicalise + SHA-256): file-mode commands never pay for it.
    account: std::cell::OnceCell<String>,
    /// auth.json: a successful save removes a stale copy, as Codex does.
    file: FileStore,
    /// The first "cannot reach" error of this process: later calls fail at once instead of
    /// waiting for the timeout again.
    unreachable: RefCell<Option<KeyringError>>,
}

impl KeyringStore {
    pub fn new(worker: Rc<Worker>, timeout: Duration, codex_home: &Path, file: FileStore) -> Self {
        KeyringStore {
            worker,
            timeout,
            home: codex_home.to_path_buf(),
            account: std::cell::OnceCell::new(),
            file,
            unreachable: RefCell::new(None),
        }
    }

    /// Points the store at a CODEX_HOME that was just created (its canonical path may differ).
    pub fn rebase(&mut self, codex_home: &Path, file: FileStore) {
        self.home = codex_home.to_path_buf();
        self.account = std::cell::OnceCell::new();
        self.file = file;
    }

    /// The same keyring (thread, timeout) for another CODEX_HOME (a saved account's directory).
    pub fn for_home(&self, codex_home: &Path, file: FileStore) -> KeyringStore {
        KeyringStore::new(Rc::clone(&self.worker), self.timeout, codex_home, file)
    }

    /// Codex's account name for this store's CODEX_HOME.
    fn account(&self) -> &str {
        self.account.get_or_init(|| account_for(&self.home))
    }

    /// Runs one call on the worker (a write under `lock`), unless the keyring was already
    /// found unreachable in this process.
    fn guarded<T: Send + 'static>(
        &self,
        lock: Option<&LockGuard>,
        call: impl FnOnce(&dyn KeyringApi, &str) -> Result<T, KeyringError> + Send + 'static,
    ) -> Result<T, KeyringError> {
        if let Some(err) = self.unreachable.borrow().clone() {
            return Err(err);
        }
        let account = self.account().to_owned();
        let call = move |api: &dyn KeyringApi| call(api, &account);
        let result = match lock {
            Some(lock) => self.worker.write(self.timeout, lock, call),
            None => self.worker.read(self.timeout, call),
        };
        if let Err(err) = &result
            && err.is_unreachable()
        {
            *self.unreachable.borrow_mut() = Some(err.clone());
        }
        result
    }

    /// Writes the keyring item only (auth.json is left alone): `migrate` verifies the copy
    /// before it removes the old one.
    pub fn write(&self, auth: &AuthDotJson, lock: &LockGuard) -> Result<(), StoreError> {
        let value = crate::secret::Secret::new(auth.to_compact_json());
        self.guarded(Some(lock), move |api, account| {
            api.set(SERVICE, account, value.expose())
        })
        .map_err(|source| StoreError::Keyring {
            op: "save the credentials to",
            source,
        })
    }
}

impl CredentialStore for KeyringStore {
    fn location(&self) -> String {
        format!(
            "the OS keyring, service \"{SERVICE}\", account \"{}\"",
            self.account()
        )
    }

    fn load(&self) -> Result<Option<Loaded>, StoreError> {
        let value = self
            .guarded(None, |api, account| api.get(SERVICE, account))
            .map_err(|source| StoreError::Keyring {
                op: "read the credentials from",
                source,
            })?;
        let Some(value) = value else {
            return Ok(None);
        };
        let auth = AuthDotJson::parse(value.as_bytes()).map_err(|error| StoreError::Keyring {
            op: "read the credentials from",
            source: KeyringError::Malformed(error.to_string()),
        })?;
        Ok(Some(Loaded {
            auth,
            kind: StoreKind::Keyring,
            location: self.location(),
        }))
    }

    fn save(&self, auth: &AuthDotJson, lock: &LockGuard) -> Result<StoreKind, StoreError> {
        self.write(auth, lock)?;
        // Codex removes the file fallback after a keyring save (best effort: the keyring now
        // holds the credentials either way; a leftover auth.json is reported by `status`).
        let _ = self.file.delete(lock);
        Ok(StoreKind::Keyring)
    }

    fn delete(&self, lock: &LockGuard) -> Result<bool, StoreError> {
        self.guarded(Some(lock), |api, account| api.delete(SERVICE, account))
            .map_err(|source| StoreError::Keyring {
                op: "remove the credentials from",
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::fake::FakeKeyring;
    use super::*;
    use crate::secret::Secret;

    fn setup() -> (tempfile::TempDir, FakeKeyring, KeyringStore, LockGuard) {
        let dir = tempfile::tempdir().unwrap();
        let fake = FakeKeyring::default();
        let store = KeyringStore::new(
            Rc::new(Worker::new(Box::new(fake.clone()))),
            Duration::from_secs(60),
            dir.path(),
            FileStore::new(dir.path().join("auth.json")),
        );
        let lock = crate::lock::acquire_for_test(dir.path());
        (dir, fake, store, lock)
    }

    #[test]
    fn account_name_is_pinned() {
        // sha256("/home/user/.codex") = 59448a44901f7128…; the path does not exist, so the raw
        // path is hashed, as Codex does.
        assert_eq!(
            account_for(Path::new("/home/user/.codex")),
            "cli|59448a44901f7128"
        );
    }

    /// Codex on Windows hashes std's verbatim canonical path (issue 13):
    /// `printf '%s' '\\?\C:\Users\me\.codex' | sha256sum` = 93acf8a92121eb34…
    #[test]
    fn account_name_of_a_verbatim_windows_path_is_pinned() {
        assert_eq!(
            account_for_path_text(r"\\?\C:\Users\me\.codex"),
            "cli|93acf8a92121eb34"
        );
    }

    /// The home is shown simplified (`C:\...`), but the account hashes what Codex hashes.
    #[cfg(windows)]
    #[test]
    fn account_name_of_a_simplified_home_hashes_the_verbatim_path() {
        let dir = tempfile::tempdir().unwrap();
        let canonical = std::fs::canonicalize(dir.path()).unwrap();
        let verbatim = canonical.to_string_lossy();
        assert!(verbatim.starts_with(r"\\?\"), "{verbatim}");
        let simplified = dunce::simplified(&canonical);
        assert!(!simplified.to_string_lossy().starts_with(r"\\?\"));
        assert_eq!(account_for(simplified), account_for_path_text(&verbatim));
    }

    #[cfg(unix)]
    #[test]
    fn account_name_hashes_the_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        assert_eq!(
            account_for(&dir.path().join("link")),
            account_for(&dir.path().join("real").canonicalize().unwrap())
        );
    }

    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    #[test]
    fn the_platform_store_is_real_not_the_mock() {
        assert!(matches!(
            keyring::default::default_credential_builder().persistence(),
            keyring::credential::CredentialPersistence::UntilDelete
        ));
    }

    /// On Linux the entries must be Secret Service items (what Codex reads), never keyutils
    /// entries in kernel memory. Building an entry does not connect to anything.
    #[cfg(target_os = "linux")]
    #[test]
    fn linux_entries_are_secret_service_items() {
        let entry = ::keyring::Entry::new(SERVICE, "cli|0000000000000000").unwrap();
        let credential = entry
            .get_credential()
            .downcast_ref::<::keyring::secret_service::SsCredential>()
            .expect("a Secret Service credential");
        let attributes = &credential.attributes;
        assert_eq!(attributes.get("service").map(String::as_str), Some(SERVICE));
        assert_eq!(
            attributes.get("application").map(String::as_str),
            Some("rust-keyring")
        );
        assert_eq!(
            credential.label,
            "cli|0000000000000000@Codex Auth:default (keyring v3.6.3)"
        );
    }

    #[test]
    fn keeps_the_store_contract() {
        let (_dir, _fake, store, lock) = setup();
        super::super::conformance::check(&store, &lock);
    }

    #[test]
    fn value_is_compact_json_under_codex_names() {
        let (dir, fake, store, lock) = setup();
        let auth = AuthDotJson::from_api_key(Secret::new("sk-compact-0123456789"));
        store.save(&auth, &lock).unwrap();
        let state = fake.state();
        let key = (SERVICE.to_owned(), account_for(dir.path()));
        assert_eq!(
            state.items.get(&key).unwrap(),
            r#"{"auth_mode":"apikey","OPENAI_API_KEY":"sk-compact-0123456789"}"#
        );
    }

    #[test]
    fn save_removes_a_stale_auth_json_and_a_failed_save_keeps_it() {
        let (dir, fake, store, lock) = setup();
        let file = dir.path().join("auth.json");
        store
            .file
            .save(&AuthDotJson::from_api_key(Secret::new("sk-old")), &lock)
            .unwrap();
        fake.state().fail_set = Some(KeyringError::Other("boom".into()));
        let auth = AuthDotJson::from_api_key(Secret::new("sk-x-0123456789"));
        let err = store.save(&auth, &lock).unwrap_err();
        assert!(err.to_string().contains("boom"), "{err}");
        assert!(file.exists(), "a failed keyring save leaves auth.json");
        fake.state().fail_set = None;
        store.save(&auth, &lock).unwrap();
        assert!(!file.exists(), "a keyring save removes the stale auth.json");
    }

    /// Issue 13: keyring mode refuses a login Windows cannot hold, with exit 7, and changes
    /// nothing: the older item and auth.json stay byte for byte.
    #[test]
    fn a_login_too_large_for_the_keyring_is_a_store_error_that_changes_nothing() {
        let (dir, fake, store, lock) = setup();
        fake.state().blob_limit = Some(2560);
        store
            .write(
                &AuthDotJson::from_api_key(Secret::new("sk-kept-0123")),
                &lock,
            )
            .unwrap();
        let before_item = fake.state().items.clone();
        let file = dir.path().join("auth.json");
        std::fs::write(&file, b"{ \"not\": \"touched\" }").unwrap();

        let large = crate::storage::auto::tests::large_chatgpt_login();
        let err = store.save(&large, &lock).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("2560 bytes") && text.contains("--store file") && !text.contains("rt-"),
            "{text}"
        );
        assert_eq!(
            crate::error::Error::Store(err).exit_code(),
            crate::error::exit_code::STORE
        );
        assert_eq!(fake.state().items, before_item);
        assert_eq!(std::fs::read(&file).unwrap(), b"{ \"not\": \"touched\" }");
    }

    #[test]
    fn unreachable_keyring_is_asked_only_once() {
        let (_dir, fake, store, _lock) = setup();
        fake.state().fail_get = Some(KeyringError::TimedOut(Duration::from_secs(5)));
        assert!(store.load().is_err());
        assert!(store.load().is_err());
        assert_eq!(fake.state().calls, 1);
    }

    #[test]
    fn malformed_item_is_a_clear_error() {
        let (dir, fake, store, _lock) = setup();
        fake.state()
            .items
            .insert((SERVICE.into(), account_for(dir.path())), "not json".into());
        let err = store.load().unwrap_err().to_string();
        assert!(
            err.contains("OS keyring") && err.contains("no valid credentials"),
            "{err}"
        );
    }
}
