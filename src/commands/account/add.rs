//! `account add NAME [login flags] [--use]`: the normal `login` (same flags, same choice of
//! flow), run with a context whose CODEX_HOME is a private staging directory, so the active
//! login is neither touched nor revoked (Codex revokes the login a new one replaces). The
//! login is then saved as NAME under the registry lock, and the staging directory goes.

use crate::accounts::{self, identity, name};
use crate::cli::AccountAddArgs;
use crate::ctx::Ctx;
use crate::error::Error;

pub fn run(ctx: &mut Ctx, args: &AccountAddArgs) -> Result<(), Error> {
    name::validate(&args.name).map_err(Error::AccountUsage)?;
    let store = accounts::store_for_new(ctx)?;
    let registry = accounts::registry(ctx);
    if registry.dir(&args.name).exists() {
        return Err(Error::AccountUsage(format!(
            "an account named \"{}\" already exists; choose another name or remove it first. \
             Nothing was written.",
            args.name
        )));
    }
    // A hidden name: never listed as an account, and unique to this process.
    let staging = registry
        .root()
        .join(format!(".adding-{}-{}", args.name, std::process::id()));
    accounts::create_dir(&staging, store)?;
    let result = login_and_save(ctx, args, &registry, &staging, store);
    let _ = accounts::clear(ctx, &staging, store);
    let _ = accounts::remove_dir(&staging);
    let dir = result?;
    ctx.out.info(&format!(
        "Saved as account {} ({}).",
        args.name,
        dir.display()
    ));
    if args.make_active {
        let (_lock, entry) = registry.find_locked(&args.name)?;
        let now = ctx.now();
        let allowed = super::allowed(ctx);
        accounts::switch(ctx, &registry, &entry, &allowed, now)?;
        ctx.out
            .info(&format!("Account {} is now the active login.", args.name));
    }
    Ok(())
}

fn login_and_save(
    ctx: &mut Ctx,
    args: &AccountAddArgs,
    registry: &accounts::Registry,
    staging: &std::path::Path,
    store: accounts::AccountStore,
) -> Result<std::path::PathBuf, Error> {
    let mut child = ctx.for_home(staging, store.mode())?;
    super::super::login::run(&mut child, &args.login)?;
    child.invalidate();
    let Some(loaded) = child.load()? else {
        return Err(Error::NotLoggedIn(
            "the login finished but left no credentials; nothing was saved".to_owned(),
        ));
    };
    let id = identity::of(&loaded.auth).map_err(|why| {
        Error::AccountUsage(format!("this login cannot be saved as an account: {why}"))
    })?;
    let _lock = registry.lock()?;
    accounts::reconcile(ctx, registry)?;
    accounts::check_new(ctx, registry, &args.name, &id)?;
    accounts::create(ctx, registry, &args.name, store, &loaded.auth, id)
}
