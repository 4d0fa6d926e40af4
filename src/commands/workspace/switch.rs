//! `codex-creds workspace use ID`, as Codex 0.171 switches (backend.md §3): the workspace must
//! be allowed (`forced_chatgpt_workspace_id`, before anything is sent) and listed; the switch
//! token replaces the access token and `tokens.account_id` under Codex's locks (id_token,
//! refresh_token and last_refresh kept); `accounts/check` with the new token must then pass,
//! else the previous login is put back.

use crate::accounts::{self, identity};
use crate::auth_json::AuthDotJson;
use crate::backend::{BackendError, Login};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::refresh::backend_call;
use crate::secret::Secret;
use crate::untrusted;

pub fn run(ctx: &mut Ctx, id: &str) -> Result<(), Error> {
    let shown = untrusted::shown(id);
    let allowed = &ctx.config.forced_workspace_ids;
    if !allowed.is_empty() && !allowed.iter().any(|a| a == id) {
        return Err(Error::Restricted(format!(
            "Login is restricted to workspace(s) {}, so workspace {shown} cannot be used \
             (forced_chatgpt_workspace_id). Nothing was sent or changed.",
            allowed.join(", ")
        )));
    }
    let backend = backend_call::backend_of(ctx)?;
    // A saved account holding this login follows it (issue 11); the registry lock (taken
    // only when accounts exist) keeps account commands out until its metadata says so.
    let registry = accounts::registry(ctx);
    let _registry_lock = match registry.root().exists() {
        true => Some(registry.lock()?),
        false => None,
    };
    let before_id = ctx.load()?.and_then(|loaded| {
        let before = identity::of(&loaded.auth).ok()?;
        let mut after = loaded.auth;
        after.tokens.as_mut()?.account_id = Some(id.to_owned());
        Some((before, identity::of(&after).ok()?))
    });
    if let Some((before, after)) = &before_id
        && registry.root().exists()
    {
        accounts::check_follow(ctx, before, after)?;
    }
    let before_id = before_id
        .filter(|_| registry.root().exists())
        .map(|(before, _)| before);
    // 1. The workspace must be one this login may use.
    let listed = backend_call::with_login(ctx, &backend, |http, backend, login| {
        backend.workspaces(http, login)
    })?;
    let name = match listed.find(id) {
        Some(workspace) => workspace.name.as_deref().map(untrusted::shown),
        None => {
            return Err(Error::BackendRefused(format!(
                "The selected workspace is unavailable: {shown} is not among this login's \
                 workspaces (see `codex-creds workspace list`). Nothing was changed."
            )));
        }
    };
    // 2. The token for it.
    let (switched, used) = backend_call::with_login(ctx, &backend, |http, backend, login| {
        let switched = backend.switch_workspace(http, login, id)?;
        Ok((switched, login.access_token.clone()))
    })?;
    // 3. Saved in place of the access token and account id.
    let before = save_switch(ctx, &used, &switched.access_token, id)?;
    // 4. Checked with the new token; on failure the previous login is put back.
    let login = Login {
        access_token: &switched.access_token,
        account_id: Some(id),
    };
    let check = backend.workspaces(ctx.http()?, login);
    if let Err(err) = check {
        return Err(switch_back(ctx, before, &switched.access_token, err));
    }
    let label = name
        .as_deref()
        .map_or_else(|| shown.clone(), |name| format!("{shown} ({name})"));
    ctx.out.info(&format!("Switched to workspace {label}."));
    if let Some(before) = &before_id {
        let raw_name = listed.find(id).and_then(|w| w.name.as_deref());
        follow(ctx, before, raw_name);
    }
    Ok(())
}

/// Writes the switch token and `account_id = id` under Codex's locks, provided the stored login
/// is still the one the switch was asked with; returns the login as it was.
fn save_switch(
    ctx: &mut Ctx,
    used: &Secret,
    token: &Secret,
    id: &str,
) -> Result<AuthDotJson, Error> {
    let lock = ctx.lock()?;
    ctx.invalidate();
    let before = match ctx.store().load()? {
        Some(loaded) if loaded.auth.chatgpt_tokens().map(|t| &t.access_token) == Some(used) => {
            loaded.auth
        }
        _ => {
            return Err(Error::BackendRefused(
                "The stored login changed while switching workspace (another login or refresh), \
                 so the switch was not saved; run `codex-creds workspace use` again."
                    .to_owned(),
            ));
        }
    };
    let mut after = before.clone();
    if let Some(tokens) = after.tokens.as_mut() {
        tokens.access_token = token.clone();
        tokens.account_id = Some(id.to_owned());
    }
    ctx.store().save(&after, &lock)?;
    drop(lock);
    ctx.invalidate();
    Ok(before)
}

/// Puts `before` back when the stored login is still the switched one, and says why the switch
/// failed ("Workspace validation failed", as Codex says it).
fn switch_back(ctx: &mut Ctx, before: AuthDotJson, token: &Secret, err: BackendError) -> Error {
    let previous = before
        .chatgpt_tokens()
        .and_then(|t| t.account_id.clone())
        .map_or_else(
            || "the previous workspace".to_owned(),
            |id| untrusted::shown(&id),
        );
    let restored = (|| -> Result<bool, Error> {
        let lock = ctx.lock()?;
        ctx.invalidate();
        let still_ours = match ctx.store().load()? {
            Some(loaded) => loaded.auth.chatgpt_tokens().map(|t| &t.access_token) == Some(token),
            None => false,
        };
        if still_ours {
            ctx.store().save(&before, &lock)?;
        }
        ctx.invalidate();
        Ok(still_ours)
    })();
    let outcome = match restored {
        Ok(true) => format!("switched back to {previous}"),
        Ok(false) => "the stored login changed meanwhile, so it was left as it is".to_owned(),
        Err(restore) => format!("switching back to {previous} failed too: {restore}"),
    };
    let tokens = before.chatgpt_tokens().cloned();
    let failure = match tokens {
        Some(tokens) => backend_call::failure(err, &tokens),
        None => Error::BackendRefused(err.to_string()),
    };
    let message = format!("Workspace validation failed: {failure}; {outcome}.");
    match failure {
        Error::BackendUnavailable(_) => Error::BackendUnavailable(message),
        _ => Error::BackendRefused(message),
    }
}

/// The saved account that held the login before the switch now names the new workspace (only
/// its metadata: it is parked, the active login is its live copy). The switch itself stands
/// either way; a failure here is a warning.
fn follow(ctx: &Ctx, before: &str, name: Option<&str>) {
    ctx.invalidate();
    let after = match ctx.load() {
        Ok(Some(loaded)) => loaded.auth,
        _ => return,
    };
    match accounts::follow(ctx, before, &after, name) {
        Ok(Some(account)) => ctx.out.info(&format!(
            "Saved account {account} now uses this workspace (only its metadata changed: it is \
             the active login)."
        )),
        Ok(None) => {}
        Err(err) => ctx.out.warn(&format!(
            "the saved account of this login could not be updated: {err}. Run `codex-creds \
             account list` to check it."
        )),
    }
}
