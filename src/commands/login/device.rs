//! `codex-creds login --device-auth`: the device-code login (spec §6). The instructions go to
//! stderr (stdout stays clean for scripts), coloured only on a terminal.

use anstyle::{AnsiColor, Style};

use crate::cli::LoginArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::oauth::device;
use crate::oauth::{reply, token};

use super::chatgpt;
use super::wait::{Deadline, Interrupt, interruptible, stopped};

const LINK: Style = AnsiColor::Blue.on_default().bold();
const DIM: Style = Style::new().dimmed();
/// Consecutive failed polls (network or 5xx) before the login gives up.
const POLL_ATTEMPTS: u32 = 3;

pub fn run(ctx: &mut Ctx, args: &LoginArgs) -> Result<(), Error> {
    chatgpt::refuse_if_forbidden(ctx)?;
    let issuer = ctx.issuer();
    let deadline = Deadline::after(args.timeout);
    let what = "device-code login";
    let http = ctx.http()?;
    let mut interrupt = Interrupt::listen(http)?;
    let code = match http.block_on(interruptible(
        device::request_code(&http.plain, &issuer),
        deadline,
        &mut interrupt,
    )) {
        Ok(result) => result?,
        Err(stop) => return Err(stopped(ctx, stop, args.timeout, what)),
    };
    ctx.out.info(&format!(
        "\nTo sign in with ChatGPT, open this link in a browser on any device:\n\n   \
         {LINK}{}{LINK:#}\n\nand enter this one-time code {DIM}(it expires in 15 minutes){DIM:#}:\
         \n\n   {LINK}{}{LINK:#}\n\n{DIM}Continue only if you started this login yourself. If a \
         website or another person gave you this code, cancel.{DIM:#}\n",
        issuer.device_verification_url(),
        reply::clean(&code.user_code),
    ));

    let spinner = ctx
        .out
        .spinner("Waiting for the sign-in to be approved (Ctrl-C to cancel)");
    let polled = http.block_on(interruptible(
        device::wait_for_approval(&http.plain, &issuer, &code, POLL_ATTEMPTS),
        deadline,
        &mut interrupt,
    ));
    spinner.finish_and_clear();
    let grant = match polled {
        Ok(result) => result.map_err(Error::from)?,
        Err(stop) => return Err(stopped(ctx, stop, args.timeout, what)),
    };

    let redirect_uri = issuer.device_redirect_uri();
    let tokens = match http.block_on(interruptible(
        token::exchange_code(
            &http.plain,
            &issuer,
            &grant.authorization_code,
            &redirect_uri,
            &grant.code_verifier,
        ),
        deadline,
        &mut interrupt,
    )) {
        Ok(result) => result?,
        Err(stop) => return Err(stopped(ctx, stop, args.timeout, what)),
    };
    // No API-key exchange after a device login, as in Codex 0.169 (spec §6).
    let saved = chatgpt::save_tokens(ctx, &issuer, tokens, None)?;
    chatgpt::report(ctx, &saved);
    Ok(())
}
