//! The JWT claim decoder: any text, any payload bytes, any JSON payload, any `exp`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::json_value;
use crate::jwt::{expires_at, id_claims, plan_label};

fn jwt(payload: &Value) -> String {
    crate::jwt::forge(&payload.to_string())
}

/// An `exp` of any JSON type and size, floats and numbers past i64 included.
fn exp() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        json_value(),
    ]
}

proptest! {
    #[test]
    fn any_text_is_decoded_or_refused(text in ".{0,200}") {
        let _ = id_claims(&text);
        let _ = expires_at(&text);
    }

    #[test]
    fn any_payload_bytes_are_decoded_or_refused(payload in prop::collection::vec(any::<u8>(), 0..128)) {
        let token = format!("h.{}.s", URL_SAFE_NO_PAD.encode(&payload));
        let _ = id_claims(&token);
        let _ = expires_at(&token);
    }

    #[test]
    fn any_json_payload_is_decoded(value in json_value()) {
        let _ = id_claims(&jwt(&value));
        let claims = id_claims(&jwt(&json!({"https://api.openai.com/auth": value.clone(), "email": value})));
        prop_assert!(claims.is_ok());
    }

    #[test]
    fn any_exp_gives_its_time_or_none(exp in exp()) {
        let token = jwt(&json!({ "exp": exp }));
        let at = expires_at(&token);
        prop_assert_eq!(id_claims(&token).map(|c| c.expires_at), Ok(at));
        // A whole number of seconds that chrono can hold is taken as is.
        if let (Some(at), Some(seconds)) = (at, exp.as_i64()) {
            prop_assert_eq!(at.timestamp(), seconds);
        }
    }

    #[test]
    fn any_plan_has_a_label(raw in ".{0,40}") {
        prop_assert!(!plan_label(&raw).is_empty());
    }
}
