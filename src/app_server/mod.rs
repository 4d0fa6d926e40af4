//! `codex-creds app-server`: Codex's account JSON-RPC API over stdio (spec app-server.md §13),
//! for programs that embed login. This file is the loop: read a line, route it, and at end of
//! input stop within a second, failing every request still waiting on the client.
//!
//! Each request runs on its own thread with its own `Ctx`, in arrival order (a ticket each);
//! a request that waits on the client gives up its turn, so the server stays responsive.

mod account;
mod browser;
mod device;
mod discovery;
mod external;
mod limits;
mod login;
mod peer;
mod sessions;
mod wire;

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::ctx::{Ctx, CtxSeed};

use peer::Peer;
pub use peer::Sink;
use wire::{Incoming, RpcError};

/// How long a request to the client waits for its answer (Codex: 10 s, spec §13.3).
pub const ASK_TIMEOUT: Duration = Duration::from_secs(10);
/// At end of input, how long requests in flight may take to answer before the server exits.
const DRAIN: Duration = Duration::from_millis(800);

/// How the server behaves where the client or the user may choose.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How long a request to the client waits for its answer.
    pub ask_timeout: Duration,
    /// The browser login's callback port (`None`: Codex's 1455, else 1457).
    pub login_port: Option<u16>,
}

/// What `initialize` told us about the client.
#[derive(Debug, Clone)]
struct Client {
    experimental_api: bool,
}

/// State shared by every request of one connection.
pub struct Server {
    seed: Mutex<CtxSeed>,
    peer: Arc<Peer>,
    client: Mutex<Option<Client>>,
    /// `chatgptAuthTokens`: in memory only (spec §13.3).
    external: Mutex<Option<external::External>>,
    logins: login::Logins,
    turns: Turns,
    in_flight: Counter,
    options: Options,
}

impl Server {
    /// A fresh context for one request or background login (a `Ctx` is not `Sync`).
    fn new_ctx(&self) -> Ctx {
        self.seed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .build()
    }
}

/// Work that runs after a request's answer was sent.
type FollowUp = Box<dyn FnOnce(&mut Call) + Send>;

/// One request being served: its context and its turn.
pub struct Call {
    server: Arc<Server>,
    ctx: Ctx,
    turn: Option<Turn>,
    /// What runs after the answer is sent (notifications, slow follow-ups).
    after: Option<FollowUp>,
}

impl Call {
    /// Gives up this request's turn: later requests run while this one waits on the client.
    fn yield_turn(&mut self) {
        self.turn.take();
    }

    fn then(&mut self, follow_up: impl FnOnce(&mut Call) + Send + 'static) {
        self.after = Some(Box::new(follow_up));
    }
}

/// Serves one connection until `read_line` returns `None` (end of input).
pub fn serve(
    seed: CtxSeed,
    mut read_line: impl FnMut() -> Option<String>,
    sink: Sink,
    options: Options,
) {
    let clock = Arc::new(|| {
        #[allow(clippy::disallowed_methods)] // `emittedAtMs` is the wall clock, as Codex's
        chrono::Utc::now().timestamp_millis()
    });
    let server = Arc::new(Server {
        seed: Mutex::new(seed),
        peer: Arc::new(Peer::new(sink, clock)),
        client: Mutex::new(None),
        external: Mutex::new(None),
        logins: login::Logins::default(),
        turns: Turns::default(),
        in_flight: Counter::default(),
        options,
    });
    let mut next_ticket = 0u64;
    while let Some(line) = read_line() {
        if line.trim().is_empty() {
            continue;
        }
        match wire::parse(&line) {
            Incoming::Request { id, method, params } => {
                let ticket = next_ticket;
                next_ticket += 1;
                spawn_request(&server, ticket, id, method, params);
            }
            Incoming::Notification { .. } => {}
            Incoming::Response { id, outcome } => server.peer.resolve(&id, outcome),
            Incoming::Malformed { id, error } => server.peer.answer(&id, &Err(error)),
        }
    }
    // End of input: nothing can answer our requests any more; let the requests in flight
    // answer their callers (with that error), then stop.
    server.peer.close();
    server.logins.cancel_all();
    server.in_flight.wait_zero(DRAIN);
}

fn spawn_request(
    server: &Arc<Server>,
    ticket: u64,
    id: Value,
    method: String,
    params: Option<Value>,
) {
    let server = Arc::clone(server);
    server.in_flight.add();
    std::thread::spawn(move || {
        let turn = server.turns.wait(ticket);
        let mut call = Call {
            ctx: server.new_ctx(),
            server: Arc::clone(&server),
            turn: Some(turn),
            after: None,
        };
        let outcome = route(&mut call, &method, params);
        server.peer.answer(&id, &outcome);
        if let Some(follow_up) = call.after.take() {
            follow_up(&mut call);
        }
        drop(call);
        server.in_flight.done();
    });
}

