//! `account use`: makes a saved account the active login without ever leaving two live copies
//! of a refresh token, and without losing one.
//!
//! Under the registry lock and the user's Codex locks: read the active login; check the target
//! against the restrictions (exit 4, nothing written); write the replaced login back into its
//! own account (with whatever Codex rotated); write the target as the active login; then park
//! the target (remove its directory copy). Killed at any instant, the active login is one whole
//! account, and a duplicate is what [`super::reconcile`] removes. A failed write of the active
//! login undoes the write-back, so the previous active login stays as it was.

use chrono::{DateTime, Utc};

use super::{Entry, Meta, Registry, clear, identity, missing_credentials, put};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::output::timestamp;

/// What `switch` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Switched {
    /// The account was already the active login.
    Already,
    /// The account is now active; `from` names the saved account it replaced, if any.
    Done { from: Option<String> },
}

/// Makes `target` the active login. The caller holds the registry lock.
pub fn switch(
    ctx: &mut Ctx,
    registry: &Registry,
    target: &Entry,
    allowed: super::Allowed<'_>,
    now: DateTime<Utc>,
) -> Result<Switched, Error> {
    let target_meta = target.meta()?.clone();
    let active_now = super::active(ctx)?.and_then(|(_, id)| id);
    if active_now.as_deref() == Some(target_meta.identity.as_str()) {
        return Ok(Switched::Already);
    }
    let Some(incoming) = super::load_copy(ctx, target)? else {
        return Err(missing_credentials(target));
    };
    if identity::of(&incoming).ok().as_deref() != Some(target_meta.identity.as_str()) {
        return Err(Error::AccountStore(format!(
            "account {} is corrupt: the login in {} is not the one its metadata names. Nothing \
             was changed.",
            target.name,
            target.dir.display()
        )));
    }
    if let Err(violation) = allowed(&incoming) {
        return Err(Error::Restricted(format!(
            "account {} cannot be made active: {violation}. Nothing was changed.",
            target.name
        )));
    }

    let user_lock = ctx.lock()?;
    ctx.invalidate();
    // Read under Codex's locks: nothing rotates it between this read and our write.
    let active = ctx.store().load()?.map(|l| l.auth);
    let active_id = active.as_ref().map(identity::of);
    if let Some(Ok(id)) = &active_id
        && *id == target_meta.identity
    {
        return Ok(Switched::Already);
    }
    let from = match (&active, &active_id) {
        (None, _) => None,
        (Some(_), Some(Ok(id))) => match registry.by_identity(id)? {
            Some(entry) => Some(entry),
            None => return Err(unsaved_active()),
        },
        (Some(_), _) => return Err(unsaved_active()),
    };
    // 1. The replaced login goes back into its own account, rotated tokens and all.
    let write_back = match (&from, &active) {
        (Some(entry), Some(auth)) => {
            let meta = entry.meta()?.clone();
            put(ctx, &entry.dir, meta.store, auth)?;
            Some((entry, meta, auth))
        }
        _ => None,
    };
    // 2. The target becomes the active login.
    if let Err(err) = ctx.store().save(&incoming, &user_lock) {
        if let Some((entry, meta, _)) = &write_back {
            // The previous login is still active: its copy goes again (one live copy).
            let _ = clear(ctx, &entry.dir, meta.store);
        }
        return Err(with_context(err.into()));
    }
    drop(user_lock);
    ctx.invalidate();
    // 3. Park the target: its live copy is now the active login.
    if let Err(err) = clear(ctx, &target.dir, target_meta.store) {
        ctx.out.warn(&format!(
            "{err}\nThe copy in {} stays until the next account command removes it.",
            target.dir.display()
        ));
    }
    let mut parked = Meta::describe(
        &incoming,
        target_meta.identity.clone(),
        target_meta.store,
        true,
        now,
        Some(&target_meta),
    );
    parked.last_used = Some(timestamp(now));
    parked.write(&target.dir)?;
    if let Some((entry, meta, auth)) = write_back {
        let unparked = Meta::describe(
            auth,
            meta.identity.clone(),
            meta.store,
            false,
            now,
            Some(&meta),
        );
        unparked.write(&entry.dir)?;
        return Ok(Switched::Done {
            from: Some(entry.name.clone()),
        });
    }
    Ok(Switched::Done { from: None })
}

fn unsaved_active() -> Error {
    Error::AccountUsage(
        "the active login is not saved as an account, so switching would lose it. Save it first \
         with `codex-creds account save NAME` (or log out). Nothing was changed."
            .to_owned(),
    )
}

fn with_context(err: Error) -> Error {
    match err {
        Error::Store(store) => Error::AccountStore(format!(
            "{store}\nThe switch did not happen: the previous active login is still in place."
        )),
        other => other,
    }
}
