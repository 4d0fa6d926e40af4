//! `account import` and `account export`: an auth.json in (a file, stdin, or the accounts of
//! the `codex-auth` switcher, which are only read) and out (stdout, with a warning; with
//! `--access-only` the refresh token is left out, so the copy can never rotate or revoke the
//! login).

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::Value;

use crate::accounts::{self, identity, name};
use crate::auth_json::AuthDotJson;
use crate::cli::{AccountImportArgs, ImportSource};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::secret::Secret;

/// An auth.json larger than this is not credentials.
const MAX_AUTH_BYTES: u64 = 1 << 20;

pub fn import(ctx: &mut Ctx, args: &AccountImportArgs) -> Result<(), Error> {
    match (&args.from, &args.file, &args.name) {
        (Some(ImportSource::CodexAuth), _, _) => import_codex_auth(ctx),
        (None, Some(file), Some(name)) => import_file(ctx, file, name),
        // clap requires a source, and a NAME with a FILE.
        _ => Err(Error::AccountUsage(
            "give an auth.json FILE (or -) with --name NAME, or --from codex-auth".to_owned(),
        )),
    }
}

fn import_file(ctx: &mut Ctx, file: &Path, name: &str) -> Result<(), Error> {
    name::validate(name).map_err(Error::AccountUsage)?;
    let store = accounts::store_for_new(ctx)?;
    let (bytes, source) = if file == Path::new("-") {
        (
            crate::input::read_document("auth.json")?,
            "stdin".to_owned(),
        )
    } else {
        (read_file(file)?, file.display().to_string())
    };
    let auth = AuthDotJson::parse(&bytes).map_err(|err| {
        Error::AccountUsage(format!(
            "{source} is not an auth.json codex-creds can use: {err}. Nothing was written."
        ))
    })?;
    let id = identity::of(&auth).map_err(|why| {
        Error::AccountUsage(format!(
            "{source} cannot be saved as an account: {why}. Nothing was written."
        ))
    })?;
    let registry = accounts::registry(ctx);
    let _lock = registry.lock()?;
    accounts::reconcile(ctx, &registry)?;
    accounts::check_new(ctx, &registry, name, &id)?;
    let dir = accounts::create(ctx, &registry, name, store, &auth, id)?;
    ctx.out.info(&format!(
        "Imported {source} as account {name} ({}).",
        dir.display()
    ));
    Ok(())
}

fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let unreadable = |err: std::io::Error| {
        Error::AccountUsage(format!(
            "cannot read {}: {err}. Nothing was written.",
            path.display()
        ))
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    if !file.metadata().map_err(unreadable)?.is_file() {
        return Err(Error::AccountUsage(format!(
            "{} is not a regular file; nothing was written",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_AUTH_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_AUTH_BYTES {
        return Err(Error::AccountUsage(format!(
            "{} is too large to be an auth.json; nothing was written",
            path.display()
        )));
    }
    Ok(bytes)
}

/// One account of codex-auth's registry (backend.md §4): its key, and how to name it.
struct Candidate {
    key: String,
    alias: Option<String>,
    email: Option<String>,
}

/// `account import --from codex-auth`: reads CODEX_HOME/accounts/registry.json and each
/// account's `<key>.auth.json`; writes nothing there. The active login and logins already
/// saved are skipped, one line each.
fn import_codex_auth(ctx: &mut Ctx) -> Result<(), Error> {
    let store = accounts::store_for_new(ctx)?;
    let theirs = ctx.home.dir().join("accounts");
    let registry_json = theirs.join("registry.json");
    let bytes = read_file(&registry_json).map_err(|_| {
        Error::NotLoggedIn(format!(
            "no codex-auth accounts found: {} cannot be read",
            registry_json.display()
        ))
    })?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|err| {
        Error::AccountUsage(format!(
            "{} is not codex-auth's registry ({}); nothing was imported",
            registry_json.display(),
            crate::untrusted::shown(&err.to_string())
        ))
    })?;
    let candidates = candidates(&doc);
    let registry = accounts::registry(ctx);
    let _lock = registry.lock()?;
    accounts::reconcile(ctx, &registry)?;
    let active_id = accounts::active(ctx).ok().flatten().and_then(|(_, id)| id);
    let mut imported = 0;
    for candidate in candidates {
        let shown_key = crate::untrusted::shown(&candidate.key);
        let Some(path) = auth_file(&theirs, &candidate.key) else {
            ctx.out
                .warn(&format!("skipped {shown_key}: its auth.json was not found"));
            continue;
        };
        let auth = match read_file(&path).and_then(|bytes| {
            AuthDotJson::parse(&bytes).map_err(|err| Error::AccountUsage(err.to_string()))
        }) {
            Ok(auth) => auth,
            Err(err) => {
                ctx.out.warn(&format!("skipped {}: {err}", path.display()));
                continue;
            }
        };
        let Ok(id) = identity::of(&auth) else {
            ctx.out
                .warn(&format!("skipped {}: it has no identity", path.display()));
            continue;
        };
        if active_id.as_deref() == Some(id.as_str()) {
            ctx.out.info(&format!(
                "Skipped {shown_key}: it is the active login (save it with `codex-creds account \
                 save NAME`)."
            ));
            continue;
        }
        if let Some(other) = registry.by_identity(&id)? {
            ctx.out.info(&format!(
                "Skipped {shown_key}: already saved as account {}.",
                other.name
            ));
            continue;
        }
        let name = free_name(&registry, &candidate);
        match accounts::create(ctx, &registry, &name, store, &auth, id) {
            Ok(_) => {
                imported += 1;
                ctx.out
                    .info(&format!("Imported {shown_key} as account {name}."));
            }
            Err(err) => ctx.out.warn(&format!("skipped {shown_key}: {err}")),
        }
    }
    ctx.out.info(&format!(
        "Imported {imported} account(s); {} was only read.",
        theirs.display()
    ));
    Ok(())
}

/// The accounts of a codex-auth registry (schema 3 or 4: `accounts` as a list or a map).
fn candidates(doc: &Value) -> Vec<Candidate> {
    let items: Vec<&Value> = match doc.get("accounts") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(Value::Object(map)) => map.values().collect(),
        _ => Vec::new(),
    };
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    items
        .into_iter()
        .filter_map(|item| {
            Some(Candidate {
                key: text(item, "account_key")?,
                alias: text(item, "alias"),
                email: text(item, "email"),
            })
        })
        .collect()
}

/// `<key>.auth.json`, or its base64url form when the key is not filename-safe.
fn auth_file(dir: &Path, key: &str) -> Option<PathBuf> {
    let plain = (!key.contains(['/', '\\']) && !key.starts_with('.'))
        .then(|| dir.join(format!("{key}.auth.json")));
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key);
    plain
        .into_iter()
        .chain(std::iter::once(dir.join(format!("{encoded}.auth.json"))))
        .find(|p| p.is_file())
}

/// The alias, else the email, else `codex-auth`, made a valid free name (`-2`, `-3`, … when
/// taken).
fn free_name(registry: &accounts::Registry, candidate: &Candidate) -> String {
    let base = candidate
        .alias
        .as_deref()
        .and_then(name::sanitise)
        .or_else(|| candidate.email.as_deref().and_then(name::sanitise))
        .unwrap_or_else(|| "codex-auth".to_owned());
    let base: String = base.chars().take(name::MAX_LEN - 4).collect();
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|n| !registry.dir(n).exists())
        .unwrap_or(base)
}

/// `account export NAME [--access-only]`.
pub fn export(ctx: &mut Ctx, name: &str, access_only: bool) -> Result<(), Error> {
    let allowed = super::allowed(ctx);
    accounts::with_account(ctx, name, &allowed, |account| {
        let Some(loaded) = account.load()? else {
            return Err(Error::NotLoggedIn(format!(
                "account {name} has no credentials to export"
            )));
        };
        let mut auth = loaded.auth;
        if access_only && let Some(tokens) = auth.tokens.as_mut() {
            tokens.refresh_token = Secret::new("");
        }
        account.out.data(&auth.to_pretty_json());
        let warning = if access_only {
            "this auth.json holds the account's access token (and any API key): whoever has it \
             can use the account until the token expires. It has no refresh token, so it can \
             never rotate or revoke the saved login."
        } else {
            "this auth.json holds the account's secrets, its refresh token too: whoever has it \
             can use the account. A copy that refreshes rotates the token, and the saved \
             account's copy then stops working; use --access-only for CI."
        };
        account.out.warn(warning);
        Ok(())
    })
}
