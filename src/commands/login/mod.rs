//! `codex-creds login`: picks the flow (API key, access token, browser, device code) and saves
//! what it yields. Previous credentials stay until the new ones are saved.

mod api_key;
mod browser;
mod chatgpt;
mod device;
mod wait;

use crate::auth_json::AuthDotJson;
use crate::cli::LoginArgs;
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::storage::StoreKind;

pub fn run(ctx: &mut Ctx, args: &LoginArgs) -> Result<(), Error> {
    if args.with_api_key || args.api_key.is_some() {
        api_key::api_key(ctx, args)
    } else if args.with_access_token {
        api_key::access_token(ctx)
    } else if args.device_auth {
        device::run(ctx, args)
    } else {
        browser::run(ctx, args)
    }
}

/// Saves a new login in the configured store, under Codex's locks. A malformed auth.json is
/// first copied to a 0600 backup (and the user told where). Returns where it was saved.
pub(crate) fn save(ctx: &mut Ctx, auth: &AuthDotJson) -> Result<String, Error> {
    let lock = ctx.lock()?;
    if let Some(backup) = ctx.stores().file().backup_if_malformed(ctx.now())? {
        ctx.out.warn(&format!(
            "{} could not be read; a copy was kept at {}",
            ctx.stores().file().path().display(),
            backup.display()
        ));
    }
    let store = ctx.store();
    let kind = store.save(auth, &lock)?;
    let location = match kind {
        StoreKind::File => ctx.stores().file().path().display().to_string(),
        StoreKind::Keyring | StoreKind::Ephemeral => store.location(),
    };
    drop(lock);
    ctx.invalidate();
    if ctx.store_mode == StoreMode::Ephemeral {
        ctx.out.warn(
            "cli_auth_credentials_store is \"ephemeral\": the credentials live only in this process \
             and are gone when it exits",
        );
    }
    Ok(location)
}
