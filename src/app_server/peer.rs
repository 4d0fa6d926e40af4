//! The link to the client: writes our lines (one at a time, whole), and keeps the requests we
//! sent it until their answers come. A request waits at most its timeout; at end of input
//! every pending request is cancelled, so no caller waits for an answer that cannot come.
//! Late or unknown answers are dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

use super::wire::{self, RpcError};

/// Where our lines go (stdout in the binary; a buffer in unit tests).
pub type Sink = Box<dyn Fn(&str) + Send + Sync>;

/// Why a request to the client got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskError {
    /// No answer within the timeout.
    TimedOut(Duration),
    /// The client closed its input: nothing more can come.
    Closed,
    /// The client answered with an error.
    Refused(RpcError),
}

impl std::fmt::Display for AskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AskError::TimedOut(after) => write!(
                f,
                "the client did not answer within {}",
                crate::duration::format(*after)
            ),
            AskError::Closed => f.write_str("the client closed the connection"),
            AskError::Refused(error) => write!(f, "the client answered {}", error.message),
        }
    }
}

type Waiter = SyncSender<Result<Value, AskError>>;

pub struct Peer {
    sink: Sink,
    next_id: AtomicI64,
    pending: Mutex<HashMap<i64, Waiter>>,
    closed: AtomicBool,
    /// The clock for `emittedAtMs` (a parameter, so tests can pin it).
    clock: Arc<dyn Fn() -> i64 + Send + Sync>,
}

impl Peer {
    pub fn new(sink: Sink, clock: Arc<dyn Fn() -> i64 + Send + Sync>) -> Self {
        Peer {
            sink,
            next_id: AtomicI64::new(0),
            pending: Mutex::new(HashMap::new()),
            closed: AtomicBool::new(false),
            clock,
        }
    }

    fn send(&self, line: &str) {
        // The sink writes one whole line under stdout's lock: lines never interleave.
        (self.sink)(line);
    }

    pub fn answer(&self, id: &Value, outcome: &Result<Value, RpcError>) {
        self.send(&wire::answer(id, outcome));
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send(&wire::notification(method, params, (self.clock)()));
    }

    /// Sends `method` to the client and waits for its answer, at most `timeout`.
    pub fn ask(&self, method: &str, params: Value, timeout: Duration) -> Result<Value, AskError> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = mpsc::sync_channel(1);
        {
            let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            // Checked under the lock that `close` takes: a request is never left behind.
            if self.closed.load(Ordering::SeqCst) {
                return Err(AskError::Closed);
            }
            pending.insert(id, tx);
        }
        self.send(&wire::request(id, method, params));
        let result = match rx.recv_timeout(timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(AskError::TimedOut(timeout)),
            Err(RecvTimeoutError::Disconnected) => Err(AskError::Closed),
        };
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        result
    }

    /// Hands the client's answer to the request waiting for it; unknown or late ids are dropped.
    pub fn resolve(&self, id: &Value, outcome: Result<Value, RpcError>) {
        let Some(id) = id.as_i64() else { return };
        let waiter = self
            .pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        if let Some(waiter) = waiter {
            let _ = waiter.try_send(outcome.map_err(AskError::Refused));
        }
    }

    /// End of input: every pending request fails now, and new ones fail at once.
    pub fn close(&self) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        self.closed.store(true, Ordering::SeqCst);
        for (_, waiter) in pending.drain() {
            let _ = waiter.try_send(Err(AskError::Closed));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A peer whose lines land in the returned buffer; `emittedAtMs` is always 7.
    pub(crate) fn recording() -> (Arc<Peer>, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink_lines = Arc::clone(&lines);
        let sink: Sink = Box::new(move |line| sink_lines.lock().unwrap().push(line.to_owned()));
        (Arc::new(Peer::new(sink, Arc::new(|| 7))), lines)
    }

    /// Waits until the peer has sent `n` lines.
    fn sent(lines: &Mutex<Vec<String>>, n: usize) -> Vec<String> {
        loop {
            let now = lines.lock().unwrap().clone();
            if now.len() >= n {
                return now;
            }
            std::thread::yield_now();
        }
    }

    #[test]
    fn an_answer_reaches_the_request_and_ids_count_from_zero() {
        let (peer, lines) = recording();
        let asking = Arc::clone(&peer);
        let waiting =
            std::thread::spawn(move || asking.ask("m", Value::Null, Duration::from_secs(60)));
        let sent = sent(&lines, 1);
        assert!(sent[0].starts_with(r#"{"id":0,"#), "{sent:?}");
        // An unknown id changes nothing.
        peer.resolve(&Value::from(5), Ok(Value::from(1)));
        peer.resolve(&Value::from(0), Ok(Value::from(2)));
        assert_eq!(waiting.join().unwrap(), Ok(Value::from(2)));
        // A late answer is ignored.
        peer.resolve(&Value::from(0), Ok(Value::from(3)));
    }

    #[test]
    fn closing_fails_every_pending_request_and_every_later_one() {
        let (peer, lines) = recording();
        let asking = Arc::clone(&peer);
        let waiting =
            std::thread::spawn(move || asking.ask("m", Value::Null, Duration::from_secs(600)));
        sent(&lines, 1);
        peer.close();
        assert_eq!(waiting.join().unwrap(), Err(AskError::Closed));
        assert_eq!(
            peer.ask("m", Value::Null, Duration::from_secs(600)),
            Err(AskError::Closed)
        );
    }

    #[test]
    fn a_silent_client_times_out() {
        let (peer, _lines) = recording();
        let result = peer.ask("m", Value::Null, Duration::from_millis(1));
        assert_eq!(result, Err(AskError::TimedOut(Duration::from_millis(1))));
    }
}
