//! Saved accounts: several logins side by side, switched without ever revoking one (issue 10).
//!
//! Layout: `CODEX_HOME/codex-creds/accounts/<NAME>/` is itself a CODEX_HOME: its `auth.json`
//! (file store) or Codex's keyring item keyed by that directory (keyring store; no secrets in
//! files there), a `config.toml` with only what Codex needs to use it there, and our metadata
//! `codex-creds-account.json` (no secrets). `CODEX_HOME/codex-creds/accounts.lock` serialises
//! every change of the registry. (`CODEX_HOME/accounts/` belongs to other switchers and
//! `account-sessions*` to a future Codex: nothing is written there.)
//!
//! One live copy per refresh token: the active login (the user's CODEX_HOME) is the live copy
//! of its account, whose directory then holds no credentials ("parked"). `switch` writes the
//! replaced login back, then the new one, then parks it; a copy left twice by a kill is
//! reconciled by the next account command ([`reconcile`]).

mod each;
mod follow;
pub mod identity;
pub mod meta;
pub mod name;
mod place;
mod reconcile;
mod switch;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::auth_json::AuthDotJson;
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::lock::{self, FileLock};

pub use each::{Opened, Target, open_each};
pub use follow::{check_follow, follow, name_workspace};
pub use meta::{AccountStore, Meta};
pub use place::{clear, create, create_dir, load_copy, put, remove_dir};
pub use reconcile::{Decision, decide};
pub use switch::{Switched, switch};

/// Whether the user's config allows a login (`restrictions::check`, worded), passed in by the
/// command: this use case sits beside `restrictions` in the layers, not above it.
pub type Allowed<'a> = &'a dyn Fn(&AuthDotJson) -> Result<(), String>;

/// Our directory in CODEX_HOME.
pub const OUR_DIR: &str = "codex-creds";
/// The saved accounts, one directory each, inside [`OUR_DIR`].
pub const ACCOUNTS_DIR: &str = "accounts";
/// The lock around every change of the registry, inside [`OUR_DIR`].
pub const LOCK_FILE: &str = "accounts.lock";
/// How long an account command waits for another one (which may be refreshing a token).
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// The saved accounts of one CODEX_HOME, on disk.
#[derive(Debug, Clone)]
pub struct Registry {
    /// `CODEX_HOME/codex-creds/accounts`.
    root: PathBuf,
    lock: PathBuf,
}

/// One saved account as found on disk; its metadata may be unreadable (`Err` names the path).
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    /// The account's directory: a CODEX_HOME of its own.
    pub dir: PathBuf,
    pub meta: Result<Meta, String>,
}

impl Entry {
    /// The metadata, or the "corrupt account" error (exit 7) naming its path.
    pub fn meta(&self) -> Result<&Meta, Error> {
        self.meta.as_ref().map_err(|err| {
            Error::AccountStore(format!(
                "account {} is corrupt: {err}. Remove it with `codex-creds account remove {} \
                 --no-revoke` or fix the file.",
                self.name, self.name
            ))
        })
    }
}

/// A saved account as other commands see it (issue 11: `usage --all`, `account use --best`).
#[derive(Debug, Clone)]
pub struct Saved {
    pub name: String,
    pub codex_home: PathBuf,
    /// Whether it is the active login (what `codex` in the user's CODEX_HOME uses).
    pub active: bool,
    pub meta: Result<Meta, String>,
}

