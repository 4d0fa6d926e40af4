//! The only reader of the process environment: [`Env::capture`] takes a snapshot once, validates
//! what it can (durations), and the rest of the program receives plain values.

use std::ffi::OsString;
use std::time::Duration;

use crate::duration::{self, DurationError};

/// Codex's home directory.
pub const CODEX_HOME: &str = "CODEX_HOME";
/// An API key `codex exec` uses instead of stored credentials (spec §8).
pub const CODEX_API_KEY: &str = "CODEX_API_KEY";
/// A personal access token or agent-identity JWT every Codex command uses (spec §8).
pub const CODEX_ACCESS_TOKEN: &str = "CODEX_ACCESS_TOKEN";
/// Not used as a credential by Codex 0.169; `status` says so when it is set.
pub const OPENAI_API_KEY: &str = "OPENAI_API_KEY";
/// Our issuer override (the `--issuer` flag wins).
pub const CODEX_CREDS_ISSUER: &str = "CODEX_CREDS_ISSUER";
/// Our OAuth client-id override.
pub const CODEX_CREDS_CLIENT_ID: &str = "CODEX_CREDS_CLIENT_ID";
/// Codex's refresh endpoint override, used verbatim (spec §12).
pub const CODEX_REFRESH_TOKEN_URL_OVERRIDE: &str = "CODEX_REFRESH_TOKEN_URL_OVERRIDE";
/// Codex's revocation endpoint override (spec §7).
pub const CODEX_REVOKE_TOKEN_URL_OVERRIDE: &str = "CODEX_REVOKE_TOKEN_URL_OVERRIDE";
/// Base of the personal-access-token whoami call (spec §10.2).
pub const CODEX_AUTHAPI_BASE_URL: &str = "CODEX_AUTHAPI_BASE_URL";
/// A PEM bundle of extra CA certificates (Codex's name; wins over SSL_CERT_FILE).
pub const CODEX_CA_CERTIFICATE: &str = "CODEX_CA_CERTIFICATE";
/// The conventional CA bundle variable, used when CODEX_CA_CERTIFICATE is unset.
pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";
/// The issuer of the app-server's ChatGPT logins (spec app-server.md §13.2).
pub const CODEX_APP_SERVER_LOGIN_ISSUER: &str = "CODEX_APP_SERVER_LOGIN_ISSUER";
/// The OAuth client id of the app-server's ChatGPT logins.
pub const CODEX_APP_SERVER_LOGIN_CLIENT_ID: &str = "CODEX_APP_SERVER_LOGIN_CLIENT_ID";
/// Replaces the `originator` Codex sends (spec §5.3).
pub const CODEX_INTERNAL_ORIGINATOR_OVERRIDE: &str = "CODEX_INTERNAL_ORIGINATOR_OVERRIDE";
/// How long a keyring call may take before it counts as unavailable (e.g. `5s`).
pub const CODEX_CREDS_KEYRING_TIMEOUT: &str = "CODEX_CREDS_KEYRING_TIMEOUT";
/// The D-Bus session the Secret Service (Linux keyring) is reached through.
pub const DBUS_SESSION_BUS_ADDRESS: &str = "DBUS_SESSION_BUS_ADDRESS";
/// Where the default D-Bus session socket (`$XDG_RUNTIME_DIR/bus`) lives.
pub const XDG_RUNTIME_DIR: &str = "XDG_RUNTIME_DIR";
/// Per-request HTTP timeout (e.g. `30s`, `2s`); also bounds the connect phase. Mainly for
/// tests and slow networks; default 30 s.
pub const CODEX_CREDS_HTTP_TIMEOUT: &str = "CODEX_CREDS_HTTP_TIMEOUT";
/// Log filter; no logging at all when unset.
pub const RUST_LOG: &str = "RUST_LOG";
/// Set by sshd: the user's browser is on another machine, so `login` uses the device code.
pub const SSH_CONNECTION: &str = "SSH_CONNECTION";
/// Set by sshd when the session has a terminal (same meaning as SSH_CONNECTION for `login`).
pub const SSH_TTY: &str = "SSH_TTY";
/// The X11 display; on Linux, without it or WAYLAND_DISPLAY no browser can open.
pub const DISPLAY: &str = "DISPLAY";
/// The Wayland display (see DISPLAY).
pub const WAYLAND_DISPLAY: &str = "WAYLAND_DISPLAY";
/// A browser launcher the user named (the `webbrowser` crate runs it): `login` keeps the browser.
pub const BROWSER: &str = "BROWSER";

