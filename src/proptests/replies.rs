//! The issuer's replies: device code (any interval and expires_in), device poll, token,
//! refresh, whoami and error bodies. Each is read or refused; what reaches a message is short,
//! printable and holds no secret of the request.

use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{json_value, noise, printable, secret};
use crate::oauth::device::{DeviceCode, MAX_INTERVAL, MIN_INTERVAL, parse_code, poll_outcome};
use crate::oauth::refresh_grant::{GrantError, classify, parse_retry_after, read_reply};
use crate::oauth::reply::{Body, clean, server_error_text_without};
use crate::oauth::token::TokenResponse;
use crate::oauth::whoami::Whoami;
use crate::redact;
use crate::secret::Secret;
use crate::untrusted::MAX_SHOWN;

/// A number as a server might spell it: huge, tiny, signed, NaN, infinite.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+ ]?[0-9]{0,30}(\\.[0-9]{0,5})?([eE][-+]?[0-9]{1,4})? ?",
        Just("NaN".to_owned()),
        Just("-inf".to_owned()),
        Just("infinity".to_owned()),
        Just("1e20".to_owned()),
        Just("1e308".to_owned()),
        Just("1e309".to_owned()),
        Just("-0".to_owned()),
    ]
}

/// An interval or expires_in of any JSON type.
fn seconds() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        number_text().prop_map(Value::String),
        json_value(),
    ]
}

fn status() -> impl Strategy<Value = StatusCode> {
    (100u16..600).prop_map(|code| StatusCode::from_u16(code).unwrap())
}

/// An OAuth error body carrying `text` in one of the places issuers put their message.
fn error_body(text: &str, shape: usize, other: Value) -> Value {
    match shape % 7 {
        0 => json!({ "error": text }),
        1 => json!({ "error": "invalid_grant", "error_description": text }),
        2 => json!({ "error": { "message": text, "code": other } }),
        3 => json!({ "error": { "code": text } }),
        4 => json!({ "error": other, "error_description": text, "message": text }),
        5 => json!({ "access_token": text, "refresh_token": other, "id_token": text }),
        _ => json!({ "message": text, "code": text }),
    }
}

