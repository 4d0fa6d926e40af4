//! auth.json on disk (spec §3): reading it (symlinks, refusals, size cap) and backing up a
//! malformed one. auth.json is only ever replaced atomically, by `atomic`, under Codex's locks;
//! reads take no lock.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

mod atomic;

use super::{CredentialStore, Loaded, StoreError, StoreKind};
use crate::auth_json::AuthDotJson;
use crate::lock::LockGuard;

/// Codex gives up after this many symlink hops (`too many credential symlinks`).
const MAX_SYMLINKS: usize = 32;
/// auth.json larger than this is not credentials; refuse rather than read it whole.
const MAX_AUTH_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    pub fn new(path: PathBuf) -> Self {
        FileStore { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file that is really written: auth.json, or the end of its symlink chain. The commit
    /// lock sits beside it (spec §0).
    pub fn resolved_target(&self) -> Result<PathBuf, StoreError> {
        let mut current = self.path.clone();
        for _ in 0..MAX_SYMLINKS {
            match fs::symlink_metadata(&current) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    let link = fs::read_link(&current).map_err(|source| StoreError::Read {
                        path: current.clone(),
                        source,
                    })?;
                    let parent = current.parent().ok_or_else(|| StoreError::Refused {
                        path: current.clone(),
                        reason: "the credential link has no parent directory".to_owned(),
                    })?;
                    current = parent.join(link);
                }
                _ => return Ok(current),
            }
        }
        Err(StoreError::Refused {
            path: self.path.clone(),
            reason: format!("more than {MAX_SYMLINKS} symlinks; fix the link chain"),
        })
    }

    /// Reads and parses auth.json; `None` when it does not exist.
    fn read(&self) -> Result<Option<AuthDotJson>, StoreError> {
        let read_error = |source| StoreError::Read {
            path: self.path.clone(),
            source,
        };
        // Refuse FIFOs, sockets and devices before opening: opening a FIFO would block.
        match fs::metadata(&self.path) {
            Ok(meta) if meta.is_dir() => return Err(not_a_file(&self.path, "is a directory")),
            Ok(meta) if !meta.is_file() => {
                return Err(not_a_file(
                    &self.path,
                    "is not a regular file (a FIFO, socket or device)",
                ));
            }
            _ => {}
        }
        let file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(None);
            }
            Err(err) => return Err(read_error(err)),
        };
        let meta = file.metadata().map_err(read_error)?;
        if !meta.is_file() {
            return Err(not_a_file(&self.path, "is not a regular file"));
        }
        if meta.len() > MAX_AUTH_BYTES {
            return Err(StoreError::Refused {
                path: self.path.clone(),
                reason: format!(
                    "is {} bytes, too large to be credentials; it was left untouched",
                    meta.len()
                ),
            });
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        io::Read::read_to_end(&mut io::Read::take(file, MAX_AUTH_BYTES + 1), &mut bytes)
            .map_err(read_error)?;
        AuthDotJson::parse(&bytes)
            .map(Some)
            .map_err(|error| StoreError::Malformed {
                location: self.path.display().to_string(),
                error,
            })
    }

    /// Copies a malformed auth.json to `auth.json.malformed-<timestamp>` (0600) before a login
    /// replaces it. Returns the backup path; `None` when the file is absent or parses.
    pub fn backup_if_malformed(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<PathBuf>, StoreError> {
        match self.read() {
            Ok(_) => return Ok(None),
            Err(StoreError::Malformed { .. }) => {}
            // Not a regular file: never replaced (the save refuses it too).
            Err(err @ StoreError::Refused { .. })
                if !fs::metadata(&self.path).is_ok_and(|m| m.is_file()) =>
            {
                return Err(err);
            }
            Err(_) => {}
        }
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(StoreError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        let mut backup = self.path.as_os_str().to_owned();
        backup.push(format!(".malformed-{}", now.format("%Y%m%dT%H%M%S%.3fZ")));
        let backup = PathBuf::from(backup);
        atomic::write_new_private(&backup, &bytes).map_err(|source| StoreError::Write {
            path: backup.clone(),
            source,
        })?;
        Ok(Some(backup))
    }
}

impl CredentialStore for FileStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn load(&self) -> Result<Option<Loaded>, StoreError> {
        Ok(self.read()?.map(|auth| Loaded {
            auth,
            kind: StoreKind::File,
            location: self.location(),
        }))
    }

    fn save(&self, auth: &AuthDotJson, _lock: &LockGuard) -> Result<StoreKind, StoreError> {
        // auth.json's own directory is CODEX_HOME: nothing outside it is tightened or swept.
        let home = self.path.parent().unwrap_or(Path::new("."));
        atomic::replace(
            home,
            &self.resolved_target()?,
            auth.to_pretty_json().as_bytes(),
        )?;
        Ok(StoreKind::File)
    }

    fn delete(&self, _lock: &LockGuard) -> Result<bool, StoreError> {
        // A symlinked auth.json: the link goes, its target stays (as Codex does).
        match fs::remove_file(&self.path) {
            Ok(()) => {
                if let Some(dir) = self.path.parent() {
                    let _ = atomic::sync_dir(dir);
                }
                Ok(true)
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(false)
            }
            Err(source) => Err(StoreError::Write {
                path: self.path.clone(),
                source,
            }),
        }
    }
}

