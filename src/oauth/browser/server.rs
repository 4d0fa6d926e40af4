//! The callback server (axum, spec §5.2, §5.4): `/auth/callback` checks `state` and hands the
//! code to the login flow, which answers once the login is saved (or failed).
//!
//! Invariants: only requests addressed to `127.0.0.1:PORT` or `localhost:PORT` are served (a
//! DNS-rebinding page cannot drive it); every answer is `Cache-Control: no-store`; a code is
//! answered with a redirect to `/success`, so it leaves the address bar and history; events
//! reach the flow through a bounded queue, and are dropped when it is full, never awaited.

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{Notify, mpsc, oneshot};

use super::pages::Page;
use super::port::BindError;
use crate::secret::Secret;

/// Codex's callback path, and the page it redirects to (spec §5.2, §5.5).
pub const CALLBACK_PATH: &str = "/auth/callback";
pub const SUCCESS_PATH: &str = "/success";
const CANCEL_PATH: &str = "/cancel";
/// Events not yet read by the flow. It reads them as they come, so only a flood, or events
/// after the code (when the flow has stopped listening), fill it; those are dropped.
const EVENT_CAPACITY: usize = 8;
/// How long the browser waits for the login to be saved before it gets a generic page.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the server waits for the browser to follow the redirect to `/success`.
const SUCCESS_GRACE: Duration = Duration::from_secs(3);
/// How long a stop waits for answers in flight.
const STOP_TIMEOUT: Duration = Duration::from_secs(3);

/// What the browser brought back (only with the right `state`, except the notices).
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
    /// A request for another host name (DNS rebinding?) was refused; still waiting.
    WrongHost,
    /// `GET /cancel`: another login asked this one to stop.
    Cancel,
}

struct Shared {
    port: u16,
    state: String,
    events: mpsc::Sender<Callback>,
    /// The page `/success` shows, set when the flow answered the code.
    result: Mutex<Option<Page>>,
    /// Signalled when `/success` served that page.
    served: Notify,
}

impl Shared {
    /// Hands an event to the flow without waiting; `false` when the queue is full or the flow
    /// is gone (the event is dropped).
    fn emit(&self, event: Callback) -> bool {
        self.events.try_send(event).is_ok()
    }
}

/// The running callback server. Call inside the runtime ([`crate::http::Http::block_on`]).
pub struct CallbackServer {
    events: mpsc::Receiver<Callback>,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl CallbackServer {
    /// Serves `/auth/callback` (checking `state`), `/success`, `/cancel`, and 404 for anything
    /// else, on a listener from [`super::bind`].
    pub fn start(listener: TcpListener, state: String) -> Result<Self, BindError> {
        let port = listener.local_addr().map(|addr| addr.port()).unwrap_or(0);
        let listener = listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
            .map_err(|source| BindError::Io { port, source })?;
        let (events_tx, events) = mpsc::channel(EVENT_CAPACITY);
        let shared = Arc::new(Shared {
            port,
            state,
            events: events_tx,
            result: Mutex::new(None),
            served: Notify::new(),
        });
        // Layers run outside in: no-store is added to every answer, the host check's included.
        let router = axum::Router::new()
            .route(CALLBACK_PATH, get(callback))
            .route(SUCCESS_PATH, get(success))
            .route(CANCEL_PATH, get(cancel))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(
                shared.clone(),
                loopback_only,
            ))
            .layer(middleware::map_response(no_store))
            .with_state(shared.clone());
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
            shared,
            shutdown: Some(shutdown_tx),
            task,
        })
    }

    /// The next callback event (`None` if the server stopped).
    pub async fn next(&mut self) -> Option<Callback> {
        self.events.recv().await
    }

    /// After the code's `reply` was sent: waits until the browser has fetched `/success` (or a
    /// few seconds, if it never asks), then stops.
    pub async fn finish(self) {
        let _ = tokio::time::timeout(SUCCESS_GRACE, self.shared.served.notified()).await;
        self.stop().await;
    }

    /// Stops the server after the answers in flight were sent (waits a few seconds at most).
    pub async fn stop(mut self) {
        // Unread codes are answered at once (their reply is dropped), not after REPLY_TIMEOUT.
        self.events.close();
        while self.events.try_recv().is_ok() {}
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = tokio::time::timeout(STOP_TIMEOUT, &mut self.task).await;
    }
}

impl Drop for CallbackServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// True when `authority` is `127.0.0.1:PORT` or `localhost:PORT` (case-insensitive).
fn is_loopback_authority(authority: &[u8], port: u16) -> bool {
    let Ok(authority) = std::str::from_utf8(authority) else {
        return false;
    };
    let authority = authority.to_ascii_lowercase();
    authority == format!("127.0.0.1:{port}") || authority == format!("localhost:{port}")
}

/// Refuses a request whose `Host` (or absolute URI) names anything but this server: a page
/// whose domain was rebound to 127.0.0.1 still sends its own name.
async fn loopback_only(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(HeaderValue::as_bytes);
    let uri = request.uri().authority().map(|a| a.as_str().as_bytes());
    let named = [host, uri];
    let allowed = named.iter().any(Option::is_some)
        && named
            .iter()
            .flatten()
            .all(|authority| is_loopback_authority(authority, shared.port));
    if !allowed {
        shared.emit(Callback::WrongHost);
        return (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONNECTION, "close")],
            "Misdirected Request: this login server answers only 127.0.0.1 and localhost",
        )
            .into_response();
    }
    next.run(request).await
}

