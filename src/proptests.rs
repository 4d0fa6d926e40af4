//! Property tests (proptest as the fuzzer) of every parser of outside input: durations, JWT
//! claims, auth.json, config.toml and `-c`, the issuer's replies, and the flag values. Each
//! property says at least "never panics"; where it makes sense, also what the result keeps
//! (bounds, round trips, no secret in any message).
//!
//! Case counts stay modest: the whole module runs in a few seconds in a debug build.

mod auth_json;
mod config;
mod durations;
mod flags;
mod jwt;
mod replies;

use proptest::prelude::*;
use serde_json::Value;

/// A JSON scalar of any kind, numbers included (a non-finite float becomes `null`, as in JSON).
fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ]
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A secret as an issuer or a file could hold it. Its alphabet has no character of the
/// `[REDACTED]` mark and no space, so a message can only contain it if it kept it.
fn secret() -> impl Strategy<Value = String> {
    "[a-z]{2,4}-[a-z0-9_-]{10,30}"
}

/// Text around a secret: anything, control characters and multi-byte ones included.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![".{0,20}", "\\PC{0,300}", "[ ,.:;\"'=\\n\\t\\x1b]{0,5}"]
}

/// True when `text` could go on a terminal as it is: no control or bidi character.
fn printable(text: &str) -> bool {
    crate::untrusted::printable(text, usize::MAX) == text
}
