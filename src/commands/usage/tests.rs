//! The usage report and its rendering, from replies as the backend sends them.

use chrono::TimeZone;
use serde_json::json;

use super::*;
use crate::backend::usage;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
}

fn sample() -> UsageReport {
    let reply = json!({
        "plan_type": "pro",
        "rate_limit": {
            "primary_window": {"used_percent": 25, "limit_window_seconds": 18000,
                               "reset_at": now().timestamp() + 3 * 3600 + 12 * 60},
            "secondary_window": {"used_percent": 40.5, "limit_window_seconds": 604800,
                                 "reset_after_seconds": 2 * 86400 + 4 * 3600}
        },
        "credits": {"has_credits": true, "unlimited": false, "balance": "7.50"},
        "additional_rate_limits": [
            {"limit_name": "codex_bonus\u{1b}[31m", "rate_limit": {"primary_window": {"used_percent": 3, "limit_window_seconds": 7200}}}
        ]
    });
    UsageReport::from_usage(usage::parse(reply).unwrap(), now())
}

#[test]
fn windows_are_named_by_their_length_not_their_position() {
    assert_eq!(label(18_000), "5h");
    assert_eq!(label(604_800), "weekly");
    assert_eq!(label(86_400 * 30), "30d");
    assert_eq!(label(7_200), "2h");
    assert_eq!(label(5_400), "2h");
    // A 7-day primary window and no secondary (backend.md §2).
    let reply = json!({"rate_limit": {"primary_window": {"limit_window_seconds": 604800}, "secondary_window": null}});
    let report = UsageReport::from_usage(usage::parse(reply).unwrap(), now());
    assert_eq!(report.windows.len(), 1);
    assert_eq!(report.windows[0].label, "weekly");
    assert_eq!(report.windows[0].window_minutes, Some(10_080));
}

#[test]
fn reset_times_come_from_reset_at_else_reset_after() {
    let report = sample();
    assert_eq!(
        report.windows[0].resets_at,
        Some(now() + TimeDelta::minutes(192))
    );
    assert_eq!(
        report.windows[1].resets_at,
        Some(now() + TimeDelta::hours(52))
    );
}

#[test]
fn headroom_is_what_the_tightest_window_leaves() {
    assert_eq!(sample().headroom(), Some(59.5));
    let empty = UsageReport::from_usage(usage::parse(json!({})).unwrap(), now());
    assert_eq!(empty.headroom(), None);
}

#[test]
fn text_shows_plan_windows_resets_credits_and_additional_limits() {
    let lines = render::text(&sample(), now(), false);
    assert_eq!(lines[0], "Plan: pro");
    assert!(
        lines[1].starts_with("5h        25% used  resets "),
        "{lines:?}"
    );
    assert!(lines[1].ends_with("(in 3h 12m)"), "{lines:?}");
    assert!(lines[2].starts_with("weekly  40.5% used"), "{lines:?}");
    assert!(lines[2].ends_with("(in 2d 4h)"), "{lines:?}");
    assert_eq!(lines[3], "Credits: available, balance 7.50");
    assert_eq!(lines[4], "Additional limits:");
    assert!(
        !lines[5].contains('\u{1b}'),
        "server text is sanitized: {lines:?}"
    );
    assert!(lines[6].starts_with("    2h     3% used"), "{lines:?}");
    assert!(!lines.join("\n").contains("[#"), "no bar off a terminal");
}

#[test]
fn a_terminal_gets_a_bar_per_window() {
    let lines = render::text(&sample(), now(), true);
    assert!(lines[1].contains("[#####---------------]"), "{lines:?}");
}

#[test]
fn json_has_the_documented_fields_and_the_raw_reply() {
    let doc = render::json(&sample());
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["plan_type"], "pro");
    assert_eq!(
        doc["windows"][0],
        json!({"label": "5h", "used_percent": 25, "window_minutes": 300,
               "resets_at": "2026-11-27T13:12:00Z"})
    );
    assert_eq!(doc["windows"][1]["used_percent"], 40.5);
    assert_eq!(doc["credits"]["balance"], "7.50");
    assert_eq!(doc["additional"][0]["windows"][0]["label"], "2h");
    assert_eq!(doc["raw"]["plan_type"], "pro");
}