async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn callback(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    // A request without our state is not from this login: refuse it and keep waiting.
    if params.get("state").map(String::as_str) != Some(shared.state.as_str()) {
        shared.emit(Callback::StateMismatch);
        return (StatusCode::BAD_REQUEST, "State mismatch").into_response();
    }
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").cloned();
        let message = description.clone().unwrap_or_else(|| error.clone());
        shared.emit(Callback::IssuerError {
            error: error.clone(),
            description,
        });
        return closing(Page::error(
            error,
            &format!("The sign-in was refused: {message}"),
        ));
    }
    let Some(code) = params.get("code").filter(|code| !code.is_empty()) else {
        shared.emit(Callback::MissingCode);
        return closing(Page::error(
            "missing_authorization_code",
            "The issuer sent no authorization code.",
        ));
    };
    let (reply, answer) = oneshot::channel();
    let event = Callback::Code {
        code: Secret::new(code.as_str()),
        reply,
    };
    if !shared.emit(event) {
        // The code was not used: the flow is flooded or gone.
        return closing(Page::busy());
    }
    let page = match tokio::time::timeout(REPLY_TIMEOUT, answer).await {
        Ok(Ok(page)) => page,
        _ => Page::error(
            "login_incomplete",
            "The login did not complete; see the terminal.",
        ),
    };
    *shared.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(page);
    // As Codex: the result is shown at /success, so the code leaves the address bar.
    (StatusCode::FOUND, [(header::LOCATION, SUCCESS_PATH)]).into_response()
}

/// The result page of the login, once the flow has answered the code; 404 before that.
async fn success(State(shared): State<Arc<Shared>>) -> Response {
    let page = shared
        .result
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    match page {
        Some(page) => {
            shared.served.notify_one();
            closing(page)
        }
        None => not_found().await,
    }
}

async fn cancel(State(shared): State<Arc<Shared>>) -> Response {
    shared.emit(Callback::Cancel);
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
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const STATE: &str = "the-state";

    /// A server on a free port, and that port.
    fn serve() -> (CallbackServer, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        (CallbackServer::start(listener, STATE.into()).unwrap(), port)
    }

    /// One request with this `Host`; the status line and headers (lowercase), and the body.
    async fn get(port: u16, host: &str, path: &str) -> (String, String) {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).await.unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        (head.to_ascii_lowercase(), body.to_owned())
    }

    #[test]
    fn only_this_port_on_127_0_0_1_or_localhost_is_our_authority() {
        for good in ["127.0.0.1:4242", "localhost:4242", "LocalHost:4242"] {
            assert!(is_loopback_authority(good.as_bytes(), 4242), "{good}");
        }
        for bad in [
            "evil.example:4242",
            "127.0.0.1",
            "localhost",
            "127.0.0.1:4243",
            "localhost.:4242",
            "127.0.0.2:4242",
            "[::1]:4242",
            "localhost:4242.evil.example",
            "",
        ] {
            assert!(!is_loopback_authority(bad.as_bytes(), 4242), "{bad}");
        }
        assert!(!is_loopback_authority(b"\xff:4242", 4242));
    }

    #[tokio::test]
    async fn a_flood_of_events_is_dropped_beyond_the_queue_and_never_blocks_the_server() {
        let (mut server, port) = serve();
        let host = format!("127.0.0.1:{port}");
        // Given a flow that reads nothing, when many more bad requests come than the queue holds,
        // then each is still answered...
        for _ in 0..EVENT_CAPACITY * 4 {
            let (head, _) = get(port, &host, "/auth/callback?code=x&state=wrong").await;
            assert!(head.starts_with("http/1.1 400"), "{head}");
            let (head, _) = get(port, "evil.example", "/auth/callback").await;
            assert!(head.starts_with("http/1.1 421"), "{head}");
        }
        // ...and only a queue's worth of events waits for the flow.
        let mut queued = 0;
        while server.events.try_recv().is_ok() {
            queued += 1;
        }
        assert_eq!(queued, EVENT_CAPACITY);

        // A code that finds the queue full is refused unused, and the browser is told so.
        for _ in 0..EVENT_CAPACITY {
            get(port, &host, "/auth/callback?state=wrong").await;
        }
        let (head, body) = get(port, &host, &format!("/auth/callback?code=c&state={STATE}")).await;
        assert!(head.starts_with("http/1.1 503"), "{head}");
        assert!(body.contains("login_busy"), "{body}");
        server.stop().await;
    }

    #[tokio::test]
    async fn a_code_is_answered_with_a_redirect_to_the_result_page() {
        let (mut server, port) = serve();
        let host = format!("localhost:{port}");
        let path = format!("/auth/callback?code=the-code&state={STATE}");
        let browser = tokio::spawn(async move { get(port, &host, &path).await });
        let Some(Callback::Code { code, reply }) = server.next().await else {
            panic!("no code");
        };
        assert_eq!(code.expose(), "the-code");
        reply.send(Page::success(Some("me@example.com"))).unwrap();
        let (head, body) = browser.await.unwrap();
        assert!(head.starts_with("http/1.1 302"), "{head}");
        assert!(head.contains("\r\nlocation: /success\r\n"), "{head}");
        assert!(head.contains("\r\ncache-control: no-store\r\n"), "{head}");
        assert!(!body.contains("the-code"), "{body}");

        let (head, body) = get(port, &format!("127.0.0.1:{port}"), SUCCESS_PATH).await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("\r\ncache-control: no-store\r\n"), "{head}");
        assert!(body.contains("me@example.com"), "{body}");
        // Returns once /success was served (the grace period is only for a browser that never asks).
        server.finish().await;
    }
}
