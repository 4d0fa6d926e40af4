//! `account/read` and `getAuthStatus`: who is logged in, and a usable token. ChatGPT logins
//! go through workspace routing discovery; a 401 there gets one recovery (new tokens from the
//! client for external auth, a refresh for managed logins) and one retry.

use std::time::Duration;

use serde_json::{Value, json};

use crate::auth_json::{AuthDotJson, AuthMode};
use crate::error::Error;
use crate::oauth::OAuthError;
use crate::refresh;

use super::Call;
use super::discovery::{self, Failure, Routing};
use super::external::{self, External};
use super::wire::RpcError;

/// Codex refreshes a token that expires within 5 minutes (spec §12, `proactive_expiry`).
pub const MIN_VALIDITY: Duration = Duration::from_secs(5 * 60);
const DISCOVERY_FAILED: &str = "workspace routing discovery failed";

/// The credentials in force, in Codex's precedence (spec §13.3): external tokens, then
/// `CODEX_ACCESS_TOKEN`, then the configured store.
pub enum Current {
    None,
    External(External),
    Stored(AuthDotJson),
}

pub fn current(call: &Call) -> Result<Current, RpcError> {
    if let Some(ext) = call
        .server
        .external
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
    {
        return Ok(Current::External(ext));
    }
    if let Some(token) = &call.ctx.env.codex_access_token {
        return Ok(Current::Stored(AuthDotJson::from_personal_access_token(
            token.clone(),
        )));
    }
    match call.ctx.load() {
        Ok(Some(loaded)) => Ok(Current::Stored(loaded.auth)),
        Ok(None) => Ok(Current::None),
        Err(err) => Err(RpcError::internal(err.to_string())),
    }
}

/// `account/read {refreshToken?}`.
pub fn read(call: &mut Call, params: Value) -> Result<Value, RpcError> {
    let force = params["refreshToken"] == Value::Bool(true);
    let account = match current(call)? {
        Current::None => return Ok(reply(Value::Null, None, None)),
        Current::External(ext) => chatgpt(call, Login::External(ext))?,
        Current::Stored(auth) => match auth.mode() {
            AuthMode::ChatGpt => {
                if force {
                    // As Codex: a forced refresh first; a failure still shows the account.
                    let _ = refresh::ensure_fresh_in(&mut call.ctx, MIN_VALIDITY, true);
                }
                let auth = match current(call)? {
                    Current::Stored(auth) => auth,
                    _ => auth,
                };
                chatgpt(call, Login::Managed(auth))?
            }
            AuthMode::ApiKey => (json!({"type": "apiKey"}), None, None),
            AuthMode::BedrockApiKey | AuthMode::BedrockAccessKeys => (
                json!({"type": "amazonBedrock", "usesCodexManagedCredentials": true}),
                None,
                None,
            ),
            AuthMode::ChatGptAuthTokens
            | AuthMode::PersonalAccessToken
            | AuthMode::AgentIdentity
            | AuthMode::Headers => (
                json!({"type": "chatgpt", "email": null, "planType": "unknown", "workspaceName": null}),
                None,
                None,
            ),
        },
    };
    let (account, user, routing) = account;
    Ok(reply(account, user, routing))
}

fn reply(account: Value, user: Option<String>, routing: Option<Routing>) -> Value {
    let routing = routing.map(|r| {
        json!({
            "chatgptAccountId": r.account_id,
            "backendOrigin": r.backend_origin,
            "accountRoutingOverride": r.routing_override,
        })
    });
    json!({
        "account": account,
        "userId": user,
        "requiresOpenaiAuth": true,
        "workspaceRouting": routing,
    })
}

/// A ChatGPT login, as discovery needs it.
pub enum Login {
    External(External),
    Managed(AuthDotJson),
}

impl Login {
    pub fn auth(&self) -> &AuthDotJson {
        match self {
            Login::External(ext) => &ext.auth,
            Login::Managed(auth) => auth,
        }
    }
}

type Account = (Value, Option<String>, Option<Routing>);

