//! Saving a new login, shared by `codex-creds login` and the app-server: the workspace check,
//! Codex's fields (`oauth_provenance`, `login_owner_id`, `account_id`, spec §5.4–§5.5), the save
//! under Codex's locks, then the best-effort revocation of the login it replaced.
//!
//! The previous credentials stay untouched until the new login is saved.

use crate::auth_json::{AuthDotJson, AuthMode, IdToken, OAuthProvenance, TokenData};
use crate::config::StoreMode;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::oauth::pkce::{self, OsRandom};
use crate::oauth::token::TokenResponse;
use crate::oauth::{Issuer, OAuthError};
use crate::restrictions;
use crate::secret::Secret;
use crate::storage::StoreKind;

/// Saves a new login in the configured store, under Codex's locks. A malformed auth.json is
/// first copied to a 0600 backup (and the user told where). Returns where it was saved.
pub fn save(ctx: &mut Ctx, auth: &AuthDotJson) -> Result<String, Error> {
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

/// What a finished login reports.
pub struct Saved {
    pub email: Option<String>,
    pub plan: Option<String>,
    pub location: String,
    pub with_api_key: bool,
}

/// Checks the tokens against the config and saves them as Codex would (spec §5.5), then revokes
/// the refresh token of the login they replace (best effort).
pub fn save_tokens(
    ctx: &mut Ctx,
    issuer: &Issuer,
    tokens: TokenResponse,
    api_key: Option<Secret>,
) -> Result<Saved, Error> {
    // A malformed reply is a server failure (exit 6), as in a refresh reply.
    let id_token = IdToken::parse(tokens.id_token.expose()).map_err(|err| {
        OAuthError::Transient(format!(
            "the issuer returned an id_token that {err}; nothing was saved"
        ))
    })?;
    let account_id = id_token.claims.account_id.clone();
    restrictions::check_login(&ctx.config, AuthMode::ChatGpt, account_id.as_deref()).map_err(
        |violation| {
            Error::Restricted(format!(
                "{violation}. Nothing was saved; sign in to an allowed workspace."
            ))
        },
    )?;
    let owner = pkce::login_owner_id(&mut OsRandom)?;
    let email = id_token.claims.email.clone();
    let plan = id_token.claims.plan_type.clone();
    let data = TokenData {
        id_token,
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        oauth_provenance: Some(OAuthProvenance {
            issuer: issuer.base_url.clone(),
            client_id: issuer.client_id.clone(),
        }),
        login_owner_id: Some(owner),
        account_id,
        extra: serde_json::Map::new(),
    };
    // What this login replaces, read before the save (an unreadable store replaces nothing).
    let previous = ctx
        .load()
        .ok()
        .flatten()
        .and_then(|loaded| loaded.auth.tokens);
    let with_api_key = api_key.is_some();
    let auth = AuthDotJson::from_chatgpt(data, api_key, ctx.now());
    let location = save(ctx, &auth)?;
    if let Some(old) = previous {
        let replaced = auth
            .tokens
            .as_ref()
            .is_none_or(|new| new.refresh_token != old.refresh_token);
        if replaced && !old.refresh_token.is_empty() {
            revoke_previous(ctx, &old);
        }
    }
    Ok(Saved {
        email,
        plan,
        location,
        with_api_key,
    })
}

/// Revokes the refresh token of the login that was just replaced, at the issuer that minted it
/// (best effort, never fails the login).
fn revoke_previous(ctx: &Ctx, old: &TokenData) {
    let result = ctx.issuer_for(old).and_then(|issuer| {
        let http = ctx.http()?;
        Ok(http.block_on(crate::oauth::revoke::revoke(http, &issuer, old))?)
    });
    if let Err(err) = result {
        ctx.out.warn(&format!(
            "{err}\nThe new login is saved; the previous refresh token expires on its own."
        ));
    }
}
