//! The `account` subcommands' flags (clap derive, data only), split from `cli.rs` along its
//! subcommands.

use clap::{Args, Subcommand, ValueEnum};

use super::LoginArgs;

#[derive(Debug, Args)]
pub struct AccountArgs {
    #[command(subcommand)]
    pub command: AccountCommand,
}

/// The `account` subcommands. Each saved account is a CODEX_HOME of its own under
/// CODEX_HOME/codex-creds/accounts/NAME; a NAME is 1-64 characters of A-Z a-z 0-9 . _ -, not
/// starting with a dot.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Save the active login as the account NAME (again: update it)
    Save(AccountNameArgs),
    /// Log in a new account and save it as NAME, without touching or revoking the active login
    Add(AccountAddArgs),
    /// List the saved accounts (no network)
    List(AccountListArgs),
    /// Make the account NAME (or, with --best, the one with the most usage left) the active login
    Use(AccountUseArgs),
    /// Rename a saved account
    Rename(AccountRenameArgs),
    /// Revoke a saved account's login at its issuer and forget it
    Remove(AccountRemoveArgs),
    /// Save an auth.json (from a file or stdin) as an account, or import another switcher's
    Import(AccountImportArgs),
    /// Print a saved account's auth.json on stdout
    Export(AccountExportArgs),
}

#[derive(Debug, Args)]
pub struct AccountNameArgs {
    /// The account's name
    pub name: String,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("which").required(true).multiple(false))]
pub struct AccountUseArgs {
    /// The account's name
    #[arg(group = "which")]
    pub name: Option<String>,

    /// Switch to the saved account with the most headroom (the smallest `100 - used %` over
    /// its windows); ties keep the active account; accounts whose usage cannot be read are
    /// skipped
    #[arg(long, group = "which")]
    pub best: bool,

    /// With --best: only say which account it would pick
    #[arg(long, requires = "best")]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct AccountAddArgs {
    /// The new account's name
    pub name: String,

    /// Also make it the active login
    #[arg(long = "use")]
    pub make_active: bool,

    #[command(flatten)]
    pub login: LoginArgs,
}

#[derive(Debug, Args)]
pub struct AccountListArgs {
    /// Print the list as JSON on stdout (stable schema, see README)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AccountRenameArgs {
    /// The account's current name
    pub old: String,
    /// Its new name
    pub new: String,
}

#[derive(Debug, Args)]
pub struct AccountRemoveArgs {
    /// The account's name
    pub name: String,

    /// Do not revoke the refresh token at the issuer; only forget the account
    #[arg(long)]
    pub no_revoke: bool,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").required(true).multiple(false))]
pub struct AccountImportArgs {
    /// An auth.json to import, or - for stdin
    #[arg(value_name = "FILE", group = "source", requires = "name")]
    pub file: Option<std::path::PathBuf>,

    /// The name to save it as
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Import the accounts of another switcher (read-only: its files are left as they are)
    #[arg(
        long,
        value_enum,
        value_name = "TOOL",
        group = "source",
        conflicts_with = "name"
    )]
    pub from: Option<ImportSource>,
}

/// Other switchers whose accounts `account import --from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportSource {
    /// Loongphy/codex-auth: CODEX_HOME/accounts/registry.json and *.auth.json
    CodexAuth,
}

#[derive(Debug, Args)]
pub struct AccountExportArgs {
    /// The account's name
    pub name: String,

    /// Leave out the refresh token: the copy can use the access token but can never rotate,
    /// and so never revoke, the login
    #[arg(long)]
    pub access_only: bool,
}
