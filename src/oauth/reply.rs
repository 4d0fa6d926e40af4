//! Reading an issuer's reply safely, for every OAuth flow: the body is size-capped, transport
//! failures are described without the URL's query or any body, and only an error reply's
//! message fields may reach a message, through [`crate::redact`] and [`clean`].

use super::OAuthError;
use crate::redact;
use crate::secret::Secret;

/// The most of a reply body we read (a token response is a few KB).
const MAX_BODY: usize = 256 * 1024;

pub use crate::http::Body;

/// Reads at most [`MAX_BODY`] bytes of the body; the rest is left unread.
pub async fn read_capped(response: reqwest::Response) -> Result<Body, reqwest::Error> {
    crate::http::read_capped(response, MAX_BODY).await
}

/// Describes a transport failure without its URL (which may carry a query) or any body.
pub fn describe_transport(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "the reply was cut off"
    } else {
        "the connection failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(err);
    // The innermost cause says the most ("connection refused", "connection reset by peer").
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} ({})", redact::shown(&cause, &[]))
    }
}

/// Sends `request` (to `url`) and reads the whole reply, refusing one over [`MAX_BODY`]: the
/// login flows' exchange. Every failure is [`OAuthError::Transient`] and names `url`.
pub(crate) async fn send(
    url: &str,
    request: reqwest::RequestBuilder,
) -> Result<(reqwest::StatusCode, Vec<u8>), OAuthError> {
    let response = request
        .send()
        .await
        .map_err(|err| OAuthError::Transient(describe_network_error(url, &err)))?;
    let status = response.status();
    let body = read_whole(response)
        .await
        .map_err(|err| OAuthError::Transient(format!("reading the reply of {url}: {err}")))?;
    Ok((status, body))
}

/// The whole body, or why not: a transport failure, or a body over [`MAX_BODY`].
async fn read_whole(response: reqwest::Response) -> Result<Vec<u8>, String> {
    let body = read_capped(response)
        .await
        .map_err(|err| short_network_error(&err))?;
    if body.truncated {
        return Err(format!("the reply is larger than {} KiB", MAX_BODY / 1024));
    }
    Ok(body.bytes)
}

/// "cannot reach …" with the kind of failure, never a request body (the login flows' wording;
/// the refresh and revoke messages use [`describe_transport`]).
fn describe_network_error(url: &str, err: &reqwest::Error) -> String {
    format!("cannot reach {url}: {}", short_network_error(err))
}

fn short_network_error(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        return "the request timed out".to_owned();
    }
    if err.is_connect() {
        return "the connection failed".to_owned();
    }
    // The source chain names the cause (DNS, TLS, reset); the URL is shown by the caller.
    let mut text = err.without_url_ref().to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    clean(&text)
}

/// A short, printable excerpt of an OAuth error reply: `error_description`, `error` (string or
/// `{message, code}`), else nothing (raw bodies are not echoed); token-shaped words redacted.
/// Every secret of the request (`redact`) is replaced by `[REDACTED]` before the text is
/// shortened, so no piece of one survives: an issuer may repeat what it was sent.
pub(crate) fn server_error_text_without(body: &[u8], redact: &[&Secret]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let pick = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    let error = &value["error"];
    let text = pick(&value["error_description"])
        .map(|description| match pick(error) {
            Some(code) => format!("{code}: {description}"),
            None => description,
        })
        .or_else(|| pick(error))
        .or_else(|| pick(&error["message"]))
        .or_else(|| pick(&error["code"]))?;
    Some(clean(&redact::redacted(&text, redact)))
}

/// Keeps printable characters and cuts to [`crate::untrusted::MAX_SHOWN`] characters (see [`crate::untrusted`]).
pub(crate) fn clean(text: &str) -> String {
    crate::untrusted::shown(text)
}

trait WithoutUrlRef {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrlRef for reqwest::Error {
    fn without_url_ref(&self) -> String {
        match self.url() {
            Some(url) => self.to_string().replace(url.as_str(), "<url>"),
            None => self.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_prefers_the_description_and_is_bounded() {
        assert_eq!(
            server_error_text_without(
                br#"{"error":"invalid_grant","error_description":"code expired"}"#,
                &[]
            )
            .as_deref(),
            Some("invalid_grant: code expired")
        );
        assert_eq!(
            server_error_text_without(br#"{"error":{"message":"nope","code":"x"}}"#, &[])
                .as_deref(),
            Some("nope")
        );
        assert_eq!(server_error_text_without(b"<html>boom</html>", &[]), None);
        let long = format!(r#"{{"error":"{}"}}"#, r"a\u001b".repeat(500));
        let shown = server_error_text_without(long.as_bytes(), &[]).unwrap();
        assert!(shown.chars().count() <= crate::untrusted::MAX_SHOWN + 1);
        assert!(!shown.contains('\u{1b}'));
    }

    #[test]
    fn error_text_cuts_out_the_secrets_the_request_carried_before_shortening() {
        let code = Secret::new("code-0123456789");
        // The secret straddles the length cap: redaction first leaves no piece of it.
        let verifier = Secret::new("v".repeat(80) + "VERIFIERTAIL");
        let body = serde_json::json!({
            "error": "invalid_grant",
            "error_description": format!(
                "{} {} {}",
                "x".repeat(150),
                code.expose(),
                verifier.expose()
            ),
        })
        .to_string();
        let shown = server_error_text_without(body.as_bytes(), &[&code, &verifier]).unwrap();
        assert!(!shown.contains("code-0123456789"), "{shown}");
        assert!(!shown.contains("vvvvvvvvvv"), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
        assert_eq!(
            server_error_text_without(br#"{"error":"x"}"#, &[&Secret::new("")]).as_deref(),
            Some("x")
        );
    }
}
