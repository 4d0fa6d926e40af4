//! Driving an interactive `codex-creds login` from a test: spawn it, read its stderr line by
//! line while it waits, act (call the callback, send SIGINT), then collect the outcome.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::jwt::ChatGptAuth;
use super::{Outcome, Snapshot, TestHome};

/// A running `codex-creds` whose stderr is read in the background.
pub struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    /// Spawns `codex-creds ARGS` in `home` with the clean test environment plus `envs`.
    pub fn spawn(home: &TestHome, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_codex-creds"));
        cmd.env_clear()
            .envs(super::test_env(home.path()))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in envs {
            cmd.env(key, value);
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (up to 30 s) for a stderr line matching `pred` and returns it.
    pub fn wait_for(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no such line on stderr; saw:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// The authorize URL printed by a browser login (waits for it).
    pub fn authorize_url(&mut self) -> url::Url {
        let line = self.wait_for(|line| line.contains("/oauth/authorize?"));
        url::Url::parse(line.trim()).unwrap()
    }

    /// Waits (up to 60 s) until the process has `path` open, read from `/proc/PID/fd`: the
    /// observable sign that it reached the code that opens the file (e.g. a lock it must wait
    /// for). Fails if the process exits first.
    pub fn wait_until_open(&mut self, path: &Path) {
        let wanted = path.canonicalize().unwrap();
        let fds = PathBuf::from(format!("/proc/{}/fd", self.child.id()));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let open = std::fs::read_dir(&fds)
                .into_iter()
                .flatten()
                .flatten()
                .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == wanted));
            if open {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                self.seen.extend(self.lines.try_iter());
                panic!(
                    "codex-creds exited ({status}) without opening {}; stderr:\n{}",
                    path.display(),
                    self.seen.join("\n")
                );
            }
            assert!(
                Instant::now() < deadline,
                "codex-creds did not open {} within 60 s",
                path.display()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Sends SIGINT (what Ctrl-C sends).
    pub fn interrupt(&self) {
        // SAFETY: kill(2) on our own child's pid has no memory-safety preconditions.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(rc, 0);
    }

    /// Waits for the process to exit (up to 60 s) and returns everything it printed.
    pub fn finish(mut self) -> Outcome {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "codex-creds did not exit; stderr so far:\n{}",
                    self.seen.join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        let mut stderr = self.seen.join("\n");
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            stderr.push('\n');
            stderr.push_str(&line);
        }
        Outcome {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The query value `name` of a URL.
pub fn query(url: &url::Url, name: &str) -> String {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| panic!("no {name} in {url}"))
}

/// A previous ChatGPT login that a failed or cancelled new login must leave byte-identical.
pub fn previous_login(home: &TestHome) -> Snapshot {
    home.write_auth(
        &ChatGptAuth {
            refresh_token: "rt-previous-login".into(),
            ..ChatGptAuth::default()
        }
        .to_json(),
    );
    home.snapshot()
}