/// A snapshot of every environment variable codex-creds reads.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub codex_home: Option<OsString>,
    /// Trimmed and non-empty, as Codex treats it.
    pub codex_api_key: Option<crate::secret::Secret>,
    /// Trimmed and non-empty, as Codex treats it.
    pub codex_access_token: Option<crate::secret::Secret>,
    pub openai_api_key_set: bool,
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub refresh_url_override: Option<String>,
    pub revoke_url_override: Option<String>,
    pub authapi_base_url: Option<String>,
    pub ca_certificate: Option<OsString>,
    pub originator_override: Option<String>,
    /// `CODEX_APP_SERVER_LOGIN_ISSUER` / `_CLIENT_ID`: the app-server's logins only.
    pub app_server_login_issuer: Option<String>,
    pub app_server_login_client_id: Option<String>,
    /// `CODEX_CREDS_KEYRING_TIMEOUT`, validated (more than zero).
    pub keyring_timeout: Option<Duration>,
    pub dbus_session_bus_address: Option<String>,
    pub xdg_runtime_dir: Option<OsString>,
    /// `CODEX_CREDS_HTTP_TIMEOUT`, validated (more than zero).
    pub http_timeout: Option<Duration>,
    /// SSH, display and BROWSER: what `login` picks its flow from.
    pub session: Session,
}

/// Where this process runs, as far as `login` needs to know to pick its flow: each field says
/// whether that variable is set (non-empty).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Session {
    pub ssh_connection: bool,
    pub ssh_tty: bool,
    pub display: bool,
    pub wayland_display: bool,
    pub browser: bool,
}

/// An environment variable holds a value codex-creds cannot use (exit 2, like a bad flag).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {source}")]
pub struct EnvError {
    pub name: &'static str,
    pub source: DurationError,
}

impl Env {
    /// Reads the process environment. Empty values count as unset, as in Codex.
    #[allow(clippy::disallowed_methods)] // the one reader of the environment
    pub fn capture() -> Result<Self, EnvError> {
        let text = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let os = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let secret = |name: &str| text(name).map(|v| crate::secret::Secret::new(v.trim()));
        let positive = |name: &'static str| {
            text(name)
                .map(|value| duration::parse_positive(&value))
                .transpose()
                .map_err(|source| EnvError { name, source })
        };
        Ok(Env {
            codex_home: os(CODEX_HOME),
            codex_api_key: secret(CODEX_API_KEY),
            codex_access_token: secret(CODEX_ACCESS_TOKEN),
            openai_api_key_set: text(OPENAI_API_KEY).is_some(),
            issuer: text(CODEX_CREDS_ISSUER),
            client_id: text(CODEX_CREDS_CLIENT_ID),
            refresh_url_override: text(CODEX_REFRESH_TOKEN_URL_OVERRIDE),
            revoke_url_override: text(CODEX_REVOKE_TOKEN_URL_OVERRIDE),
            authapi_base_url: text(CODEX_AUTHAPI_BASE_URL),
            ca_certificate: os(CODEX_CA_CERTIFICATE).or_else(|| os(SSL_CERT_FILE)),
            originator_override: text(CODEX_INTERNAL_ORIGINATOR_OVERRIDE),
            app_server_login_issuer: text(CODEX_APP_SERVER_LOGIN_ISSUER),
            app_server_login_client_id: text(CODEX_APP_SERVER_LOGIN_CLIENT_ID),
            keyring_timeout: positive(CODEX_CREDS_KEYRING_TIMEOUT)?,
            dbus_session_bus_address: text(DBUS_SESSION_BUS_ADDRESS),
            xdg_runtime_dir: os(XDG_RUNTIME_DIR),
            http_timeout: positive(CODEX_CREDS_HTTP_TIMEOUT)?,
            session: Session {
                ssh_connection: os(SSH_CONNECTION).is_some(),
                ssh_tty: os(SSH_TTY).is_some(),
                display: os(DISPLAY).is_some(),
                wayland_display: os(WAYLAND_DISPLAY).is_some(),
                browser: os(BROWSER).is_some(),
            },
        })
    }
}
