//! The one user-facing error type and the one table that maps errors to exit codes.
//!
//! Each module classifies its own failures; this file only decides what they mean to a script.
//! README, `--help` and the man pages render [`EXIT_CODES`], so the table cannot drift.

use std::process::ExitCode;

use crate::config::ConfigError;
use crate::oauth::OAuthError;
use crate::oauth::browser::BindError;
use crate::storage::StoreError;

/// Documented process exit codes. Stable: scripts depend on them.
pub mod exit_code {
    /// The command did what was asked.
    pub const SUCCESS: u8 = 0;
    /// Anything not covered below (an internal error, a cancelled or timed-out login).
    pub const FAILURE: u8 = 1;
    /// The command line or an environment variable could not be used.
    pub const USAGE: u8 = 2;
    /// No stored credentials (or none of the kind the command needs).
    pub const NOT_LOGGED_IN: u8 = 3;
    /// The credentials violate `forced_login_method` / `forced_chatgpt_workspace_id`: stored ones
    /// were removed, or a login was refused before anything was written.
    pub const RESTRICTED: u8 = 4;
    /// The issuer rejected the refresh token (expired, reused, revoked): log in again.
    pub const RELOGIN: u8 = 5;
    /// The network or the server failed (after retries); credentials are unchanged.
    pub const NETWORK: u8 = 6;
    /// The credential store or config.toml could not be read or written.
    pub const STORE: u8 = 7;
    /// Interrupted by Ctrl-C (128 + SIGINT).
    pub const INTERRUPTED: u8 = 130;
}

/// The one exit-code table: `--help`, the man pages and README are rendered from it.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (exit_code::SUCCESS, "success"),
    (
        exit_code::FAILURE,
        "other failure (internal error, login cancelled or timed out)",
    ),
    (
        exit_code::USAGE,
        "usage error (bad flags, -c overrides or environment values; unusable stdin)",
    ),
    (exit_code::NOT_LOGGED_IN, "not logged in"),
    (
        exit_code::RESTRICTED,
        "login restriction violated (stored credentials removed, or login refused)",
    ),
    (
        exit_code::RELOGIN,
        "re-login required (refresh token expired, reused or revoked)",
    ),
    (
        exit_code::NETWORK,
        "network or server failure (credentials unchanged)",
    ),
    (exit_code::STORE, "credential store or config.toml problem"),
    (exit_code::INTERRUPTED, "interrupted (Ctrl-C)"),
];

/// The exit-code table as `--help` shows it.
pub fn exit_code_help() -> String {
    let mut help = String::from("Exit codes:");
    for (code, meaning) in EXIT_CODES {
        help.push_str(&format!("\n  {code:<4} {meaning}"));
    }
    help
}

/// A failure the user sees: `Display` says what happened and what to do next.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NotLoggedIn(String),
    #[error("{0}")]
    Restricted(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// The browser login's callback port could not be bound or served.
    #[error(transparent)]
    Bind(#[from] BindError),
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Cancelled(String),
    #[error("interrupted")]
    Interrupted,
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// No stored credentials: the message of `status` and `token`, with the commands that log in.
    pub(crate) fn not_logged_in() -> Self {
        Error::NotLoggedIn(
            "not logged in: run `codex-creds login` (or `codex-creds login --with-api-key` in CI)"
                .to_owned(),
        )
    }

    /// The documented exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Input(_) => exit_code::USAGE,
            // A bad `-c KEY=VALUE` is a bad flag, not a broken config.toml.
            Error::Config(ConfigError::Override { .. }) => exit_code::USAGE,
            Error::NotLoggedIn(_) => exit_code::NOT_LOGGED_IN,
            Error::Restricted(_) => exit_code::RESTRICTED,
            Error::Config(_) | Error::Store(_) => exit_code::STORE,
            Error::OAuth(OAuthError::Permanent { .. }) => exit_code::RELOGIN,
            Error::OAuth(OAuthError::Transient(_)) => exit_code::NETWORK,
            Error::OAuth(OAuthError::Login(_)) => exit_code::FAILURE,
            Error::OAuth(OAuthError::Setup(_)) => exit_code::STORE,
            Error::Bind(_) => exit_code::FAILURE,
            Error::Interrupted => exit_code::INTERRUPTED,
            Error::Cancelled(_) | Error::Other(_) => exit_code::FAILURE,
        }
    }

    pub(crate) fn to_exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit_code())
    }
}
