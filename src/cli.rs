//! The command-line surface: clap definitions only, no IO and no logic.
//!
//! Completions, man pages and `--help` are all generated from [`command`], so this file is the
//! single source of truth for flags.

use std::time::Duration;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::duration;
use crate::error::exit_code_help;

mod account;
pub use account::*;

/// Manage the credentials of the Codex CLI: log in, inspect, refresh and print tokens.
///
/// Reads and writes the same auth.json (in CODEX_HOME, default ~/.codex) and OS-keyring entries
/// as `codex`, and honours the same config.toml keys.
#[derive(Debug, Parser)]
#[command(name = "codex-creds", version, about, long_about, after_long_help = exit_code_help())]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted by every subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Codex home directory [default: $CODEX_HOME, else ~/.codex]
    #[arg(long, global = true, value_name = "DIR")]
    pub codex_home: Option<std::path::PathBuf>,

    /// Override a config.toml key for this run (TOML value, e.g. -c forced_login_method='"api"')
    #[arg(short = 'c', long = "config", global = true, value_name = "KEY=VALUE")]
    pub config_overrides: Vec<String>,

    /// Credential store for this run, overriding `cli_auth_credentials_store`
    #[arg(long, global = true, value_enum, value_name = "STORE")]
    pub store: Option<StoreArg>,

    /// OAuth issuer base URL [env: CODEX_CREDS_ISSUER] [default: https://auth.openai.com]
    #[arg(long, global = true, value_name = "URL")]
    pub issuer: Option<String>,
}

/// Where credentials are kept (`cli_auth_credentials_store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// auth.json in CODEX_HOME
    File,
    /// The OS keyring (Secret Service, Keychain, Credential Manager)
    Keyring,
    /// The keyring when it works, else auth.json
    Auto,
}

/// The subcommands. `completion` needs nothing from CODEX_HOME; every other one runs in a
/// resolved context (`Ctx`).
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(flatten)]
    WithCtx(CtxCommand),
    /// Print a shell completion script
    Completion(CompletionArgs),
}

/// The subcommands that read CODEX_HOME, config.toml and the stores.
#[derive(Debug, Subcommand)]
pub enum CtxCommand {
    /// Log in: ChatGPT in the browser or with a device code (over SSH), API key or access token
    Login(LoginArgs),
    /// Remove stored credentials (and revoke the ChatGPT refresh token)
    Logout(LogoutArgs),
    /// Show who is logged in, how and where the credentials are stored (no network)
    Status(StatusArgs),
    /// Refresh the ChatGPT access token now, or only when it expires soon
    Refresh(RefreshArgs),
    /// Print the bearer token (API key or access token) for scripts, refreshing it when needed
    Token(TokenArgs),
    /// Move the stored credentials to another store (file, keyring)
    Migrate(MigrateArgs),
    /// Serve Codex's account JSON-RPC API (`codex app-server`'s login methods) over stdio
    AppServer(AppServerArgs),
    /// Show the ChatGPT plan's usage limits (5-hour, weekly, credits) for the active login
    Usage(UsageArgs),
    /// List the workspaces of the active ChatGPT login, or switch to one
    Workspace(WorkspaceArgs),
    /// Several logins side by side: save, add, list, switch (use), rename, remove, import, export
    Account(AccountArgs),
}

/// `app-server`: newline-delimited JSON on stdin and stdout; diagnostics on stderr.
#[derive(Debug, Args)]
pub struct AppServerArgs {
    /// Port for the ChatGPT login's callback [default: 1455, else 1457]
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
}

#[derive(Args)]
#[command(group = clap::ArgGroup::new("method").multiple(false))]
pub struct LoginArgs {
    /// Read an API key from stdin (a hidden prompt when stdin is a terminal)
    #[arg(long, group = "method")]
    pub with_api_key: bool,

    /// Log in with an API key; without KEY it is read from stdin (KEY on the command line is
    /// visible to other processes)
    #[arg(long, group = "method", value_name = "KEY", num_args = 0..=1, default_missing_value = "")]
    pub api_key: Option<String>,

    /// Read a personal access token (at-…) from stdin
    #[arg(long, group = "method")]
    pub with_access_token: bool,

    /// Sign in with a one-time device code instead of a local browser callback (the default
    /// over SSH, or on Linux without a display)
    #[arg(long, group = "method")]
    pub device_auth: bool,

    /// Use the browser login even over SSH or without a display (so do --port, --no-browser
    /// and a BROWSER environment variable)
    #[arg(long, group = "method")]
    pub browser: bool,

