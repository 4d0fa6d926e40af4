//! codex-creds: manage the credentials of the Codex CLI, interoperable with `codex` itself.
//!
//! The table of contents, as layers, top down. A module imports only from layers below its own
//! (`tests/cli/architecture.rs` reads this list and fails on an import that points up or
//! sideways):
//!
//! 1. `app`: builds the `Ctx` once, dispatches, enforces the restrictions, reports errors.
//! 2. `commands`: one file per subcommand.
//! 3. `refresh`, `restrictions`, `accounts`: the use cases commands share (single-flight
//!    refresh and commit; enforcing the login restrictions; saved accounts and switching).
//! 4. `ctx`, `cli`: the resolved context commands run in; the clap flags (data only).
//! 5. `error`: the one user-facing error and the exit-code table.
//! 6. `storage`, `oauth`, `logging`, `input`, `output`, `signals`: adapters, one kind of IO
//!    each (file/keyring/auto/ephemeral stores; the issuer's endpoints and the browser
//!    callback; logs; stdin; stdout/stderr; deferring termination signals).
//! 7. `http`, `lock`, `paths`, `config`: the network handle, Codex's lock files, where things
//!    live, config.toml.
//! 8. `env`: the only reader of the process environment.
//! 9. `auth_json`: Codex's auth.json, wire and domain types.
//! 10. `jwt`, `secret`, `duration`, `untrusted`: pure values (claims, masked secrets,
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
mod auth_json;
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
mod refresh;
mod restrictions;
mod secret;
mod signals;
mod storage;
mod untrusted;

#[cfg(test)]
mod debug_redaction_tests;
#[cfg(test)]
mod proptests;

pub use app::run;
