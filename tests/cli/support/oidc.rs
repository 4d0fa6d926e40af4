//! The real OpenID provider (npm `oidc-provider`, tests/harness/oidc-server.mjs) shaped like
//! Codex's issuer, started per test on 127.0.0.1 with a free port and killed on drop; plus the
//! fake browser (support/fake-browser.sh) that completes a browser login by following redirects.
//!
//! Options are the JSON the script documents (access_token_ttl, refresh_token_ttl,
//! rotate_refresh_tokens, user {...}, device_interval, device_auto_approve_after, api_key,
//! api_key_exchange); `configure` changes them (and sets one-shot failures) while it runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// Codex's public client id, which the harness registers by default.
pub const CLIENT_ID: &str = "app_EMoamEEZ73f0CkXaXp7hrann";

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/harness")
}

/// The `BROWSER` to give codex-creds so that a login completes headlessly.
pub fn fake_browser() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/support/fake-browser.sh")
}

/// A running oidc-provider; the process dies with this value.
pub struct OidcServer {
    child: Child,
    issuer: String,
    addr: String,
    log: tempfile::NamedTempFile,
}

impl OidcServer {
    /// Starts the provider with the default options (a `pro` user in workspace `ws-test-1`).
    pub fn start_default() -> Self {
        Self::start(serde_json::json!({}))
    }

    /// Starts the provider with these options (see the module doc) and waits until it listens.
    pub fn start(options: Value) -> Self {
        super::real_component("the OpenID provider");
        let dir = harness_dir();
        assert!(
            dir.join("node_modules/oidc-provider/package.json").exists(),
            "the OpenID provider is missing from {}; install it with `npm ci --prefix tests/harness` \
             (Node.js 20 or later; see .ci/run)",
            dir.display()
        );
        let log = tempfile::NamedTempFile::new().unwrap();
        let mut child = Command::new("node")
            .arg(dir.join("oidc-server.mjs"))
            .arg(options.to_string())
            .current_dir(&dir)
            // The script exits when its stdin closes, so a crashed test cannot leak it.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot run `node` (install Node.js 20 or later; see .ci/run): {err}")
            });
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let ready: Value = serde_json::from_str(&line).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!(
                "the OpenID provider did not start; its log:\n{}",
                std::fs::read_to_string(log.path()).unwrap_or_default()
            )
        });
        let issuer = ready["issuer"].as_str().unwrap().to_owned();
        let addr = issuer.trim_start_matches("http://").to_owned();
        OidcServer {
            child,
            issuer,
            addr,
            log,
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    /// What the server logged on stderr so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// Counters: authorization_code, refresh_token, token_exchange, token_requests,
    /// token_errors, revocations, revoke_requests, whoami, device_usercode, device_polls,
    /// authorize_requests, logins.
    pub fn stats(&self) -> Value {
        self.get_json("/test/stats")
    }

    /// One counter of [`OidcServer::stats`].
    pub fn stat(&self, name: &str) -> u64 {
        self.stats()[name]
            .as_u64()
            .unwrap_or_else(|| panic!("no stat {name}"))
    }

    /// The query parameters of the last `GET /oauth/authorize` (null before any).
    pub fn last_authorize(&self) -> Value {
        self.get_json("/test/last-authorize")
    }

    /// The last token, revoke and whoami requests:
    /// `{token: {headers, params}, revoke: {headers, params}, whoami: {headers}}`.
    pub fn requests(&self) -> Value {
        self.get_json("/test/requests")
    }

    /// Merges options, or sets one-shot behaviours: `deny_next_login`,
    /// `deny_next_login_description`, `fail_next_token: {status, body}`,
    /// `fail_next_revoke: {status, body}`, `device_mode` ("pending", "deny", "expire",
    /// "slow_down", "error500", "disabled").
    pub fn configure(&self, changes: Value) {
        let (status, body) = self.request("POST", "/test/config", Some(&changes.to_string()));
        assert_eq!(status, 200, "configure failed: {body}");
    }

    /// Approves the pending device login with this user code (any pending one when `None`).
    pub fn approve_device(&self, user_code: Option<&str>) -> bool {
        let body = match user_code {
            Some(code) => serde_json::json!({ "user_code": code }),
            None => serde_json::json!({}),
        };
        self.request("POST", "/test/device/approve", Some(&body.to_string()))
            .0
            == 200
    }

    fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.request("GET", path, None);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// A minimal HTTP/1.1 request to the harness (no client library, no runtime).
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        http_request(&self.addr, method, path, "application/json", body)
    }

    /// A form-encoded POST (what oidc-provider's token endpoint parses).
    pub fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> (u16, String) {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        http_request(
            &self.addr,
            "POST",
            path,
            "application/x-www-form-urlencoded",
            Some(&body),
        )
    }
}

impl Drop for OidcServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking HTTP/1.1 request with `Connection: close` to `host:port`; returns status and body.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: Option<&str>,
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    (status, body)
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}
