//! What the browser and device-code logins share: the method restriction, and the report of a
//! saved ChatGPT login. Saving it (shared with the app-server) is `crate::signin`; waiting is
//! in `wait`.

use crate::config::LoginMethod;
use crate::ctx::Ctx;
use crate::error::Error;

/// A ChatGPT login is refused up front when config.toml forces API-key login (spec §5.1).
pub fn refuse_if_forbidden(ctx: &Ctx) -> Result<(), Error> {
    if ctx.config.forced_login_method == Some(LoginMethod::Api) {
        return Err(Error::Restricted(
            "ChatGPT login is not allowed: config.toml sets forced_login_method = \"api\". \
             Nothing was changed; log in with an API key instead: \
             `printenv OPENAI_API_KEY | codex-creds login --with-api-key`"
                .to_owned(),
        ));
    }
    Ok(())
}

pub use crate::signin::{Saved, save_tokens};

/// "Logged in …" on stderr.
pub fn report(ctx: &Ctx, saved: &Saved) {
    let who = match (&saved.email, &saved.plan) {
        (Some(email), Some(plan)) => format!(" as {email} ({})", crate::jwt::plan_label(plan)),
        (Some(email), None) => format!(" as {email}"),
        _ => String::new(),
    };
    let key = if saved.with_api_key {
        " with an API key"
    } else {
        ""
    };
    // The email comes from the id_token: nothing in it may drive the terminal.
    ctx.out.info(&crate::untrusted::printable(
        &format!(
            "Logged in to ChatGPT{who}{key}; saved to {}.",
            saved.location
        ),
        usize::MAX,
    ));
}
