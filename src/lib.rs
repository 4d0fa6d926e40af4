//! codex-creds: manage the credentials of the Codex CLI, interoperable with `codex` itself.
//!
//! The table of contents, top down (imports point down only):
//! - `cli` (clap flags, no logic) → `app` (builds the `Ctx` once, dispatches, enforces the
//!   login restrictions, maps errors to exit codes) → `commands/*` (one file per subcommand);
//! - shared by commands: `refresh` (single-flight token refresh and commit), `restrictions`;
//! - adapters, one kind of IO each: `env`, `paths`, `config`, `lock`, `storage` (file,
//!   keyring, auto, ephemeral), `oauth` (authorize URL, browser callback, device code, token,
//!   refresh grant, revoke, whoami), `http`, `input`, `output`, `logging`;
//! - the pure model: `auth_json`, `jwt`, `secret`, `error`.

// Unit tests may unwrap and print; production code may not (see [lints] in Cargo.toml).
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod cli;
pub mod error;

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
