//! The platform side of the keyring store: [`KeyringApi`] (get, set, delete) and its real
//! implementation on the `keyring` crate (3.6, the features Codex uses), with the crate's errors
//! sorted into what a user can act on. The calls block; `worker` runs them with a timeout.

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use super::SERVICE;

/// Why the keyring could not be used. Messages never contain secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error(
        "the OS keyring is not reachable ({0}). On Linux a Secret Service (gnome-keyring, \
         KeePassXC) must run in this D-Bus session"
    )]
    Unavailable(String),
    #[error("the OS keyring is locked or refused access ({0}); unlock it and try again")]
    Locked(String),
    /// macOS `errSecInteractionNotAllowed` (-25308): the Keychain needs a person to allow the
    /// access (an item another program created, a locked login keychain) and cannot ask one.
    #[error(
        "the macOS Keychain needs your permission and cannot ask for it here (no GUI session: \
         SSH, CI or launchd) ({0}); run the command once from a desktop session and choose \
         \"Always Allow\", or use `--store file` (`--store auto` falls back to it)"
    )]
    NoInteraction(String),
    #[error(
        "the OS keyring did not answer within {}ms (a locked keyring may be waiting on an unlock \
         prompt); unlock it and try again, or raise CODEX_CREDS_KEYRING_TIMEOUT",
        .0.as_millis()
    )]
    TimedOut(Duration),
    /// A write the keyring started but did not finish in time: it may still land, so it keeps
    /// Codex's locks until it does (see `worker`).
    #[error(
        "the OS keyring did not answer within {}ms and may still carry out the write (a locked \
         keyring may be waiting on an unlock prompt); Codex's credential locks stay held until \
         it does or this command exits, so it cannot overwrite newer credentials. Unlock the \
         keyring and try again, or raise CODEX_CREDS_KEYRING_TIMEOUT",
        .0.as_millis()
    )]
    WriteStillRunning(Duration),
    #[error(
        "the OS keyring holds {count} items for service \"{SERVICE}\" and account \"{account}\", \
         which neither Codex nor codex-creds can use; remove them (`secret-tool clear service \
         '{SERVICE}' username '{account}'`) and log in again"
    )]
    Ambiguous { count: usize, account: String },
    #[error("the OS keyring item is not UTF-8 text")]
    BadEncoding,
    /// The value is larger than one item may be: Windows Credential Manager takes at most 2560
    /// bytes (UTF-16, so about 1280 characters), and a ChatGPT login is larger. Codex reads no
    /// chunked format, so there is none; the file store holds any size.
    #[error(
        "the credentials are larger than one OS keyring item may be (Windows Credential Manager \
         holds at most {limit} bytes; a ChatGPT login needs more); keep them in auth.json with \
         `--store file`, or use `--store auto`, which falls back to it"
    )]
    TooLong { limit: u32 },
    #[error(
        "the OS keyring item holds no valid credentials ({0}); replace it with `codex-creds \
         login` or remove it with `codex-creds logout`"
    )]
    Malformed(String),
    #[error("the OS keyring failed: {0}")]
    Other(String),
}

impl KeyringError {
    /// Errors that say the keyring cannot be reached at all (worth remembering for this process).
    pub(crate) fn is_unreachable(&self) -> bool {
        matches!(
            self,
            KeyringError::Unavailable(_)
                | KeyringError::Locked(_)
                | KeyringError::NoInteraction(_)
                | KeyringError::TimedOut(_)
                | KeyringError::WriteStillRunning(_)
        )
    }
}

/// The three platform calls the store needs, blocking, run on the keyring worker thread.
/// `get` of a missing item is `Ok(None)`; `delete` of a missing item is `Ok(false)`.
pub trait KeyringApi: Send {
    fn get(&self, service: &str, account: &str) -> Result<Option<String>, KeyringError>;
    fn set(&self, service: &str, account: &str, value: &str) -> Result<(), KeyringError>;
    fn delete(&self, service: &str, account: &str) -> Result<bool, KeyringError>;
}

/// The OS keyring through the `keyring` crate (the same crate, version and features as Codex).
/// Nothing connects until a call is made.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealKeyring;

impl RealKeyring {
    fn call<T>(
        &self,
        service: &str,
        account: &str,
        op: impl FnOnce(&keyring::Entry) -> keyring::Result<T>,
    ) -> Result<T, KeyringError> {
        keyring::Entry::new(service, account)
            .and_then(|entry| op(&entry))
            .map_err(|err| classify(err, account))
    }
}

/// Whether the OS keyring can be asked without risking a wait, from the two D-Bus variables
/// (`DBUS_SESSION_BUS_ADDRESS`, `XDG_RUNTIME_DIR`): on Linux and the BSDs a session bus must
/// exist (an address, or the default socket `$XDG_RUNTIME_DIR/bus`). Elsewhere always.
pub fn plausible(dbus_session_bus_address: Option<&str>, xdg_runtime_dir: Option<&OsStr>) -> bool {
    if cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd"
    )) {
        dbus_session_bus_address.is_some()
            || xdg_runtime_dir.is_some_and(|dir| Path::new(dir).join("bus").exists())
    } else {
        true
    }
}

