//! Unit tests of the auth.json wire form: Codex's exact bytes, mode resolution, refusals.

use super::*;
use crate::jwt::forge;

#[test]
fn api_key_login_is_written_like_codex() {
    let auth = AuthDotJson::from_api_key(Secret::new("sk-test"));
    assert_eq!(
        auth.to_pretty_json(),
        "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-test\"\n}"
    );
    assert_eq!(
        auth.to_compact_json(),
        r#"{"auth_mode":"apikey","OPENAI_API_KEY":"sk-test"}"#
    );
}

#[test]
fn personal_access_token_has_no_mode() {
    let auth = AuthDotJson::from_personal_access_token(Secret::new("at-1"));
    assert_eq!(
        auth.to_compact_json(),
        r#"{"OPENAI_API_KEY":null,"personal_access_token":"at-1"}"#
    );
    assert_eq!(auth.mode(), AuthMode::PersonalAccessToken);
}

#[test]
fn mode_resolution_follows_the_spec() {
    let parse = |text: &str| AuthDotJson::parse(text.as_bytes()).unwrap().mode();
    assert_eq!(parse("{}"), AuthMode::ChatGpt);
    assert_eq!(parse(r#"{"OPENAI_API_KEY":"k"}"#), AuthMode::ApiKey);
    assert_eq!(
        parse(r#"{"bedrock_api_key":{"api_key":"k","region":"r"}}"#),
        AuthMode::BedrockApiKey
    );
    assert_eq!(
        parse(r#"{"OPENAI_API_KEY":"k","personal_access_token":"at"}"#),
        AuthMode::PersonalAccessToken
    );
    assert_eq!(
        parse(r#"{"auth_mode":"chatgptAuthTokens"}"#),
        AuthMode::ChatGpt
    );
}

#[test]
fn chatgpt_round_trip_keeps_order_and_unknown_keys() {
    let text = format!(
        "{{\n  \"auth_mode\": \"chatgpt\",\n  \"OPENAI_API_KEY\": null,\n  \"tokens\": {{\n    \
         \"id_token\": \"{}\",\n    \"access_token\": \"a\",\n    \"refresh_token\": \"r\",\n    \
         \"account_id\": \"ws\",\n    \"zz_new\": 1\n  }},\n  \"last_refresh\": \"2026-01-01T00:00:00Z\",\n  \
         \"future_field\": {{\n    \"x\": [\n      1\n    ]\n  }}\n}}",
        forge("{}")
    );
    let auth = AuthDotJson::parse(text.as_bytes()).unwrap();
    assert_eq!(auth.to_pretty_json(), text);
}

#[test]
fn rewrite_puts_known_keys_in_codex_order_then_unknown_ones() {
    let text = format!(
        r#"{{"zz_first":true,"tokens":{{"extra":"x","account_id":null,"refresh_token":"r","access_token":"a","id_token":"{}"}},"OPENAI_API_KEY":"sk-k","auth_mode":"chatgpt"}}"#,
        forge("{}")
    );
    let auth = AuthDotJson::parse(text.as_bytes()).unwrap();
    let expected = format!(
        "{{\n  \"auth_mode\": \"chatgpt\",\n  \"OPENAI_API_KEY\": \"sk-k\",\n  \"tokens\": {{\n    \
         \"id_token\": \"{}\",\n    \"access_token\": \"a\",\n    \"refresh_token\": \"r\",\n    \
         \"account_id\": null,\n    \"extra\": \"x\"\n  }},\n  \"zz_first\": true\n}}",
        forge("{}")
    );
    assert_eq!(auth.to_pretty_json(), expected);
}

#[test]
fn rejects_what_codex_rejects() {
    let err = |text: &str| AuthDotJson::parse(text.as_bytes()).unwrap_err().to_string();
    assert!(err(r#"{"auth_mode":"weird"}"#).contains("auth_mode"));
    assert!(err(r#"{"auth_mode":"headers"}"#).contains("headers"));
    assert!(err(r#"{"auth_mode":"apikey"}"#).contains("OPENAI_API_KEY"));
    assert!(
        err(r#"{"tokens":{"id_token":"x","access_token":"a","refresh_token":"r"}}"#)
            .contains("id_token")
    );
    assert!(err(r#"{"tokens":{"id_token":{}}}"#).contains("id_token"));
    assert!(err("[]").contains("object"));
    assert!(err("{").contains("line 1"));
    assert!(err(r#"{"last_refresh":"yesterday"}"#).contains("last_refresh"));
    assert!(err(r#"{"OPENAI_API_KEY":5}"#).contains("OPENAI_API_KEY"));
}

#[test]
fn errors_and_debug_never_show_secrets() {
    let err = AuthDotJson::parse(br#"{"OPENAI_API_KEY":["sk-secret-value"]}"#).unwrap_err();
    assert!(!err.to_string().contains("sk-secret"), "{err}");
    let err = AuthDotJson::parse(br#"{"auth_mode": sk-secret-value}"#).unwrap_err();
    assert!(!err.to_string().contains("sk-secret"), "{err}");
    let auth = AuthDotJson::parse(
        br#"{"OPENAI_API_KEY":"sk-secret-value","agent_identity":{"agent_private_key":"pk-secret"}}"#,
    )
    .unwrap();
    let shown = format!("{auth:?}");
    assert!(!shown.contains("secret"), "{shown}");
}

#[test]
fn a_bad_value_is_named_by_field_line_and_column_and_never_quoted() {
    // Issue 9: the message was cut out of serde's text, which quotes the value: a string with
    // ", expected" in it left its tail in the message.
    let secret = "sk-live-0123456789, expected SECRETTAIL-abcdef";
    let text = format!(
        "{{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {{\n    \"id_token\": \"{}\",\n    \
         \"access_token\": \"a\",\n    \"refresh_token\": \"r\",\n    \
         \"oauth_provenance\": \"{secret}\"\n  }}\n}}",
        forge("{}")
    );
    let err = AuthDotJson::parse(text.as_bytes()).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("SECRETTAIL"), "{shown}");
    assert!(!shown.contains("sk-live"), "{shown}");
    // Line 7, at the closing quote of `    "oauth_provenance"`.
    assert_eq!(
        err.to_string(),
        "`tokens.oauth_provenance` has the wrong type (expected an object, found a string) \
         (at line 7 column 22)"
    );
}

#[test]
fn field_errors_say_what_was_expected_and_found_and_where() {
    let err = |text: &str| AuthDotJson::parse(text.as_bytes()).unwrap_err().to_string();
    // On one line, the column is just past the key: where it ends in the text.
    let end_of = |text: &str, key: &str| text.find(key).unwrap() + key.len();
    let text = r#"{"OPENAI_API_KEY": ["sk-secret"]}"#;
    assert_eq!(
        err(text),
        format!(
            "`OPENAI_API_KEY` has the wrong type (expected a string, found an array) (at line 1 \
             column {})",
            end_of(text, r#""OPENAI_API_KEY""#)
        )
    );
    assert_eq!(
        err("{\n  \"personal_access_token\": 12345\n}"),
        "`personal_access_token` has the wrong type (expected a string, found a number) \
         (at line 2 column 25)"
    );
    // A missing key: the field it is missing from.
    let jwt = forge("{}");
    let text = format!(r#"{{"tokens": {{"id_token": "{jwt}", "access_token": "a"}}}}"#);
    assert_eq!(
        err(&text),
        format!(
            "`tokens.refresh_token` is missing (at line 1 column {})",
            end_of(&text, r#""tokens""#)
        )
    );
    let text = format!(
        r#"{{"tokens": {{"id_token": "{jwt}", "access_token": "a", "refresh_token": "r",
           "oauth_provenance": {{"issuer": "https://x", "client_id": 5}}}}}}"#
    );
    let line = &text[text.find('\n').unwrap() + 1..];
    assert_eq!(
        err(&text),
        format!(
            "`tokens.oauth_provenance.client_id` has the wrong type (expected a string, found a \
             number) (at line 2 column {})",
            end_of(line, r#""client_id""#)
        )
    );
    assert_eq!(
        err("[1, 2]"),
        "`(top level)` must be a JSON object (at line 1 column 1)"
    );
}

#[test]
fn unknown_numbers_are_written_back_unchanged() {
    // Found by fuzzing: serde_json's default float parsing may miss the last digit, so a
    // rewrite changed the value of a field we promise to keep (its `float_roundtrip` fixes it).
    let text =
        "{\"OPENAI_API_KEY\": \"k\", \"x\": [1.3816339811654833e+200, -0.0016587140900266037]}";
    let auth = AuthDotJson::parse(text.as_bytes()).unwrap();
    let written = auth.to_compact_json();
    assert!(
        written.ends_with(r#""x":[1.3816339811654833e+200,-0.0016587140900266037]}"#),
        "{written}"
    );
}
