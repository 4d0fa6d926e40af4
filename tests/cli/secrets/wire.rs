//! A recording TCP relay in front of the OpenID harness: codex-creds (and the fake browser) talk
//! to the relay, which copies every byte both ways and keeps them. From the recording the tests
//! pick every secret that crossed the wire (the authorization code, the PKCE verifier, tokens,
//! the exchanged API key, bearer headers), then assert that none of them was printed.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

type Buffers = Arc<Mutex<Vec<Arc<Mutex<Vec<u8>>>>>>;

/// A relay listening on 127.0.0.1 that forwards to `upstream` and records both directions,
/// one buffer per connection and direction (so values are never split by interleaving).
pub struct Relay {
    addr: String,
    recorded: Buffers,
}

impl Relay {
    /// Starts relaying to `upstream` (`host:port`). The listener thread lives as long as the
    /// test process; each test makes its own relay.
    pub fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let recorded: Buffers = Arc::default();
        let upstream = upstream.to_owned();
        let shared = recorded.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                pipe(&client, &server, &shared);
                pipe(&server, &client, &shared);
            }
        });
        Relay { addr, recorded }
    }

    /// `http://127.0.0.1:PORT`: use it as the issuer.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Everything recorded so far, as text (each buffer on its own, separated by blank lines).
    pub fn text(&self) -> String {
        let buffers = self.recorded.lock().unwrap();
        buffers
            .iter()
            .map(|b| String::from_utf8_lossy(&b.lock().unwrap()).into_owned())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// Every secret value seen on the wire so far (see [`secrets_in`]).
    pub fn secrets(&self) -> BTreeSet<String> {
        secrets_in(&self.text())
    }
}

/// Copies `from` → `to` on a thread, recording what passes.
fn pipe(from: &TcpStream, to: &TcpStream, recorded: &Buffers) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    let buffer = Arc::new(Mutex::new(Vec::new()));
    recorded.lock().unwrap().push(buffer.clone());
    std::thread::spawn(move || {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match from.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buffer.lock().unwrap().extend_from_slice(&chunk[..n]);
                    if to.write_all(&chunk[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// Parameter and JSON field names whose values are secrets.
const SECRET_NAMES: [&str; 8] = [
    "code",
    "code_verifier",
    "authorization_code",
    "access_token",
    "refresh_token",
    "id_token",
    "subject_token",
    "token",
];

/// Secret values in recorded HTTP text: JSON string fields and form/query parameters named in
/// [`SECRET_NAMES`], and `Bearer` credentials.
pub fn secrets_in(text: &str) -> BTreeSet<String> {
    let mut found: BTreeSet<String> = SECRET_NAMES
        .iter()
        .flat_map(|name| values_of(text, name))
        .collect();
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.match_indices("authorization: bearer ") {
        let rest = &text[at + "authorization: bearer ".len()..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        found.insert(rest[..end].to_owned());
    }
    found.retain(|value| value.len() >= 12);
    found
}

/// The values of one JSON string field or form/query parameter `name` in recorded HTTP text.
pub fn values_of(text: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    // JSON: "name": "value"
    let quoted = format!("\"{name}\"");
    for (at, _) in text.match_indices(&quoted) {
        let rest = text[at + quoted.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        if let Some(end) = rest.find('"') {
            found.push(rest[..end].to_owned());
        }
    }
    // Form or query: name=value, after a start of line, `&`, `?` or a space.
    let assign = format!("{name}=");
    for (at, _) in text.match_indices(&assign) {
        let before = text[..at].chars().next_back();
        if !matches!(before, None | Some('&' | '?' | '\n' | ' ')) {
            continue;
        }
        let rest = &text[at + assign.len()..];
        let end = rest
            .find(|c: char| c == '&' || c.is_whitespace())
            .unwrap_or(rest.len());
        let encoded = format!("v={}", &rest[..end]);
        if let Some((_, value)) = url::form_urlencoded::parse(encoded.as_bytes()).next() {
            found.push(value.into_owned());
        }
    }
    found
}

#[test]
fn secrets_are_found_in_forms_json_and_headers() {
    let text = "POST /oauth/token HTTP/1.1\r\nAuthorization: Bearer at-header-value-123\r\n\r\n\
                grant_type=authorization_code&code=abc%2Bdefghijklmn&code_verifier=verifier-0123456789\n\n\
                HTTP/1.1 200 OK\r\n\r\n{\"access_token\": \"eyJ.access.0123456\",\"refresh_token\":\"rt-0123456789ab\",\
                \"user_code\":\"ABCD-EFGH-IJKL\",\"token_type\":\"Bearer\"}";
    let found = secrets_in(text);
    let expected: BTreeSet<String> = [
        "at-header-value-123",
        "abc+defghijklmn",
        "verifier-0123456789",
        "eyJ.access.0123456",
        "rt-0123456789ab",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(found, expected);
}
