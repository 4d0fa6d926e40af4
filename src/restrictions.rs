//! Login restrictions from config (`forced_login_method`, `forced_chatgpt_workspace_id`, spec §11).
//!
//! [`check`] is pure; [`enforce`] removes disallowed credentials from every store, deciding only
//! on what it read under Codex's locks, so it never deletes a login it did not check.

use crate::auth_json::{AuthDotJson, AuthMode};
use crate::config::{Config, LoginMethod};
use crate::env::Env;
use crate::error::Error;
use crate::lock::LockGuard;
use crate::storage::{Loaded, StoreError, Stores};

/// Why credentials are not allowed by the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// ChatGPT login is required but an API key (or Bedrock key) is stored.
    ChatGptRequired { found: AuthMode },
    /// API-key login is required but ChatGPT (or a token login) is stored.
    ApiKeyRequired { found: AuthMode },
    /// The workspace of the login is not in the allowed list.
    Workspace {
        allowed: Vec<String>,
        found: Option<String>,
    },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::ChatGptRequired { found } => write!(
                f,
                "forced_login_method = \"chatgpt\" requires a ChatGPT login, but the credentials are an {}",
                found.describe()
            ),
            Violation::ApiKeyRequired { found } => write!(
                f,
                "forced_login_method = \"api\" requires an API key, but the credentials are a {} login",
                found.describe()
            ),
            Violation::Workspace { allowed, found } => {
                write!(
                    f,
                    "login is restricted to workspace(s) {}, but ",
                    allowed.join(", ")
                )?;
                match found {
                    Some(id) => write!(f, "the credentials belong to workspace {id}"),
                    None => write!(f, "the credentials carry no workspace id"),
                }
            }
        }
    }
}

/// Which login method a mode counts as (spec §11: Bedrock counts as an API key; tokens as ChatGPT).
fn method_of(mode: AuthMode) -> LoginMethod {
    match mode {
        AuthMode::ApiKey
        | AuthMode::BedrockApiKey
        | AuthMode::BedrockAccessKeys
        | AuthMode::Headers => LoginMethod::Api,
        AuthMode::ChatGpt
        | AuthMode::ChatGptAuthTokens
        | AuthMode::AgentIdentity
        | AuthMode::PersonalAccessToken => LoginMethod::Chatgpt,
    }
}

/// Checks a login of `mode` (with its workspace id) against the config.
pub fn check_login(
    config: &Config,
    mode: AuthMode,
    workspace: Option<&str>,
) -> Result<(), Violation> {
    match (config.forced_login_method, method_of(mode)) {
        (Some(LoginMethod::Chatgpt), LoginMethod::Api) => {
            return Err(Violation::ChatGptRequired { found: mode });
        }
        (Some(LoginMethod::Api), LoginMethod::Chatgpt) => {
            return Err(Violation::ApiKeyRequired { found: mode });
        }
        _ => {}
    }
    // API-key and Bedrock logins skip the workspace check (spec §11).
    if method_of(mode) == LoginMethod::Api || config.forced_workspace_ids.is_empty() {
        return Ok(());
    }
    match workspace {
        Some(id)
            if config
                .forced_workspace_ids
                .iter()
                .any(|allowed| allowed == id) =>
        {
            Ok(())
        }
        found => Err(Violation::Workspace {
            allowed: config.forced_workspace_ids.clone(),
            found: found.map(str::to_owned),
        }),
    }
}

/// Checks stored credentials. The workspace of a personal access token or agent identity is
/// known only online (Codex asks the issuer at every session start), so an unknown workspace
/// is not a violation here: codex-creds removes only what it knows to be disallowed.
pub fn check(config: &Config, auth: &AuthDotJson) -> Result<(), Violation> {
    let mode = auth.mode();
    let workspace = auth.workspace_id();
    if workspace.is_none() && workspace_known_only_online(mode) {
        let method_only = Config {
            forced_workspace_ids: Vec::new(),
            ..config.clone()
        };
        return check_login(&method_only, mode, None);
    }
    check_login(config, mode, workspace)
}

/// Logins whose workspace only the issuer can tell (spec §10.2: whoami).
fn workspace_known_only_online(mode: AuthMode) -> bool {
    matches!(
        mode,
        AuthMode::PersonalAccessToken | AuthMode::AgentIdentity
    )
}

