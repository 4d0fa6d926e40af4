//! `codex-creds migrate --to file|keyring`: moves the credentials between auth.json and the OS
//! keyring, boringly safely. Under Codex's locks: read the source; write the copy; read it back
//! and compare; only then delete the source. Any failure leaves the source as it was, and the
//! error says where the credentials are.

use crate::cli::{MigrateArgs, MigrateTarget};
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::lock::LockGuard;
use crate::storage::{CredentialStore, Loaded, StoreError, Stores};

/// What a migration did.
#[derive(Debug, PartialEq, Eq)]
pub enum Migrated {
    /// Copied, verified, and removed from the source.
    Moved { from: String, to: String },
    /// Both held the same credentials; the source copy was removed.
    Deduplicated { from: String, to: String },
    /// The source held nothing; the target already has credentials.
    AlreadyThere { to: String },
}

pub fn run(ctx: &mut Ctx, args: &MigrateArgs) -> Result<(), Error> {
    let lock = ctx.lock()?;
    let result = migrate(ctx.stores(), args.to, &lock);
    drop(lock);
    ctx.invalidate();
    match result? {
        Migrated::Moved { from, to } => ctx.out.info(&format!(
            "Moved the credentials from {from} to {to} (verified, then removed from the source)."
        )),
        Migrated::Deduplicated { from, to } => ctx.out.info(&format!(
            "{to} already held the same credentials; removed the copy in {from}."
        )),
        Migrated::AlreadyThere { to } => ctx.out.info(&format!(
            "Nothing to move: the credentials are already in {to}."
        )),
    }
    let wanted = match args.to {
        MigrateTarget::File => StoreMode::File,
        MigrateTarget::Keyring => StoreMode::Keyring,
    };
    // `auto` finds credentials in either store.
    if ctx.config.store_mode != wanted && ctx.config.store_mode != StoreMode::Auto {
        ctx.out.warn(&format!(
            "Codex and codex-creds look for credentials in the store cli_auth_credentials_store \
             names (now \"{}\"); set cli_auth_credentials_store = \"{}\" in {} so they find them",
            ctx.config.store_mode.as_str(),
            wanted.as_str(),
            ctx.home.config_toml().display()
        ));
    }
    Ok(())
}

/// The migration itself, over the stores of one CODEX_HOME (unit-tested with a fake keyring).
pub(crate) fn migrate(
    stores: &Stores,
    to: MigrateTarget,
    lock: &LockGuard,
) -> Result<Migrated, Error> {
    let (source, target): (&dyn CredentialStore, &dyn CredentialStore) = match to {
        MigrateTarget::File => (stores.keyring(), stores.file()),
        MigrateTarget::Keyring => (stores.file(), stores.keyring()),
    };
    let (from, to_place) = (source.location(), target.location());
    let failed = |what: String| Error::Store(StoreError::Migration(what));
    let in_source = source
        .load()
        .map_err(|err| failed(format!("{err}\nNothing was moved; nothing was changed.")))?;
    let in_target = target.load().map_err(|err| {
        failed(format!(
            "{err}\nNothing was moved: the credentials are still in {from}, unchanged."
        ))
    })?;
    let auth = match (in_source, in_target) {
        (None, None) => {
            return Err(Error::NotLoggedIn(format!(
                "nothing to move: there are no credentials in {from} (nor in {to_place})"
            )));
        }
        (None, Some(_)) => return Ok(Migrated::AlreadyThere { to: to_place }),
        (Some(source_copy), Some(target_copy)) => {
            if !same(&source_copy, &target_copy) {
                return Err(failed(format!(
                    "both {from} and {to_place} hold credentials, and they differ; nothing was \
                     changed. Keep the one you want and remove the other (e.g. log in again \
                     with the store you want), then run migrate again"
                )));
            }
            remove_source(source, &from, &to_place, lock)?;
            return Ok(Migrated::Deduplicated { from, to: to_place });
        }
        (Some(source_copy), None) => source_copy.auth,
    };

    // Write the copy without touching the source (a keyring save would remove auth.json).
    let written = match to {
        MigrateTarget::Keyring => stores.keyring().write(&auth, lock),
        MigrateTarget::File => target.save(&auth, lock).map(|_| ()),
    };
    if let Err(err) = written {
        // A failed write leaves nothing behind (atomic file write; one keyring call), but make
        // sure no partial copy survives.
        let _ = target.delete(lock);
        return Err(failed(format!(
            "{err}\nNothing was moved: the credentials are still in {from}, unchanged."
        )));
    }
    let verified = match target.load() {
        Ok(Some(copy)) if copy.auth.to_compact_json() == auth.to_compact_json() => Ok(()),
        Ok(Some(_)) => Err("the copy read back differs from the original".to_owned()),
        Ok(None) => Err("the copy could not be found after writing it".to_owned()),
        Err(err) => Err(format!("the copy could not be read back: {err}")),
    };
    if let Err(why) = verified {
        let cleanup = match target.delete(lock) {
            Ok(_) => format!("the copy in {to_place} was removed"),
            Err(err) => format!("the copy in {to_place} could not be removed ({err})"),
        };
        return Err(failed(format!(
            "{why}; {cleanup}. Nothing was moved: the credentials are still in {from}, unchanged."
        )));
    }
    remove_source(source, &from, &to_place, lock)?;
    Ok(Migrated::Moved { from, to: to_place })
}

