//! `account/login/start`, `account/login/cancel` and `account/logout`, with Codex's answers,
//! errors and notifications (`account/login/completed`, then `account/updated`). Logins are
//! saved as `codex-creds login` saves them (`crate::signin`); external tokens stay in memory.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::auth_json::AuthDotJson;
use crate::config::LoginMethod;
use crate::signin;

use super::account::{self, Login};
use super::external;
use super::peer::Peer;
use super::wire::RpcError;
use super::{Call, browser, device};

pub const EXTERNAL_ACTIVE: &str = "External auth is active. Use account/login/start \
                               (chatgptAuthTokens) to update it or account/logout to clear it.";

/// The browser logins in progress, by login id: each can be cancelled.
#[derive(Default)]
pub struct Logins {
    active: Mutex<HashMap<String, tokio::sync::oneshot::Sender<()>>>,
}

impl Logins {
    /// Registers a new login, cancelling the ones before it (Codex runs one at a time).
    pub fn begin(&self, id: &str, cancel: tokio::sync::oneshot::Sender<()>) {
        let mut active = self.active.lock().unwrap_or_else(|p| p.into_inner());
        for (_, earlier) in active.drain() {
            let _ = earlier.send(());
        }
        active.insert(id.to_owned(), cancel);
    }

    /// Cancels `id`; `false` when no such login is running.
    fn cancel(&self, id: &str) -> bool {
        let found = self
            .active
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
        found.map(|cancel| cancel.send(())).is_some()
    }

    /// The login `id` ended by itself.
    pub fn end(&self, id: &str) {
        self.active
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(id);
    }

    pub fn cancel_all(&self) {
        let mut active = self.active.lock().unwrap_or_else(|p| p.into_inner());
        for (_, cancel) in active.drain() {
            let _ = cancel.send(());
        }
    }
}

/// `account/login/start`, tagged by `type`.
pub fn start(call: &mut Call, params: Value) -> Result<Value, RpcError> {
    let kind = params["type"].as_str().unwrap_or_default().to_owned();
    let external_active = call
        .server
        .external
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .is_some();
    if external_active && kind != "chatgptAuthTokens" {
        return Err(RpcError::invalid(EXTERNAL_ACTIVE));
    }
    let forced = call.ctx.config.forced_login_method;
    match kind.as_str() {
        "apiKey" => {
            if forced == Some(LoginMethod::Chatgpt) {
                return Err(RpcError::invalid(
                    "API key login is disabled. Use ChatGPT login instead.",
                ));
            }
            let Some(key) = params["apiKey"].as_str() else {
                return Err(RpcError::invalid("Invalid request: missing field `apiKey`"));
            };
            let key = crate::input::validate(key, "API key")
                .map_err(|err| RpcError::invalid(err.to_string()))?;
            signin::save(&mut call.ctx, &AuthDotJson::from_api_key(key))
                .map_err(|err| RpcError::internal(err.to_string()))?;
            call.then(|call| {
                completed(&call.server.peer, None, Ok(()));
                updated(&call.server.peer, json!("apikey"), Value::Null);
            });
            Ok(json!({"type": "apiKey"}))
        }
        "chatgptAuthTokens" => external_login(call, &params),
        "chatgpt" => {
            if forced == Some(LoginMethod::Api) {
                return Err(RpcError::invalid(
                    "ChatGPT login is disabled. Use API key login instead.",
                ));
            }
            browser::start(call, &params)
        }
        "chatgptDeviceCode" => {
            if forced == Some(LoginMethod::Api) {
                return Err(RpcError::invalid(
                    "ChatGPT login is disabled. Use API key login instead.",
                ));
            }
            device::start(call)
        }
        "amazonBedrock" | "amazonBedrockAccessKeys" => Err(RpcError::internal(
            "Amazon Bedrock logins are not supported by codex-creds",
        )),
        other => Err(RpcError::invalid(format!(
            "Invalid request: unknown variant `{}`, expected one of `apiKey`, `chatgpt`, \
             `chatgptDeviceCode`, `chatgptAuthTokens`, `amazonBedrock`, `amazonBedrockAccessKeys`",
            crate::untrusted::printable(other, 100)
        ))),
    }
}

