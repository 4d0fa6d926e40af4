//! `accountSession/list` and `accountSession/switch` in Codex 0.169/0.171's shapes
//! (`AccountSessionsResponse`). Codex lists only its one login; we list every saved account
//! too, and switching to one is `codex-creds account use` (`crate::accounts::switch`): the
//! replaced login is written back first, and a forbidden account changes nothing.
//!
//! Session ids: a saved account is `account:NAME` (stable whether or not it is active; `:` is
//! never in a NAME). An active login that is not saved gets Codex's own id (`login_owner_id`,
//! else the ChatGPT user id).

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::accounts::{self, Meta, Switched};
use crate::auth_json::{AuthDotJson, AuthMode};
use crate::error::Error;
use crate::restrictions::{self, Violation};

use super::Call;
use super::login::{EXTERNAL_ACTIVE, updated};
use super::wire::RpcError;

/// The prefix of a saved account's session id.
const SAVED: &str = "account:";

/// One session, as listed.
struct Session {
    id: String,
    /// The saved account's name; `None` for an active login that is not saved.
    name: Option<String>,
    workspace: Option<String>,
    active: bool,
    value: Value,
}

/// `accountSession/list {refreshWorkspaceMetadata?}`. Workspace names come from the saved
/// metadata (`workspace list` fills them in); `refreshWorkspaceMetadata` is not acted on.
pub fn list(call: &mut Call) -> Result<Value, RpcError> {
    Ok(answer(&sessions(call)?))
}

/// `accountSession/switch {sessionId, accountId}`: makes that session's account the active
/// login, then `account/updated` (as Codex after a login change). Switching to another
/// workspace of one login (Codex's `switch-workspace-token`) is not offered here.
pub fn switch(call: &mut Call, params: Value) -> Result<Value, RpcError> {
    let Some(session) = params["sessionId"].as_str() else {
        return Err(RpcError::invalid(
            "Invalid request: missing field `sessionId`",
        ));
    };
    let Some(workspace) = params["accountId"].as_str() else {
        return Err(RpcError::invalid(
            "Invalid request: missing field `accountId`",
        ));
    };
    let external = call
        .server
        .external
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_some();
    if external {
        // The external tokens would stay in force over any stored login (spec §13.3).
        return Err(RpcError::invalid(EXTERNAL_ACTIVE));
    }
    let listed = sessions(call)?;
    let Some(target) = listed.iter().find(|s| s.id == session) else {
        return Err(RpcError::invalid(format!(
            "Unknown account session: {}",
            crate::untrusted::printable(session, 200)
        )));
    };
    // A login without a workspace (an API key) has none to choose: any accountId is its own.
    if target
        .workspace
        .as_deref()
        .is_some_and(|own| own != workspace)
    {
        return Err(RpcError::invalid("The selected workspace is unavailable"));
    }
    let (true, Some(name)) = (!target.active, target.name.clone()) else {
        return Ok(answer(&listed));
    };
    if use_account(call, &name)? {
        let (mode, plan) = match accounts::active(&call.ctx).ok().flatten() {
            Some((auth, _)) => describe(&auth),
            None => (Value::Null, Value::Null),
        };
        call.then(move |call| updated(&call.server.peer, mode, plan));
    }
    Ok(answer(&sessions(call)?))
}

/// What `account use NAME` does, under the registry lock. `true` when the active login changed.
fn use_account(call: &mut Call, name: &str) -> Result<bool, RpcError> {
    let registry = accounts::registry(&call.ctx);
    let (_lock, entry) = registry.find_locked(name).map_err(rpc)?;
    accounts::reconcile(&call.ctx, &registry).map_err(rpc)?;
    let config = call.ctx.config.clone();
    // The restriction `switch` hits, kept to answer with the app-server's login texts.
    let forbidden: RefCell<Option<Violation>> = RefCell::new(None);
    let allowed = |auth: &AuthDotJson| {
        restrictions::check(&config, auth).map_err(|violation| {
            let text = violation.to_string();
            *forbidden.borrow_mut() = Some(violation);
            text
        })
    };
    let now = call.ctx.now();
    match accounts::switch(&mut call.ctx, &registry, &entry, &allowed, now) {
        Ok(Switched::Already) => Ok(false),
        Ok(Switched::Done { .. }) => Ok(true),
        Err(err) => Err(match forbidden.take() {
            Some(violation) => refused(&violation),
            None => rpc(err),
        }),
    }
}

/// A forbidden account: the texts `account/login/start` answers for a forbidden login.
fn refused(violation: &Violation) -> RpcError {
    RpcError::invalid(match violation {
        Violation::ChatGptRequired { .. } => {
            "API key login is disabled. Use ChatGPT login instead.".to_owned()
        }
        Violation::ApiKeyRequired { .. } => {
            "ChatGPT login is disabled. Use API key login instead.".to_owned()
        }
        Violation::Workspace { .. } => violation.to_string(),
    })
}

