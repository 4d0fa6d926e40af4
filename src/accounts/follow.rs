//! A saved account follows its login across a workspace switch (issue 11): `workspace use`
//! keeps the refresh token, so the account holding that login (the active one, parked) now
//! names the new workspace. Only its metadata changes: the live copy is the active login, and
//! nothing here writes credentials anywhere.

use super::{Meta, identity};
use crate::auth_json::AuthDotJson;
use crate::ctx::Ctx;
use crate::error::Error;

/// The saved account whose identity is `before` and which another account's identity would
/// collide with after the switch to `after`: `Err` names the other account (nothing is sent
/// or changed then). `Ok(None)` when the login is not a saved account.
pub fn check_follow(ctx: &Ctx, before: &str, after: &str) -> Result<Option<String>, Error> {
    let registry = super::registry(ctx);
    let Some(entry) = registry.by_identity(before)? else {
        return Ok(None);
    };
    if before != after
        && let Some(other) = registry.by_identity(after)?
    {
        return Err(Error::AccountUsage(format!(
            "the active login is saved as account {}, and this workspace of the same user is \
             already saved as account {}: switch with `codex-creds account use {}` instead. \
             Nothing was sent or changed.",
            entry.name, other.name, other.name
        )));
    }
    Ok(Some(entry.name))
}

/// Rewrites the metadata of the account whose identity was `before` to describe `after` (the
/// active login, now in another workspace), with the workspace's `name` when known. Call under
/// the registry lock. Returns the account's name, if the login is saved.
pub fn follow(
    ctx: &Ctx,
    before: &str,
    after: &AuthDotJson,
    name: Option<&str>,
) -> Result<Option<String>, Error> {
    let registry = super::registry(ctx);
    let Some(entry) = registry.by_identity(before)? else {
        return Ok(None);
    };
    let meta = entry.meta()?.clone();
    let after_id = identity::of(after).map_err(Error::AccountUsage)?;
    let mut updated = Meta::describe(after, after_id, meta.store, true, ctx.now(), Some(&meta));
    // The old workspace's name does not describe the new one.
    updated.workspace_name = name.map(str::to_owned);
    updated.write(&entry.dir)?;
    Ok(Some(entry.name))
}

/// Records the name of the active account's workspace, learnt from the backend (`workspace
/// list`). Best effort: the name is only shown.
pub fn name_workspace(ctx: &Ctx, auth: &AuthDotJson, workspace_id: &str, name: &str) {
    let Ok(id) = identity::of(auth) else {
        return;
    };
    let registry = super::registry(ctx);
    if !registry.root().exists() {
        return;
    }
    let Ok(_lock) = registry.lock() else {
        return;
    };
    let Ok(Some(entry)) = registry.by_identity(&id) else {
        return;
    };
    let Ok(meta) = entry.meta() else {
        return;
    };
    if meta.workspace_id.as_deref() != Some(workspace_id)
        || meta.workspace_name.as_deref() == Some(name)
    {
        return;
    }
    let mut updated = meta.clone();
    updated.workspace_name = Some(name.to_owned());
    let _ = updated.write(&entry.dir);
}