/// `chatgptAuthTokens`: the client's tokens, in memory only; then discovery decides whether
/// the login completed (spec §13.3).
fn external_login(call: &mut Call, params: &Value) -> Result<Value, RpcError> {
    let experimental = call
        .server
        .client
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .is_some_and(|c| c.experimental_api);
    if !experimental {
        return Err(RpcError::invalid(
            "account/login/start.chatgptAuthTokens requires experimentalApi capability",
        ));
    }
    if call.ctx.config.forced_login_method == Some(LoginMethod::Api) {
        return Err(RpcError::invalid(
            "External ChatGPT auth is disabled. Use API key login instead.",
        ));
    }
    let ext = external::from_params(params, call.ctx.now())?;
    if let Err(violation) = crate::restrictions::check_login(
        &call.ctx.config,
        crate::auth_json::AuthMode::ChatGptAuthTokens,
        ext.account_id(),
    ) {
        return Err(RpcError::invalid(format!("{violation}")));
    }
    *call
        .server
        .external
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(ext.clone());
    call.then(move |call| {
        let plan = ext.plan.clone();
        match account::discover(call, Login::External(ext)) {
            Ok(_) => {
                completed(&call.server.peer, None, Ok(()));
                updated(&call.server.peer, json!("chatgptAuthTokens"), json!(plan));
            }
            Err(_) => completed(
                &call.server.peer,
                None,
                Err("workspace routing discovery failed".into()),
            ),
        }
    });
    Ok(json!({"type": "chatgptAuthTokens"}))
}

/// `account/login/cancel {loginId}`.
pub fn cancel(call: &mut Call, params: Value) -> Result<Value, RpcError> {
    let id = params["loginId"].as_str().unwrap_or_default();
    if call.server.logins.cancel(id) {
        Ok(json!({"status": "canceled"}))
    } else {
        Err(RpcError::invalid(format!(
            "invalid login id: {}",
            crate::untrusted::printable(id, 200)
        )))
    }
}

/// `account/logout`: clears external tokens, revokes a managed ChatGPT refresh token (best
/// effort), removes the stored credentials everywhere, then `account/updated` (spec §7).
pub fn logout(call: &mut Call) -> Result<Value, RpcError> {
    call.server
        .external
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    let stored = call.ctx.load().ok().flatten();
    if let Some(tokens) = stored.as_ref().and_then(|l| l.auth.chatgpt_tokens())
        && !tokens.refresh_token.is_empty()
    {
        let revoked = call.ctx.issuer_for(tokens).and_then(|issuer| {
            let http = call.ctx.http()?;
            Ok(http.block_on(crate::oauth::revoke::revoke(http, &issuer, tokens))?)
        });
        if let Err(err) = revoked {
            call.ctx.out.warn(&format!("logout: {err}"));
        }
    }
    let lock = call
        .ctx
        .lock()
        .map_err(|err| RpcError::internal(err.to_string()))?;
    let removed = call.ctx.stores().delete_everywhere(&lock);
    drop(lock);
    call.ctx.invalidate();
    removed.map_err(|err| RpcError::internal(err.to_string()))?;
    call.then(|call| updated(&call.server.peer, Value::Null, Value::Null));
    Ok(json!({}))
}

/// `account/login/completed`.
pub fn completed(peer: &Peer, login_id: Option<&str>, outcome: Result<(), String>) {
    let (success, error) = match outcome {
        Ok(()) => (true, None),
        Err(error) => (false, Some(error)),
    };
    peer.notify(
        "account/login/completed",
        json!({"loginId": login_id, "success": success, "error": error, "onboardingEntrypoint": null}),
    );
}

/// `account/updated`.
pub fn updated(peer: &Peer, auth_mode: Value, plan: Value) {
    peer.notify(
        "account/updated",
        json!({"authMode": auth_mode, "planType": plan}),
    );
}
