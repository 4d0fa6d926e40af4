//! How a [`UsageReport`] looks: lines of text (a bar per window when stdout is a terminal,
//! reset times local and relative) and the versioned `--json` document. Pure; the server's
//! words go through `untrusted`.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{SCHEMA_VERSION, UsageReport, WindowReport};
use crate::backend::usage::Credits;
use crate::duration;
use crate::output;
use crate::untrusted;

/// The width of a usage bar, in cells.
const BAR: usize = 20;

/// The report as text lines; `bars` when stdout is a terminal.
pub fn text(report: &UsageReport, now: DateTime<Utc>, bars: bool) -> Vec<String> {
    let mut lines = vec![format!(
        "Plan: {}",
        report
            .plan_type
            .as_deref()
            .map_or_else(|| "unknown".to_owned(), untrusted::shown)
    )];
    if report.windows.is_empty() {
        lines.push("No rate-limit windows reported.".to_owned());
    }
    lines.extend(window_lines(&report.windows, "", now, bars));
    if let Some(credits) = &report.credits {
        lines.push(format!("Credits: {}", credits_text(credits)));
    }
    if let Some(reached) = &report.limit_reached {
        lines.push(format!("Limit reached: {}", untrusted::shown(reached)));
    }
    if !report.additional.is_empty() {
        lines.push("Additional limits:".to_owned());
        for limit in &report.additional {
            lines.push(format!("  {}", untrusted::shown(&limit.name)));
            lines.extend(window_lines(&limit.windows, "    ", now, bars));
        }
    }
    lines
}

fn window_lines(
    windows: &[WindowReport],
    indent: &str,
    now: DateTime<Utc>,
    bars: bool,
) -> Vec<String> {
    let width = windows.iter().map(|w| w.label.len()).max().unwrap_or(0);
    windows
        .iter()
        .map(|w| {
            let mut line = format!("{indent}{:<width$}  ", w.label);
            if bars {
                line.push_str(&bar(w.used_percent));
                line.push_str("  ");
            }
            match w.used_percent {
                Some(used) => line.push_str(&format!("{:>5} used", percent(used))),
                None => line.push_str("usage unknown"),
            }
            if let Some(at) = w.resets_at {
                let local = output::local(at).format("%Y-%m-%d %H:%M");
                let relative = duration::relative((at - now).num_seconds());
                let relative = if relative == "now" {
                    relative
                } else {
                    format!("in {relative}")
                };
                line.push_str(&format!("  resets {local} ({relative})"));
            }
            line
        })
        .collect()
}

/// `[#####---------------]` for the used share (unknown: all blank).
fn bar(used: Option<f64>) -> String {
    let filled = used
        .map(|u| ((u.clamp(0.0, 100.0) / 100.0) * BAR as f64).round() as usize)
        .unwrap_or(0);
    format!(
        "[{}{}]",
        "#".repeat(filled),
        "-".repeat(BAR - filled.min(BAR))
    )
}

/// `25%`, `3.5%`.
fn percent(used: f64) -> String {
    if used.fract() == 0.0 {
        format!("{used:.0}%")
    } else {
        format!("{used:.1}%")
    }
}

fn credits_text(credits: &Credits) -> String {
    let mut parts = Vec::new();
    if credits.unlimited == Some(true) {
        parts.push("unlimited".to_owned());
    } else {
        match credits.has_credits {
            Some(true) => parts.push("available".to_owned()),
            Some(false) => parts.push("none".to_owned()),
            None => {}
        }
    }
    if let Some(balance) = &credits.balance {
        parts.push(format!("balance {}", untrusted::shown(balance)));
    }
    if parts.is_empty() {
        "unknown".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The `--json` document (schema in README, "Usage and workspaces").
pub fn json(report: &UsageReport) -> Value {
    json!({
        "schema_version": SCHEMA_VERSION,
        "plan_type": report.plan_type,
        "windows": report.windows.iter().map(window_json).collect::<Vec<_>>(),
        "credits": report.credits.as_ref().map(|c| json!({
            "has_credits": c.has_credits,
            "unlimited": c.unlimited,
            "balance": c.balance,
        })),
        "additional": report.additional.iter().map(|a| json!({
            "name": a.name,
            "windows": a.windows.iter().map(window_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "limit_reached": report.limit_reached,
        "raw": report.raw,
    })
}

fn window_json(window: &WindowReport) -> Value {
    json!({
        "label": window.label,
        "used_percent": window.used_percent.map(number),
        "window_minutes": window.window_minutes,
        "resets_at": window.resets_at.map(output::timestamp),
    })
}

/// A whole percentage as an integer (`25`, not `25.0`), else as it is.
fn number(value: f64) -> Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}
