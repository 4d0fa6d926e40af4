//! Calling the ChatGPT backend with the stored login (backend.md §1, codex-compat §12.1): the
//! access token is refreshed first when due (single flight), and after an HTTP 401 it is
//! refreshed once (`unauthorized_recovery`) and the call retried once. Failures become the
//! user-facing [`Error`], with the server's words redacted; the credentials are only ever
//! changed by the refresh flight.

use std::time::Duration;

use super::{Deps, RefreshOutcome};
use crate::auth_json::{AuthDotJson, TokenData};
use crate::backend::{Backend, BackendError, FailureKind, Login};
use crate::ctx::Ctx;
use crate::error::{Error, IssuerOrigin};
use crate::http::Http;
use crate::oauth::{self, OAuthError, redact, reply};

/// Refresh before a call when the access token expires within this (Codex's proactive window,
/// spec §12).
pub const MIN_VALIDITY: Duration = Duration::from_secs(5 * 60);

/// A call's result, with the lines the user should see about how it was made (a refresh that
/// failed for now while the old token still served).
pub struct Called<T> {
    pub value: T,
    pub warnings: Vec<String>,
}

/// The backend of this CODEX_HOME's config (`chatgpt_base_url`, as Codex resolves it), refused
/// when the access token would travel over plain http to a host that is not loopback.
pub fn backend_of(ctx: &Ctx) -> Result<Backend, Error> {
    let base = ctx.config.chatgpt_base_url();
    oauth::check_issuer_url(&base).map_err(|source| Error::UnsafeIssuer {
        origin: IssuerOrigin::ChatgptBaseUrl,
        source,
    })?;
    Ok(Backend::new(&base))
}

/// [`call`] in the context: its store, locks, network and clock; warnings are printed, and
/// the context's cached load is dropped afterwards (a refresh may have changed the store).
/// Nothing is created when nobody is logged in.
pub fn with_login<T>(
    ctx: &mut Ctx,
    backend: &Backend,
    op: impl FnMut(&Http, &Backend, Login<'_>) -> Result<T, BackendError>,
) -> Result<T, Error> {
    match ctx.load()? {
        None => return Err(Error::not_logged_in()),
        Some(loaded) => chatgpt(&loaded.auth)?,
    };
    ctx.create_home()?;
    let result = Deps::of(ctx).and_then(|deps| call(&deps, backend, op));
    ctx.invalidate();
    let called = result?;
    for warning in &called.warnings {
        ctx.out.warn(warning);
    }
    Ok(called.value)
}

/// Runs `op` with the stored ChatGPT login: refreshed first when due, and after a 401 one
/// refresh and one retry. A second 401 means "log in again".
pub fn call<T>(
    deps: &Deps,
    backend: &Backend,
    mut op: impl FnMut(&Http, &Backend, Login<'_>) -> Result<T, BackendError>,
) -> Result<Called<T>, Error> {
    chatgpt(&stored(deps)?)?;
    let mut warnings = Vec::new();
    if let RefreshOutcome::KeptAfterFailure { warning, .. } =
        super::ensure_fresh(deps, MIN_VALIDITY, false)?
    {
        warnings.push(warning);
    }
    let tokens = chatgpt(&stored(deps)?)?;
    let http = deps.services.http()?;
    let err = match op(http, backend, login(&tokens)) {
        Ok(value) => return Ok(Called { value, warnings }),
        Err(err) if err.kind == FailureKind::Unauthorized => err,
        Err(err) => return Err(failure(err, &tokens)),
    };
    tracing::debug!(url = %err.url, "the backend answered 401: refreshing once");
    super::recover_unauthorized(deps, &tokens)?;
    let tokens = chatgpt(&stored(deps)?)?;
    match op(http, backend, login(&tokens)) {
        Ok(value) => Ok(Called { value, warnings }),
        Err(err) if err.kind == FailureKind::Unauthorized => Err(OAuthError::Permanent {
            message: format!(
                "The ChatGPT backend refused the access token even after a refresh ({}).",
                err.url
            ),
        }
        .into()),
        Err(err) => Err(failure(err, &tokens)),
    }
}

/// The stored login, which must exist.
fn stored(deps: &Deps) -> Result<AuthDotJson, Error> {
    match deps.store.load()? {
        Some(loaded) => Ok(loaded.auth),
        None => Err(Error::not_logged_in()),
    }
}

/// The ChatGPT tokens of `auth`, or why the backend has nothing for it.
fn chatgpt(auth: &AuthDotJson) -> Result<TokenData, Error> {
    auth.chatgpt_tokens().cloned().ok_or_else(|| {
        Error::NotChatGpt(format!(
            "the stored login is an {} login, which has no ChatGPT usage or workspaces; \
             they need a ChatGPT login (`codex-creds login`)",
            auth.mode().describe()
        ))
    })
}

fn login(tokens: &TokenData) -> Login<'_> {
    Login {
        access_token: &tokens.access_token,
        account_id: tokens.account_id.as_deref(),
    }
}

/// The user-facing error for a failed call made with `tokens`: the adapter's summary (URL,
/// status, attempts), the transport's cause and the server's words, redacted.
pub fn failure(err: BackendError, tokens: &TokenData) -> Error {
    let mut message = format!("the ChatGPT backend failed: {}: ", err.url);
    // A network failure is told by its cause ("connection reset by peer"); the rest by ours.
    let network = err
        .transport
        .as_ref()
        .filter(|_| err.kind == FailureKind::Transient);
    match network {
        Some(transport) => message.push_str(&reply::describe_transport(transport)),
        None => message.push_str(&err.summary),
    }
    if let Some(text) = err.server_text() {
        let secrets = [&tokens.access_token, &tokens.refresh_token];
        message.push_str(&format!(": {}", redact::shown(text, &secrets)));
    }
    // The transport description has no attempt count; the summary always ends with it.
    if network.is_some()
        && let Some(at) = err.summary.find(" (")
    {
        message.push_str(&err.summary[at..]);
    }
    match err.kind {
        FailureKind::Transient | FailureKind::Unauthorized => Error::BackendUnavailable(format!(
            "{message}.\nThe stored credentials are unchanged; try again later."
        )),
        FailureKind::Other => Error::BackendRefused(message),
    }
}
