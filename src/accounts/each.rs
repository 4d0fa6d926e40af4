//! Every saved account at once, for the commands that read them all (`usage --all`,
//! `account use --best`): under the registry lock, the active account is the active login (its
//! live copy, never its parked directory) and every other one gets a context of its own, which
//! can move to a thread of its own. Each account's failure is its own; none hides the others.

use super::{Allowed, Entry, Meta, missing_credentials, open};
use crate::ctx::{Ctx, CtxSeed};
use crate::error::Error;
use crate::lock::FileLock;

/// How a saved account is reached.
pub enum Target {
    /// It is the active login: use the user's context.
    Active,
    /// Its own CODEX_HOME (settings still from the user's): refreshes save there. A seed, so
    /// a thread can build the context (a `Ctx` stays on the thread that built it).
    Own(Box<CtxSeed>),
    /// It cannot be used (corrupt, no credentials, restricted); the error names the account.
    Failed(Error),
}

/// One saved account, opened (how to reach it is the [`Target`] beside it).
pub struct Opened {
    pub name: String,
    pub active: bool,
    entry: Entry,
}

/// Opens every saved account (sorted by name) under the registry lock, which the caller keeps
/// while it uses them (no switch can make a context stale meanwhile).
pub fn open_each(
    ctx: &Ctx,
    allowed: Allowed<'_>,
) -> Result<(FileLock, Vec<(Opened, Target)>), Error> {
    let registry = super::registry(ctx);
    let lock = registry.lock()?;
    let active_id = super::active(ctx).ok().flatten().and_then(|(_, id)| id);
    let opened = registry
        .entries()?
        .into_iter()
        .map(|entry| {
            let active = entry
                .meta
                .as_ref()
                .is_ok_and(|m| Some(&m.identity) == active_id.as_ref());
            let target = if active {
                Target::Active
            } else {
                match own(ctx, &entry, allowed) {
                    Ok(child) => Target::Own(Box::new(child.seed())),
                    Err(err) => Target::Failed(err.in_account(&entry.name)),
                }
            };
            let opened = Opened {
                name: entry.name.clone(),
                active,
                entry,
            };
            (opened, target)
        })
        .collect();
    Ok((lock, opened))
}

fn own(ctx: &Ctx, entry: &Entry, allowed: Allowed<'_>) -> Result<Ctx, Error> {
    let child = open(ctx, entry)?;
    let Some(loaded) = child.load()? else {
        return Err(missing_credentials(entry));
    };
    allowed(&loaded.auth).map_err(|violation| {
        Error::Restricted(format!(
            "{violation}. The account was kept; it cannot be used here."
        ))
    })?;
    Ok(child)
}

impl Opened {
    /// After `child` (this account's own context) was used: keeps what `account list` shows
    /// current (a refresh moved the expiry). Best effort; `last_used` is left alone (reading
    /// every account's usage is not using it).
    pub fn done(&self, child: &Ctx) {
        let Ok(meta) = self.entry.meta() else {
            return;
        };
        note(child.now(), &self.entry.dir, meta, child, false);
    }
}

/// Rewrites an account's metadata from the login its own context `child` now holds; with
/// `touched`, it was used now. Best effort: the metadata only mirrors the credentials.
pub(super) fn note(
    now: chrono::DateTime<chrono::Utc>,
    dir: &std::path::Path,
    meta: &Meta,
    child: &Ctx,
    touched: bool,
) {
    child.invalidate();
    if let Ok(Some(loaded)) = child.load() {
        let mut updated = Meta::describe(
            &loaded.auth,
            meta.identity.clone(),
            meta.store,
            false,
            now,
            Some(meta),
        );
        if touched {
            updated.last_used = Some(crate::output::timestamp(now));
        }
        let _ = updated.write(dir);
    }
}