fn chatgpt(call: &mut Call, login: Login) -> Result<Account, RpcError> {
    let (login, routing) =
        discover(call, login).map_err(|_| RpcError::internal(DISCOVERY_FAILED))?;
    let auth = login.auth();
    let claims = auth
        .tokens
        .as_ref()
        .map(|t| t.id_token.claims.clone())
        .unwrap_or_default();
    let plan = match &login {
        Login::External(ext) => ext.plan.clone(),
        Login::Managed(_) => claims
            .plan_type
            .clone()
            .unwrap_or_else(|| "unknown".to_owned()),
    };
    let account = json!({
        "type": "chatgpt",
        "email": claims.email,
        "planType": plan.to_lowercase(),
        "workspaceName": routing.as_ref().and_then(|r| r.name.clone()),
    });
    Ok((account, claims.user_id, routing))
}

/// Workspace routing discovery with one recovery on 401. Returns the login in force after it
/// (recovery may have replaced the tokens) and the account's routing.
pub fn discover(call: &mut Call, mut login: Login) -> Result<(Login, Option<Routing>), String> {
    let base = call.ctx.config.chatgpt_base_url();
    for attempt in 0..2 {
        let auth = login.auth();
        let (Some(bearer), Some(account)) = (
            auth.tokens.as_ref().map(|t| t.access_token.clone()),
            auth.tokens.as_ref().and_then(|t| t.account_id.clone()),
        ) else {
            return Ok((login, None));
        };
        let http = call.ctx.http().map_err(|err| err.to_string())?;
        match discovery::check(http, &base, &bearer, &account) {
            Ok(routing) => return Ok((login, routing)),
            Err(Failure::Unauthorized) if attempt == 0 => login = recover(call, login)?,
            Err(Failure::Unauthorized) => return Err("unauthorized".to_owned()),
            Err(Failure::Other(why)) => return Err(why),
        }
    }
    Err("unauthorized".to_owned())
}

/// After a 401: new tokens from the client (external auth), or a refresh (managed).
pub fn recover(call: &mut Call, login: Login) -> Result<Login, String> {
    match login {
        Login::External(ext) => external::refresh_from_client(call, &ext).map(Login::External),
        Login::Managed(used) => {
            // As Codex's UnauthorizedRecovery (spec §12.1): a guarded reload, then a refresh
            // with `refresh_reason: unauthorized_recovery` unless another process already did.
            let tokens = used
                .chatgpt_tokens()
                .ok_or_else(|| "the login has no ChatGPT tokens".to_owned())?;
            refresh::recover_unauthorized_in(&mut call.ctx, tokens).map_err(|e| e.to_string())?;
            match current(call).map_err(|e| e.message)? {
                Current::Stored(auth) => Ok(Login::Managed(auth)),
                _ => Err("the login changed during the refresh".to_owned()),
            }
        }
    }
}

/// `getAuthStatus {includeToken, refreshToken}`: with `includeToken` the token is usable (a
/// stale ChatGPT token is refreshed first, in the CLI's single flight); `refreshToken` forces.
pub fn auth_status(call: &mut Call, params: Value) -> Result<Value, RpcError> {
    let include = params["includeToken"] == Value::Bool(true);
    let force = params["refreshToken"] == Value::Bool(true);
    let (method, token) = match current(call)? {
        Current::None => (Value::Null, None),
        Current::External(ext) => (
            json!("chatgptAuthTokens"),
            Some(ext.access_token().to_owned()),
        ),
        Current::Stored(auth) if auth.mode() == AuthMode::ChatGpt => {
            let token = if include || force {
                fresh_token(call, force)
            } else {
                None
            };
            (json!("chatgpt"), token)
        }
        Current::Stored(auth) => (
            json!(auth.mode().as_str()),
            auth.bearer().map(str::to_owned),
        ),
    };
    Ok(json!({
        "authMethod": method,
        "authToken": if include { token.map(Value::from).unwrap_or(Value::Null) } else { Value::Null },
        "requiresOpenaiAuth": true,
    }))
}

/// The stored access token after `ensure_fresh`; `None` after a permanent failure (Codex
/// answers `authToken: null` then, spec §12).
fn fresh_token(call: &mut Call, force: bool) -> Option<String> {
    match refresh::ensure_fresh_in(&mut call.ctx, MIN_VALIDITY, force) {
        Ok(_) => {}
        Err(Error::OAuth(OAuthError::Permanent { .. })) => return None,
        Err(err) => {
            call.ctx.out.warn(&err.to_string());
            return None;
        }
    }
    match current(call).ok()? {
        Current::Stored(auth) => auth.bearer().map(str::to_owned),
        _ => None,
    }
}
