//! The last failed refresh flight, written into our refresh lock file, so that processes queued
//! behind a failing flight fail the same way at once instead of asking the issuer again.
//!
//! Best effort: a note that cannot be read or written only costs an extra request.
//!
//! The note is read and written through the lock's own handle: Windows' locks are mandatory,
//! so a second handle on the file could neither read nor write it while the lock is held.

use std::io::{Read, Seek, SeekFrom, Write};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::lock::FileLock;
use crate::oauth::OAuthError;
use crate::secret::Secret;

/// A failure, bound to the refresh token it happened with (by a short hash, never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureNote {
    pub at: DateTime<Utc>,
    pub token: String,
    pub permanent: bool,
    pub message: String,
}

/// The first 16 hex digits of the SHA-256 of the refresh token.
fn fingerprint(refresh_token: &Secret) -> String {
    let digest = Sha256::digest(refresh_token.expose().as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl FailureNote {
    /// A note for this failure, or `None` for errors other processes could not share.
    pub fn of(err: &OAuthError, refresh_token: &Secret, at: DateTime<Utc>) -> Option<Self> {
        let (permanent, message) = match err {
            OAuthError::Permanent { message } => (true, message.clone()),
            OAuthError::Transient(message) => (false, message.clone()),
            OAuthError::Login(_) | OAuthError::Setup(_) => return None,
        };
        Some(FailureNote {
            at,
            token: fingerprint(refresh_token),
            permanent,
            message,
        })
    }

    /// Whether this note tells a process that began waiting at `since` with `refresh_token`
    /// what its own attempt would get.
    pub fn applies(&self, refresh_token: &Secret, since: DateTime<Utc>) -> bool {
        self.at >= since && self.token == fingerprint(refresh_token)
    }

    pub fn into_error(self) -> OAuthError {
        if self.permanent {
            OAuthError::Permanent {
                message: self.message,
            }
        } else {
            OAuthError::Transient(self.message)
        }
    }
}

/// The note in the refresh lock file, read through the held lock.
pub fn read(flight: &FileLock) -> Option<FailureNote> {
    let mut file = flight.file();
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut text = String::new();
    file.take(64 * 1024).read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

/// Replaces the note (`None`: clears it), through the held lock.
pub fn write(flight: &FileLock, note: Option<&FailureNote>) {
    let text = note
        .and_then(|note| serde_json::to_string(note).ok())
        .unwrap_or_default();
    let mut file = flight.file();
    let replaced = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.set_len(0))
        .and_then(|()| file.write_all(text.as_bytes()));
    if let Err(err) = replaced {
        tracing::debug!("refresh: the failure note was not written: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_note_round_trips_and_applies_only_to_its_token_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("refresh.lock");
        let flight = crate::lock::exclusive(&path, std::time::Duration::ZERO).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let rt = Secret::new("rt-1");
        let err = OAuthError::Transient("down".into());
        let note = FailureNote::of(&err, &rt, at).unwrap();
        assert!(!note.token.contains("rt-1"));
        write(&flight, Some(&note));
        let read_back = read(&flight).unwrap();
        assert_eq!(read_back, note);
        assert!(read_back.applies(&rt, at));
        assert!(!read_back.applies(&rt, at + chrono::TimeDelta::seconds(1)));
        assert!(!read_back.applies(&Secret::new("rt-2"), at));
        assert!(matches!(read_back.into_error(), OAuthError::Transient(m) if m == "down"));
        write(&flight, None);
        assert!(read(&flight).is_none());
    }

    /// Issue 13: the process queued behind a failed flight reads the note once it holds the
    /// lock. On Windows a second handle could neither write nor read it (mandatory locks).
    #[test]
    fn the_next_holder_of_the_flight_lock_reads_the_note() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codex-creds-refresh.lock");
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let rt = Secret::new("rt-1");
        let long = FailureNote::of(&OAuthError::Transient("x".repeat(300)), &rt, at).unwrap();
        let short = FailureNote::of(&OAuthError::Transient("down".into()), &rt, at).unwrap();

        let flight = crate::lock::exclusive(&path, std::time::Duration::ZERO).unwrap();
        write(&flight, Some(&long));
        write(&flight, Some(&short)); // a shorter note leaves nothing of the longer one
        drop(flight);

        let next = crate::lock::exclusive(&path, std::time::Duration::ZERO).unwrap();
        assert_eq!(read(&next), Some(short));
    }

    /// What makes the note work on Windows: it goes through the lock's handle, never a second
    /// one opened by path (which Windows refuses while the lock is held: LockFileEx locks are
    /// mandatory). Wine 8.0 does not enforce that, so this test shows it everywhere by moving
    /// the file away from its path while the lock is held: only the held handle still reaches it.
    #[test]
    fn the_note_goes_through_the_held_lock_not_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("codex-creds-refresh.lock");
        let moved = dir.path().join("moved.lock");
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let err = OAuthError::Permanent {
            message: "revoked".into(),
        };
        let note = FailureNote::of(&err, &Secret::new("rt-1"), at).unwrap();

        let flight = crate::lock::exclusive(&path, std::time::Duration::ZERO).unwrap();
        std::fs::rename(&path, &moved).unwrap();
        write(&flight, Some(&note));
        assert_eq!(read(&flight), Some(note.clone()));
        drop(flight);
        let on_disk = std::fs::read_to_string(&moved).unwrap();
        assert_eq!(serde_json::from_str::<FailureNote>(&on_disk).unwrap(), note);
    }
}
