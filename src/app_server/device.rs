//! `account/login/start {type: "chatgptDeviceCode"}`: the device-code login (spec §6). The code
//! is asked for before the answer (`loginId`, `verificationUrl`, `userCode`); polling runs on
//! its own thread, cancellable like the browser login, and ends in `account/login/completed`.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::oauth::device::{self, DeviceCode};
use crate::oauth::pkce::OsRandom;
use crate::oauth::{Issuer, token};
use crate::signin;

use super::browser::{CANCELLED, uuid};
use super::login::{completed, updated};
use super::wire::RpcError;
use super::{Call, Server};

/// Consecutive failed polls (network or 5xx) before the login gives up, as the CLI's.
const POLL_ATTEMPTS: u32 = 3;

pub fn start(call: &mut Call) -> Result<Value, RpcError> {
    let issuer = call.ctx.issuer();
    let id = uuid(&mut OsRandom).map_err(|e| RpcError::internal(e.to_string()))?;
    let http = call
        .ctx
        .http()
        .map_err(|e| RpcError::internal(e.to_string()))?;
    let code = http
        .block_on(device::request_code(&http.plain, &issuer))
        .map_err(|e| RpcError::internal(e.to_string()))?;
    call.server.logins.cancel_all();
    let (cancel, cancelled) = tokio::sync::oneshot::channel();
    call.server.logins.begin(&id, cancel);
    let answer = json!({
        "type": "chatgptDeviceCode",
        "loginId": id,
        "verificationUrl": issuer.device_verification_url(),
        "userCode": code.user_code,
    });
    let server = Arc::clone(&call.server);
    std::thread::spawn(move || wait(server, id, issuer, code, cancelled));
    Ok(answer)
}

fn wait(
    server: Arc<Server>,
    id: String,
    issuer: Issuer,
    code: DeviceCode,
    cancelled: tokio::sync::oneshot::Receiver<()>,
) {
    let mut ctx = server.new_ctx();
    let outcome = (|| -> Result<Option<String>, String> {
        let http = ctx.http().map_err(|e| e.to_string())?;
        let grant = http.block_on(async {
            tokio::select! {
                _ = cancelled => None,
                grant = device::wait_for_approval(&http.plain, &issuer, &code, POLL_ATTEMPTS) => Some(grant),
            }
        });
        let grant = grant
            .ok_or_else(|| CANCELLED.to_owned())?
            .map_err(|e| e.to_string())?;
        let tokens = http
            .block_on(token::exchange_code(
                &http.plain,
                &issuer,
                &grant.authorization_code,
                &issuer.device_redirect_uri(),
                &grant.code_verifier,
            ))
            .map_err(|e| format!("Token exchange failed: {e}"))?;
        // No API-key exchange after a device login, as in Codex 0.169 (spec §6).
        let saved =
            signin::save_tokens(&mut ctx, &issuer, tokens, None).map_err(|e| e.to_string())?;
        Ok(saved.plan)
    })();
    server.logins.end(&id);
    match outcome {
        Ok(plan) => {
            completed(&server.peer, Some(&id), Ok(()));
            updated(
                &server.peer,
                json!("chatgpt"),
                json!(plan.map(|p| p.to_lowercase())),
            );
        }
        Err(error) => completed(&server.peer, Some(&id), Err(error)),
    }
}