impl Registry {
    pub fn of(home: &Path) -> Registry {
        let ours = home.join(OUR_DIR);
        Registry {
            root: ours.join(ACCOUNTS_DIR),
            lock: ours.join(LOCK_FILE),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory account `name` has (or would have).
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Takes the registry lock, creating our directories (0700) first.
    pub fn lock(&self) -> Result<FileLock, Error> {
        place::create_private_dir(&self.root)?;
        Ok(lock::exclusive(&self.lock, LOCK_WAIT).map_err(crate::storage::StoreError::from)?)
    }

    /// Every saved account, sorted by name. Entries that are not account directories (files,
    /// hidden or invalid names) are skipped: they are not ours.
    pub fn entries(&self) -> Result<Vec<Entry>, Error> {
        let read = match std::fs::read_dir(&self.root) {
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => {
                return Err(Error::AccountStore(format!(
                    "cannot read {}: {err}",
                    self.root.display()
                )));
            }
        };
        let mut entries: Vec<Entry> = read
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name::validate(name).is_ok())
            .map(|name| {
                let dir = self.root.join(&name);
                Entry {
                    meta: Meta::read(&dir),
                    name,
                    dir,
                }
            })
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// The account `name`: a bad name exits 2, an unknown one 3 (listing the saved names).
    pub fn find(&self, name: &str) -> Result<Entry, Error> {
        name::validate(name).map_err(Error::AccountUsage)?;
        let entries = self.entries()?;
        if let Some(entry) = entries.iter().find(|e| e.name == name) {
            return Ok(entry.clone());
        }
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        let saved = if names.is_empty() {
            "there are no saved accounts (save the active login with `codex-creds account save \
             NAME`, or add one with `codex-creds account add NAME`)"
                .to_owned()
        } else {
            format!("the saved accounts are: {}", names.join(", "))
        };
        Err(Error::UnknownAccount(format!(
            "no saved account is named \"{name}\"; {saved}"
        )))
    }

    /// [`Registry::find`], then the lock, then `find` again (it may have changed meanwhile): a
    /// bad or unknown name fails before anything is written.
    pub fn find_locked(&self, name: &str) -> Result<(FileLock, Entry), Error> {
        self.find(name)?;
        let lock = self.lock()?;
        Ok((lock, self.find(name)?))
    }

    /// The account whose identity is `identity`, if one is saved.
    pub fn by_identity(&self, identity: &str) -> Result<Option<Entry>, Error> {
        Ok(self
            .entries()?
            .into_iter()
            .find(|e| e.meta.as_ref().is_ok_and(|m| m.identity == identity)))
    }
}

/// The registry of the context's CODEX_HOME.
pub fn registry(ctx: &Ctx) -> Registry {
    Registry::of(ctx.home.dir())
}

/// The store new accounts use: the configured one, where `auto` means the keyring (saved
/// accounts keep secrets out of files). `ephemeral` cannot hold an account past this process.
pub fn store_for_new(ctx: &Ctx) -> Result<AccountStore, Error> {
    match ctx.store_mode {
        StoreMode::File => Ok(AccountStore::File),
        StoreMode::Keyring | StoreMode::Auto => Ok(AccountStore::Keyring),
        StoreMode::Ephemeral => Err(Error::AccountStore(
            "cli_auth_credentials_store is \"ephemeral\": credentials live only in memory, so \
             no account can be saved. Nothing was written; use --store file, keyring or auto."
                .to_owned(),
        )),
    }
}

/// The active login (read fresh, not cached) and its identity (`None` when it has none).
pub fn active(ctx: &Ctx) -> Result<Option<(AuthDotJson, Option<String>)>, Error> {
    ctx.invalidate();
    Ok(ctx.load()?.map(|loaded| {
        let id = identity::of(&loaded.auth).ok();
        (loaded.auth, id)
    }))
}

/// The saved accounts, each with its CODEX_HOME and whether it is active. Reads only metadata
/// and the active login (no network; in file mode no keyring).
pub fn saved(ctx: &Ctx) -> Result<Vec<Saved>, Error> {
    let active_id = active(ctx).ok().flatten().and_then(|(_, id)| id);
    Ok(registry(ctx)
        .entries()?
        .into_iter()
        .map(|e| Saved {
            active: e
                .meta
                .as_ref()
                .is_ok_and(|m| Some(&m.identity) == active_id.as_ref()),
            name: e.name,
            codex_home: e.dir,
            meta: e.meta,
        })
        .collect())
}

/// A context for the account's directory, in the account's store.
pub fn open(ctx: &Ctx, entry: &Entry) -> Result<Ctx, Error> {
    let meta = entry.meta()?;
    ctx.for_home(&entry.dir, meta.store.mode())
}

/// Runs `f` with a context for the saved account `name`, under the registry lock: the active
/// login's context when `name` is active (its live copy), else one for its directory, where a
/// refresh saves single-flight under that directory's locks. An account the restrictions
/// forbid is refused (exit 4) and kept.
pub fn with_account<T>(
    ctx: &mut Ctx,
    name: &str,
    allowed: Allowed<'_>,
    f: impl FnOnce(&mut Ctx) -> Result<T, Error>,
) -> Result<T, Error> {
    let registry = registry(ctx);
    let (_lock, entry) = registry.find_locked(name)?;
    let meta = entry.meta()?.clone();
    let active_id = active(ctx).ok().flatten().and_then(|(_, id)| id);
    if active_id.as_deref() == Some(meta.identity.as_str()) {
        return f(ctx);
    }
    let mut child = open(ctx, &entry)?;
    let Some(loaded) = child.load()? else {
        return Err(missing_credentials(&entry));
    };
    if let Err(violation) = allowed(&loaded.auth) {
        return Err(Error::Restricted(format!(
            "account {name}: {violation}. The account was kept; it cannot be used here."
        )));
    }
    let result = f(&mut child);
    // Keep what `list` shows current (a refresh moved the expiry); best effort.
    each::note(ctx.now(), &entry.dir, &meta, &child, true);
    result
}

/// The error for an account that is neither active nor holds credentials.
pub fn missing_credentials(entry: &Entry) -> Error {
    Error::AccountStore(format!(
        "account {} has no credentials in {} and is not the active login (was the active login \
         replaced outside codex-creds?). Log it in again with `codex-creds account remove {} \
         --no-revoke && codex-creds account add {}`.",
        entry.name,
        entry.dir.display(),
        entry.name,
        entry.name
    ))
}

/// Reconciles the account of the active login (call under the registry lock): a copy in its
/// directory with the active login's very tokens (left by an interrupted switch) is removed;
/// a different one is kept, with a warning. Returns the account's name, if one is active.
pub fn reconcile(ctx: &Ctx, registry: &Registry) -> Result<Option<String>, Error> {
    let Some((auth, Some(id))) = active(ctx).ok().flatten() else {
        return Ok(None);
    };
    let Some(entry) = registry.by_identity(&id)? else {
        return Ok(None);
    };
    let Ok(meta) = entry.meta() else {
        return Ok(None);
    };
    let copy = load_copy(ctx, &entry).ok().flatten();
    match decide(Some(&auth), Some(&id), &meta.identity, copy.as_ref()) {
        Decision::Nothing => {}
        Decision::ParkDuplicate => clear(ctx, &entry.dir, meta.store)?,
        Decision::KeepBoth => ctx.out.warn(&format!(
            "account {} is the active login, but {} holds other tokens of the same account; \
             both were kept (the active login is the one in use)",
            entry.name,
            entry.dir.display()
        )),
    }
    if !meta.parked {
        let updated = Meta::describe(&auth, id, meta.store, true, ctx.now(), Some(meta));
        updated.write(&entry.dir)?;
    }
    Ok(Some(entry.name))
}

/// Refuses to save `id` as `name` when the name is taken, the login is saved under another
/// name, or it is the active login (which `account save` registers). Nothing is written.
pub fn check_new(ctx: &Ctx, registry: &Registry, name: &str, id: &str) -> Result<(), Error> {
    if registry.dir(name).exists() {
        return Err(Error::AccountUsage(format!(
            "an account named \"{name}\" already exists; choose another name or remove it first. \
             Nothing was written."
        )));
    }
    if let Some(other) = registry.by_identity(id)? {
        return Err(Error::AccountUsage(format!(
            "this login is already saved as account \"{}\"; nothing was written",
            other.name
        )));
    }
    if active(ctx).ok().flatten().and_then(|(_, a)| a).as_deref() == Some(id) {
        return Err(Error::AccountUsage(format!(
            "this login is the active login; save it with `codex-creds account save {name}`. \
             Nothing was written."
        )));
    }
    Ok(())
}