/// Credentials from the environment that Codex would use and the config forbids. They cannot be
/// removed, so they are reported (spec §8: `CODEX_API_KEY` for `codex exec`, `CODEX_ACCESS_TOKEN`
/// for every command).
pub fn check_env(config: &Config, env: &Env) -> Option<String> {
    match config.forced_login_method {
        Some(LoginMethod::Chatgpt) if env.codex_api_key.is_some() => Some(
            "forced_login_method = \"chatgpt\" requires a ChatGPT login, but CODEX_API_KEY is set in the environment: \
             `codex exec` would use that key, refuse it and log out. Unset CODEX_API_KEY."
                .to_owned(),
        ),
        Some(LoginMethod::Api) if env.codex_access_token.is_some() => Some(
            "forced_login_method = \"api\" requires an API key, but CODEX_ACCESS_TOKEN is set in the environment: \
             Codex would use that token, refuse it and log out. Unset CODEX_ACCESS_TOKEN."
                .to_owned(),
        ),
        _ => None,
    }
}

/// Enforces the restrictions before a command exits: a violation by environment credentials is
/// reported; stored credentials that violate them are removed from every store.
///
/// `seen` is what the command last read (possibly cached, unlocked); `lock` takes Codex's locks.
/// A violation seen there is re-checked on a fresh read under the locks: another process (say
/// `codex login`) may have saved an allowed login meanwhile, and that one stays. Unreadable
/// credentials are the command's business.
pub fn enforce<S: HasStores>(
    config: &Config,
    env: &Env,
    seen: Result<Option<Loaded>, StoreError>,
    session: &mut S,
    lock: impl FnOnce(&mut S) -> Result<LockGuard, Error>,
) -> Result<(), Error> {
    if let Some(message) = check_env(config, env) {
        return Err(Error::Restricted(message));
    }
    let Ok(Some(seen)) = seen else {
        return Ok(());
    };
    if check(config, &seen.auth).is_ok() {
        return Ok(());
    }
    let guard = lock(session)?;
    let stores = session.stores();
    let Ok(Some(current)) = stores.configured().load() else {
        return Ok(());
    };
    let Err(violation) = check(config, &current.auth) else {
        return Ok(());
    };
    let removed = stores.delete_everywhere(&guard);
    drop(guard);
    let mut message = format!("{violation}.");
    match removed {
        Ok(places) if !places.is_empty() => {
            message.push_str(&format!(
                "\nThe credentials were removed ({}).",
                places.join(", ")
            ));
        }
        Ok(_) => {}
        Err(err) => message.push_str(&format!("\nThey could not all be removed: {err}")),
    }
    message.push_str("\nLog in again with an allowed method: `codex-creds login`.");
    Err(Error::Restricted(message))
}

/// Whatever holds the stores `enforce` clears (the command context; a bare `Stores` in tests).
pub trait HasStores {
    fn stores(&self) -> &Stores;
}

impl HasStores for crate::ctx::Ctx {
    fn stores(&self) -> &Stores {
        crate::ctx::Ctx::stores(self)
    }
}

