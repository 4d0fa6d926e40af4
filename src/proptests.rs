//! Property tests of the pure model: auth.json round-trips keep every field (unknown ones too),
//! and the JWT decoder and config parser never panic, whatever the bytes.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::auth_json::AuthDotJson;

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn unknown_key() -> impl Strategy<Value = String> {
    "x_[a-z]{1,10}"
}

fn jwt(payload: &Value) -> String {
    crate::jwt::forge(&payload.to_string())
}

proptest! {
    #[test]
    fn api_key_documents_round_trip_with_unknown_fields(
        key in "[ -~]{1,40}",
        extra in prop::collection::btree_map(unknown_key(), json_value(), 0..4),
    ) {
        let mut map = Map::new();
        map.insert("auth_mode".into(), "apikey".into());
        map.insert("OPENAI_API_KEY".into(), key.into());
        map.extend(extra);
        let text = serde_json::to_string_pretty(&Value::Object(map)).unwrap();
        let parsed = AuthDotJson::parse(text.as_bytes()).unwrap();
        prop_assert_eq!(parsed.to_pretty_json(), text);
        let again = AuthDotJson::parse(parsed.to_compact_json().as_bytes()).unwrap();
        prop_assert!(again == parsed);
    }

    #[test]
    fn chatgpt_documents_round_trip_with_unknown_fields(
        email in "[a-z]{1,8}@[a-z]{1,8}\\.com",
        account in prop::option::of("[a-z0-9-]{1,12}"),
        token_extra in prop::collection::btree_map(unknown_key(), json_value(), 0..3),
        top_extra in prop::collection::btree_map(unknown_key(), json_value(), 0..3),
    ) {
        let mut tokens = json!({
            "id_token": jwt(&json!({"email": email, "https://api.openai.com/auth": {"chatgpt_account_id": account}})),
            "access_token": "at",
            "refresh_token": "rt",
            "account_id": account,
        });
        tokens.as_object_mut().unwrap().extend(token_extra);
        let mut doc = json!({"auth_mode": "chatgpt", "OPENAI_API_KEY": null, "tokens": tokens,
                             "last_refresh": "2026-01-01T00:00:00Z"});
        doc.as_object_mut().unwrap().extend(top_extra);
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let parsed = AuthDotJson::parse(text.as_bytes()).unwrap();
        prop_assert_eq!(parsed.to_pretty_json(), text);
        prop_assert_eq!(parsed.tokens.unwrap().id_token.claims.email, Some(email));
    }

    #[test]
    fn auth_json_parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = AuthDotJson::parse(&bytes);
    }

    #[test]
    fn auth_json_parser_never_panics_on_json(value in json_value()) {
        let _ = AuthDotJson::parse(value.to_string().as_bytes());
        let wrapped = json!({"tokens": {"id_token": value.clone(), "access_token": value.clone(), "refresh_token": "r"},
                             "auth_mode": value.clone(), "last_refresh": value});
        let _ = AuthDotJson::parse(wrapped.to_string().as_bytes());
    }

    #[test]
    fn jwt_decoder_never_panics(text in ".{0,200}") {
        let _ = crate::jwt::id_claims(&text);
        let _ = crate::jwt::expires_at(&text);
    }

    #[test]
    fn jwt_decoder_never_panics_on_any_payload(payload in prop::collection::vec(any::<u8>(), 0..128)) {
        use base64::Engine;
        let token = format!("h.{}.s", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&payload));
        let _ = crate::jwt::id_claims(&token);
        let _ = crate::jwt::expires_at(&token);
    }

    #[test]
    fn jwt_claims_of_any_json_never_panic(value in json_value()) {
        let _ = crate::jwt::id_claims(&jwt(&value));
        let _ = crate::jwt::id_claims(&jwt(&json!({"https://api.openai.com/auth": value.clone(), "exp": value})));
    }

    #[test]
    fn config_parser_never_panics(text in ".{0,200}", overrides in prop::collection::vec(".{0,30}", 0..3)) {
        let _ = crate::config::parse(&text, "config.toml", &overrides);
    }
}
