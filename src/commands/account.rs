//! `codex-creds account …`: saved accounts (issue 10). This file dispatches and holds the
//! commands that only move what is already saved (save, use, rename, remove); `list`,
//! `add` (a login in the new account's own place, reusing `login`), and `transfer` (import,
//! export) have their own files. The rules live in `crate::accounts`.

mod add;
mod best;
mod list;
mod transfer;

use crate::accounts::{self, AccountStore, Meta, Switched, identity, name};
use crate::auth_json::AuthDotJson;
use crate::cli::AccountCommand;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::restrictions;

pub fn run(ctx: &mut Ctx, command: AccountCommand) -> Result<(), Error> {
    match command {
        AccountCommand::Save(args) => save(ctx, &args.name),
        AccountCommand::Add(args) => add::run(ctx, &args),
        AccountCommand::List(args) => list::run(ctx, &args),
        AccountCommand::Use(args) => match (&args.name, args.best) {
            (Some(name), false) => use_account(ctx, name),
            _ => best::run(ctx, args.dry_run),
        },
        AccountCommand::Rename(args) => rename(ctx, &args.old, &args.new),
        AccountCommand::Remove(args) => remove(ctx, &args.name, args.no_revoke),
        AccountCommand::Import(args) => transfer::import(ctx, &args),
        AccountCommand::Export(args) => transfer::export(ctx, &args.name, args.access_only),
    }
}

/// `status`, `token` and `refresh` with `--account NAME`: `f` runs on that account.
pub fn on_account<T>(
    ctx: &mut Ctx,
    name: Option<&str>,
    f: impl FnOnce(&mut Ctx) -> Result<T, Error>,
) -> Result<T, Error> {
    match name {
        Some(name) => {
            let allowed = allowed(ctx);
            accounts::with_account(ctx, name, &allowed, f)
        }
        None => f(ctx),
    }
}

/// The login restrictions of the user's config (`forced_login_method`,
/// `forced_chatgpt_workspace_id`), which apply to every account.
pub(crate) fn allowed(ctx: &Ctx) -> impl Fn(&AuthDotJson) -> Result<(), String> + use<> {
    let config = ctx.config.clone();
    move |auth| restrictions::check(&config, auth).map_err(|violation| violation.to_string())
}

/// `account save NAME`: registers the active login as NAME; it stays active (parked).
fn save(ctx: &mut Ctx, name: &str) -> Result<(), Error> {
    name::validate(name).map_err(Error::AccountUsage)?;
    let new_store = accounts::store_for_new(ctx)?;
    let registry = accounts::registry(ctx);
    let _lock = registry.lock()?;
    accounts::reconcile(ctx, &registry)?;
    let Some((auth, _)) = accounts::active(ctx)? else {
        return Err(Error::NotLoggedIn(
            "there is no active login to save: log in first (`codex-creds login`), or add an \
             account with `codex-creds account add NAME`"
                .to_owned(),
        ));
    };
    let id = identity::of(&auth).map_err(|why| {
        Error::AccountUsage(format!(
            "the active login cannot be saved: {why}. Nothing was written."
        ))
    })?;
    if let Some(other) = registry.by_identity(&id)?
        && other.name != name
    {
        return Err(Error::AccountUsage(format!(
            "the active login is already saved as account \"{}\"; rename it with `codex-creds \
             account rename {} {name}`. Nothing was written.",
            other.name, other.name
        )));
    }
    let entries = registry.entries()?;
    let existing = entries.iter().find(|e| e.name == name);
    let previous = match existing {
        Some(entry) => {
            let meta = entry.meta()?;
            if meta.identity != id {
                return Err(Error::AccountUsage(format!(
                    "account \"{name}\" holds another login ({}); choose another name or remove \
                     it first. Nothing was written.",
                    describe(meta)
                )));
            }
            Some(meta.clone())
        }
        None => None,
    };
    let store = previous.as_ref().map_or(new_store, |m| m.store);
    let dir = registry.dir(name);
    accounts::create_dir(&dir, store)?;
    let mut meta = Meta::describe(&auth, id, store, true, ctx.now(), previous.as_ref());
    meta.last_used = Some(crate::output::timestamp(ctx.now()));
    meta.write(&dir)?;
    let verb = if previous.is_some() {
        "Updated"
    } else {
        "Saved"
    };
    ctx.out.info(&crate::untrusted::printable(
        &format!(
            "{verb} account {name} ({}); it is the active login, so its directory {} holds no \
             copy of it.",
            describe(&meta),
            dir.display()
        ),
        usize::MAX,
    ));
    Ok(())
}

/// `account use NAME`.
fn use_account(ctx: &mut Ctx, name: &str) -> Result<(), Error> {
    let registry = accounts::registry(ctx);
    let (_lock, entry) = registry.find_locked(name)?;
    switch_to(ctx, &registry, &entry)
}

