//! `codex-creds workspace list|use`: the workspaces of the active ChatGPT login, from
//! `accounts/check` (backend.md §3), and switching to one of them (`workspace/switch.rs`).

mod switch;

use serde_json::{Value, json};

use crate::backend::Workspaces;
use crate::backend::workspaces::Workspace;
use crate::cli::{WorkspaceArgs, WorkspaceCommand, WorkspaceListArgs};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::refresh::backend_call;
use crate::untrusted;

/// The version of the `workspace list --json` document.
pub const SCHEMA_VERSION: u32 = 1;

pub fn run(ctx: &mut Ctx, args: &WorkspaceArgs) -> Result<(), Error> {
    match &args.command {
        WorkspaceCommand::List(args) => list(ctx, args),
        WorkspaceCommand::Use(args) => switch::run(ctx, &args.id),
    }
}

/// The workspaces of the login `ctx` holds, and which one it uses (`tokens.account_id`).
pub fn workspaces(ctx: &mut Ctx) -> Result<(Workspaces, Option<String>), Error> {
    let backend = backend_call::backend_of(ctx)?;
    let listed = backend_call::with_login(ctx, &backend, |http, backend, login| {
        backend.workspaces(http, login)
    })?;
    let selected = ctx
        .load()?
        .and_then(|loaded| loaded.auth.chatgpt_tokens()?.account_id.clone());
    Ok((listed, selected))
}

fn list(ctx: &mut Ctx, args: &WorkspaceListArgs) -> Result<(), Error> {
    let (listed, selected) = workspaces(ctx)?;
    // A saved account of this login learns its workspace's name (shown by `account list`).
    if let Some(id) = &selected
        && let Some(name) = listed.find(id).and_then(|w| w.name.as_deref())
        && let Ok(Some(loaded)) = ctx.load()
    {
        crate::accounts::name_workspace(ctx, &loaded.auth, id, name);
    }
    if args.json {
        ctx.out.json(&list_json(&listed, selected.as_deref()));
    } else {
        for line in list_text(&listed, selected.as_deref()) {
            ctx.out.data(&line);
        }
    }
    Ok(())
}

fn kind(workspace: &Workspace) -> &'static str {
    if workspace.is_personal() {
        "personal"
    } else {
        "workspace"
    }
}

/// One line per workspace, the selected one marked `*`: id, name, personal or workspace.
pub fn list_text(listed: &Workspaces, selected: Option<&str>) -> Vec<String> {
    if listed.accounts.is_empty() {
        return vec!["No workspaces listed for this login.".to_owned()];
    }
    let ids: Vec<String> = listed
        .accounts
        .iter()
        .map(|w| untrusted::shown(&w.id))
        .collect();
    let names: Vec<String> = listed
        .accounts
        .iter()
        .map(|w| {
            w.name
                .as_deref()
                .map_or_else(|| "-".to_owned(), untrusted::shown)
        })
        .collect();
    let id_width = ids.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let name_width = names.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    listed
        .accounts
        .iter()
        .zip(ids.iter().zip(&names))
        .map(|(w, (id, name))| {
            let mark = if selected == Some(w.id.as_str()) {
                '*'
            } else {
                ' '
            };
            format!("{mark} {id:<id_width$}  {name:<name_width$}  {}", kind(w))
                .trim_end()
                .to_owned()
        })
        .collect()
}

/// The `workspace list --json` document (README, "Usage and workspaces").
pub fn list_json(listed: &Workspaces, selected: Option<&str>) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "selected": selected,
        "default": listed.default_account_id,
        "workspaces": listed.accounts.iter().map(|w| json!({
            "id": w.id,
            "name": w.name,
            "kind": kind(w),
            "structure": w.structure,
            "selected": selected == Some(w.id.as_str()),
        })).collect::<Vec<_>>(),
        "raw": listed.raw,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Workspace ids and names come from the backend: nothing in them may drive the terminal
    /// (issue #8, item 2).
    #[test]
    fn listed_workspaces_carry_no_control_characters() {
        let reply = serde_json::json!({"accounts": [
            {"id": "ws-1\u{1b}[2J", "name": "Team\u{1b}]0;pwned\u{7}\u{202e}", "structure": "workspace"},
            {"id": "ws-2", "name": null, "structure": "personal"}
        ]});
        let listed = crate::backend::workspaces::parse(reply).unwrap();
        let lines = list_text(&listed, Some("ws-2"));
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].starts_with("* ws-2"), "{lines:?}");
        for line in &lines {
            assert!(
                !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{line:?}"
            );
        }
    }
}
