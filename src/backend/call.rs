//! One backend call: the request with Codex's headers, a size-capped read of the reply, its
//! classification, and bounded retries of what failed for now (429, 5xx, network, timeout,
//! a body that is not JSON), honouring `Retry-After` up to a cap.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use super::{Backend, BackendError, FailureKind, Login};
use crate::http::Http;

/// The most of a reply we read (a usage or workspace reply is a few KB).
const MAX_BODY: usize = 1024 * 1024;
/// The most of the server's own explanation we keep.
const MAX_SERVER_TEXT: usize = 2048;

/// A request to send (and, after a failure for now, send again).
pub struct Request<'a> {
    url: &'a str,
    body: Option<Value>,
}

impl<'a> Request<'a> {
    pub fn get(url: &'a str) -> Self {
        Request { url, body: None }
    }

    pub fn post(url: &'a str, body: Value) -> Self {
        Request {
            url,
            body: Some(body),
        }
    }
}

/// Sends `request` as `login` until it gets a JSON reply, fails for good, or the attempts run
/// out; returns the reply's JSON value.
pub fn json(
    backend: &Backend,
    http: &Http,
    request: Request<'_>,
    login: Login<'_>,
) -> Result<Value, BackendError> {
    http.block_on(with_retries(backend, http, request, login))
}

async fn with_retries(
    backend: &Backend,
    http: &Http,
    request: Request<'_>,
    login: Login<'_>,
) -> Result<Value, BackendError> {
    let mut pauses = backend.backoff.iter();
    let mut attempts = 1;
    loop {
        let (err, retry_after) = match once(http, &request, login).await {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        let too_long = retry_after.filter(|wait| *wait > backend.max_retry_after);
        match pauses.next() {
            Some(pause) if err.kind == FailureKind::Transient && too_long.is_none() => {
                let wait = (*pause).max(retry_after.unwrap_or_default());
                tokio::time::sleep(wait).await;
                attempts += 1;
            }
            _ => return Err(with_attempts(err, attempts, too_long)),
        }
    }
}

fn with_attempts(
    mut err: BackendError,
    attempts: usize,
    too_long: Option<Duration>,
) -> BackendError {
    if attempts > 1 {
        err.summary.push_str(&format!(" ({attempts} attempts)"));
    }
    if let Some(wait) = too_long {
        err.summary
            .push_str(&format!(" (the server asks to wait {}s)", wait.as_secs()));
    }
    err
}

/// One attempt; a failure comes with the `Retry-After` the server asked for, if any.
async fn once(
    http: &Http,
    request: &Request<'_>,
    login: Login<'_>,
) -> Result<Value, (BackendError, Option<Duration>)> {
    let url = request.url;
    let mut builder = match &request.body {
        Some(body) => http.default.post(url).json(body),
        None => http.default.get(url),
    };
    builder = builder.bearer_auth(login.access_token.expose());
    if let Some(account_id) = login.account_id {
        // Codex writes `ChatGPT-Account-ID`; header names are case-insensitive.
        builder = builder.header("ChatGPT-Account-Id", account_id);
    }
    let transport = |err: reqwest::Error| {
        // A request that cannot even be built (a stored value that is no valid header) would
        // fail the same way every time: not worth a retry.
        let kind = if err.is_builder() {
            FailureKind::Other
        } else {
            FailureKind::Transient
        };
        let summary = transport_summary(&err);
        let failure = failure(url, kind, None, summary);
        (
            BackendError {
                transport: Some(err.without_url()),
                ..failure
            },
            None,
        )
    };
    let response = builder.send().await.map_err(transport)?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok()?.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let (bytes, truncated) = read_capped(response).await.map_err(transport)?;
    read_reply(url, status, &bytes, truncated).map_err(|err| (err, retry_after))
}

/// What a reply means: its JSON value, or the failure (pure, for the tests).
pub fn read_reply(
    url: &str,
    status: StatusCode,
    bytes: &[u8],
    truncated: bool,
) -> Result<Value, BackendError> {
    let json: Option<Value> = if truncated {
        None
    } else {
        serde_json::from_slice(bytes).ok()
    };
    if status.is_success() {
        return match json {
            Some(value) => Ok(value),
            None if truncated => Err(failure(
                url,
                FailureKind::Transient,
                Some(status),
                format!("the reply is larger than {} KiB", MAX_BODY / 1024),
            )),
            None => Err(failure(
                url,
                FailureKind::Transient,
                Some(status),
                format!("the reply (HTTP {status}) is not JSON"),
            )),
        };
    }
    let kind = match status.as_u16() {
        401 => FailureKind::Unauthorized,
        429 | 500..=599 => FailureKind::Transient,
        _ => FailureKind::Other,
    };
    let mut err = failure(url, kind, Some(status), format!("HTTP {status}"));
    err.server_text = json.as_ref().and_then(server_message);
    Err(err)
}

/// The server's explanation in a JSON error reply, capped.
fn server_message(json: &Value) -> Option<String> {
    let error = &json["error"];
    let text = [
        &error["message"],
        error,
        &json["detail"],
        &json["message"],
        &error["code"],
    ]
    .into_iter()
    .find_map(|v| v.as_str().filter(|s| !s.trim().is_empty()))?;
    Some(text.chars().take(MAX_SERVER_TEXT).collect())
}

fn failure(
    url: &str,
    kind: FailureKind,
    status: Option<StatusCode>,
    summary: String,
) -> BackendError {
    BackendError {
        kind,
        url: without_query(url),
        status: status.map(|s| s.as_u16()),
        summary,
        transport: None,
        server_text: None,
    }
}

/// `url` without its query and fragment (which may carry secrets).
pub fn without_query(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

/// The kind of a transport failure, in words (the cause chain is the caller's to add).
fn transport_summary(err: &reqwest::Error) -> String {
    if err.is_builder() {
        "the request could not be made (a stored token or account id is not a valid header)"
    } else if err.is_timeout() {
        "the request timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "the reply was cut off"
    } else {
        "the connection failed"
    }
    .to_owned()
}

/// At most [`MAX_BODY`] bytes of the body, and whether there was more.
async fn read_capped(mut response: reqwest::Response) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok((bytes, true));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((bytes, false))
}
