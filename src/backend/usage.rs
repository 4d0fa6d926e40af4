//! The usage reply (backend.md §2), parsed leniently: every field may be missing, null or of an
//! unexpected type, and is then `None`; the whole reply is kept as `raw` so fields we do not
//! know yet are not lost. Pure.

use serde_json::Value;

/// `GET /wham/usage`.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub plan_type: Option<String>,
    pub rate_limit: Option<RateLimit>,
    pub credits: Option<Credits>,
    /// `additional_rate_limits`, in the server's order.
    pub additional: Vec<AdditionalLimit>,
    /// `rate_limit_reached_type.type`.
    pub limit_reached_type: Option<String>,
    /// The whole reply.
    pub raw: Value,
}

/// A `rate_limit` object: up to two windows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimit {
    pub allowed: Option<bool>,
    pub limit_reached: Option<bool>,
    pub primary: Option<Window>,
    pub secondary: Option<Window>,
}

impl RateLimit {
    /// The windows present, primary first.
    pub fn windows(&self) -> impl Iterator<Item = &Window> {
        self.primary.iter().chain(self.secondary.iter())
    }
}

/// One rate-limit window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    pub used_percent: Option<f64>,
    pub limit_window_seconds: Option<i64>,
    pub reset_after_seconds: Option<i64>,
    /// Unix seconds.
    pub reset_at: Option<i64>,
}

/// The `credits` object.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credits {
    pub has_credits: Option<bool>,
    pub unlimited: Option<bool>,
    /// A string on the wire; a number is kept as its text.
    pub balance: Option<String>,
}

/// One of `additional_rate_limits`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdditionalLimit {
    pub limit_name: Option<String>,
    pub metered_feature: Option<String>,
    pub rate_limit: Option<RateLimit>,
}

/// The usage in `value`, or `None` when it is not a JSON object (the wrong shape).
pub fn parse(value: Value) -> Option<Usage> {
    if !value.is_object() {
        return None;
    }
    let additional = value["additional_rate_limits"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|item| item.is_object())
                .map(|item| AdditionalLimit {
                    limit_name: text(&item["limit_name"]),
                    metered_feature: text(&item["metered_feature"]),
                    rate_limit: rate_limit(&item["rate_limit"]),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Usage {
        plan_type: text(&value["plan_type"]),
        rate_limit: rate_limit(&value["rate_limit"]),
        credits: credits(&value["credits"]),
        additional,
        limit_reached_type: text(&value["rate_limit_reached_type"]["type"]),
        raw: value,
    })
}

fn rate_limit(value: &Value) -> Option<RateLimit> {
    value.is_object().then(|| RateLimit {
        allowed: value["allowed"].as_bool(),
        limit_reached: value["limit_reached"].as_bool(),
        primary: window(&value["primary_window"]),
        secondary: window(&value["secondary_window"]),
    })
}

fn window(value: &Value) -> Option<Window> {
    value.is_object().then(|| Window {
        used_percent: value["used_percent"].as_f64().filter(|p| p.is_finite()),
        limit_window_seconds: integer(&value["limit_window_seconds"]),
        reset_after_seconds: integer(&value["reset_after_seconds"]),
        reset_at: integer(&value["reset_at"]),
    })
}

fn credits(value: &Value) -> Option<Credits> {
    value.is_object().then(|| Credits {
        has_credits: value["has_credits"].as_bool(),
        unlimited: value["unlimited"].as_bool(),
        balance: match &value["balance"] {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        },
    })
}

/// A whole number, from an integer or a float that is one (servers differ).
fn integer(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        value
            .as_f64()
            .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15)
            .map(|f| f as i64)
    })
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}