/// Writes credentials to `path`, a new file (refused if anything is there, a symlink too):
/// 0600, fsynced with its directory. For recovery copies; it changes nothing else.
pub fn save_new(path: &Path, auth: &AuthDotJson) -> Result<(), StoreError> {
    atomic::write_new_private(path, auth.to_pretty_json().as_bytes())
        .and_then(|()| path.parent().map_or(Ok(()), atomic::sync_dir))
        .map_err(|source| StoreError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Replaces a small private file (0600) that holds no secret (an account's metadata, its
/// config.toml) atomically: temp file, fsync, rename, fsync the directory. The caller
/// serialises writers (codex-creds' accounts lock).
pub fn write_document(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let write_error = |source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().ok_or_else(|| StoreError::Refused {
        path: path.to_path_buf(),
        reason: "has no parent directory".to_owned(),
    })?;
    let mut temp = tempfile::Builder::new()
        .prefix(".codex-creds-doc-")
        .tempfile_in(dir)
        .map_err(write_error)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    temp.persist(path).map_err(|err| write_error(err.error))?;
    atomic::sync_dir(dir).map_err(write_error)
}

/// A refusal of something at auth.json's path that is not a regular file.
fn not_a_file(path: &Path, what: &str) -> StoreError {
    StoreError::Refused {
        path: path.to_path_buf(),
        reason: format!(
            "{what}, not a credential file; it was left untouched. Remove or rename it"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use crate::secret::Secret;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    fn setup() -> (tempfile::TempDir, FileStore, LockGuard) {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("auth.json"));
        let lock = crate::lock::acquire_for_test(dir.path());
        (dir, store, lock)
    }

    #[test]
    fn keeps_the_store_contract() {
        let (_dir, store, lock) = setup();
        super::super::conformance::check(&store, &lock);
    }

    #[cfg(unix)] // modes, symlinks and hard links as Unix has them
    #[test]
    fn writes_0600_in_0700_and_leaves_no_temp_files() {
        let (dir, store, lock) = setup();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(dir.path().join(".auth-AbC123"), "stray").unwrap();
        fs::write(dir.path().join(".codex-creds-auth-old"), "stray").unwrap();
        store
            .save(&AuthDotJson::from_api_key(Secret::new("k")), &lock)
            .unwrap();
        let mode = fs::metadata(store.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777,
            0o700
        );
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    #[cfg(unix)] // modes, symlinks and hard links as Unix has them
    #[test]
    fn symlinked_file_keeps_its_link() {
        let (dir, store, _) = setup();
        let real = dir.path().join("real.json");
        fs::write(&real, "{}").unwrap();
        std::os::unix::fs::symlink(&real, store.path()).unwrap();
        let lock = crate::lock::acquire(&dir.path().join("auth.lock"), &real).unwrap();
        store
            .save(&AuthDotJson::from_api_key(Secret::new("k")), &lock)
            .unwrap();
        assert!(
            fs::symlink_metadata(store.path())
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(fs::read_to_string(&real).unwrap().contains("\"k\""));
        assert!(store.delete(&lock).unwrap());
        assert!(real.exists(), "the link's target survives logout");
    }

    #[cfg(unix)] // modes, symlinks and hard links as Unix has them
    #[test]
    fn a_target_outside_codex_home_changes_nothing_else_there() {
        let (dir, store, _) = setup();
        let outside = tempfile::tempdir().unwrap();
        fs::set_permissions(outside.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let stray = outside.path().join(".codex-creds-auth-AbCd1234");
        fs::write(&stray, "not ours").unwrap();
        let real = outside.path().join("auth.json");
        std::os::unix::fs::symlink(&real, store.path()).unwrap();
        let lock = crate::lock::acquire(&dir.path().join("auth.lock"), &real).unwrap();
        store
            .save(&AuthDotJson::from_api_key(Secret::new("k")), &lock)
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(outside.path()), 0o755);
        assert_eq!(mode(&real), 0o600);
        assert_eq!(fs::read_to_string(&stray).unwrap(), "not ours");
    }

    #[cfg(unix)] // modes, symlinks and hard links as Unix has them
    #[test]
    fn refuses_read_only_and_hard_linked_files() {
        let (dir, store, lock) = setup();
        fs::write(store.path(), "{}").unwrap();
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o400)).unwrap();
        let err = store
            .save(&AuthDotJson::from_api_key(Secret::new("k")), &lock)
            .unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o600)).unwrap();
        fs::hard_link(store.path(), dir.path().join("other")).unwrap();
        let err = store
            .save(&AuthDotJson::from_api_key(Secret::new("k")), &lock)
            .unwrap_err();
        assert!(err.to_string().contains("hard-linked"), "{err}");
        assert_eq!(fs::read_to_string(store.path()).unwrap(), "{}");
    }

    #[test]
    fn backup_of_malformed_file_is_private() {
        let (_dir, store, _lock) = setup();
        fs::write(store.path(), "{ broken").unwrap();
        let backup = store
            .backup_if_malformed(chrono::Utc::now())
            .unwrap()
            .unwrap();
        assert_eq!(fs::read_to_string(&backup).unwrap(), "{ broken");
        #[cfg(unix)]
        assert_eq!(
            fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
            0o600
        );
        fs::write(store.path(), "{}").unwrap();
        assert!(
            store
                .backup_if_malformed(chrono::Utc::now())
                .unwrap()
                .is_none()
        );
    }
}
