//! Non-interactive logins: an API key (stdin, hidden prompt, or argv with a warning) and a
//! personal access token (stdin), stored as Codex stores them (spec §10).

use crate::auth_json::{AuthDotJson, AuthMode};
use crate::cli::LoginArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::input;
use crate::oauth::whoami;
use crate::restrictions;

/// `login --with-api-key` / `login --api-key [KEY]`.
pub fn api_key(ctx: &mut Ctx, args: &LoginArgs) -> Result<(), Error> {
    refuse_if_restricted(ctx, AuthMode::ApiKey, "API key")?;
    let key = match args.api_key.as_deref().filter(|key| !key.is_empty()) {
        Some(on_argv) => {
            ctx.out.warn(
                "the API key was given on the command line, where other processes and your shell \
                 history can see it; prefer `... | codex-creds login --with-api-key`",
            );
            input::validate(on_argv, "API key")?
        }
        None => input::read_secret("API key")?,
    };
    let masked = key.mask();
    // Saving an API key replaces any ChatGPT tokens, as Codex does.
    let location = super::save(ctx, &AuthDotJson::from_api_key(key))?;
    ctx.out
        .info(&format!("Saved the API key {masked} to {location}."));
    Ok(())
}

/// `login --with-access-token`: a personal access token (`at-…`).
pub fn access_token(ctx: &mut Ctx) -> Result<(), Error> {
    refuse_if_restricted(ctx, AuthMode::PersonalAccessToken, "access token")?;
    let token = input::read_secret("access token")?;
    if !token.expose().starts_with("at-") {
        return Err(Error::UnsupportedAccessToken);
    }
    // Who the token belongs to, before anything is saved (spec §10.2): this validates the
    // token and gives the workspace the restriction is checked against.
    let base = ctx
        .env
        .authapi_base_url
        .clone()
        .unwrap_or_else(|| format!("{}/api/accounts", ctx.issuer().base_url));
    let http = ctx.http()?;
    let who = http.block_on(whoami::whoami(&http.default, &base, &token))?;
    restrictions::check_login(
        &ctx.config,
        AuthMode::PersonalAccessToken,
        who.chatgpt_account_id.as_deref(),
    )
    .map_err(|violation| {
        Error::Restricted(format!(
            "{violation}. Nothing was saved; use a token of an allowed workspace."
        ))
    })?;
    let masked = token.mask();
    let location = super::save(ctx, &AuthDotJson::from_personal_access_token(token))?;
    // Server text, shown bounded and cleaned.
    let mut about: Vec<String> = Vec::new();
    if let Some(email) = &who.email {
        about.push(crate::oauth::reply::clean(email));
    }
    if let Some(plan) = &who.chatgpt_plan_type {
        about.push(crate::jwt::plan_label(plan).to_owned());
    }
    if let Some(account) = &who.chatgpt_account_id {
        about.push(format!("workspace {}", crate::oauth::reply::clean(account)));
    }
    let owner = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join(", "))
    };
    ctx.out.info(&format!(
        "Saved the personal access token {masked}{owner} to {location}."
    ));
    Ok(())
}

/// A login the config forbids is refused before anything is read or written.
fn refuse_if_restricted(ctx: &Ctx, mode: AuthMode, what: &str) -> Result<(), Error> {
    // The workspace of a personal access token is only known after whoami; API keys skip it.
    let method_only = crate::config::Config {
        forced_workspace_ids: Vec::new(),
        ..ctx.config.clone()
    };
    restrictions::check_login(&method_only, mode, None).map_err(|_| {
        let (method, allowed) = match ctx.config.forced_login_method {
            Some(crate::config::LoginMethod::Api) => ("api", "`codex-creds login --with-api-key`"),
            _ => ("chatgpt", "`codex-creds login` (ChatGPT)"),
        };
        let origin = ctx
            .config
            .login_method_origin
            .as_deref()
            .unwrap_or("config.toml");
        Error::Restricted(format!(
            "{what} login is not allowed: forced_login_method = \"{method}\" (set in {origin}). \
             Nothing was saved; log in with {allowed} instead."
        ))
    })
}