fn classify(err: keyring::Error, account: &str) -> KeyringError {
    match err {
        // Creating an item in a locked collection surfaces as a platform failure.
        keyring::Error::PlatformFailure(inner) if inner.to_string().contains("IsLocked") => {
            KeyringError::Locked(inner.to_string())
        }
        // Security.framework's text for -25308 is "User interaction is not allowed."
        keyring::Error::PlatformFailure(inner)
            if inner.to_string().contains("-25308")
                || inner
                    .to_string()
                    .to_ascii_lowercase()
                    .contains("interaction is not allowed") =>
        {
            KeyringError::NoInteraction(inner.to_string())
        }
        keyring::Error::PlatformFailure(inner) => KeyringError::Unavailable(inner.to_string()),
        keyring::Error::NoStorageAccess(inner) => KeyringError::Locked(inner.to_string()),
        keyring::Error::Ambiguous(items) => KeyringError::Ambiguous {
            count: items.len(),
            account: account.to_owned(),
        },
        keyring::Error::BadEncoding(_) => KeyringError::BadEncoding,
        // The value ("password encoded as UTF-16" in keyring 3.6), not our short names.
        keyring::Error::TooLong(attribute, limit)
            if attribute.starts_with("password") || attribute.starts_with("secret") =>
        {
            KeyringError::TooLong { limit }
        }
        // NoEntry is handled by the callers; the rest never carry secrets.
        other => KeyringError::Other(other.to_string()),
    }
}

impl KeyringApi for RealKeyring {
    fn get(&self, service: &str, account: &str) -> Result<Option<String>, KeyringError> {
        self.call(service, account, |entry| match entry.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(err),
        })
    }

    fn set(&self, service: &str, account: &str, value: &str) -> Result<(), KeyringError> {
        // keyring 3.6 updates the one matching item in place, or creates it when there is none.
        self.call(service, account, |entry| entry.set_password(value))
    }

    fn delete(&self, service: &str, account: &str) -> Result<bool, KeyringError> {
        self.call(service, account, |entry| match entry.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(err) => Err(err),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_errors_are_classified() {
        let platform = |text: &str| keyring::Error::PlatformFailure(text.into());
        assert!(matches!(
            classify(
                platform("no secret service provider or dbus session found"),
                "a"
            ),
            KeyringError::Unavailable(_)
        ));
        assert!(matches!(
            classify(
                platform("zbus error: org.freedesktop.Secret.Error.IsLocked: Cannot create"),
                "a"
            ),
            KeyringError::Locked(_)
        ));
        assert!(matches!(
            classify(
                keyring::Error::NoStorageAccess("prompt dismissed".into()),
                "a"
            ),
            KeyringError::Locked(_)
        ));
        assert_eq!(
            classify(keyring::Error::Ambiguous(Vec::new()), "cli|x"),
            KeyringError::Ambiguous {
                count: 0,
                account: "cli|x".into()
            }
        );
    }

    /// Issue 13: Windows refuses a ChatGPT login (more than 2560 bytes as UTF-16).
    #[test]
    fn a_value_over_the_platform_limit_is_too_long() {
        // What keyring 3.6's Windows store returns (windows.rs, validate_attributes).
        let too_long = keyring::Error::TooLong("password encoded as UTF-16".into(), 2560);
        let err = classify(too_long, "cli|x");
        assert_eq!(err, KeyringError::TooLong { limit: 2560 });
        assert!(
            !err.is_unreachable(),
            "the keyring works; the value does not fit"
        );
        let text = err.to_string();
        assert!(
            text.contains("2560 bytes") && text.contains("--store file") && !text.contains('\n'),
            "{text}"
        );
        // Our own names are short; a limit on them is some other failure.
        assert!(matches!(
            classify(keyring::Error::TooLong("user".into(), 513), "a"),
            KeyringError::Other(_)
        ));
    }

    /// Issue 13: a headless Mac (SSH, CI) gets a Keychain-specific reason, and it counts as
    /// unreachable, so `auto` falls back to the file and `keyring` exits 7.
    #[test]
    fn a_keychain_that_cannot_ask_the_user_is_named_and_unreachable() {
        #[derive(Debug)]
        struct SecError(&'static str);
        impl std::fmt::Display for SecError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for SecError {}
        for text in ["User interaction is not allowed.", "error code -25308"] {
            let err = classify(
                keyring::Error::PlatformFailure(Box::new(SecError(text))),
                "cli|x",
            );
            assert_eq!(err, KeyringError::NoInteraction(text.into()));
            assert!(err.is_unreachable());
            assert!(err.to_string().contains("Always Allow"), "{err}");
        }
        let other = classify(
            keyring::Error::PlatformFailure(Box::new(SecError("no dbus"))),
            "cli|x",
        );
        assert_eq!(other, KeyringError::Unavailable("no dbus".into()));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_keyring_is_plausible_with_a_session_bus_address_or_socket() {
        let run = tempfile::tempdir().unwrap();
        let run_dir = Some(run.path().as_os_str());
        assert!(plausible(Some("unix:path=/nonexistent"), None));
        assert!(!plausible(None, None));
        assert!(!plausible(None, run_dir), "no socket yet");
        std::fs::write(run.path().join("bus"), "").unwrap();
        assert!(plausible(None, run_dir));
    }
}
