//! The loopback callback server of the browser login (spec §5.2, §5.4): bound on 127.0.0.1 only,
//! before the browser opens; `/auth/callback` checks `state` and hands the code to the login
//! flow, which answers the browser once the login is saved (or failed).
//!
//! Port rules: an explicit port is used or the login fails; the default is 1455, then 1457, each
//! after asking a stale login server on it to stop (`GET /cancel`), as Codex does.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{mpsc, oneshot};

use crate::secret::Secret;

/// Codex's registered callback ports (spec §5.2).
pub const DEFAULT_PORT: u16 = 1455;
pub const FALLBACK_PORT: u16 = 1457;
/// Codex's callback path.
pub const CALLBACK_PATH: &str = "/auth/callback";
const CANCEL_TIMEOUT: Duration = Duration::from_secs(2);
const BIND_RETRIES: u32 = 10;
const BIND_RETRY_DELAY: Duration = Duration::from_millis(200);
/// How long the browser waits for the login to be saved before it gets a generic page.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

/// Which port to listen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortChoice {
    /// 1455, else 1457.
    Default,
    /// Exactly this port, or fail.
    Exact(u16),
}

/// The callback port could not be bound.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error(
        "port 127.0.0.1:{port} is already in use{also}, so the sign-in callback cannot be received. \
         Close the program using it (another login?) or choose a free port with `--port N`"
    )]
    Busy { port: u16, also: String },
    #[error("cannot listen on 127.0.0.1:{port} for the sign-in callback: {source}")]
    Io {
        port: u16,
        #[source]
        source: std::io::Error,
    },
}

/// A bound callback listener, and whether the default port had to give way to the fallback.
pub struct Bound {
    pub listener: TcpListener,
    pub port: u16,
    pub used_fallback: bool,
}

/// Binds the callback port (spec §5.2): on "address in use", asks a previous login server there
/// to cancel and retries for about 2 s; the default port falls back to 1457.
pub fn bind(choice: PortChoice) -> Result<Bound, BindError> {
    match choice {
        PortChoice::Exact(port) => bind_with_cancel(port).map(|listener| Bound {
            port: port_of(&listener, port),
            listener,
            used_fallback: false,
        }),
        PortChoice::Default => match bind_with_cancel(DEFAULT_PORT) {
            Ok(listener) => Ok(Bound {
                listener,
                port: DEFAULT_PORT,
                used_fallback: false,
            }),
            Err(BindError::Busy { .. }) => match bind_with_cancel(FALLBACK_PORT) {
                Ok(listener) => Ok(Bound {
                    listener,
                    port: FALLBACK_PORT,
                    used_fallback: true,
                }),
                Err(BindError::Busy { port, .. }) => Err(BindError::Busy {
                    port,
                    also: format!(" (as is the default port {DEFAULT_PORT})"),
                }),
                Err(other) => Err(other),
            },
            Err(other) => Err(other),
        },
    }
}

fn port_of(listener: &TcpListener, asked: u16) -> u16 {
    listener.local_addr().map(|a| a.port()).unwrap_or(asked)
}

fn bind_with_cancel(port: u16) -> Result<TcpListener, BindError> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut cancelled = false;
    let mut attempt = 0;
    loop {
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
                if !cancelled {
                    send_cancel(addr);
                    cancelled = true;
                }
                if attempt >= BIND_RETRIES {
                    return Err(BindError::Busy {
                        port,
                        also: String::new(),
                    });
                }
                attempt += 1;
                std::thread::sleep(BIND_RETRY_DELAY);
            }
            Err(source) => return Err(BindError::Io { port, source }),
        }
    }
}

/// Asks a stale Codex or codex-creds login server on this port to stop (best effort).
fn send_cancel(addr: SocketAddr) {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, CANCEL_TIMEOUT) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(CANCEL_TIMEOUT));
    let _ = stream.set_write_timeout(Some(CANCEL_TIMEOUT));
    let request = format!(
        "GET /cancel HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        addr = addr
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut sink = [0u8; 512];
        let _ = stream.read(&mut sink);
    }
}

/// A page for the browser.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: StatusCode,
    pub html: String,
}

impl Page {
    pub fn success(who: Option<&str>) -> Self {
        let who = who
            .map(|email| format!(" as <strong>{}</strong>", escape(email)))
            .unwrap_or_default();
        Page {
            status: StatusCode::OK,
            html: layout(
                "Signed in to Codex",
                &format!(
                    "<h1>Signed in</h1><p>codex-creds saved your ChatGPT login{who}.</p>\
                     <p>You can close this window and return to the terminal.</p>"
                ),
            ),
        }
    }

