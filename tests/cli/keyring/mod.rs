//! The keyring, auto stores, `--store`, logout across stores and `migrate`, against a real
//! Secret Service (a private dbus-daemon + gnome-keyring per test) and the real Codex 0.169.0.
//! The helpers shared by the submodules live here.

mod availability;
mod interop;
mod lifecycle;
mod store;

use crate::support::jwt::ChatGptAuth;
use crate::support::keyring::{SecretService, account_for};
use crate::support::{Outcome, TestHome, codex, exit_code, run};

const KEY: &str = "sk-proj-keyring-1234567890ABCDE";
const KEY_MASK: &str = "sk-proj-***ABCDE";

fn login_key(home: &TestHome, ss: Option<&SecretService>, store: &str, key: &str) -> Outcome {
    let mut cmd = home.cmd();
    if let Some(ss) = ss {
        ss.apply(&mut cmd);
    }
    run(cmd
        .args(["--store", store, "login", "--with-api-key"])
        .write_stdin(format!("{key}\n")))
}

fn creds(home: &TestHome, ss: &SecretService, args: &[&str]) -> Outcome {
    let mut cmd = home.cmd();
    ss.apply(&mut cmd);
    run(cmd.args(args))
}

fn codex_keyring(home: &TestHome, ss: &SecretService, args: &[&str]) -> Outcome {
    let mut cmd = codex::cmd(home.path());
    ss.apply(&mut cmd);
    run(cmd
        .args(args)
        .args(["-c", "cli_auth_credentials_store=\"keyring\""]))
}
