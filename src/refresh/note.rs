//! The last failed refresh flight, written into our refresh lock file, so that processes queued
//! behind a failing flight fail the same way at once instead of asking the issuer again.
//!
//! Best effort: a note that cannot be read or written only costs an extra request.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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

pub fn read(path: &Path) -> Option<FailureNote> {
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    serde_json::from_str(&text).ok()
}

/// Replaces the note (`None`: clears it). Only the holder of the refresh lock calls this.
pub fn write(path: &Path, note: Option<&FailureNote>) {
    let text = note
        .and_then(|note| serde_json::to_string(note).ok())
        .unwrap_or_default();
    if let Ok(mut file) = OpenOptions::new().write(true).truncate(true).open(path) {
        let _ = file.write_all(text.as_bytes());
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
        std::fs::File::create(&path).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let rt = Secret::new("rt-1");
        let err = OAuthError::Transient("down".into());
        let note = FailureNote::of(&err, &rt, at).unwrap();
        assert!(!note.token.contains("rt-1"));
        write(&path, Some(&note));
        let read_back = read(&path).unwrap();
        assert_eq!(read_back, note);
        assert!(read_back.applies(&rt, at));
        assert!(!read_back.applies(&rt, at + chrono::TimeDelta::seconds(1)));
        assert!(!read_back.applies(&Secret::new("rt-2"), at));
        assert!(matches!(read_back.into_error(), OAuthError::Transient(m) if m == "down"));
        write(&path, None);
        assert!(read(&path).is_none());
    }
}
