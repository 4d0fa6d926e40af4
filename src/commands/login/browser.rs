//! `codex-creds login`: the browser (authorization code + PKCE) login with a loopback callback
//! (spec §5). The port is bound before the browser opens; the browser gets its page only after
//! the login is saved or has failed, through a redirect to the server's `/success` page.

use crate::cli::LoginArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::oauth::authorize::{self, AuthorizeRequest};
use crate::oauth::browser::{self, Callback, CallbackServer, Page, PortChoice};
use crate::oauth::pkce::{self, OsRandom, Pkce};
use crate::oauth::{OAuthError, reply, token};
use crate::secret::Secret;

use super::chatgpt;
use super::wait::{Deadline, Interrupt, interruptible, stopped};

/// Opens a URL in the user's browser.
pub trait Browser {
    /// `Err` with a reason when no browser could be started.
    fn open(&self, url: &str) -> Result<(), String>;
}

/// The system browser through the `webbrowser` crate (honours `BROWSER` on Linux and BSD).
pub struct SystemBrowser;

impl Browser for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        webbrowser::open(url).map_err(|err| err.to_string())
    }
}

pub fn run(ctx: &mut Ctx, args: &LoginArgs) -> Result<(), Error> {
    chatgpt::refuse_if_forbidden(ctx)?;
    let issuer = ctx.issuer();
    let mut random = OsRandom;
    let pkce = Pkce::generate(&mut random)?;
    let state = pkce::state(&mut random)?;
    let choice = match args.port {
        Some(port) => PortChoice::Exact(port),
        None => PortChoice::Default,
    };
    let bound = browser::bind(choice)?;
    if bound.used_fallback {
        ctx.out.warn(&format!(
            "port {} is in use; listening on the fallback port {} instead",
            browser::DEFAULT_PORT,
            bound.port
        ));
    }
    let redirect_uri = authorize::redirect_uri(bound.port);
    let deadline = Deadline::after(args.timeout);
    let http = ctx.http()?;
    let mut interrupt = Interrupt::listen(http)?;
    let url = authorize::authorize_url(
        &issuer,
        &AuthorizeRequest {
            redirect_uri: &redirect_uri,
            code_challenge: &pkce.challenge,
            state: &state,
            originator: &http.originator,
            allowed_workspaces: &ctx.config.forced_workspace_ids,
        },
    );
    let mut server = http.block_on(async { CallbackServer::start(bound.listener, state) })?;
    ctx.out.info(&format!(
        "Waiting for the sign-in on http://127.0.0.1:{}{}.\n\
         Open this URL in a browser on this machine to sign in with ChatGPT:\n\n{url}\n",
        bound.port,
        browser::CALLBACK_PATH
    ));
    if args.no_browser {
        ctx.out
            .note("on a remote or headless machine, use `codex-creds login --device-auth` instead");
    } else if let Err(reason) = SystemBrowser.open(&url) {
        ctx.out.note(&format!(
            "could not open a browser ({reason}); open the URL above yourself, or use \
             `codex-creds login --device-auth`"
        ));
    }

    let spinner = ctx
        .out
        .spinner("Waiting for the browser sign-in (Ctrl-C to cancel)");
    let out = ctx.out;
    // Refusals are notices, said once each: a hostile page can send many.
    let (mut told_state, mut told_host) = (false, false);
    let waited = http.block_on(interruptible(
        async {
            loop {
                match server.next().await {
                    Some(Callback::StateMismatch) if !told_state => {
                        told_state = true;
                        spinner.suspend(|| {
                            out.warn(
                                "ignored a callback request with a missing or wrong `state` \
                                 (not from this login); still waiting",
                            )
                        })
                    }
                    Some(Callback::WrongHost) if !told_host => {
                        told_host = true;
                        spinner.suspend(|| {
                            out.warn(
                                "refused a request to the login server addressed to another \
                                 host name (a web page trying to reach it?); still waiting",
                            )
                        })
                    }
                    Some(Callback::StateMismatch | Callback::WrongHost) => {}
                    other => return other,
                }
            }
        },
        deadline,
        &mut interrupt,
    ));
    spinner.finish_and_clear();
    let (code, reply) = match waited {
        Err(stop) => return Err(stopped(ctx, stop, args.timeout, "browser login")),
        Ok(event) => match callback_outcome(event, bound.port) {
            Ok(code_and_reply) => code_and_reply,
            Err(err) => {
                // Let the error page already handed to the browser go out first.
                http.block_on(server.stop());
                return Err(err);
            }
        },
    };

    // Exchange, check and save; the browser learns the outcome either way.
    let exchanged = http.block_on(interruptible(
        token::exchange_code(&http.plain, &issuer, &code, &redirect_uri, &pkce.verifier),
        deadline,
        &mut interrupt,
    ));
    let tokens = match exchanged {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(err)) => {
            let _ = reply.send(Page::error(
                "token_exchange_failed",
                "The sign-in code could not be exchanged for tokens.",
            ));
            http.block_on(server.finish());
            return Err(err.into());
        }
        Err(stop) => {
            // The browser is told the login did not complete (at /success) before we stop.
            drop(reply);
            http.block_on(server.finish());
            return Err(stopped(ctx, stop, args.timeout, "browser login"));
        }
    };
    // Best effort, as in Codex: no key is not a failed login.
    let api_key = http
        .block_on(interruptible(
            token::exchange_api_key(&http.plain, &issuer, &tokens.id_token),
            deadline,
            &mut interrupt,
        ))
        .ok()
        .and_then(Result::ok);
    let result = chatgpt::save_tokens(ctx, &issuer, tokens, api_key);
    let page = match &result {
        Ok(saved) => Page::success(saved.email.as_deref()),
        Err(Error::Restricted(_)) => Page::error(
            "workspace_restriction",
            "This workspace is not allowed by your Codex configuration.",
        ),
        Err(_) => Page::error("persist_failed", "The login could not be saved."),
    };
    let _ = reply.send(page);
    let http = ctx.http()?;
    http.block_on(server.finish());
    let saved = result?;
    chatgpt::report(ctx, &saved);
    Ok(())
}