/// Makes `entry` the active login and says so; the caller holds the registry lock (`account
/// use NAME` and `account use --best` both switch here).
fn switch_to(
    ctx: &mut Ctx,
    registry: &accounts::Registry,
    entry: &accounts::Entry,
) -> Result<(), Error> {
    let name = &entry.name;
    accounts::reconcile(ctx, registry)?;
    let now = ctx.now();
    let allowed = allowed(ctx);
    let message = match accounts::switch(ctx, registry, entry, &allowed, now)? {
        Switched::Already => format!("Account {name} is already the active login."),
        Switched::Done { from: Some(from) } => format!(
            "Switched to account {name}; the previous login was saved back to account {from}."
        ),
        Switched::Done { from: None } => format!("Switched to account {name}."),
    };
    ctx.out.info(&message);
    Ok(())
}

/// `account rename OLD NEW`: the directory moves; a keyring item moves to the new
/// directory's key (Codex keys it by the directory).
fn rename(ctx: &mut Ctx, old: &str, new: &str) -> Result<(), Error> {
    name::validate(new).map_err(Error::AccountUsage)?;
    let registry = accounts::registry(ctx);
    let (_lock, entry) = registry.find_locked(old)?;
    let new_dir = registry.dir(new);
    if new_dir.exists() {
        return Err(Error::AccountUsage(format!(
            "an account named \"{new}\" already exists; nothing was renamed"
        )));
    }
    let meta = entry.meta()?.clone();
    let copy = match meta.store {
        AccountStore::Keyring => accounts::load_copy(ctx, &entry)?,
        AccountStore::File => None,
    };
    match copy {
        // New place first, then the old goes: a kill leaves a duplicate, never nothing.
        Some(auth) => {
            accounts::create_dir(&new_dir, meta.store)?;
            meta.write(&new_dir)?;
            accounts::put(ctx, &new_dir, meta.store, &auth)?;
            accounts::clear(ctx, &entry.dir, meta.store)?;
            accounts::remove_dir(&entry.dir)?;
        }
        None => std::fs::rename(&entry.dir, &new_dir).map_err(|err| {
            Error::AccountStore(format!(
                "cannot rename {} to {}: {err}",
                entry.dir.display(),
                new_dir.display()
            ))
        })?,
    }
    ctx.out.info(&format!("Renamed account {old} to {new}."));
    Ok(())
}

/// `account remove NAME [--no-revoke]`.
fn remove(ctx: &mut Ctx, name: &str, no_revoke: bool) -> Result<(), Error> {
    let registry = accounts::registry(ctx);
    let (_lock, entry) = registry.find_locked(name)?;
    let Ok(meta) = entry.meta().cloned() else {
        // Corrupt: nothing can be revoked; forget whatever is there.
        for store in [AccountStore::File, AccountStore::Keyring] {
            let _ = accounts::clear(ctx, &entry.dir, store);
        }
        accounts::remove_dir(&entry.dir)?;
        ctx.out.info(&format!(
            "Removed the corrupt account {name} ({}); nothing was revoked.",
            entry.dir.display()
        ));
        return Ok(());
    };
    let active_id = accounts::active(ctx).ok().flatten().and_then(|(_, id)| id);
    if active_id.as_deref() == Some(meta.identity.as_str()) {
        accounts::clear(ctx, &entry.dir, meta.store)?;
        accounts::remove_dir(&entry.dir)?;
        ctx.out.info(&format!(
            "Forgot account {name}. It is the active login, which was left as it is (not revoked, \
             not removed); run `codex-creds logout` to log it out."
        ));
        return Ok(());
    }
    let copy = accounts::load_copy(ctx, &entry)?;
    let revoked = match (&copy, no_revoke) {
        (Some(auth), false) => revoke(ctx, auth),
        _ => "not revoked",
    };
    accounts::clear(ctx, &entry.dir, meta.store)?;
    accounts::remove_dir(&entry.dir)?;
    ctx.out.info(&format!(
        "Removed account {name} (refresh token {revoked})."
    ));
    Ok(())
}

/// Revokes a saved login at the issuer that minted it (best effort, as `logout`).
fn revoke(ctx: &Ctx, auth: &AuthDotJson) -> &'static str {
    let Some(tokens) = auth.chatgpt_tokens() else {
        return "not applicable";
    };
    if tokens.refresh_token.is_empty() && tokens.access_token.is_empty() {
        return "not applicable";
    }
    let result = ctx.issuer_for(tokens).and_then(|issuer| {
        let http = ctx.http()?;
        Ok(http.block_on(crate::oauth::revoke::revoke(http, &issuer, tokens))?)
    });
    match result {
        Ok(()) => "revoked",
        Err(err) => {
            ctx.out.warn(&format!(
                "{err}\nThe account is forgotten anyway; its token expires on its own."
            ));
            "not revoked: the issuer could not be reached"
        }
    }
}

/// One line about a login, from its metadata (no secrets): kind, email, plan, workspace.
pub(crate) fn describe(meta: &Meta) -> String {
    let mut parts = vec![meta.auth_mode.clone()];
    parts.extend(meta.email.clone());
    parts.extend(meta.plan_type.clone());
    parts.extend(meta.workspace_id.as_ref().map(|w| format!("workspace {w}")));
    crate::untrusted::shown(&parts.join(", "))
}