impl HasStores for Stores {
    fn stores(&self) -> &Stores {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn config(method: Option<LoginMethod>, ids: &[&str]) -> Config {
        Config {
            forced_login_method: method,
            forced_workspace_ids: ids.iter().map(|s| s.to_string()).collect(),
            ..Config::default()
        }
    }

    #[test]
    fn method_mismatch_both_ways() {
        let api = AuthMode::ApiKey;
        assert!(check_login(&config(Some(LoginMethod::Chatgpt), &[]), api, None).is_err());
        assert!(check_login(&config(Some(LoginMethod::Api), &[]), api, None).is_ok());
        assert!(
            check_login(
                &config(Some(LoginMethod::Api), &[]),
                AuthMode::ChatGpt,
                Some("ws")
            )
            .is_err()
        );
        assert!(
            check_login(
                &config(Some(LoginMethod::Chatgpt), &[]),
                AuthMode::ChatGpt,
                Some("ws")
            )
            .is_ok()
        );
        assert!(check_login(&config(None, &[]), api, None).is_ok());
    }

    #[test]
    fn workspace_match_and_mismatch() {
        let cfg = config(None, &["ws-a", "ws-b"]);
        assert!(check_login(&cfg, AuthMode::ChatGpt, Some("ws-b")).is_ok());
        let err = check_login(&cfg, AuthMode::ChatGpt, Some("ws-c")).unwrap_err();
        assert!(err.to_string().contains("ws-a, ws-b") && err.to_string().contains("ws-c"));
        assert!(check_login(&cfg, AuthMode::ChatGpt, None).is_err());
        assert!(
            check_login(&cfg, AuthMode::ApiKey, None).is_ok(),
            "API keys skip the workspace check"
        );
    }

    #[test]
    fn stored_tokens_with_an_unknown_workspace_are_not_removed() {
        let pat = AuthDotJson::from_personal_access_token(Secret::new("at-1"));
        assert!(check(&config(None, &["ws-a"]), &pat).is_ok());
        assert!(check(&config(Some(LoginMethod::Api), &["ws-a"]), &pat).is_err());
    }

    #[test]
    fn env_credentials_are_reported() {
        let env = Env {
            codex_api_key: Some(Secret::new("sk-env")),
            ..Env::default()
        };
        assert!(check_env(&config(Some(LoginMethod::Chatgpt), &[]), &env).is_some());
        assert!(check_env(&config(Some(LoginMethod::Api), &[]), &env).is_none());
        assert!(check_env(&config(None, &[]), &env).is_none());
    }

    mod enforcing {
        use super::*;
        use crate::config::StoreMode;
        use crate::error::exit_code;
        use crate::storage::{CredentialStore, stores_with_fake_keyring};

        fn chatgpt_only() -> Config {
            config(Some(LoginMethod::Chatgpt), &[])
        }

        fn chatgpt_login() -> AuthDotJson {
            let text = serde_json::json!({
                "auth_mode": "chatgpt",
                "OPENAI_API_KEY": null,
                "tokens": {
                    "id_token": crate::jwt::forge(r#"{"email":"a@b.c"}"#),
                    "access_token": "at",
                    "refresh_token": "rt",
                    "account_id": "acct"
                }
            });
            AuthDotJson::parse(text.to_string().as_bytes()).unwrap()
        }

        /// Stores holding a forbidden API key, what a command saw of them, and the held lock.
        fn a_forbidden_key_seen() -> (
            tempfile::TempDir,
            Stores,
            Result<Option<Loaded>, StoreError>,
            Option<LockGuard>,
        ) {
            let (dir, _fake, stores, lock) = stores_with_fake_keyring(StoreMode::File, false);
            let key = AuthDotJson::from_api_key(Secret::new("sk-forbidden-0123456789"));
            stores.file().save(&key, &lock).unwrap();
            let seen = stores.configured().load();
            (dir, stores, seen, Some(lock))
        }

        #[test]
        fn removes_a_violation_seen_again_under_the_lock() {
            let (_dir, mut stores, seen, mut lock) = a_forbidden_key_seen();
            let err = enforce(&chatgpt_only(), &Env::default(), seen, &mut stores, |_| {
                Ok(lock.take().unwrap())
            })
            .unwrap_err();
            assert_eq!(err.exit_code(), exit_code::RESTRICTED);
            assert!(err.to_string().contains("were removed"), "{err}");
            assert!(stores.configured().load().unwrap().is_none());
        }

        /// The check ran on an unlocked read; `codex login` saved an allowed login before we got
        /// the lock: that login stays (issue #8, item 4).
        #[test]
        fn keeps_an_allowed_login_saved_between_the_read_and_the_lock() {
            let (_dir, mut stores, seen, mut lock) = a_forbidden_key_seen();
            enforce(
                &chatgpt_only(),
                &Env::default(),
                seen,
                &mut stores,
                |stores| {
                    let guard = lock.take().unwrap();
                    stores.file().save(&chatgpt_login(), &guard).unwrap();
                    Ok(guard)
                },
            )
            .unwrap();
            let kept = stores.configured().load().unwrap().unwrap();
            assert_eq!(kept.auth, chatgpt_login());
        }

        #[test]
        fn takes_no_lock_when_nothing_violates() {
            let (_dir, _fake, mut stores, lock) = stores_with_fake_keyring(StoreMode::File, false);
            stores.file().save(&chatgpt_login(), &lock).unwrap();
            let seen = stores.configured().load();
            enforce(&chatgpt_only(), &Env::default(), seen, &mut stores, |_| {
                panic!("no lock is needed")
            })
            .unwrap();
            let unreadable = Err(StoreError::Migration("unreadable".into()));
            enforce(
                &chatgpt_only(),
                &Env::default(),
                unreadable,
                &mut stores,
                |_| panic!("unreadable credentials are the command's business"),
            )
            .unwrap();
        }

        #[test]
        fn reports_environment_credentials_without_touching_the_stores() {
            let (_dir, _fake, mut stores, lock) = stores_with_fake_keyring(StoreMode::File, false);
            stores.file().save(&chatgpt_login(), &lock).unwrap();
            let env = Env {
                codex_api_key: Some(Secret::new("sk-env")),
                ..Env::default()
            };
            let seen = stores.configured().load();
            let err = enforce(&chatgpt_only(), &env, seen, &mut stores, |_| {
                panic!("nothing is removed")
            })
            .unwrap_err();
            assert_eq!(err.exit_code(), exit_code::RESTRICTED);
            assert!(stores.configured().load().unwrap().is_some());
        }
    }
}
