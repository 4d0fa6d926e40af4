//! One account's place on disk: its directory (0700; a CODEX_HOME of its own) and the
//! credentials kept there, read and written through that directory's stores under its own
//! Codex locks, exactly as `CODEX_HOME=<dir> codex` would find them.

use std::path::{Path, PathBuf};

use super::{AccountStore, Entry, Meta, Registry, open};
use crate::auth_json::AuthDotJson;
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::storage::{CredentialStore, StoreError};

/// Loads the credentials kept in an account's directory (none while it is parked).
pub fn load_copy(ctx: &Ctx, entry: &Entry) -> Result<Option<AuthDotJson>, Error> {
    let child = open(ctx, entry)?;
    Ok(child.load()?.map(|l| l.auth))
}

/// Saves `auth` into the account directory `dir` (which must exist) in `store`, under that
/// directory's Codex locks.
pub fn put(ctx: &Ctx, dir: &Path, store: AccountStore, auth: &AuthDotJson) -> Result<(), Error> {
    let mut child = ctx.for_home(dir, store.mode())?;
    let lock = child.lock()?;
    child.store().save(auth, &lock)?;
    Ok(())
}

/// Removes the credentials kept in an account directory (parks it, or empties it for removal).
pub fn clear(ctx: &Ctx, dir: &Path, store: AccountStore) -> Result<(), Error> {
    let mut child = ctx.for_home(dir, store.mode())?;
    let lock = child.lock()?;
    child.store().delete(&lock)?;
    if store == AccountStore::Keyring {
        // A stale auth.json left there by someone else goes too: secrets never stay in files.
        child.stores().file().delete(&lock)?;
    }
    Ok(())
}

/// Creates an account's directory (0700) and, for the keyring store, its config.toml, so
/// `CODEX_HOME=<dir> codex` finds the login where it is.
pub fn create_dir(dir: &Path, store: AccountStore) -> Result<(), Error> {
    create_private_dir(dir)?;
    if store == AccountStore::Keyring {
        crate::storage::file::write_document(
            &dir.join(crate::paths::CONFIG_TOML),
            b"# Written by codex-creds: this saved account keeps its login in the OS keyring.\ncli_auth_credentials_store = \"keyring\"\n",
        )?;
    }
    Ok(())
}

pub(super) fn create_private_dir(dir: &Path) -> Result<(), Error> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|err| Error::AccountStore(format!("cannot create {}: {err}", dir.display())))
}

/// Removes an account directory and everything in it.
pub fn remove_dir(dir: &Path) -> Result<(), Error> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(Error::AccountStore(format!(
            "cannot remove {}: {err}",
            dir.display()
        ))),
    }
}

/// Saves `auth` (identity `id`) as the new account `name` in `store`: directory, credentials,
/// metadata, in that order (a directory without metadata is reported as corrupt, never
/// silently used). On failure the new directory goes again.
///
/// In `auto` mode an account the keyring cannot take (too large for Windows Credential Manager,
/// or no keyring at all) is kept in its directory's auth.json instead, as `auto` does for the
/// active login, with one line saying why.
pub fn create(
    ctx: &Ctx,
    registry: &Registry,
    name: &str,
    store: AccountStore,
    auth: &AuthDotJson,
    id: String,
) -> Result<PathBuf, Error> {
    match create_in(ctx, registry, name, store, auth, id.clone()) {
        Err(Error::Store(err @ StoreError::Keyring { .. }))
            if store == AccountStore::Keyring && ctx.store_mode == StoreMode::Auto =>
        {
            let dir = create_in(ctx, registry, name, AccountStore::File, auth, id)?;
            ctx.out.warn(&format!(
                "{}; auto mode: saved account {name} to {} instead",
                crate::storage::auto::fallback_reason(&err),
                dir.join(crate::paths::AUTH_JSON).display()
            ));
            Ok(dir)
        }
        other => other,
    }
}

fn create_in(
    ctx: &Ctx,
    registry: &Registry,
    name: &str,
    store: AccountStore,
    auth: &AuthDotJson,
    id: String,
) -> Result<PathBuf, Error> {
    let dir = registry.dir(name);
    let result = create_dir(&dir, store)
        .and_then(|()| put(ctx, &dir, store, auth))
        .and_then(|()| Ok(Meta::describe(auth, id, store, false, ctx.now(), None).write(&dir)?));
    if let Err(err) = result {
        let _ = clear(ctx, &dir, store);
        let _ = remove_dir(&dir);
        return Err(err);
    }
    Ok(dir)
}