type CodeAndReply = (Secret, tokio::sync::oneshot::Sender<Page>);

/// Maps the event that ended the wait to the code, or to the error that ends the login.
fn callback_outcome(event: Option<Callback>, port: u16) -> Result<CodeAndReply, Error> {
    match event {
        Some(Callback::Code { code, reply }) => Ok((code, reply)),
        Some(Callback::IssuerError { error, description }) => {
            Err(OAuthError::Login(issuer_error_message(&error, description.as_deref())).into())
        }
        Some(Callback::MissingCode) => Err(OAuthError::Login(
            "the issuer redirected back without an authorization code; nothing was changed"
                .to_owned(),
        )
        .into()),
        Some(Callback::Cancel) => Err(Error::Cancelled(format!(
            "the login was cancelled by a request to http://127.0.0.1:{port}/cancel (another \
             login needed the port); nothing was changed"
        ))),
        // The wait loop skips refusals; `None` means the server task ended.
        Some(Callback::StateMismatch | Callback::WrongHost) | None => {
            Err(Error::CallbackServerGone)
        }
    }
}

/// The message for `error=` on the callback (spec §5.4), with the issuer's words cleaned.
fn issuer_error_message(error: &str, description: Option<&str>) -> String {
    if error == "access_denied" && description == Some("missing_codex_entitlement") {
        return "Codex is not enabled for your workspace; ask your workspace administrator for \
                access. Nothing was changed"
            .to_owned();
    }
    let detail = reply::clean(description.unwrap_or(error));
    format!(
        "the sign-in failed at the issuer ({}): {detail}. Nothing was changed",
        reply::clean(error)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_errors_are_explained() {
        assert!(
            issuer_error_message("access_denied", Some("missing_codex_entitlement"))
                .contains("not enabled for your workspace")
        );
        let text = issuer_error_message("access_denied", Some("User said no\u{1b}[2J"));
        assert!(text.contains("access_denied") && text.contains("User said no"));
        assert!(!text.contains('\u{1b}'));
    }
}
