//! Unit tests of the accounts use case over a fake keyring and temp homes: a failing store
//! during a switch, reconcile decisions, ChatGPT identities.

use std::time::Duration;

use super::*;
use crate::auth_json::AuthDotJson;
use crate::config::{Config, StoreMode};
use crate::env::Env;
use crate::output::Output;
use crate::paths::CodexHome;
use crate::secret::Secret;
use crate::storage::Stores;
use crate::storage::keyring::KeyringError;
use crate::storage::keyring::fake::FakeKeyring;

fn ctx(mode: StoreMode) -> (tempfile::TempDir, FakeKeyring, Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let fake = FakeKeyring::default();
    let home = CodexHome::resolve(Some(dir.path()), None).unwrap();
    let stores = Stores::with_keyring(
        mode,
        home.dir(),
        Box::new(fake.clone()),
        Duration::from_secs(60),
        true,
    );
    let ctx = Ctx::new(
        Env::default(),
        home,
        Config::default(),
        mode,
        None,
        Output,
        stores,
    );
    (dir, fake, ctx)
}

/// `restrictions::check` over the context's config, as the commands pass it.
fn allowed(ctx: &Ctx) -> impl Fn(&AuthDotJson) -> Result<(), String> + use<> {
    let config = ctx.config.clone();
    move |auth| crate::restrictions::check(&config, auth).map_err(|v| v.to_string())
}

/// [`switch`] with the context's restrictions.
fn switch_to(
    ctx: &mut Ctx,
    registry: &Registry,
    target: &Entry,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Switched, crate::error::Error> {
    let allowed = allowed(ctx);
    switch(ctx, registry, target, &allowed, now)
}

fn key(name: &str) -> AuthDotJson {
    AuthDotJson::from_api_key(Secret::new(format!("sk-{name}-0123456789abcdef")))
}

/// Active login `a` saved as account a (parked), and account b saved in a file store.
fn two_accounts(ctx: &mut Ctx) -> Registry {
    let lock = ctx.lock().unwrap();
    ctx.store().save(&key("a"), &lock).unwrap();
    drop(lock);
    let registry = registry(ctx);
    let _held = registry.lock().unwrap();
    let a_dir = registry.dir("a");
    create_dir(&a_dir, AccountStore::File).unwrap();
    let id_a = identity::of(&key("a")).unwrap();
    Meta::describe(&key("a"), id_a, AccountStore::File, true, ctx.now(), None)
        .write(&a_dir)
        .unwrap();
    let id_b = identity::of(&key("b")).unwrap();
    create(ctx, &registry, "b", AccountStore::File, &key("b"), id_b).unwrap();
    registry
}

fn active_key(ctx: &Ctx) -> AuthDotJson {
    ctx.invalidate();
    ctx.load().unwrap().unwrap().auth
}

#[test]
fn a_switch_writes_back_the_replaced_login_and_parks_the_new_one() {
    let (_dir, _fake, mut ctx) = ctx(StoreMode::File);
    let registry = two_accounts(&mut ctx);
    let b = registry.find("b").unwrap();
    let now = ctx.now();
    assert_eq!(
        switch_to(&mut ctx, &registry, &b, now).unwrap(),
        Switched::Done {
            from: Some("a".into())
        }
    );
    assert_eq!(active_key(&ctx), key("b"));
    let a = registry.find("a").unwrap();
    assert_eq!(
        load_copy(&ctx, &a).unwrap(),
        Some(key("a")),
        "a written back"
    );
    assert_eq!(load_copy(&ctx, &b).unwrap(), None, "b parked");
    assert!(registry.find("b").unwrap().meta.unwrap().parked);
    assert!(!registry.find("a").unwrap().meta.unwrap().parked);
    let b = registry.find("b").unwrap();
    assert_eq!(
        switch_to(&mut ctx, &registry, &b, now).unwrap(),
        Switched::Already
    );
}

#[test]
fn a_keyring_failure_during_a_switch_leaves_the_previous_active_login() {
    // The active login is in the keyring; the accounts keep theirs in files. The write-back
    // (a file) succeeds, then writing the new active login (the keyring) fails.
    let (_dir, fake, mut ctx) = ctx(StoreMode::Keyring);
    let registry = two_accounts(&mut ctx);
    fake.state().fail_set = Some(KeyringError::Other("the keyring refused the write".into()));
    let b = registry.find("b").unwrap();
    let now = ctx.now();
    let err = switch_to(&mut ctx, &registry, &b, now).unwrap_err();
    assert_eq!(err.exit_code(), crate::error::exit_code::STORE, "{err}");
    assert!(
        err.to_string()
            .contains("previous active login is still in place"),
        "{err}"
    );
    fake.state().fail_set = None;
    assert_eq!(
        active_key(&ctx),
        key("a"),
        "the previous login is still active"
    );
    let a = registry.find("a").unwrap();
    assert_eq!(
        load_copy(&ctx, &a).unwrap(),
        None,
        "the write-back was undone"
    );
    assert_eq!(load_copy(&ctx, &b).unwrap(), Some(key("b")), "b is kept");
}

#[cfg(unix)] // a read-only mode bit stands for the failing disk
#[test]
fn a_full_disk_during_a_switch_leaves_the_previous_active_login() {
    // A credential file Codex would refuse to replace (read-only) stands for a failing disk.
    use std::os::unix::fs::PermissionsExt;
    let (dir, _fake, mut ctx) = ctx(StoreMode::File);
    let registry = two_accounts(&mut ctx);
    let auth = dir.path().join("auth.json");
    let before = std::fs::read(&auth).unwrap();
    std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o400)).unwrap();
    let b = registry.find("b").unwrap();
    let now = ctx.now();
    let err = switch_to(&mut ctx, &registry, &b, now).unwrap_err();
    assert_eq!(err.exit_code(), crate::error::exit_code::STORE, "{err}");
    assert_eq!(std::fs::read(&auth).unwrap(), before);
    let a = registry.find("a").unwrap();
    assert_eq!(
        load_copy(&ctx, &a).unwrap(),
        None,
        "the write-back was undone"
    );
    assert_eq!(load_copy(&ctx, &b).unwrap(), Some(key("b")));
}

