//! `account/rateLimits/read`: the plan's limits from `{chatgpt_base_url}/wham/usage` (through
//! `crate::backend`), in Codex's shapes (backend.md §2); a 401 gets one recovery and one retry,
//! as discovery does (new tokens from the client for external auth, a refresh otherwise).

use serde_json::{Value, json};

use crate::auth_json::AuthMode;
use crate::backend::{self, Backend, FailureKind, usage};
use crate::refresh;

use super::Call;
use super::account::{self, Current, Login};
use super::wire::RpcError;

pub fn read(call: &mut Call) -> Result<Value, RpcError> {
    let mut login = match account::current(call)? {
        Current::External(ext) => Login::External(ext),
        Current::Stored(auth) if auth.mode() == AuthMode::ChatGpt => {
            // A token about to expire is refreshed first, in the CLI's single flight.
            let _ = refresh::ensure_fresh_in(&mut call.ctx, account::MIN_VALIDITY, false);
            match account::current(call)? {
                Current::Stored(auth) => Login::Managed(auth),
                _ => Login::Managed(auth),
            }
        }
        _ => {
            return Err(RpcError::invalid(
                "codex account authentication required to read rate limits",
            ));
        }
    };
    let failed =
        |why: String| RpcError::internal(format!("failed to fetch codex rate limits: {why}"));
    let base = Backend::new(&call.ctx.config.chatgpt_base_url());
    for attempt in 0..2 {
        let Some(tokens) = login.auth().tokens.clone() else {
            return Err(failed("the login has no access token".to_owned()));
        };
        let http = call.ctx.http().map_err(|e| failed(e.to_string()))?;
        let asked = backend::Login {
            access_token: &tokens.access_token,
            account_id: tokens.account_id.as_deref(),
        };
        match base.usage(http, asked) {
            Ok(usage) => return Ok(render(&usage)),
            Err(err) if err.kind == FailureKind::Unauthorized && attempt == 0 => {
                login = account::recover(call, login).map_err(failed)?;
            }
            Err(err) => return Err(failed(err.to_string())),
        }
    }
    Err(failed("unauthorized".to_owned()))
}

/// `{rateLimits, rateLimitsByLimitId, rateLimitResetCredits}`.
fn render(usage: &usage::Usage) -> Value {
    let main = snapshot("codex", None, usage.rate_limit.as_ref(), usage);
    let mut by_id = serde_json::Map::new();
    by_id.insert("codex".to_owned(), main.clone());
    for extra in &usage.additional {
        let id = extra
            .metered_feature
            .clone()
            .or_else(|| extra.limit_name.clone())
            .unwrap_or_default();
        let shown = snapshot(
            &id,
            extra.limit_name.as_deref(),
            extra.rate_limit.as_ref(),
            usage,
        );
        by_id.insert(id, shown);
    }
    json!({"rateLimits": main, "rateLimitsByLimitId": by_id, "rateLimitResetCredits": null})
}

fn snapshot(
    id: &str,
    name: Option<&str>,
    limit: Option<&usage::RateLimit>,
    usage: &usage::Usage,
) -> Value {
    let credits = usage.credits.as_ref().map(
        |c| json!({"hasCredits": c.has_credits, "unlimited": c.unlimited, "balance": c.balance}),
    );
    json!({
        "limitId": id,
        "limitName": name,
        "primary": limit.and_then(|l| l.primary.as_ref()).map(window),
        "secondary": limit.and_then(|l| l.secondary.as_ref()).map(window),
        "credits": credits,
        "planType": usage.plan_type,
        "rateLimitReachedType": usage.limit_reached_type,
    })
}

/// A window as Codex maps it: `{usedPercent, windowDurationMins = ceil(s/60), resetsAt}`.
fn window(w: &usage::Window) -> Value {
    json!({
        "usedPercent": w.used_percent.map(|p| p.round() as i64),
        "windowDurationMins": w.limit_window_seconds.map(|s| (s + 59) / 60),
        "resetsAt": w.reset_at,
    })
}
