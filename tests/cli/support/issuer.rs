//! A fake issuer for refresh and revocation tests: wiremock replies (rotating tokens, hostile
//! replies, replies held until the test lets them go), a raw TCP server that resets
//! connections, and the fixtures these tests share.

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::jwt::{ChatGptAuth, forge};

pub const CLIENT_ID: &str = "app_EMoamEEZ73f0CkXaXp7hrann";

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A ChatGPT login minted by `issuer` whose access token expires `expires_in` seconds from now
/// (negative: already expired).
pub fn chatgpt_auth(issuer: &str, expires_in: i64) -> ChatGptAuth {
    ChatGptAuth {
        access_exp: now_secs() + expires_in,
        issuer: issuer.to_owned(),
        ..ChatGptAuth::default()
    }
}

/// An access token as an issuer would mint it, valid for `ttl` seconds, tagged with `n`.
pub fn access_token(n: usize, ttl: i64) -> String {
    forge(&json!({
        "exp": now_secs() + ttl,
        "jti": format!("at-{n}"),
        "https://api.openai.com/auth": {"chatgpt_plan_type": "pro", "chatgpt_account_id": "ws-test-1"}
    }))
}

/// The `n` an [`access_token`] was tagged with, if `token` is one.
pub fn grant_number(token: &str) -> Option<usize> {
    let claims = super::jwt::try_claims(token)?;
    claims["jti"].as_str()?.strip_prefix("at-")?.parse().ok()
}

/// Replies to each refresh grant with new tokens (access `at-<n>`, refresh `rt-rotated-<n>`),
/// counting the grants, optionally after a delay.
#[derive(Clone)]
pub struct Rotating {
    pub grants: Arc<AtomicUsize>,
    pub delay: Duration,
    pub ttl: i64,
    pub with_id_token: bool,
}

impl Rotating {
    pub fn new() -> Self {
        Rotating {
            grants: Arc::new(AtomicUsize::new(0)),
            delay: Duration::ZERO,
            ttl: 3600,
            with_id_token: false,
        }
    }

    pub fn count(&self) -> usize {
        self.grants.load(Ordering::SeqCst)
    }
}

impl Respond for Rotating {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.grants.fetch_add(1, Ordering::SeqCst) + 1;
        let mut body = json!({
            "access_token": access_token(n, self.ttl),
            "refresh_token": format!("rt-rotated-{n}"),
            "token_type": "Bearer",
            "expires_in": self.ttl,
        });
        if self.with_id_token {
            body["id_token"] = json!(forge(&json!({
                "email": format!("refreshed-{n}@example.com"),
                "https://api.openai.com/auth": {"chatgpt_account_id": "ws-test-1", "chatgpt_plan_type": "pro"}
            })));
        }
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(self.delay)
    }
}

/// Holds each reply of `inner` until the test lets it go, so that a test can act while a
/// request is in flight without guessing how long it takes (see [`Gate`]).
pub struct Gated<R> {
    inner: R,
    arrived: mpsc::Sender<()>,
    release: Mutex<mpsc::Receiver<()>>,
}

/// The test's side of [`Gated`]. Dropping it lets every held reply go.
pub struct Gate {
    arrived: mpsc::Receiver<()>,
    release: mpsc::Sender<()>,
}

/// `inner`'s replies, each held until [`Gate::release`].
pub fn gated<R: Respond>(inner: R) -> (Gated<R>, Gate) {
    let (arrived_tx, arrived) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let gated = Gated {
        inner,
        arrived: arrived_tx,
        release: Mutex::new(release_rx),
    };
    (gated, Gate { arrived, release })
}

impl Gate {
    /// Waits (up to 60 s) until a request has arrived; its reply is held.
    pub fn wait_for_request(&self) {
        self.arrived
            .recv_timeout(Duration::from_secs(60))
            .expect("the request never arrived");
    }

    /// Sends the held reply.
    pub fn release(&self) {
        self.release.send(()).unwrap();
    }
}

impl<R: Respond> Respond for Gated<R> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let _ = self.arrived.send(());
        // Blocks wiremock's server thread (one request at a time): fine for one caller. An
        // error means the test is gone (its Gate dropped): reply at once.
        let _ = self.release.lock().unwrap().recv();
        self.inner.respond(request)
    }
}

/// The JSON body of a recorded request.
pub fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// A loopback server that reads each request and then resets the connection (RST), counting
/// connections. Runs until the process ends.
pub fn resetting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .ok();
            let _ = stream.read(&mut buf);
            set_linger_zero(&stream);
            drop(stream);
        }
    });
    (url, count)
}

/// SO_LINGER 0: closing sends RST instead of FIN.
fn set_linger_zero(stream: &std::net::TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized linger struct.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A loopback URL where nothing listens (connection refused).
pub fn dead_url() -> String {
    format!("http://127.0.0.1:{}", super::free_port())
}

/// Runs a command from an async test without starving the mock server (the worker thread is
/// handed over to the runtime while the child runs).
pub async fn run_bg(cmd: &mut assert_cmd::Command) -> super::Outcome {
    tokio::task::block_in_place(|| super::run(cmd))
}

/// Starts a command in the background; `await` the handle for its outcome.
pub fn spawn(mut cmd: assert_cmd::Command) -> tokio::task::JoinHandle<super::Outcome> {
    tokio::task::spawn_blocking(move || super::run(&mut cmd))
}

/// `codex-creds <args>` for this home, as an owned command.
pub fn cmd(home: &super::TestHome, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = home.cmd();
    cmd.args(args);
    cmd
}

/// Our refresh lock file, as any earlier refresh leaves it (lock files are never deleted, like
/// Codex's auth.lock), so that snapshots compare only what a failure could damage.
pub fn with_refresh_lock(home: &super::TestHome) {
    std::fs::File::create(home.path().join("codex-creds-refresh.lock")).unwrap();
}