#[test]
fn restricted_target_is_refused_before_anything_is_written() {
    let (dir, _fake, mut ctx) = ctx(StoreMode::File);
    let registry = two_accounts(&mut ctx);
    ctx.config.forced_login_method = Some(crate::config::LoginMethod::Chatgpt);
    let before = std::fs::read(dir.path().join("auth.json")).unwrap();
    let b = registry.find("b").unwrap();
    let now = ctx.now();
    let err = switch_to(&mut ctx, &registry, &b, now).unwrap_err();
    assert_eq!(err.exit_code(), crate::error::exit_code::RESTRICTED);
    assert_eq!(std::fs::read(dir.path().join("auth.json")).unwrap(), before);
    assert_eq!(load_copy(&ctx, &registry.find("a").unwrap()).unwrap(), None);
}

#[test]
fn reconcile_decisions() {
    let a = key("a");
    let id = identity::of(&a).unwrap();
    let other = key("a2");
    assert_eq!(decide(Some(&a), Some(&id), &id, None), Decision::Nothing);
    assert_eq!(decide(None, None, &id, Some(&a)), Decision::Nothing);
    assert_eq!(
        decide(Some(&a), Some("x"), &id, Some(&a)),
        Decision::Nothing
    );
    assert_eq!(
        decide(Some(&a), Some(&id), &id, Some(&a.clone())),
        Decision::ParkDuplicate
    );
    assert_eq!(
        decide(Some(&a), Some(&id), &id, Some(&other)),
        Decision::KeepBoth
    );
}

#[test]
fn reconcile_parks_a_duplicate_left_by_a_kill_and_keeps_a_different_copy() {
    let (_dir, _fake, mut ctx) = ctx(StoreMode::File);
    let registry = two_accounts(&mut ctx);
    let a = registry.find("a").unwrap();
    // A kill after the write-back: account a's directory holds the active login too.
    put(&ctx, &a.dir, AccountStore::File, &key("a")).unwrap();
    assert_eq!(reconcile(&ctx, &registry).unwrap().as_deref(), Some("a"));
    assert_eq!(load_copy(&ctx, &a).unwrap(), None);
}

fn chatgpt(user: &str, workspace: &str) -> AuthDotJson {
    let claims = serde_json::json!({
        "email": "same@example.com",
        "https://api.openai.com/auth": {"chatgpt_user_id": user, "chatgpt_account_id": workspace}
    });
    let text = serde_json::json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": null,
        "tokens": {
            "id_token": crate::jwt::forge(&claims.to_string()),
            "access_token": "at",
            "refresh_token": "rt",
            "account_id": workspace
        }
    });
    AuthDotJson::parse(text.to_string().as_bytes()).unwrap()
}

#[test]
fn chatgpt_identity_is_user_and_workspace_never_the_email() {
    let personal = identity::of(&chatgpt("user-1", "ws-personal")).unwrap();
    let team = identity::of(&chatgpt("user-1", "ws-team")).unwrap();
    assert_eq!(personal, "chatgpt:user-1:ws-personal");
    assert_ne!(
        personal, team,
        "two workspaces of one person are two accounts"
    );
    assert!(!personal.contains("same@example.com"));
    let no_user = chatgpt("", "ws");
    assert!(identity::of(&no_user).is_ok(), "an empty id is still an id");
}

/// Issue 13: in `auto` mode an account too large for the keyring (Windows Credential Manager's
/// 2560 bytes) is kept in its directory's auth.json, as `auto` does for the active login.
#[test]
fn auto_keeps_an_account_too_large_for_the_keyring_in_its_file() {
    let (_dir, fake, ctx) = ctx(StoreMode::Auto);
    fake.state().blob_limit = Some(16);
    let registry = registry(&ctx);
    let _held = registry.lock().unwrap();
    let id = identity::of(&key("big")).unwrap();
    let dir = create(
        &ctx,
        &registry,
        "big",
        AccountStore::Keyring,
        &key("big"),
        id,
    )
    .unwrap();
    assert!(
        fake.state().items.is_empty(),
        "nothing is left in the keyring"
    );
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("auth.json")).unwrap()).unwrap();
    assert_eq!(saved["OPENAI_API_KEY"], "sk-big-0123456789abcdef");
    assert_eq!(
        registry.find("big").unwrap().meta().unwrap().store,
        AccountStore::File
    );
    assert!(
        !dir.join("config.toml").exists(),
        "no keyring config for a file account"
    );
}

/// ...while `keyring` mode refuses it (exit 7) and leaves no directory behind.
#[test]
fn keyring_mode_refuses_an_account_too_large_for_the_keyring() {
    let (_dir, fake, ctx) = ctx(StoreMode::Keyring);
    fake.state().blob_limit = Some(16);
    let registry = registry(&ctx);
    let _held = registry.lock().unwrap();
    let id = identity::of(&key("big")).unwrap();
    let err = create(
        &ctx,
        &registry,
        "big",
        AccountStore::Keyring,
        &key("big"),
        id,
    )
    .unwrap_err();
    assert_eq!(err.exit_code(), crate::error::exit_code::STORE);
    assert!(!registry.dir("big").exists());
    assert!(fake.state().items.is_empty());
}
