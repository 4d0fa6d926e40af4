//! `account list [--json]`: one line (or one JSON object) per saved account, from metadata and
//! the active login only: no network, and in file mode no keyring. A corrupt account is listed
//! with its path and the error; the others are listed as usual.

use serde::Serialize;

use crate::accounts::{self, Saved};
use crate::auth_json::AuthMode;
use crate::cli::AccountListArgs;
use crate::config::Config;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::restrictions;

/// One account in `account list --json` (schema 1; fields are only ever added).
#[derive(Debug, Serialize)]
struct AccountReport {
    name: String,
    active: bool,
    /// True while active: its directory holds no credentials (the active login is the copy).
    parked: bool,
    auth_mode: Option<String>,
    email: Option<String>,
    plan_type: Option<String>,
    workspace_id: Option<String>,
    workspace_name: Option<String>,
    codex_home: String,
    store: Option<&'static str>,
    access_token_expires_at: Option<String>,
    last_used: Option<String>,
    /// Why the restrictions forbid it (forced_login_method / forced_chatgpt_workspace_id).
    restricted: Option<String>,
    /// Why it cannot be read (the message names the path); null when it can.
    error: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: &AccountListArgs) -> Result<(), Error> {
    let reports: Vec<AccountReport> = accounts::saved(ctx)?
        .into_iter()
        .map(|saved| report(&ctx.config, saved))
        .collect();
    if args.json {
        ctx.out.json(&serde_json::json!({
            "schema_version": 1,
            "accounts": reports,
        }));
        return Ok(());
    }
    if reports.is_empty() {
        ctx.out.info(
            "No saved accounts. Save the active login with `codex-creds account save NAME`, or \
             add one with `codex-creds account add NAME`.",
        );
        return Ok(());
    }
    for line in reports.iter().map(render) {
        // Emails and workspace names come from tokens and files: nothing may drive the terminal.
        ctx.out
            .data(&crate::untrusted::printable(&line, usize::MAX));
    }
    Ok(())
}

fn report(config: &Config, saved: Saved) -> AccountReport {
    let codex_home = saved.codex_home.display().to_string();
    match saved.meta {
        Ok(meta) => AccountReport {
            restricted: restriction(config, &meta.auth_mode, meta.workspace_id.as_deref()),
            name: saved.name,
            active: saved.active,
            parked: saved.active,
            auth_mode: Some(meta.auth_mode),
            email: meta.email,
            plan_type: meta.plan_type,
            workspace_id: meta.workspace_id,
            workspace_name: meta.workspace_name,
            codex_home,
            store: Some(meta.store.as_str()),
            access_token_expires_at: meta.access_token_expires_at,
            last_used: meta.last_used,
            error: None,
        },
        Err(error) => AccountReport {
            name: saved.name,
            active: false,
            parked: false,
            auth_mode: None,
            email: None,
            plan_type: None,
            workspace_id: None,
            workspace_name: None,
            codex_home,
            store: None,
            access_token_expires_at: None,
            last_used: None,
            restricted: None,
            error: Some(error),
        },
    }
}

/// The restriction an account's login would violate, from its metadata (pure).
fn restriction(config: &Config, auth_mode: &str, workspace: Option<&str>) -> Option<String> {
    let mode = AuthMode::from_wire_name(auth_mode)?;
    restrictions::check_login(config, mode, workspace)
        .err()
        .map(|violation| violation.to_string())
}

fn render(report: &AccountReport) -> String {
    let marker = if report.active { "*" } else { " " };
    if let Some(error) = &report.error {
        return format!("{marker} {:<16} CORRUPT: {error}", report.name);
    }
    let mut parts: Vec<String> = Vec::new();
    parts.extend(report.auth_mode.clone());
    parts.extend(report.email.clone());
    parts.extend(report.plan_type.clone());
    let workspace = match (&report.workspace_id, &report.workspace_name) {
        (Some(id), Some(name)) => Some(format!("workspace {name} ({id})")),
        (Some(id), None) => Some(format!("workspace {id}")),
        (None, Some(name)) => Some(format!("workspace {name}")),
        (None, None) => None,
    };
    parts.extend(workspace);
    parts.extend(report.store.map(|s| format!("store {s}")));
    parts.extend(
        report
            .access_token_expires_at
            .as_ref()
            .map(|at| format!("token expires {at}")),
    );
    parts.extend(
        report
            .last_used
            .as_ref()
            .map(|at| format!("last used {at}")),
    );
    let mut line = format!("{marker} {:<16} {}", report.name, parts.join(", "));
    if report.active {
        line.push_str(" [active]");
    }
    if let Some(why) = &report.restricted {
        line.push_str(&format!(" [restricted: {why}]"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::LoginMethod;

    #[test]
    fn restriction_comes_from_the_metadata() {
        let config = Config {
            forced_login_method: Some(LoginMethod::Chatgpt),
            ..Config::default()
        };
        assert!(restriction(&config, "apikey", None).is_some());
        assert!(restriction(&config, "chatgpt", Some("ws")).is_none());
        let config = Config {
            forced_workspace_ids: vec!["ws-ok".into()],
            ..Config::default()
        };
        assert!(restriction(&config, "chatgpt", Some("ws-other")).is_some());
        assert!(restriction(&config, "chatgpt", Some("ws-ok")).is_none());
        assert!(restriction(&config, "apikey", None).is_none());
    }
}
