//! Codex-compatible lock files (spec §3.1): `auth.lock`, then `<credential file>.lock`, both
//! exclusive `flock`s. Every write of credentials needs a [`LockGuard`], so no unlocked write
//! compiles. Lock files are never deleted (Codex relies on that too).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long each of Codex's two locks is waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waits {
    pub auth_lock: Duration,
    pub commit_lock: Duration,
}

/// For ordinary writes: Codex waits 5 s for the commit lock, and forever for auth.lock, where
/// we give up after a minute and say who to blame.
pub const USUAL: Waits = Waits {
    auth_lock: Duration::from_secs(60),
    commit_lock: Duration::from_secs(5),
};

/// For committing tokens the issuer has already rotated: giving up loses the login, so wait as
/// long as a person plausibly would (another process holding a lock this long is stuck).
pub const PATIENT: Waits = Waits {
    auth_lock: Duration::from_secs(600),
    commit_lock: Duration::from_secs(120),
};
const POLL: Duration = Duration::from_millis(10);

/// A lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot open the lock file {}: {source}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error(
        "{} is held by another process (a running codex or codex-creds) for more than {}s; \
         try again when it has finished",
        path.display(),
        waited.as_secs()
    )]
    Timeout { path: PathBuf, waited: Duration },
    #[error("cannot lock {}: {source}", path.display())]
    Lock { path: PathBuf, source: io::Error },
}

/// Proof that the caller holds `auth.lock` and the commit lock of the credential file.
#[derive(Debug)]
pub struct LockGuard {
    // Fields drop in declaration order: the commit lock first, then auth.lock, as Codex
    // releases them. Keep this order.
    _commit: File,
    _auth: File,
}

impl LockGuard {
    /// Another handle on the same two locks. A `flock` belongs to the open file, so the locks
    /// go only when every handle has been dropped (never unlock explicitly: that would release
    /// them for all). A keyring write that outlives its caller's wait keeps them this way
    /// until it has finished (see `storage::keyring::worker`).
    pub fn try_clone(&self) -> io::Result<LockGuard> {
        Ok(LockGuard {
            _commit: self._commit.try_clone()?,
            _auth: self._auth.try_clone()?,
        })
    }
}

/// An exclusive lock on one file, held until dropped.
#[derive(Debug)]
pub struct FileLock {
    file: File,
}

impl FileLock {
    /// The locked file's own handle, to read or write what the lock file holds. On Windows
    /// the lock (LockFileEx) is mandatory: any other handle's reads and writes of the file fail
    /// while it is held, so use this one.
    pub fn file(&self) -> &File {
        &self.file
    }
}

/// Takes `auth.lock`, then `<target>.lock`, waiting as [`USUAL`]. `target` is the resolved
/// credential file (a symlinked auth.json's target).
pub fn acquire(auth_lock: &Path, target: &Path) -> Result<LockGuard, LockError> {
    acquire_with(auth_lock, target, USUAL)
}

/// [`acquire`], waiting as long as `waits` says.
pub fn acquire_with(auth_lock: &Path, target: &Path, waits: Waits) -> Result<LockGuard, LockError> {
    let auth = lock_file(auth_lock, 0o666, waits.auth_lock)?;
    let mut commit_path = target.as_os_str().to_owned();
    commit_path.push(".lock");
    let commit = lock_file(Path::new(&commit_path), 0o600, waits.commit_lock)?;
    Ok(LockGuard {
        _commit: commit,
        _auth: auth,
    })
}

/// Takes an exclusive lock on `path`, creating it with `mode`, waiting at most `wait`.
pub fn exclusive(path: &Path, wait: Duration) -> Result<FileLock, LockError> {
    Ok(FileLock {
        file: lock_file(path, 0o600, wait)?,
    })
}

#[allow(clippy::disallowed_methods)] // polls a lock std cannot wait on with a timeout
fn lock_file(path: &Path, mode: u32, wait: Duration) -> Result<File, LockError> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let file = options.open(path).map_err(|source| LockError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(POLL)
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(LockError::Timeout {
                    path: path.to_path_buf(),
                    waited: wait,
                });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(LockError::Lock {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// Codex's locks for a test CODEX_HOME `dir`, with its auth.json as the credential file.
#[cfg(test)]
pub(crate) fn acquire_for_test(dir: &Path) -> LockGuard {
    acquire(&dir.join("auth.lock"), &dir.join("auth.json")).expect("the test locks")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_times_out_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let _held = exclusive(&path, Duration::from_millis(10)).unwrap();
        let err = exclusive(&path, Duration::from_millis(50)).unwrap_err();
        assert!(err.to_string().contains("x.lock"), "{err}");
    }

    #[test]
    fn guard_takes_both_codex_locks() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("auth.json");
        let guard = acquire(&dir.path().join("auth.lock"), &target).unwrap();
        assert!(dir.path().join("auth.json.lock").exists());
        assert!(
            exclusive(
                &dir.path().join("auth.json.lock"),
                Duration::from_millis(20)
            )
            .is_err()
        );
        drop(guard);
        assert!(exclusive(&dir.path().join("auth.lock"), Duration::from_millis(20)).is_ok());
    }
}
