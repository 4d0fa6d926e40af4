//! `codex-creds usage`: the ChatGPT plan's limits for the active login (backend.md §2), as a
//! [`UsageReport`] value rendered as text or `--json` (see `usage/render.rs`).
//!
//! [`report`] takes a `Ctx` for one login and returns the report: `--account NAME` and `--all`
//! (`usage/each.rs`) call it once per account's `Ctx`.

pub mod each;
mod render;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use crate::backend::usage::{Credits, RateLimit, Usage, Window};
use crate::cli::UsageArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::refresh::backend_call;

/// The version of the `--json` document; bumped only on an incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The limits of one login, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageReport {
    pub plan_type: Option<String>,
    /// The main rate limit's windows, in the server's order.
    pub windows: Vec<WindowReport>,
    pub credits: Option<Credits>,
    pub additional: Vec<AdditionalReport>,
    /// `rate_limit_reached_type.type`, when a limit is reached.
    pub limit_reached: Option<String>,
    /// The reply as received (fields we do not know yet are not lost).
    pub raw: Value,
}

/// One window, named by its length.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowReport {
    /// `5h`, `weekly`, `<n>h`, `<n>d`, or `window` when the length is unknown.
    pub label: String,
    pub used_percent: Option<f64>,
    /// `ceil(limit_window_seconds / 60)`, as Codex maps it.
    pub window_minutes: Option<i64>,
    pub resets_at: Option<DateTime<Utc>>,
}

/// A named additional limit (`additional_rate_limits[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalReport {
    /// `limit_name`, else `metered_feature`, else `limit <n>`.
    pub name: String,
    pub windows: Vec<WindowReport>,
}

impl UsageReport {
    /// The report of a usage reply received at `now`. Pure.
    pub fn from_usage(usage: Usage, now: DateTime<Utc>) -> Self {
        let additional = usage
            .additional
            .iter()
            .enumerate()
            .map(|(i, limit)| AdditionalReport {
                name: limit
                    .limit_name
                    .clone()
                    .or_else(|| limit.metered_feature.clone())
                    .unwrap_or_else(|| format!("limit {}", i + 1)),
                windows: windows(limit.rate_limit.as_ref(), now),
            })
            .collect();
        UsageReport {
            plan_type: usage.plan_type,
            windows: windows(usage.rate_limit.as_ref(), now),
            credits: usage.credits,
            additional,
            limit_reached: usage.limit_reached_type,
            raw: usage.raw,
        }
    }

    /// What is left in the tightest window: the smallest `100 - used_percent` over the main
    /// windows (`None` without any figure). `account use --best` ranks accounts by it.
    pub fn headroom(&self) -> Option<f64> {
        self.windows
            .iter()
            .filter_map(|w| w.used_percent)
            .map(|used| (100.0 - used).clamp(0.0, 100.0))
            .reduce(f64::min)
    }
}

fn windows(limit: Option<&RateLimit>, now: DateTime<Utc>) -> Vec<WindowReport> {
    limit
        .map(|limit| limit.windows().map(|w| window(w, now)).collect())
        .unwrap_or_default()
}

fn window(window: &Window, now: DateTime<Utc>) -> WindowReport {
    let seconds = window.limit_window_seconds.filter(|s| *s > 0);
    let resets_at = window
        .reset_at
        .and_then(|at| DateTime::from_timestamp(at, 0))
        .or_else(|| {
            let after = TimeDelta::try_seconds(window.reset_after_seconds?)?;
            now.checked_add_signed(after)
        });
    WindowReport {
        label: seconds.map_or_else(|| "window".to_owned(), label),
        used_percent: window.used_percent,
        window_minutes: seconds.map(|s| ceil_div(s, 60)),
        resets_at,
    }
}

/// A window named by its length (backend.md §2): 18000 s is `5h`, 604800 s `weekly`, else
/// whole days as `<n>d`, else hours (rounded up) as `<n>h`.
pub fn label(seconds: i64) -> String {
    match seconds {
        18_000 => "5h".to_owned(),
        604_800 => "weekly".to_owned(),
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s => format!("{}h", ceil_div(s, 3_600)),
    }
}

/// `n / d` rounded up, for positive `n` and `d`.
fn ceil_div(n: i64, d: i64) -> i64 {
    n / d + i64::from(n % d != 0)
}

/// The usage of the login `ctx` holds (refreshed first when due, one retry after a 401).
pub fn report(ctx: &mut Ctx) -> Result<UsageReport, Error> {
    let backend = backend_call::backend_of(ctx)?;
    let usage = backend_call::with_login(ctx, &backend, |http, backend, login| {
        backend.usage(http, login)
    })?;
    Ok(UsageReport::from_usage(usage, ctx.now()))
}

pub fn run(ctx: &mut Ctx, args: &UsageArgs) -> Result<(), Error> {
    if args.all {
        return each::all(ctx, args.json);
    }
    let report = match &args.account {
        Some(name) => each::one(ctx, name)?,
        None => report(ctx)?,
    };
    if args.json {
        ctx.out.json(&render::json(&report));
    } else {
        let bars = ctx.out.stdout_is_terminal();
        for line in render::text(&report, ctx.now(), bars) {
            ctx.out.data(&line);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