/// The accounts' errors: what the caller asked wrongly is -32600, a failure -32603.
fn rpc(err: Error) -> RpcError {
    match err {
        Error::UnknownAccount(_) | Error::AccountUsage(_) | Error::Restricted(_) => {
            RpcError::invalid(err.to_string())
        }
        other => RpcError::internal(other.to_string()),
    }
}

/// `account/updated`'s `authMode` and `planType` for a login, as after a Codex login.
fn describe(auth: &AuthDotJson) -> (Value, Value) {
    let plan = match auth.mode() {
        AuthMode::ChatGpt => auth
            .tokens
            .as_ref()
            .and_then(|t| t.id_token.claims.plan_type.clone())
            .map(|p| p.to_lowercase()),
        _ => None,
    };
    (json!(auth.mode().as_str()), json!(plan))
}

fn answer(sessions: &[Session]) -> Value {
    let active = sessions.iter().find(|s| s.active).map(|s| s.id.clone());
    let values: Vec<Value> = sessions.iter().map(|s| s.value.clone()).collect();
    json!({"activeSessionId": active, "sessions": values})
}

/// The active login first when it is not saved (as Codex lists it), then every saved account
/// by name. A corrupt account is left out, with a warning naming its path.
fn sessions(call: &Call) -> Result<Vec<Session>, RpcError> {
    let now = call.ctx.now();
    let saved = accounts::saved(&call.ctx).map_err(rpc)?;
    let mut out = Vec::new();
    if !saved.iter().any(|s| s.active)
        && let Some((auth, _)) = accounts::active(&call.ctx).ok().flatten()
        && let Some(session) = unsaved(&auth, now)
    {
        out.push(session);
    }
    for account in saved {
        match &account.meta {
            Ok(meta) => out.push(saved_session(&account.name, meta, account.active, now)),
            Err(err) => call.ctx.out.warn(&format!(
                "accountSession/list: account {} left out: {}",
                account.name,
                crate::untrusted::shown(err)
            )),
        }
    }
    Ok(out)
}

/// Codex's one session: a managed ChatGPT login, keyed by its user id (API keys: none).
fn unsaved(auth: &AuthDotJson, now: DateTime<Utc>) -> Option<Session> {
    if auth.mode() != AuthMode::ChatGpt {
        return None;
    }
    let tokens = auth.tokens.as_ref()?;
    let claims = &tokens.id_token.claims;
    // Codex's id: the login's `login_owner_id`, else its ChatGPT user id.
    let id = tokens
        .login_owner_id
        .clone()
        .or_else(|| claims.user_id.clone())?;
    let workspace = auth.workspace_id().map(str::to_owned);
    let value = session_value(
        &id,
        claims.email.clone(),
        claims.user_id.clone(),
        None,
        now.timestamp(),
        true,
        (workspace.clone(), None),
    );
    Some(Session {
        id,
        name: None,
        workspace,
        active: true,
        value,
    })
}

fn saved_session(name: &str, meta: &Meta, active: bool, now: DateTime<Utc>) -> Session {
    let id = format!("{SAVED}{name}");
    // The active login is in use now (Codex's lastUsedAt for it); others when last made active.
    let last_used = if active {
        now.timestamp()
    } else {
        [&meta.last_used, &Some(meta.saved_at.clone())]
            .into_iter()
            .flatten()
            .find_map(|at| DateTime::parse_from_rfc3339(at).ok())
            .map_or(0, |at| at.timestamp())
    };
    let value = session_value(
        &id,
        meta.email.clone(),
        user_of(meta),
        Some(name.to_owned()),
        last_used,
        active,
        (meta.workspace_id.clone(), meta.workspace_name.clone()),
    );
    Session {
        id,
        name: Some(name.to_owned()),
        workspace: meta.workspace_id.clone(),
        active,
        value,
    }
}

/// An `AccountSession`; `workspace` is the selected workspace's id and name.
fn session_value(
    id: &str,
    email: Option<String>,
    user: Option<String>,
    display: Option<String>,
    last_used: i64,
    active: bool,
    workspace: (Option<String>, Option<String>),
) -> Value {
    let (workspace_id, workspace_name) = workspace;
    let workspaces: Vec<Value> = workspace_id
        .iter()
        .map(|id| json!({"accountId": id, "name": workspace_name, "imageUrl": null, "kind": null}))
        .collect();
    json!({
        "sessionId": id,
        "email": email,
        "userId": user,
        "displayName": display,
        "imageUrl": null,
        "lastUsedAt": last_used,
        "isActive": active,
        "selectedWorkspaceAccountId": workspace_id,
        "workspaces": workspaces,
    })
}

/// The ChatGPT user id inside a saved identity (`chatgpt:{user}:{workspace}`).
fn user_of(meta: &Meta) -> Option<String> {
    let rest = meta.identity.strip_prefix("chatgpt:")?;
    let workspace = meta.workspace_id.as_deref().unwrap_or("");
    rest.strip_suffix(workspace)?
        .strip_suffix(':')
        .map(str::to_owned)
}