    /// Print the sign-in URL instead of opening a browser (keeps the browser login)
    #[arg(long)]
    pub no_browser: bool,

    /// Port for the local callback server [default: 1455, falling back to 1457] (keeps the
    /// browser login)
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,

    /// Give up on the browser or device login after this long (e.g. 90s, 10m)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = duration::parse)]
    pub timeout: Duration,
}

// Debug is hand-written: `--api-key KEY` is a secret.
impl std::fmt::Debug for LoginArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginArgs")
            .field("with_api_key", &self.with_api_key)
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("with_access_token", &self.with_access_token)
            .field("device_auth", &self.device_auth)
            .field("browser", &self.browser)
            .field("no_browser", &self.no_browser)
            .field("port", &self.port)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Do not revoke the refresh token at the issuer; only remove local credentials
    #[arg(long)]
    pub no_revoke: bool,

    /// Print the result as JSON on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print the status as JSON on stdout (stable schema, see README)
    #[arg(long)]
    pub json: bool,

    /// Include the full API key or access token in the output
    #[arg(long)]
    pub show_token: bool,

    /// Show a saved account instead of the active login (without making it active)
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
}

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Refresh only when the access token expires within this long (e.g. 15m); default: always
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    pub min_validity: Option<Duration>,

    /// Print the result as JSON on stdout
    #[arg(long)]
    pub json: bool,

    /// Refresh a saved account instead of the active login (without making it active)
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Print a JSON object with the token, its mode and its expiry instead of the bare token
    #[arg(long)]
    pub json: bool,

    /// Refresh first when the access token expires within this long
    #[arg(long, value_name = "DURATION", default_value = "1m", value_parser = duration::parse)]
    pub min_validity: Duration,

    /// Print the token of a saved account instead of the active login's (without making it
    /// active)
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The store to move the credentials to
    #[arg(long, value_enum, value_name = "STORE")]
    pub to: MigrateTarget,
}

/// Stores that can hold credentials across runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateTarget {
    File,
    Keyring,
}

#[derive(Debug, Args)]
pub struct UsageArgs {
    /// Print the usage as JSON on stdout (stable schema, see README)
    #[arg(long)]
    pub json: bool,

    /// Show a saved account's usage instead of the active login's (without making it active)
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub account: Option<String>,

    /// Show the usage of every saved account, read in parallel (JSON: keyed by account name)
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct WorkspaceArgs {
    #[command(subcommand)]
    pub command: WorkspaceCommand,
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// List the workspaces of the active login: id, name, personal or workspace, selected (*)
    List(WorkspaceListArgs),
    /// Switch the active login to workspace ID, as Codex does (the refresh token is kept)
    Use(WorkspaceUseArgs),
}

#[derive(Debug, Args)]
pub struct WorkspaceListArgs {
    /// Print the workspaces as JSON on stdout (stable schema, see README)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WorkspaceUseArgs {
    /// The workspace id (from `codex-creds workspace list`)
    #[arg(value_name = "ID")]
    pub id: String,
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The clap command tree, for completions, man pages and tests.
pub fn command() -> clap::Command {
    Cli::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("codex-creds").chain(args.iter().copied()))
    }

    #[test]
    fn definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn api_key_flag_takes_an_optional_value() {
        let Command::WithCtx(CtxCommand::Login(args)) =
            parse(&["login", "--api-key"]).unwrap().command
        else {
            panic!("not login")
        };
        assert_eq!(args.api_key.as_deref(), Some(""));
        let Command::WithCtx(CtxCommand::Login(args)) =
            parse(&["login", "--api-key", "sk-x"]).unwrap().command
        else {
            panic!("not login")
        };
        assert_eq!(args.api_key.as_deref(), Some("sk-x"));
    }

    #[test]
    fn login_methods_conflict() {
        assert!(parse(&["login", "--with-api-key", "--with-access-token"]).is_err());
        assert!(parse(&["login", "--device-auth", "--with-api-key"]).is_err());
        assert!(parse(&["login", "--browser", "--device-auth"]).is_err());
        assert!(parse(&["login", "--browser", "--with-api-key"]).is_err());
        assert!(parse(&["login", "--browser", "--no-browser", "--port", "1455"]).is_ok());
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = parse(&[
            "status",
            "--codex-home",
            "/x",
            "-c",
            "a=1",
            "--store",
            "file",
        ])
        .unwrap();
        assert_eq!(
            cli.global.codex_home.as_deref(),
            Some(std::path::Path::new("/x"))
        );
        assert_eq!(cli.global.config_overrides, vec!["a=1"]);
        assert_eq!(cli.global.store, Some(StoreArg::File));
    }
}
