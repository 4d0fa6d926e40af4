//! `codex-creds app-server`: serves Codex's account JSON-RPC API on stdin/stdout until stdin
//! ends (see `crate::app_server`). Starts without a runtime or HTTP client: only a method that
//! needs the network builds them.

use crate::app_server;
use crate::cli::AppServerArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::input;

pub fn run(ctx: &mut Ctx, _args: &AppServerArgs) -> Result<(), Error> {
    let out = ctx.out;
    let mut stdin = std::io::stdin().lock();
    app_server::serve(
        ctx.seed(),
        move || input::protocol_line(&mut stdin),
        Box::new(move |line| out.protocol_line(line)),
        app_server::ASK_TIMEOUT,
    );
    Ok(())
}