/// A word the redaction must take for a credential: 32+ token characters, mixed case, digits.
fn token_shaped() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.~-]{29,60}".prop_map(|word| format!("aZ9{word}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_device_code_reply_is_read_with_a_bounded_interval(
        interval in seconds(),
        expires_in in seconds(),
        raw in number_text(),
        user_code in noise(),
    ) {
        let body = json!({ "device_auth_id": "dev-1", "user_code": user_code,
                           "interval": interval, "expires_in": expires_in });
        let literal = format!(r#"{{"device_auth_id":"d","usercode":"U","interval":{raw},"expires_in":{raw}}}"#);
        for body in [body.to_string(), literal] {
            if let Some(code) = parse_code(body.as_bytes()) {
                prop_assert!((MIN_INTERVAL..=MAX_INTERVAL).contains(&code.interval), "{:?}", code);
                prop_assert!(printable(&clean(&code.user_code)));
            }
        }
    }

    #[test]
    fn any_poll_reply_is_an_outcome_that_never_shows_the_device_code(
        status in status(),
        error in prop_oneof![
            Just(json!("authorization_pending")),
            Just(json!("slow_down")),
            Just(json!("expired_token")),
            Just(json!("access_denied")),
            json_value(),
        ],
        id in secret(),
        around in noise(),
        approved in any::<bool>(),
    ) {
        let code = DeviceCode { device_auth_id: id.clone(), user_code: "U".into(), interval: MIN_INTERVAL };
        let body = if approved {
            json!({ "authorization_code": error, "code_verifier": id })
        } else {
            json!({ "error": error, "error_description": format!("{around}{id}{around}") })
        };
        match poll_outcome("https://issuer.test/token", status, body.to_string().as_bytes(), &code) {
            Ok(poll) => {
                let shown = format!("{poll:?}");
                prop_assert!(!shown.contains(&id), "{}", shown);
            }
            Err(err) => {
                let shown = format!("{err} {err:?}");
                prop_assert!(!shown.contains(&id), "{}", shown);
            }
        }
    }

    #[test]
    fn any_token_or_whoami_reply_is_read_and_shows_no_token(
        value in json_value(),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
        token in secret(),
        email in noise(),
    ) {
        for body in [bytes.clone(), value.to_string().into_bytes()] {
            let _ = serde_json::from_slice::<TokenResponse>(&body);
            let _ = serde_json::from_slice::<Whoami>(&body);
        }
        let body = json!({ "id_token": token, "access_token": token, "refresh_token": token, "x": value });
        let reply: TokenResponse = serde_json::from_value(body).unwrap();
        let shown = format!("{reply:?}");
        prop_assert!(!shown.contains(&token), "{}", shown);
        let who = json!({ "email": email, "chatgpt_account_id": email, "chatgpt_plan_type": value });
        if let Ok(who) = serde_json::from_value::<Whoami>(who) {
            for field in [who.email, who.chatgpt_account_id, who.chatgpt_plan_type].into_iter().flatten() {
                prop_assert!(printable(&clean(&field)));
            }
        }
    }

    #[test]
    fn an_error_body_is_shown_short_printable_and_without_the_secrets(
        (a, b) in (secret(), secret()),
        around in noise(),
        pad in 0usize..250,
        shape in 0usize..7,
        other in json_value(),
    ) {
        let text = format!("{around}{}{a} {b}{around}", "x".repeat(pad));
        let body = error_body(&text, shape, other);
        let (a, b) = (Secret::new(a), Secret::new(b));
        if let Some(shown) = server_error_text_without(body.to_string().as_bytes(), &[&a, &b]) {
            prop_assert!(!shown.contains(a.expose()) && !shown.contains(b.expose()), "{}", shown);
            prop_assert!(printable(&shown), "{:?}", shown);
            prop_assert!(shown.chars().count() <= MAX_SHOWN + 1);
        }
    }

    #[test]
    fn shown_text_keeps_no_secret_and_no_token_shaped_word(
        secret in secret(),
        around in noise(),
        token in token_shaped(),
    ) {
        let text = format!("{around}{secret} {token} {around}");
        let shown = redact::shown(&text, &[&Secret::new(secret.clone())]);
        prop_assert!(!shown.contains(&secret), "{}", shown);
        prop_assert!(!shown.contains(&token), "{}", shown);
        prop_assert!(printable(&shown) && shown.chars().count() <= MAX_SHOWN + 1);
    }

    #[test]
    fn any_refresh_reply_is_an_outcome_that_never_shows_the_refresh_token(
        status in status(),
        rt in secret(),
        around in noise(),
        shape in 0usize..7,
        other in json_value(),
        raw in prop::collection::vec(any::<u8>(), 0..64),
        (truncated, use_raw) in (any::<bool>(), any::<bool>()),
    ) {
        let bytes = if use_raw {
            [raw.as_slice(), rt.as_bytes(), raw.as_slice()].concat()
        } else {
            error_body(&format!("{around}{rt}{around}"), shape, other).to_string().into_bytes()
        };
        let _ = classify(status.as_u16(), &bytes);
        let body = Body { bytes, truncated };
        match read_reply(status, &body, None, &Secret::new(rt.clone())) {
            Ok(refreshed) => {
                let shown = format!("{refreshed:?}");
                prop_assert!(!shown.contains(&rt), "{}", shown);
            }
            Err(GrantError::Transient { message, .. }) => {
                prop_assert!(!message.contains(&rt), "{}", message);
                prop_assert!(printable(&message), "{:?}", message);
            }
            Err(GrantError::Permanent(_)) => {}
        }
    }

    #[test]
    fn any_retry_after_is_a_wait_or_nothing(
        value in prop_oneof![
            "\\PC{0,40}",
            "[0-9]{1,25}",
            "(Mon|Tue), [0-9]{1,2} (Jan|Nov) [0-9]{1,6} [0-9]{2}:[0-9]{2}:[0-9]{2} (GMT|[+-][0-9]{4})",
        ],
        now in -8_000_000_000_000i64..8_000_000_000_000,
    ) {
        let now = chrono::DateTime::from_timestamp(now, 0).unwrap_or_default();
        let wait = parse_retry_after(&value, now);
        if value.parse::<u64>().is_ok() {
            prop_assert!(wait.is_some());
        }
    }
}
