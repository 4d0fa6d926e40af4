//! The network handle: a current-thread tokio runtime and two reqwest clients, built only by
//! commands that need the network (through `Ctx::http`), never by `status` or a fresh `token`.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::env::Env;

/// Codex's originator (spec §5.3, §14).
pub const ORIGINATOR: &str = "codex_cli_rs";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A runtime plus the two clients Codex uses: `default` (originator + User-Agent, for refresh,
/// revoke and whoami) and `plain` (for the code exchange and device-code calls).
pub struct Http {
    runtime: tokio::runtime::Runtime,
    pub default: reqwest::Client,
    pub plain: reqwest::Client,
    pub originator: String,
    /// The per-request timeout every call is bounded by (`CODEX_CREDS_HTTP_TIMEOUT`, else 30 s).
    pub timeout: Duration,
}

/// The network could not be set up (bad CA bundle, no runtime).
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error(
        "cannot read the CA bundle {path} (from CODEX_CA_CERTIFICATE or SSL_CERT_FILE): {reason}"
    )]
    CaBundle { path: String, reason: String },
    #[error("cannot start the network client: {0}")]
    Setup(String),
}

impl Http {
    pub fn build(env: &Env) -> Result<Self, HttpError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| HttpError::Setup(err.to_string()))?;
        let certs = match &env.ca_certificate {
            Some(path) => {
                let shown = std::path::Path::new(path).display().to_string();
                let bytes = std::fs::read(path).map_err(|err| HttpError::CaBundle {
                    path: shown.clone(),
                    reason: err.to_string(),
                })?;
                let certs = reqwest::Certificate::from_pem_bundle(&bytes).map_err(|err| {
                    HttpError::CaBundle {
                        path: shown.clone(),
                        reason: format!("not a PEM certificate bundle ({err})"),
                    }
                })?;
                if certs.is_empty() {
                    return Err(HttpError::CaBundle {
                        path: shown,
                        reason: "it contains no PEM certificate".to_owned(),
                    });
                }
                certs
            }
            None => Vec::new(),
        };
        let originator = env
            .originator_override
            .clone()
            .unwrap_or_else(|| ORIGINATOR.to_owned());
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(&originator) {
            headers.insert(HeaderName::from_static("originator"), value);
        }
        if let Ok(value) = HeaderValue::from_str(&user_agent(&originator)) {
            headers.insert(USER_AGENT, value);
        }
        let timeout = env.http_timeout.unwrap_or(REQUEST_TIMEOUT);
        let builder = |headers: HeaderMap| {
            reqwest::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT.min(timeout))
                .timeout(timeout)
                .default_headers(headers)
                .tls_certs_merge(certs.clone())
                .build()
                .map_err(|err| HttpError::Setup(err.to_string()))
        };
        Ok(Http {
            default: builder(headers)?,
            plain: builder(HeaderMap::new())?,
            runtime,
            originator,
            timeout,
        })
    }

    /// Runs a future to completion on the runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}

fn user_agent(originator: &str) -> String {
    format!(
        "{originator}/{} ({} ; {}) codex-creds",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// A reply body, cut at the cap its reader was given.
pub struct Body {
    pub bytes: Vec<u8>,
    /// Whether the reply went on past the cap (the rest was left unread).
    pub truncated: bool,
}

/// Reads at most `max` bytes of a reply's body: a hostile or broken server cannot make us
/// buffer more.
pub async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Body, reqwest::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = max - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(Body {
                bytes,
                truncated: true,
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Body {
        bytes,
        truncated: false,
    })
}
