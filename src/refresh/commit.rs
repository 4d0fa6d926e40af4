//! Committing refreshed tokens (spec §3.4): take Codex's locks (patiently: giving up would lose
//! the login), re-read, yield to a newer login, else save onto what is stored now. When the
//! save cannot happen, the tokens go to a 0600 recovery file in CODEX_HOME and the error says
//! how to restore them: a rotated refresh token is never silently dropped.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::{Deps, RefreshOutcome, StaleReason, expired, expiry, same_account, tokens_changed};
use crate::auth_json::{AuthDotJson, LastRefresh, TokenData};
use crate::error::Error;
use crate::lock;
use crate::oauth::refresh_grant::Refreshed;
use crate::storage::{StoreError, file};

/// Saves `refreshed` (obtained with the refresh token of `basis`) under Codex's locks.
pub fn commit(
    deps: &Deps,
    basis: &AuthDotJson,
    refreshed: Refreshed,
    reason: StaleReason,
) -> Result<RefreshOutcome, Error> {
    let now = deps.now();
    let Some(before) = basis.chatgpt_tokens() else {
        return Err(Error::not_logged_in());
    };
    let ours = apply(basis, before, refreshed.clone(), now);
    let paths = &deps.paths;
    let guard = match lock::acquire_with(&paths.auth_lock, &paths.credential_target, lock::PATIENT)
    {
        Ok(guard) => guard,
        Err(err) => return Err(recover(deps, &ours, StoreError::Lock(err), now).into()),
    };
    let stored = match deps.store.load() {
        Ok(Some(loaded)) => loaded.auth,
        Ok(None) => {
            return Err(Error::NotLoggedIn(
                "the credentials were removed while the access token was being refreshed (a \
                 logout?), so the new tokens were not saved. Run `codex-creds login` to sign in \
                 again."
                    .to_owned(),
            ));
        }
        Err(err) => return Err(recover(deps, &ours, err, now).into()),
    };
    if tokens_changed(basis, &stored) {
        // A newer commit (Codex, or a login) landed meanwhile: yield to it, as Codex does.
        same_account(basis, &stored)?;
        drop(guard);
        if expired(&stored, now) {
            return Err(super::account_changed());
        }
        return Ok(RefreshOutcome::Adopted {
            expires_at: expiry(&stored),
        });
    }
    // Onto what is stored now: fields another writer added meanwhile are kept.
    let updated = apply(&stored, before, refreshed, now);
    match deps.store.save(&updated, &guard) {
        Ok(_) => Ok(RefreshOutcome::Refreshed {
            reason,
            expires_at: expiry(&updated),
        }),
        Err(err) => Err(recover(deps, &updated, err, now).into()),
    }
}

/// The stored auth with the new tokens; whatever the issuer left out is kept (spec §12).
pub fn apply(
    stored: &AuthDotJson,
    before: &TokenData,
    refreshed: Refreshed,
    now: DateTime<Utc>,
) -> AuthDotJson {
    let mut auth = stored.clone();
    let mut tokens = stored.tokens.clone().unwrap_or_else(|| before.clone());
    if let Some(id_token) = refreshed.id_token {
        tokens.id_token = id_token;
    }
    tokens.access_token = refreshed.access_token;
    if let Some(refresh_token) = refreshed.refresh_token {
        tokens.refresh_token = refresh_token;
    }
    auth.tokens = Some(tokens);
    auth.last_refresh = Some(LastRefresh::new(now));
    auth
}

/// Keeps `auth` in a recovery file after `failure`; the returned error says where and how to
/// restore it. If even that fails, the error says the new tokens are lost.
fn recover(deps: &Deps, auth: &AuthDotJson, failure: StoreError, now: DateTime<Utc>) -> StoreError {
    let name = format!(
        "codex-creds-recovered-{}.json",
        now.format("%Y%m%dT%H%M%S%.3fZ")
    );
    let mut places = vec![deps.paths.home.join(&name)];
    places.push(std::env::temp_dir().join(&name));
    for path in places {
        if file::save_new(&path, auth).is_ok() {
            return StoreError::SavedElsewhere {
                failure: Box::new(failure),
                restore: restore_command(deps, &path),
                saved_to: path,
            };
        }
    }
    StoreError::Lost {
        failure: Box::new(failure),
    }
}

fn restore_command(deps: &Deps, recovered: &Path) -> String {
    let quote = |path: &Path| format!("'{}'", path.display().to_string().replace('\'', r"'\''"));
    let mv = format!("mv {} {}", quote(recovered), quote(&deps.paths.auth_json));
    if deps.store_is_keyring {
        format!("{mv} && codex-creds migrate --to keyring")
    } else {
        mv
    }
}
