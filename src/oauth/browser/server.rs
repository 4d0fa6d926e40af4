//! The callback server (axum, spec §5.2, §5.4): `/auth/callback` checks `state` and hands the
//! code to the login flow, which answers the browser once the login is saved (or failed).

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{mpsc, oneshot};

use super::pages::Page;
use super::port::BindError;
use crate::secret::Secret;

/// Codex's callback path.
pub const CALLBACK_PATH: &str = "/auth/callback";
/// How long the browser waits for the login to be saved before it gets a generic page.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

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
    pub fn start(listener: TcpListener, state: String) -> Result<Self, BindError> {
        let port = listener.local_addr().map(|addr| addr.port()).unwrap_or(0);
        let listener = listener
            .set_nonblocking(true)
            .and_then(|()| tokio::net::TcpListener::from_std(listener))
            .map_err(|source| BindError::Io { port, source })?;
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
