//! The browser login's loopback callback server, seen from the browser's side (spec §5.2–§5.4):
//! it answers only its own host name, sends the code's result through a redirect to `/success`,
//! and marks every answer `Cache-Control: no-store`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::login::{Running, query};
use crate::support::oidc::OidcServer;
use crate::support::{TestHome, exit_code, free_port};

/// A `codex-creds login --no-browser` waiting on a free port, and that port.
fn waiting_login(home: &TestHome, server: &OidcServer) -> (Running, u16) {
    let port = free_port();
    let login = Running::spawn(
        home,
        &[
            "login",
            "--issuer",
            server.issuer(),
            "--port",
            &port.to_string(),
            "--no-browser",
            "--timeout",
            "60s",
        ],
        &[],
    );
    (login, port)
}

/// One request to the callback server with this `Host` (none: an HTTP/1.0 request without
/// one). Returns the status and the head, lowercased.
fn raw(port: u16, method: &str, host: Option<&str>, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let request = match host {
        Some(host) => format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
             Content-Length: 0\r\n\r\n"
        ),
        None => format!("{method} {path} HTTP/1.0\r\n\r\n"),
    };
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
    let head = answer
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, head)
}

fn is_no_store(head: &str) -> bool {
    head.contains("\r\ncache-control: no-store\r\n")
}

/// What a browser saw signing in: every response head (lowercased), the last page and its URL.
struct SignIn {
    heads: Vec<String>,
    page: String,
    final_url: String,
}

/// Signs in at `url` as the fake browser does (curl following every redirect), synchronously.
fn sign_in(url: &url::Url) -> SignIn {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let out = std::process::Command::new("curl")
        .args([
            "-sSL",
            "-b",
            "/dev/null",
            "--max-time",
            "60",
            "-D",
            "-",
            "-o",
        ])
        .arg(&page)
        .args(["-w", "\nFINAL-URL %{url_effective}\n", url.as_str()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "curl failed: {out:?}");
    let (dump, final_url) = stdout.rsplit_once("\nFINAL-URL ").unwrap();
    SignIn {
        heads: dump
            .split("\r\n\r\n")
            .filter(|head| head.starts_with("HTTP/"))
            .map(|head| format!("{}\r\n", head.to_ascii_lowercase()))
            .collect(),
        page: std::fs::read_to_string(&page).unwrap(),
        final_url: final_url.trim().to_owned(),
    }
}

#[test]
fn a_request_for_another_host_is_refused_and_the_login_keeps_waiting() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let (mut login, port) = waiting_login(&home, &server);
    let url = login.authorize_url();
    // Given a rebinding page that even knows the state, when it calls the server by its own name...
    let callback = format!("/auth/callback?code=stolen&state={}", query(&url, "state"));
    let foreign = [
        Some("evil.example".to_owned()),
        Some(format!("evil.example:{port}")),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        Some(format!("localhost:{port}.evil.example")),
        None,
    ];
    for host in &foreign {
        for path in [callback.as_str(), "/cancel", "/success"] {
            let (status, head) = raw(port, "GET", host.as_deref(), path);
            // ...then it is refused,
            assert_eq!(status, 421, "{host:?} {path}: {head}");
            assert!(is_no_store(&head), "{head}");
        }
    }
    // ...the code is not exchanged and the login is not cancelled,
    assert_eq!(server.stat("token_requests"), 0);

    // ...and the real sign-in still completes.
    let seen = sign_in(&url);
    assert!(seen.page.contains("Signed in"), "{}", seen.page);
    let out = login.finish();
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert!(out.stderr.contains("another host name"), "{out:?}");
    assert_eq!(home.auth_json()["auth_mode"], "chatgpt");
    assert_eq!(server.stat("authorization_code"), 1);
}

#[test]
fn a_good_callback_redirects_to_success_and_every_answer_is_no_store() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let (mut login, port) = waiting_login(&home, &server);
    let url = login.authorize_url();
    let ours = format!("127.0.0.1:{port}");
    for (method, path, want) in [
        ("GET", "/favicon.ico", 404),
        ("GET", "/auth/callback?code=x&state=wrong", 400),
        ("POST", "/auth/callback", 405),
        // Nothing to show before the login has a result.
        ("GET", "/success", 404),
    ] {
        let (status, head) = raw(port, method, Some(&ours), path);
        assert_eq!(status, want, "{method} {path}: {head}");
        assert!(is_no_store(&head), "{method} {path}: {head}");
    }

    let seen = sign_in(&url);
    let heads = seen.heads.join("\n");
    // The callback answered the code with a redirect, so the code left the address bar...
    let redirect: Vec<&String> = seen
        .heads
        .iter()
        .filter(|head| head.contains("\r\nlocation: /success\r\n"))
        .collect();
    assert_eq!(redirect.len(), 1, "{heads}");
    assert!(redirect[0].starts_with("http/1.1 302"), "{heads}");
    assert!(is_no_store(redirect[0]), "{heads}");
    // ...and the server stayed up to show the result at /success.
    assert_eq!(seen.final_url, format!("http://{ours}/success"));
    let last = seen.heads.last().unwrap();
    assert!(last.starts_with("http/1.1 200"), "{heads}");
    assert!(is_no_store(last), "{heads}");
    assert!(seen.page.contains("Signed in"), "{}", seen.page);
    assert!(seen.page.contains("tester@example.com"), "{}", seen.page);

    let out = login.finish();
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert_eq!(home.auth_json()["auth_mode"], "chatgpt");
}