fn same(a: &Loaded, b: &Loaded) -> bool {
    a.auth.to_compact_json() == b.auth.to_compact_json()
}

fn remove_source(
    source: &dyn CredentialStore,
    from: &str,
    to: &str,
    lock: &LockGuard,
) -> Result<(), Error> {
    source.delete(lock).map(|_| ()).map_err(|err| {
        Error::Store(StoreError::Migration(format!(
            "the credentials were copied to {to} and verified, but removing them from {from} \
             failed: {err}\nThey are now in both places (identical); remove the copy in {from} \
             by hand or run migrate again"
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth_json::AuthDotJson;
    use crate::secret::Secret;
    use crate::storage::StoreKind;
    use crate::storage::keyring::KeyringError;
    use crate::storage::keyring::fake::FakeKeyring;

    fn setup() -> (tempfile::TempDir, FakeKeyring, Stores, LockGuard) {
        crate::storage::stores_with_fake_keyring(StoreMode::File, true)
    }

    fn auth() -> AuthDotJson {
        let mut auth = AuthDotJson::from_api_key(Secret::new("sk-migrate-0123456789"));
        auth.extra.insert("future".into(), serde_json::json!([1]));
        auth
    }

    #[test]
    fn file_to_keyring_and_back_is_byte_identical() {
        let (dir, _fake, stores, lock) = setup();
        stores.file().save(&auth(), &lock).unwrap();
        let before = std::fs::read(dir.path().join("auth.json")).unwrap();
        let moved = migrate(&stores, MigrateTarget::Keyring, &lock).unwrap();
        assert!(matches!(moved, Migrated::Moved { .. }));
        assert!(!dir.path().join("auth.json").exists());
        assert_eq!(
            stores.keyring().load().unwrap().unwrap().kind,
            StoreKind::Keyring
        );
        migrate(&stores, MigrateTarget::File, &lock).unwrap();
        assert_eq!(std::fs::read(dir.path().join("auth.json")).unwrap(), before);
        assert!(stores.keyring().load().unwrap().is_none());
    }

    #[test]
    fn failed_keyring_write_keeps_the_file() {
        let (dir, fake, stores, lock) = setup();
        stores.file().save(&auth(), &lock).unwrap();
        let before = std::fs::read(dir.path().join("auth.json")).unwrap();
        fake.state().fail_set = Some(KeyringError::Locked("locked".into()));
        let err = migrate(&stores, MigrateTarget::Keyring, &lock)
            .unwrap_err()
            .to_string();
        assert!(err.contains("still in") && err.contains("locked"), "{err}");
        assert_eq!(std::fs::read(dir.path().join("auth.json")).unwrap(), before);
    }

    #[test]
    fn a_copy_that_reads_back_wrong_is_removed_and_the_source_kept() {
        let (dir, fake, stores, lock) = setup();
        stores.file().save(&auth(), &lock).unwrap();
        let before = std::fs::read(dir.path().join("auth.json")).unwrap();
        fake.state().corrupt_set = Some(r#"{"OPENAI_API_KEY":"sk-wrong"}"#.into());
        let err = migrate(&stores, MigrateTarget::Keyring, &lock)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("differs") && err.contains("was removed"),
            "{err}"
        );
        assert!(fake.state().items.is_empty());
        assert_eq!(std::fs::read(dir.path().join("auth.json")).unwrap(), before);
    }

    #[test]
    fn failed_source_delete_says_both_places_hold_them() {
        let (dir, fake, stores, lock) = setup();
        stores.keyring().write(&auth(), &lock).unwrap();
        fake.state().fail_delete = Some(KeyringError::Other("nope".into()));
        let err = migrate(&stores, MigrateTarget::File, &lock)
            .unwrap_err()
            .to_string();
        assert!(err.contains("both places"), "{err}");
        assert!(dir.path().join("auth.json").exists());
        assert_eq!(fake.state().items.len(), 1);
    }

    #[test]
    fn unreadable_source_changes_nothing_and_differing_copies_are_refused() {
        let (dir, fake, stores, lock) = setup();
        fake.state().fail_get = Some(KeyringError::Unavailable("no bus".into()));
        let err = migrate(&stores, MigrateTarget::File, &lock).unwrap_err();
        assert!(err.to_string().contains("no bus"), "{err}");
        assert_eq!(err.exit_code(), crate::error::exit_code::STORE);
        assert!(!dir.path().join("auth.json").exists());

        let (dir, _fake, stores, lock) = setup();
        stores.file().save(&auth(), &lock).unwrap();
        let other = AuthDotJson::from_api_key(Secret::new("sk-other-0123456789"));
        stores.keyring().write(&other, &lock).unwrap();
        let err = migrate(&stores, MigrateTarget::Keyring, &lock)
            .unwrap_err()
            .to_string();
        assert!(err.contains("differ"), "{err}");
        assert!(dir.path().join("auth.json").exists());
    }

    #[test]
    fn nothing_to_move() {
        let (_dir, _fake, stores, lock) = setup();
        let err = migrate(&stores, MigrateTarget::Keyring, &lock).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit_code::NOT_LOGGED_IN);
        stores.keyring().write(&auth(), &lock).unwrap();
        assert!(matches!(
            migrate(&stores, MigrateTarget::Keyring, &lock).unwrap(),
            Migrated::AlreadyThere { .. }
        ));
    }
}
