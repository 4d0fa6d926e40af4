//! A client for `app-server` (ours or the real Codex's): sends lines, collects every message it
//! receives on a reader thread, and waits on them (no sleeps). Failures print the whole log.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// Generous: a wait that times out is a failure, not a measurement.
const WAIT: Duration = Duration::from_secs(60);

pub struct Conversation {
    child: Child,
    stdin: Option<ChildStdin>,
    received: Receiver<Value>,
    /// Everything received so far, in order (for failure output and notification checks).
    pub log: Vec<Value>,
    next_id: i64,
}

/// `codex-creds app-server` in this home, with extra environment.
pub fn ours(home: &Path, env: &[(&str, String)]) -> Conversation {
    ours_with(home, &[], env)
}

/// `codex-creds app-server ARGS` in this home, with extra environment.
pub fn ours_with(home: &Path, args: &[&str], env: &[(&str, String)]) -> Conversation {
    let bin = assert_cmd::cargo::cargo_bin("codex-creds");
    Conversation::spawn(Command::new(bin).arg("app-server").args(args), home, env)
}

/// The real `codex app-server` 0.169.0 in this home.
pub fn codex(home: &Path, env: &[(&str, String)]) -> Conversation {
    let mut cmd = Command::new(super::codex::binary());
    cmd.arg("app-server");
    Conversation::spawn(&mut cmd, home, env)
}

impl Conversation {
    fn spawn(cmd: &mut Command, home: &Path, env: &[(&str, String)]) -> Self {
        cmd.env_clear().envs(super::test_env(home));
        for (name, value) in env {
            cmd.env(name, value);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, received) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let value =
                    serde_json::from_str(&line).unwrap_or_else(|_| json!({"unparsed": line}));
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Conversation {
            stdin: child.stdin.take(),
            child,
            received,
            log: Vec::new(),
            next_id: 100,
        }
    }

    /// `initialize` (with the experimental API) and `initialized`; returns the result.
    pub fn initialize(&mut self) -> Value {
        let answer = self.request(
            "initialize",
            json!({"clientInfo": {"name": "codex-creds-test", "version": "0.0.1"},
                   "capabilities": {"experimentalApi": true}}),
        );
        self.send(&json!({"method": "initialized"}).to_string());
        answer["result"].clone()
    }

    pub fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Sends a request and returns its answer (the whole message: `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.start(method, params);
        self.answer(id)
    }

    /// Sends a request without waiting; returns its id.
    pub fn start(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let line = if params.is_null() {
            json!({"id": id, "method": method})
        } else {
            json!({"id": id, "method": method, "params": params})
        };
        self.send(&line.to_string());
        id
    }

    /// Waits for the answer to request `id`.
    pub fn answer(&mut self, id: i64) -> Value {
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// Waits for the first message received from now on (or already logged after `from`)
    /// that matches.
    pub fn wait_for(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self
            .log
            .iter()
            .find(|m| matches(m) && !m["_seen"].is_boolean())
        {
            let found = found.clone();
            self.mark_seen(&found);
            return found;
        }
        loop {
            match self.received.recv_timeout(WAIT) {
                Ok(message) => {
                    self.log.push(message.clone());
                    if matches(&message) {
                        self.mark_seen(&message);
                        return message;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("no matching message; received:\n{}", self.log_text())
                }
            }
        }
    }

    fn mark_seen(&mut self, message: &Value) {
        if let Some(entry) = self.log.iter_mut().find(|m| *m == message) {
            entry["_seen"] = json!(true);
        }
    }

    /// The next notification named `method`.
    pub fn notification(&mut self, method: &str) -> Value {
        self.wait_for(|m| m["method"] == method && m.get("id").is_none())
    }

    /// The next request the server sends us, named `method`.
    pub fn server_request(&mut self, method: &str) -> Value {
        self.wait_for(|m| m["method"] == method && m.get("id").is_some())
    }

    /// Answers a server request.
    pub fn reply(&mut self, id: &Value, result: Value) {
        self.send(&json!({"id": id, "result": result}).to_string());
    }

    /// Closes stdin and waits for the exit; returns the exit code.
    pub fn close(mut self) -> (Option<i32>, Vec<Value>) {
        drop(self.stdin.take());
        let status = self.child.wait().unwrap();
        while let Ok(message) = self.received.recv_timeout(Duration::from_secs(5)) {
            self.log.push(message);
        }
        (status.code(), self.log.clone())
    }

    pub fn log_text(&self) -> String {
        self.log
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Conversation {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
