//! `codex-creds app-server`: serves Codex's account JSON-RPC API on stdin/stdout until stdin
//! ends (see `crate::app_server`). Starts without a runtime or HTTP client: only a method that
//! needs the network builds them.

use crate::app_server;
use crate::cli::AppServerArgs;
use crate::ctx::Ctx;
use crate::error::{Error, IssuerOrigin};
use crate::input;
use crate::oauth;

pub fn run(ctx: &mut Ctx, args: &AppServerArgs) -> Result<(), Error> {
    let mut seed = ctx.seed();
    // Codex's app-server takes its logins' issuer and client from these (spec §13.2).
    if let Some(issuer) = seed.env.app_server_login_issuer.clone() {
        oauth::check_issuer_url(&issuer).map_err(|source| Error::UnsafeIssuer {
            origin: IssuerOrigin::Explicit,
            source,
        })?;
        seed.explicit_issuer = Some(issuer);
    }
    if let Some(client_id) = seed.env.app_server_login_client_id.clone() {
        seed.env.client_id = Some(client_id);
    }
    let out = ctx.out;
    let mut stdin = std::io::stdin().lock();
    app_server::serve(
        seed,
        move || input::protocol_line(&mut stdin),
        Box::new(move |line| out.protocol_line(line)),
        app_server::Options {
            ask_timeout: app_server::ASK_TIMEOUT,
            login_port: args.port,
        },
    );
    Ok(())
}
