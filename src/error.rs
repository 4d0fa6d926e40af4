//! The one user-facing error type and the one table that maps errors to exit codes.
//!
//! Each module classifies its own failures; this file only decides what they mean to a script.
//! README, `--help` and the man pages render [`EXIT_CODES`], so the table cannot drift.

use std::process::ExitCode;

use crate::config::ConfigError;
use crate::env::EnvError;
use crate::input::InputError;
use crate::oauth::IssuerUrlError;
use crate::oauth::OAuthError;
use crate::oauth::browser::BindError;
use crate::oauth::pkce::RandomError;
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
    /// An environment variable holds a value we cannot use.
    #[error(transparent)]
    Env(#[from] EnvError),
    /// CODEX_HOME (flag, variable or ~/.codex) cannot be used.
    #[error("cannot use CODEX_HOME: {0}")]
    CodexHome(std::io::Error),
    /// Tokens would go to an issuer that is not https (or loopback); `origin` says who chose it.
    #[error("refusing to send tokens: {source} (from {origin})")]
    UnsafeIssuer {
        origin: IssuerOrigin,
        source: IssuerUrlError,
    },
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
    /// No usable secret on stdin or the command line.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A token kind codex-creds cannot log in with.
    #[error(
        "only personal access tokens (starting with `at-`) are supported; agent-identity tokens \
         need Codex itself (`codex login --with-access-token`). Nothing was saved."
    )]
    UnsupportedAccessToken,
    /// The OS gave no randomness for PKCE, state or the login owner id.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// Ctrl-C could not be listened for, so a login could not be made cancellable.
    #[error("cannot listen for Ctrl-C: {0}")]
    Signal(std::io::Error),
    #[error("{0}")]
    Cancelled(String),
    #[error("interrupted")]
    Interrupted,
    /// An account NAME that is not a valid name, or is taken; or a login that is already saved
    /// under another name. Nothing was written.
    #[error("{0}")]
    AccountUsage(String),
    /// No saved account has that name; the message lists the saved ones.
    #[error("{0}")]
    UnknownAccount(String),
    /// A saved account cannot be read or written (the message names its path), or the store
    /// in use cannot hold saved accounts (`ephemeral`).
    #[error("{0}")]
    AccountStore(String),
    /// The login's callback server ended without an answer.
    #[error("the sign-in callback server stopped unexpectedly; nothing was changed")]
    CallbackServerGone,
    /// The stored login is not a ChatGPT one, so the ChatGPT backend has nothing for it.
    #[error("{0}")]
    NotChatGpt(String),
    /// The ChatGPT backend failed for now (429, 5xx, network, timeout, a bad reply), after
    /// retries; the credentials are unchanged.
    #[error("{0}")]
    BackendUnavailable(String),
    /// The ChatGPT backend refused the request (403, 404, an unlisted workspace, …).
    #[error("{0}")]
    BackendRefused(String),
    /// A failure on one saved account (`usage --account`/`--all`, `account use --best`): the
    /// message names the account; the exit code is the failure's own.
    #[error("account {name}: {source}")]
    InAccount { name: String, source: Box<Error> },
}

/// Who chose an issuer that was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IssuerOrigin {
    /// `--issuer` or `CODEX_CREDS_ISSUER`.
    Explicit,
    /// The stored tokens' `oauth_provenance`.
    Provenance,
    /// `chatgpt_base_url` (config.toml or `-c`): where backend calls send the access token.
    ChatgptBaseUrl,
}

impl std::fmt::Display for IssuerOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IssuerOrigin::Explicit => "--issuer or CODEX_CREDS_ISSUER",
            IssuerOrigin::Provenance => "the stored tokens' oauth_provenance",
            IssuerOrigin::ChatgptBaseUrl => "chatgpt_base_url",
        })
    }
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
            Error::Env(_)
            | Error::CodexHome(_)
            | Error::UnsafeIssuer { .. }
            | Error::Input(_)
            | Error::UnsupportedAccessToken => exit_code::USAGE,
            // A bad `-c KEY=VALUE` is a bad flag, not a broken config.toml.
            Error::Config(ConfigError::Override { .. }) => exit_code::USAGE,
            Error::NotLoggedIn(_) | Error::UnknownAccount(_) => exit_code::NOT_LOGGED_IN,
            Error::AccountUsage(_) => exit_code::USAGE,
            Error::AccountStore(_) => exit_code::STORE,
            Error::Restricted(_) => exit_code::RESTRICTED,
            Error::Config(_) | Error::Store(_) => exit_code::STORE,
            Error::OAuth(OAuthError::Permanent { .. }) => exit_code::RELOGIN,
            Error::OAuth(OAuthError::Transient(_)) => exit_code::NETWORK,
            Error::OAuth(OAuthError::Login(_)) => exit_code::FAILURE,
            Error::OAuth(OAuthError::Setup(_)) => exit_code::STORE,
            Error::Bind(_) => exit_code::FAILURE,
            Error::Interrupted => exit_code::INTERRUPTED,
            Error::Cancelled(_)
            | Error::Random(_)
            | Error::Signal(_)
            | Error::CallbackServerGone => exit_code::FAILURE,
            Error::NotChatGpt(_) | Error::BackendRefused(_) => exit_code::FAILURE,
            Error::BackendUnavailable(_) => exit_code::NETWORK,
            Error::InAccount { source, .. } => source.exit_code(),
        }
    }

    /// This error, said to be about the saved account `name` (kept as it is when it already
    /// names it).
    pub(crate) fn in_account(self, name: &str) -> Self {
        match self {
            Error::InAccount { .. } => self,
            other => Error::InAccount {
                name: name.to_owned(),
                source: Box::new(other),
            },
        }
    }

    pub(crate) fn to_exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit_code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_in_an_account_names_it_and_keeps_its_exit_code() {
        let err = Error::BackendUnavailable("HTTP 503".into()).in_account("work");
        assert_eq!(err.to_string(), "account work: HTTP 503");
        assert_eq!(err.exit_code(), exit_code::NETWORK);
        // Named once, however often it is wrapped.
        let again = err.in_account("other");
        assert_eq!(again.to_string(), "account work: HTTP 503");
        let restricted = Error::Restricted("no".into()).in_account("a");
        assert_eq!(restricted.exit_code(), exit_code::RESTRICTED);
    }
}
