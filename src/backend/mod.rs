//! The ChatGPT backend around a login (spec backend.md §1–3): usage, the workspaces of a login,
//! and the workspace switch, as typed requests and lenient replies. Speaks HTTP through the
//! `Http` handle and never stores; refreshing and saving belong to the callers.
//!
//! Errors are typed ([`BackendError`]) and their text names the URL, never a token or a body:
//! the server's own words are kept apart ([`BackendError::server_text`]) for the caller to
//! redact and show.

mod call;
pub mod usage;
pub mod workspaces;

use std::time::Duration;

use crate::http::Http;
use crate::secret::Secret;

pub use usage::Usage;
pub use workspaces::{Switched, Workspaces};

/// The pauses between attempts of a call that failed for now: three attempts in all, as the
/// refresh grant does.
pub const BACKOFF: [Duration; 2] = [Duration::from_millis(500), Duration::from_millis(1500)];
/// The longest `Retry-After` waited out; beyond it the call stops and reports.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// A ChatGPT backend at one base URL (`Config::chatgpt_base_url`), with its retry policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backend {
    /// Without a trailing slash.
    pub base_url: String,
    /// The pauses between attempts (their count + 1 is the number of attempts).
    pub backoff: Vec<Duration>,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

/// The credentials a call is made with: the bearer and the workspace (`tokens.account_id`).
#[derive(Debug, Clone, Copy)]
pub struct Login<'a> {
    pub access_token: &'a Secret,
    pub account_id: Option<&'a str>,
}

impl Backend {
    pub fn new(base_url: &str) -> Self {
        Backend {
            base_url: base_url.trim_end_matches('/').to_owned(),
            backoff: BACKOFF.to_vec(),
            max_retry_after: MAX_RETRY_AFTER,
        }
    }

    /// `{base}/wham/usage` when the base is a `/backend-api` one, else `{base}/api/codex/usage`
    /// (backend.md §1).
    pub fn usage_url(&self) -> String {
        if self.base_url.contains("/backend-api") {
            format!("{}/wham/usage", self.base_url)
        } else {
            format!("{}/api/codex/usage", self.base_url)
        }
    }

    pub fn accounts_check_url(&self) -> String {
        format!("{}/wham/accounts/check", self.base_url)
    }

    pub fn switch_workspace_url(&self) -> String {
        format!("{}/accounts/switch-workspace-token", self.base_url)
    }

    /// `GET` the usage of `login` (backend.md §2).
    pub fn usage(&self, http: &Http, login: Login<'_>) -> Result<Usage, BackendError> {
        let url = self.usage_url();
        let value = call::json(self, http, call::Request::get(&url), login)?;
        usage::parse(value).ok_or_else(|| BackendError::shape(&url, "is not a usage object"))
    }

    /// `GET` the workspaces `login` may use (backend.md §3).
    pub fn workspaces(&self, http: &Http, login: Login<'_>) -> Result<Workspaces, BackendError> {
        let url = self.accounts_check_url();
        let value = call::json(self, http, call::Request::get(&url), login)?;
        workspaces::parse(value)
            .ok_or_else(|| BackendError::shape(&url, "is not a list of workspaces"))
    }

    /// `POST` the switch of `login` to `workspace_id`; the reply's access token is for that
    /// workspace (backend.md §3). Not retried after a reply: the switch is not ours to repeat
    /// blindly, but a 429/5xx/network failure is, as every call.
    pub fn switch_workspace(
        &self,
        http: &Http,
        login: Login<'_>,
        workspace_id: &str,
    ) -> Result<Switched, BackendError> {
        let url = self.switch_workspace_url();
        let body = serde_json::json!({ "workspace_id": workspace_id });
        let value = call::json(self, http, call::Request::post(&url, body), login)?;
        workspaces::parse_switched(value)
            .ok_or_else(|| BackendError::shape(&url, "has no access_token"))
    }
}

/// What kind of failure a call ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// HTTP 401: the access token was refused (refresh once, then retry once).
    Unauthorized,
    /// 429, 5xx, network, timeout, a body that is not JSON or has the wrong shape: retried,
    /// then given up on; trying again later may work.
    Transient,
    /// Any other HTTP status (400, 403, 404…): the backend said no.
    Other,
}

/// A failed call. `Display` names the URL (no query) and what went wrong, never a token or a
/// body; the server's explanation is kept in [`BackendError::server_text`], unredacted.
#[derive(thiserror::Error)]
#[error("{url}: {summary}")]
pub struct BackendError {
    pub kind: FailureKind,
    /// The URL without its query.
    pub url: String,
    /// The HTTP status, when there was a reply.
    pub status: Option<u16>,
    /// What went wrong, in words we wrote ("HTTP 503 Service Unavailable (3 attempts)").
    pub summary: String,
    /// The transport failure, when the call had no reply (its URL removed).
    pub transport: Option<reqwest::Error>,
    /// The server's message (`error.message`, `detail`, …), raw: redact before showing.
    server_text: Option<String>,
}

// Debug is hand-written: the server's text may quote a token.
impl std::fmt::Debug for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendError")
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("status", &self.status)
            .field("summary", &self.summary)
            .field(
                "server_text",
                &self.server_text.as_ref().map(|_| "[REDACTED]"),
            )
            .finish()
    }
}

impl BackendError {
    fn shape(url: &str, what: &str) -> Self {
        BackendError {
            kind: FailureKind::Transient,
            url: call::without_query(url),
            status: None,
            summary: format!("the reply {what}"),
            transport: None,
            server_text: None,
        }
    }

    /// The server's own explanation, unredacted (it may quote what it was sent): pass it
    /// through `oauth::redact::shown` with the request's secrets before showing it.
    pub fn server_text(&self) -> Option<&str> {
        self.server_text.as_deref()
    }
}

#[cfg(test)]
mod tests;
