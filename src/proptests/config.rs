//! config.toml and `-c KEY=VALUE`: any text, TOML-shaped text with odd values, and any
//! override; an error says where it came from.

use proptest::prelude::*;

use crate::config::{ConfigError, parse};

/// The keys codex-creds reads, some others, and odd ones.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("forced_login_method".to_owned()),
        Just("forced_chatgpt_workspace_id".to_owned()),
        Just("cli_auth_credentials_store".to_owned()),
        Just("model".to_owned()),
        "[a-z_]{1,8}(\\.[a-z_]{1,8}){0,4}",
        "\"[^\"\\n]{0,8}\"",
        ".{0,12}",
    ]
}

/// A TOML value, or something that is nearly one.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"api\"".to_owned()),
        Just("\"chatgpt\"".to_owned()),
        Just("\"keyring\"".to_owned()),
        Just("\"ws-a,ws-b\"".to_owned()),
        Just("[\"a\", \" \", \"\"]".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "\"\\PC{0,20}\"",
        "'[^'\\n]{0,20}'",
        "\\[[^\\n]{0,20}\\]",
        "\\{[^\\n]{0,20}\\}",
        "[\\[{]{1,200}",
        ".{0,20}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (key(), "[ ]{0,2}", value()).prop_map(|(k, pad, v)| format!("{k}{pad}={pad}{v}")),
        1 => "\\[[a-z.]{0,10}\\]?",
        1 => "#.{0,10}",
        1 => ".{0,20}",
    ]
}

fn overrides() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            3 => (key(), value()).prop_map(|(k, v)| format!("{k}={v}")),
            1 => ".{0,30}",
        ],
        0..4,
    )
}

fn check(text: &str, overrides: &[String]) -> Result<(), TestCaseError> {
    match parse(text, "config.toml", overrides) {
        // Blank workspace ids would lock every login out: they are dropped.
        Ok(config) => prop_assert!(
            config
                .forced_workspace_ids
                .iter()
                .all(|id| !id.trim().is_empty())
        ),
        Err(ConfigError::Override { item, .. }) => prop_assert!(overrides.contains(&item)),
        Err(ConfigError::Invalid { origin, line, .. }) => {
            prop_assert_eq!(origin, "config.toml");
            prop_assert!(line.unwrap_or(1) <= text.lines().count().max(1) + 1);
        }
        Err(ConfigError::Read { .. }) => prop_assert!(false, "parse never reads"),
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_text_and_overrides(text in "\\PC{0,200}", overrides in prop::collection::vec(".{0,30}", 0..3)) {
        check(&text, &overrides)?;
    }

    #[test]
    fn toml_shaped_text_and_overrides(lines in prop::collection::vec(line(), 0..6), overrides in overrides()) {
        check(&lines.join("\n"), &overrides)?;
    }
}
