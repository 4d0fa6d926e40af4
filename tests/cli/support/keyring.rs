//! A real, private Secret Service per test: its own `dbus-daemon` session bus on a socket in a
//! temp dir, and `gnome-keyring-daemon` unlocked with a password on stdin. Both die on Drop.
//! Tests fail (not skip) with an install hint when the binaries are missing.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;

const INSTALL_HINT: &str = "the keyring tests need a real Secret Service: \
     `sudo apt-get install gnome-keyring dbus-daemon dbus-bin libsecret-tools` (see .ci/run)";

/// Codex's keyring service name (spec §4.2), spelled out independently of the code under test.
pub const SERVICE: &str = "Codex Auth";

/// Codex's account name for a CODEX_HOME, computed here independently of the code under test.
pub fn account_for(codex_home: &Path) -> String {
    use sha2::Digest;
    let canonical = codex_home.canonicalize().unwrap();
    let digest = sha2::Sha256::digest(canonical.to_string_lossy().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("cli|{}", &hex[..16])
}

fn require(binary: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(binary))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("`{binary}` not found in PATH; {INSTALL_HINT}"))
}

/// A private session bus with an unlocked gnome-keyring on it.
pub struct SecretService {
    dir: tempfile::TempDir,
    address: String,
    bus: Child,
    keyring: Option<Child>,
}

impl SecretService {
    pub fn start() -> Self {
        super::real_component("the Secret Service");
        let dbus = require("dbus-daemon");
        let gnome_keyring = require("gnome-keyring-daemon");
        require("secret-tool");
        require("dbus-send");
        let dir = tempfile::Builder::new()
            .prefix("codex-creds-keyring-")
            .tempdir()
            .unwrap();
        for sub in ["home", "data", "run"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        super::set_mode(&dir.path().join("run"), 0o700);

        let mut bus = StdCommand::new(dbus)
            .args(["--session", "--nofork", "--nosyslog", "--print-address=1"])
            .arg(format!(
                "--address=unix:path={}",
                dir.path().join("bus").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");

        let mut service = SecretService {
            keyring: None,
            dir,
            address,
            bus,
        };
        let mut keyring = StdCommand::new(gnome_keyring)
            .args(["--unlock", "--components=secrets", "--foreground"])
            .env_clear()
            .envs(service.env())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A non-empty password: an empty one leaves the login collection locked.
        let mut stdin = keyring.stdin.take().unwrap();
        stdin.write_all(b"codex-creds-test-password").unwrap();
        drop(stdin);
        service.keyring = Some(keyring);
        service.wait_until_ready();
        service
    }

    /// The environment every client needs: the private bus, and a home inside the temp dir.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let path = |sub: &str| self.dir.path().join(sub).display().to_string();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone()),
            ("HOME", path("home")),
            ("XDG_DATA_HOME", path("data")),
            ("XDG_RUNTIME_DIR", path("run")),
        ]
    }

    /// Points a command (codex-creds, codex) at this Secret Service. HOME stays the test home.
    pub fn apply(&self, cmd: &mut Command) {
        for (name, value) in self.env() {
            if name != "HOME" {
                cmd.env(name, value);
            }
        }
    }

    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let reply = StdCommand::new("dbus-send")
                .args([
                    "--session",
                    "--dest=org.freedesktop.DBus",
                    "--type=method_call",
                    "--print-reply",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .unwrap();
            if String::from_utf8_lossy(&reply.stdout).contains("boolean true") {
                return;
            }
            if let Some(Ok(Some(status))) = self.keyring.as_mut().map(Child::try_wait) {
                panic!("gnome-keyring-daemon exited early ({status}); {INSTALL_HINT}");
            }
            assert!(
                Instant::now() < deadline,
                "the Secret Service did not appear on the private bus within 20s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Locks the default (login) collection, as a screen lock would. With no prompter on the
    /// bus, an unlock request is dismissed at once.
    pub fn lock(&self) {
        let out = StdCommand::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .unwrap();
        assert!(out.status.success(), "locking failed: {out:?}");
    }

    fn secret_tool(&self, args: &[&str]) -> std::process::Output {
        StdCommand::new("secret-tool")
            .args(args)
            .env_clear()
            .envs(self.env())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// The secret stored for Codex's service and this account, as `secret-tool` sees it.
    pub fn lookup(&self, account: &str) -> Option<String> {
        let out = self.secret_tool(&["lookup", "service", SERVICE, "username", account]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Every item of Codex's service with all its attributes (`secret-tool search --all`).
    pub fn search(&self) -> String {
        let out = self.secret_tool(&["search", "--all", "--unlock", "service", SERVICE]);
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    /// Number of items of Codex's service.
    pub fn count(&self) -> usize {
        self.search().matches("attribute.service = ").count()
    }

    /// Plants an item the way keyring-rs writes it (what Codex would have saved).
    pub fn store(&self, account: &str, value: &str) {
        let mut child = StdCommand::new("secret-tool")
            .args([
                "store",
                "--label",
                &format!("{account}@{SERVICE}:default (keyring v3.6.3)"),
                "service",
                SERVICE,
                "username",
                account,
                "target",
                "default",
                "application",
                "rust-keyring",
            ])
            .env_clear()
            .envs(self.env())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(value.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "secret-tool store failed");
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in self.keyring.iter_mut().chain([&mut self.bus]) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