fn route(call: &mut Call, method: &str, params: Option<Value>) -> Result<Value, RpcError> {
    if method == "initialize" {
        return initialize(call, params);
    }
    if call
        .server
        .client
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_none()
    {
        return Err(RpcError::invalid("Not initialized"));
    }
    let needs = |params: Option<Value>| {
        params.ok_or_else(|| RpcError::invalid("Invalid request: missing field `params`"))
    };
    match method {
        "account/read" => account::read(call, needs(params)?),
        "getAuthStatus" => account::auth_status(call, needs(params)?),
        "account/rateLimits/read" => limits::read(call),
        "account/login/start" => login::start(call, needs(params)?),
        "account/login/cancel" => login::cancel(call, needs(params)?),
        "account/logout" => login::logout(call),
        "accountSession/list" => needs(params).and_then(|_| sessions::list(call)),
        "accountSession/switch" => sessions::switch(call, needs(params)?),
        other => Err(RpcError::invalid(format!(
            "Invalid request: unknown variant `{}`, expected one of {}",
            crate::untrusted::printable(other, 100),
            METHODS.map(|m| format!("`{m}`")).join(", ")
        ))),
    }
}

/// The methods this server answers (Codex's account API).
const METHODS: [&str; 9] = [
    "initialize",
    "account/login/start",
    "account/login/cancel",
    "account/logout",
    "account/rateLimits/read",
    "account/read",
    "getAuthStatus",
    "accountSession/list",
    "accountSession/switch",
];

/// `initialize`: remembers the client, and answers who we are (spec §13.1).
fn initialize(call: &mut Call, params: Option<Value>) -> Result<Value, RpcError> {
    let params = params.unwrap_or(Value::Null);
    let info = &params["clientInfo"];
    let name = info["name"].as_str().unwrap_or("codex-creds").to_owned();
    let version = info["version"].as_str().unwrap_or_default().to_owned();
    let experimental_api = params["capabilities"]["experimentalApi"] == Value::Bool(true);
    let mut client = call.server.client.lock().unwrap_or_else(|p| p.into_inner());
    if client.is_some() {
        return Err(RpcError::invalid("Already initialized"));
    }
    *client = Some(Client { experimental_api });
    // Codex's originator is the client's name (CODEX_INTERNAL_ORIGINATOR_OVERRIDE wins).
    let mut seed = call.server.seed.lock().unwrap_or_else(|p| p.into_inner());
    let originator = seed
        .env
        .originator_override
        .get_or_insert_with(|| name.clone())
        .clone();
    let user_agent = format!(
        "{originator}/{} ({}; {}) unknown ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        crate::untrusted::printable(&name, 100),
        crate::untrusted::printable(&version, 100),
    );
    Ok(json!({
        "userAgent": user_agent,
        "codexHome": seed.home.dir().display().to_string(),
        "platformFamily": std::env::consts::FAMILY,
        "platformOs": std::env::consts::OS,
    }))
}

/// Tickets in arrival order: a request runs when its number comes up.
#[derive(Default)]
struct Turns {
    serving: Arc<(Mutex<u64>, Condvar)>,
}

/// The turn of one request; dropping it lets the next one run.
struct Turn {
    serving: Arc<(Mutex<u64>, Condvar)>,
}

impl Turns {
    fn wait(&self, ticket: u64) -> Turn {
        let (lock, turned) = &*self.serving;
        let mut serving = lock.lock().unwrap_or_else(|p| p.into_inner());
        while *serving != ticket {
            serving = turned.wait(serving).unwrap_or_else(|p| p.into_inner());
        }
        Turn {
            serving: Arc::clone(&self.serving),
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let (lock, turned) = &*self.serving;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        turned.notify_all();
    }
}

/// The requests still running.
#[derive(Default)]
struct Counter {
    count: Mutex<usize>,
    changed: Condvar,
}

impl Counter {
    fn add(&self) {
        *self.count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
    }

    fn done(&self) {
        *self.count.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.changed.notify_all();
    }

    fn wait_zero(&self, at_most: Duration) {
        let deadline = Instant::now() + at_most;
        let mut count = self.count.lock().unwrap_or_else(|p| p.into_inner());
        while *count > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            count = self
                .changed
                .wait_timeout(count, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }
}
