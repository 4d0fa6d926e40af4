//! The single integration-test binary: every test runs the real `codex-creds` binary.
//!
//! Modules, one per area:
//! - `support`: temp homes, command builders, the JWT forger/decoder and auth.json fixtures,
//!   real components (OpenID provider, Secret Service, Codex).
//! - `app_server`: `app-server` (Codex's account JSON-RPC API) against a stand-in backend.
//! - `app_server_interop`: the same conversations against the real `codex app-server` and ours.
//! - `app_server_sessions`: `accountSession/list|switch` over saved accounts (real Codex in
//!   `interop`).
//! - `app_server_oidc`: `app-server` logins and refresh against the real OpenID provider.
//! - `provider_interop`: `codex exec` with `codex-creds token` as a provider's auth command.
//! - `architecture`: IO stays at the edges (lints as a test).
//! - `corpus`: the table-driven bad-input corpus in tests/corpus.
//! - `crash`: SIGKILLed writers and writers racing the real Codex never tear auth.json.
//! - `smoke`: the basic happy path of each subcommand.
//! - `keyring`: keyring/auto stores, `--store`, logout across stores, `migrate` (real Secret
//!   Service per test, real Codex).
//! - `refresh`: `refresh` and `token` refreshing against a fake issuer; single flight; commit.
//! - `refresh_failures`: permanent and transient refresh failures; credentials stay intact.
//! - `refresh_rotation`: rotated tokens are committed or recovered, never dropped (signals,
//!   refused saves); a transient failure keeps a still-valid token.
//! - `refresh_oidc`: refresh, single flight and revocation against the real OpenID provider.
//! - `logout_revoke`: logout revokes at the issuer, best effort.
//! - `login`, `logout`, `status`, `token`: each subcommand's success and failure paths.
//! - `auth_file`: auth.json on disk (permissions, locks, symlinks, refused replacements).
//! - `restrictions`: forced_login_method / forced_chatgpt_workspace_id enforcement (exit 4).
//! - `malformed`: every kind of bad input, refused with a clear error and no file changed.
//! - `secrets`: no command prints a key unless asked to.
//! - `interop`: the real Codex CLI reads what codex-creds writes, and the reverse.
//! - `generated`: the checked-in completions and man pages are up to date.
//! - `oauth_login`: the browser login against the real OpenID provider.
//! - `callback`: the browser login's callback server as a browser sees it (host check,
//!   redirect to `/success`, `no-store`).
//! - `oidc_harness`: the OpenID provider harness speaks Codex's protocol.
//! - `oauth_device`: the device-code login; hostile token endpoints (wiremock).
//! - `login_flow`: which ChatGPT login runs (device code over SSH or without a display).
//! - `login_network`: personal-access-token whoami; proxies from the environment.
//! - `accounts`: saved accounts (`account …`, `--account`): switching, write-back, parking,
//!   bad input, kills and races; with the real OpenID provider, Secret Service and Codex.
//! - `usage`: `usage` against the stand-in ChatGPT backend (faults; 401 recovery in `oidc`).
//! - `workspace`: `workspace list|use` against the stand-in backend (the real Codex in
//!   `interop`).
//!
//! Unix only: the suite drives Unix facilities throughout (modes, signals, file descriptors,
//! D-Bus, the real Codex). Windows is proven by tests/windows/smoke.sh under Wine.

#![cfg(unix)]
#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod support;

mod accounts;
mod app_server;
mod app_server_interop;
mod app_server_oidc;
mod app_server_sessions;
mod architecture;
mod auth_file;
mod callback;
mod corpus;
mod crash;
mod generated;
mod interop;
mod keyring;
mod login;
mod login_flow;
mod login_network;
mod logout;
mod logout_revoke;
mod malformed;
mod oauth_device;
mod oauth_login;
mod oidc_harness;
mod provider_interop;
mod refresh;
mod refresh_failures;
mod refresh_oidc;
mod refresh_rotation;
mod restrictions;
mod secrets;
mod smoke;
mod status;
mod token;
mod usage;
mod workspace;
