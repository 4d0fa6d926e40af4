//! codex-creds: manage the credentials of the Codex CLI, interoperable with `codex` itself.
//!
//! The table of contents, as layers, top down. A module imports only from layers below its own
//! (`tests/cli/architecture.rs` reads this list and fails on an import that points up or
//! sideways):
//!
//! 1. `app`: builds the `Ctx` once, dispatches, enforces the restrictions, reports errors.
//! 2. `commands`: one file per subcommand.
//! 3. `app_server`: Codex's account JSON-RPC API over stdio (`codex-creds app-server`).
//! 4. `signin`: saving a new login, as the `login` command and the app-server both do.
//! 5. `refresh`, `restrictions`, `accounts`: the use cases commands share (single-flight
//!    refresh and commit, and calling the ChatGPT backend with the stored login; enforcing the
//!    login restrictions; saved accounts and switching).
//! 6. `ctx`, `cli`: the resolved context commands run in; the clap flags (data only).
//! 7. `error`: the one user-facing error and the exit-code table.
//! 8. `storage`, `oauth`, `logging`, `input`, `output`, `signals`, `backend`: adapters, one
//!    kind of IO each (file/keyring/auto/ephemeral stores; the issuer's endpoints and the
//!    browser callback; logs; stdin; stdout/stderr; deferring termination signals; the ChatGPT
//!    backend's usage and workspaces).
//! 9. `http`, `lock`, `paths`, `config`: the network handle, Codex's lock files, where things
//!    live, config.toml.
//! 10. `env`: the only reader of the process environment.
//! 11. `auth_json`, `redact`: Codex's auth.json, wire and domain types; redaction of secrets
//!     and token-shaped words in what servers say.
//! 12. `jwt`, `secret`, `duration`, `untrusted`: pure values (claims, masked secrets,
//!     durations, the sanitizer for outside text).

// Unit tests may unwrap and print; production code may not (see [lints] in Cargo.toml).
#![cfg_attr(
    test,
    allow(
        clippy::disallowed_methods,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod cli;
pub mod error;

mod accounts;
mod app;
mod app_server;
mod auth_json;
mod backend;
mod commands;
mod config;
mod ctx;
mod duration;
mod env;
mod http;
mod input;
mod jwt;
mod lock;
mod logging;
mod oauth;
mod output;
mod paths;
mod redact;
mod refresh;
mod restrictions;
mod secret;
mod signals;
mod signin;
mod storage;
mod untrusted;

#[cfg(test)]
mod debug_redaction_tests;
#[cfg(test)]
mod proptests;

pub use app::run;
