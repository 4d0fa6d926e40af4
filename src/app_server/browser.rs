//! `account/login/start {type: "chatgpt"}`: the browser login of `codex-creds login`, driven
//! by the client. The callback port is bound before the answer (`loginId`, `authUrl`); the
//! callback server (`oauth::browser`) then waits on its own thread, and the outcome arrives as
//! `account/login/completed` (then `account/updated`). A new login cancels the running one.

use std::net::TcpListener;
use std::sync::Arc;

use serde_json::{Value, json};

use crate::oauth::authorize::{self, AuthorizeRequest};
use crate::oauth::browser::{self, Callback, CallbackServer, Page, PortChoice};
use crate::oauth::pkce::{self, OsRandom, Pkce, Random};
use crate::oauth::{Issuer, token};
use crate::secret::Secret;
use crate::signin;

use super::login::{completed, updated};
use super::wire::RpcError;
use super::{Call, Server};

/// Codex's words for a login stopped by a newer one or by `account/login/cancel`.
pub const CANCELLED: &str = "Login server error: Login cancelled";

/// What the waiting thread needs.
struct Pending {
    id: String,
    issuer: Issuer,
    listener: TcpListener,
    state: String,
    verifier: Secret,
    redirect_uri: String,
}

pub fn start(call: &mut Call, _params: &Value) -> Result<Value, RpcError> {
    let failed = |err: &dyn std::fmt::Display| RpcError::internal(err.to_string());
    let issuer = call.ctx.issuer();
    let mut random = OsRandom;
    let pkce = Pkce::generate(&mut random).map_err(|e| failed(&e))?;
    let state = pkce::state(&mut random).map_err(|e| failed(&e))?;
    let id = uuid(&mut random).map_err(|e| failed(&e))?;
    // A newer login takes over the port: stop the running one first.
    call.server.logins.cancel_all();
    let choice = match call.server.options.login_port {
        Some(port) => PortChoice::Exact(port),
        None => PortChoice::Default,
    };
    let bound = browser::bind(choice).map_err(|e| failed(&e))?;
    let redirect_uri = authorize::redirect_uri(bound.port);
    let originator = call
        .ctx
        .env
        .originator_override
        .clone()
        .unwrap_or_else(|| crate::http::ORIGINATOR.to_owned());
    let url = authorize::authorize_url(
        &issuer,
        &AuthorizeRequest {
            redirect_uri: &redirect_uri,
            code_challenge: &pkce.challenge,
            state: &state,
            originator: &originator,
            allowed_workspaces: &call.ctx.config.forced_workspace_ids,
        },
    );
    let (cancel, cancelled) = tokio::sync::oneshot::channel();
    call.server.logins.begin(&id, cancel);
    let pending = Pending {
        id: id.clone(),
        issuer,
        listener: bound.listener,
        state,
        verifier: pkce.verifier,
        redirect_uri,
    };
    let server = Arc::clone(&call.server);
    std::thread::spawn(move || wait(server, pending, cancelled));
    Ok(json!({"type": "chatgpt", "loginId": id, "authUrl": url}))
}

/// Waits for the browser (or a cancel), then exchanges, saves and reports.
fn wait(server: Arc<Server>, p: Pending, cancelled: tokio::sync::oneshot::Receiver<()>) {
    let mut ctx = server.new_ctx();
    let outcome = (|| -> Result<Option<String>, String> {
        let http = ctx.http().map_err(|e| e.to_string())?;
        let mut callbacks = http
            .block_on(async { CallbackServer::start(p.listener, p.state) })
            .map_err(|e| e.to_string())?;
        let event = http.block_on(async {
            tokio::pin!(cancelled);
            loop {
                tokio::select! {
                    _ = &mut cancelled => return None,
                    event = callbacks.next() => match event {
                        Some(Callback::StateMismatch | Callback::WrongHost) => continue,
                        other => return Some(other),
                    },
                }
            }
        });
        let (code, reply) = match event {
            None | Some(Some(Callback::Cancel)) => {
                http.block_on(callbacks.stop());
                return Err(CANCELLED.to_owned());
            }
            Some(Some(Callback::Code { code, reply })) => (code, reply),
            Some(Some(Callback::IssuerError { error, description })) => {
                http.block_on(callbacks.stop());
                let detail = description.unwrap_or(error);
                return Err(format!(
                    "Sign-in failed: {}",
                    crate::untrusted::printable(&detail, 300)
                ));
            }
            Some(_) => {
                http.block_on(callbacks.stop());
                return Err("Missing authorization code. Sign-in could not be completed.".into());
            }
        };
        let tokens = match http.block_on(token::exchange_code(
            &http.plain,
            &p.issuer,
            &code,
            &p.redirect_uri,
            &p.verifier,
        )) {
            Ok(tokens) => tokens,
            Err(err) => {
                let _ = reply.send(Page::error(
                    "token_exchange_failed",
                    "The sign-in code could not be exchanged for tokens.",
                ));
                http.block_on(callbacks.finish());
                return Err(format!("Token exchange failed: {err}"));
            }
        };
        let api_key = http
            .block_on(token::exchange_api_key(
                &http.plain,
                &p.issuer,
                &tokens.id_token,
            ))
            .ok();
        // `save_tokens` needs the context mutably: the server handle is parked meanwhile.
        let saved = signin::save_tokens(&mut ctx, &p.issuer, tokens, api_key);
        let page = match &saved {
            Ok(s) => Page::success(s.email.as_deref()),
            Err(crate::error::Error::Restricted(_)) => Page::error(
                "workspace_restriction",
                "This workspace is not allowed by your Codex configuration.",
            ),
            Err(_) => Page::error("persist_failed", "The login could not be saved."),
        };
        let _ = reply.send(page);
        if let Ok(http) = ctx.http() {
            http.block_on(callbacks.finish());
        }
        saved.map(|s| s.plan).map_err(|e| e.to_string())
    })();
    server.logins.end(&p.id);
    match outcome {
        Ok(plan) => {
            completed(&server.peer, Some(&p.id), Ok(()));
            let plan = plan.map(|p| p.to_lowercase());
            updated(&server.peer, json!("chatgpt"), json!(plan));
        }
        Err(error) => completed(&server.peer, Some(&p.id), Err(error)),
    }
}

/// A random (version 4) UUID, the shape of Codex's login ids.
pub fn uuid(random: &mut dyn Random) -> Result<String, pkce::RandomError> {
    let mut b = [0u8; 16];
    random.fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}