    /// An error page: what happened, the error code, and a hint.
    pub fn error(code: &str, message: &str) -> Self {
        Page {
            status: StatusCode::OK,
            html: layout(
                "Sign-in failed",
                &format!(
                    "<h1>Sign-in failed</h1><p>{}</p><p>Error code: <code>{}</code></p>\
                     <p>Return to the terminal for details; nothing was saved.</p>",
                    escape(message),
                    escape(code)
                ),
            ),
        }
    }
}

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;\
         padding:0 1em;line-height:1.5}}</style></head><body>{body}</body></html>"
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// What the browser brought back (only with the right `state`, except `Cancel`).
#[derive(Debug)]
pub enum Callback {
    /// An authorization code; answer the browser through `reply` when the login is done.
    Code {
        code: Secret,
        reply: oneshot::Sender<Page>,
    },
    /// The issuer redirected with `error=` (the page was already served).
    IssuerError {
        error: String,
        description: Option<String>,
    },
    /// The right state but no code (the page was already served).
    MissingCode,
    /// A request with a missing or wrong `state` was refused; still waiting.
    StateMismatch,
    /// `GET /cancel`: another login asked this one to stop.
    Cancel,
}

struct Shared {
    state: String,
    events: mpsc::UnboundedSender<Callback>,
}

/// The running callback server. Call inside the runtime ([`crate::http::Http::block_on`]).
pub struct CallbackServer {
    events: mpsc::UnboundedReceiver<Callback>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl CallbackServer {
    /// Serves `/auth/callback` (checking `state`), `/cancel`, and 404 for anything else.
    pub fn start(listener: TcpListener, state: String) -> Result<Self, std::io::Error> {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let (events_tx, events) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            state,
            events: events_tx,
        });
        let router = axum::Router::new()
            .route(CALLBACK_PATH, get(callback))
            .route("/cancel", get(cancel))
            .fallback(not_found)
            .with_state(shared);
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = shutdown_rx.await;
                })
                .await;
        });
        Ok(CallbackServer {
            events,
            shutdown: Some(shutdown_tx),
            task,
        })
    }

    /// The next callback event (`None` if the server stopped).
    pub async fn next(&mut self) -> Option<Callback> {
        self.events.recv().await
    }

    /// Stops the server after the in-flight replies were sent (waits at most a few seconds).
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = tokio::time::timeout(Duration::from_secs(3), &mut self.task).await;
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn callback(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    // A request without our state is not from this login: refuse it and keep waiting.
    if params.get("state").map(String::as_str) != Some(shared.state.as_str()) {
        let _ = shared.events.send(Callback::StateMismatch);
        return (StatusCode::BAD_REQUEST, "State mismatch").into_response();
    }
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").cloned();
        let message = description.clone().unwrap_or_else(|| error.clone());
        let _ = shared.events.send(Callback::IssuerError {
            error: error.clone(),
            description,
        });
        return closing(Page::error(
            error,
            &format!("The sign-in was refused: {message}"),
        ));
    }
    let Some(code) = params.get("code").filter(|code| !code.is_empty()) else {
        let _ = shared.events.send(Callback::MissingCode);
        return closing(Page::error(
            "missing_authorization_code",
            "The issuer sent no authorization code.",
        ));
    };
    let (reply, answer) = oneshot::channel();
    let _ = shared.events.send(Callback::Code {
        code: Secret::new(code.as_str()),
        reply,
    });
    match tokio::time::timeout(REPLY_TIMEOUT, answer).await {
        Ok(Ok(page)) => closing(page),
        _ => closing(Page::error(
            "login_incomplete",
            "The login did not complete; see the terminal.",
        )),
    }
}

async fn cancel(State(shared): State<Arc<Shared>>) -> Response {
    let _ = shared.events.send(Callback::Cancel);
    (
        StatusCode::OK,
        [(header::CONNECTION, "close")],
        "Login cancelled",
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not Found").into_response()
}

fn closing(page: Page) -> Response {
    (
        page.status,
        [(header::CONNECTION, "close")],
        Html(page.html),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_show() {
        let page = Page::error("x<y", "<script>alert(1)</script>");
        assert!(!page.html.contains("<script>alert"));
        assert!(page.html.contains("x&lt;y"));
        assert!(
            Page::success(Some("a&b@example.com"))
                .html
                .contains("a&amp;b@example.com")
        );
    }

    #[test]
    fn an_exact_busy_port_is_an_error_naming_it() {
        let holder = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = holder.local_addr().unwrap().port();
        let err = match bind(PortChoice::Exact(port)) {
            Err(err) => err,
            Ok(_) => panic!("bound a busy port"),
        };
        assert!(
            err.to_string().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
        assert!(err.to_string().contains("--port"), "{err}");
    }
}
