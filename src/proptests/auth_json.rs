//! auth.json parsing: any bytes, any JSON; documents round-trip with unknown fields; what
//! parses writes back to itself; an error names a place and never quotes a value.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{json_value, noise, secret};
use crate::auth_json::{AuthDotJson, AuthFileError};

fn unknown_key() -> impl Strategy<Value = String> {
    "x_[a-z]{1,10}"
}

fn jwt(payload: &Value) -> String {
    crate::jwt::forge(&payload.to_string())
}

/// A valid ChatGPT document to plant things in.
fn chatgpt_doc() -> Value {
    json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": null,
        "tokens": {
            "id_token": jwt(&json!({"email": "a@b.c"})),
            "access_token": "at",
            "refresh_token": "rt",
            "account_id": "ws",
            "oauth_provenance": {"issuer": "https://auth.openai.com", "client_id": "app"},
        },
        "last_refresh": "2026-01-01T00:00:00Z",
    })
}

/// Every field the parser reads, by path.
const FIELDS: [&[&str]; 13] = [
    &["auth_mode"],
    &["OPENAI_API_KEY"],
    &["personal_access_token"],
    &["last_refresh"],
    &["tokens"],
    &["tokens", "id_token"],
    &["tokens", "access_token"],
    &["tokens", "refresh_token"],
    &["tokens", "account_id"],
    &["tokens", "login_owner_id"],
    &["tokens", "oauth_provenance"],
    &["tokens", "oauth_provenance", "issuer"],
    &["tokens", "oauth_provenance", "client_id"],
];

/// `doc` with `value` at `path` (the objects on the way are made when missing).
fn plant(mut doc: Value, path: &[&str], value: Value) -> Value {
    let mut at = &mut doc;
    for key in &path[..path.len() - 1] {
        if !at[*key].is_object() {
            at[*key] = json!({});
        }
        at = &mut at[*key];
    }
    at[path[path.len() - 1]] = value;
    doc
}

/// A secret in some shape: the string itself (with serde's ", expected" trap around it), or
/// inside an array or an object.
fn wrapped(secret: String, around: String) -> impl Strategy<Value = Value> {
    let text = format!("{around}{secret}, expected {secret}\"{around}");
    prop_oneof![
        Just(Value::String(text.clone())),
        Just(json!([text.clone()])),
        Just(json!({ "value": text, "n": 5 })),
        Just(json!([[{ "k": secret }]])),
    ]
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
    fn any_bytes_are_parsed_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = AuthDotJson::parse(&bytes);
    }

    #[test]
    fn what_parses_writes_back_to_itself(value in json_value(), field in 0..FIELDS.len()) {
        let wrapped = json!({"tokens": {"id_token": value.clone(), "access_token": value.clone(), "refresh_token": "r"},
                             "auth_mode": value.clone(), "last_refresh": value.clone()});
        for doc in [value.clone(), wrapped, plant(chatgpt_doc(), FIELDS[field], value)] {
            if let Ok(auth) = AuthDotJson::parse(doc.to_string().as_bytes()) {
                let again = AuthDotJson::parse(auth.to_pretty_json().as_bytes());
                prop_assert!(again.as_ref() == Ok(&auth), "{:?} became {:?}", auth, again);
            }
        }
    }

    #[test]
    fn an_error_names_a_place_and_never_quotes_the_value(
        field in 0..FIELDS.len(),
        value in (secret(), noise()).prop_flat_map(|(secret, around)| {
            wrapped(secret.clone(), around).prop_map(move |value| (secret.clone(), value))
        }),
        pretty in any::<bool>(),
    ) {
        let (secret, value) = value;
        let doc = plant(chatgpt_doc(), FIELDS[field], value);
        let text = if pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) }.unwrap();
        if let Err(err) = AuthDotJson::parse(text.as_bytes()) {
            let shown = format!("{err} {err:?}");
            prop_assert!(!shown.contains(&secret), "{}", shown);
            match err {
                AuthFileError::Field { at, .. } => prop_assert!(at.is_some(), "{}", shown),
                AuthFileError::Syntax { .. } => prop_assert!(false, "valid JSON refused: {}", shown),
            }
        }
    }
}
