//! Account names (pure): 1–64 characters of `[A-Za-z0-9._-]`, not starting with a dot, so a
//! name is always one safe path component and never one of our temp or hidden entries.

/// The longest account name.
pub const MAX_LEN: usize = 64;

/// Checks an account NAME; the error says what is wrong and what is allowed (never echoing
/// control characters).
pub fn validate(name: &str) -> Result<(), String> {
    let rule = "a name is 1 to 64 characters from A-Z a-z 0-9 . _ - and does not start with a dot";
    let shown = crate::untrusted::shown(name);
    if name.is_empty() {
        return Err(format!(
            "the account name is empty: {rule}. Nothing was written."
        ));
    }
    if name.chars().count() > MAX_LEN {
        return Err(format!(
            "the account name \"{shown}\" is longer than {MAX_LEN} characters: {rule}. Nothing \
             was written."
        ));
    }
    if name.starts_with('.') {
        return Err(format!(
            "the account name \"{shown}\" starts with a dot: {rule}. Nothing was written."
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        let bad = if bad.is_control() || bad.is_whitespace() {
            format!("U+{:04X}", u32::from(bad))
        } else {
            format!("'{bad}'")
        };
        return Err(format!(
            "the account name \"{shown}\" contains {bad}: {rule}. Nothing was written."
        ));
    }
    Ok(())
}

/// A valid name made from free text (an email, an alias): unsafe characters become `-`, a
/// leading dot is dropped, the result is cut to [`MAX_LEN`]; `None` when nothing is left.
pub fn sanitise(text: &str) -> Option<String> {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed: String = mapped
        .trim_start_matches('.')
        .chars()
        .take(MAX_LEN)
        .collect();
    let trimmed = trimmed.trim_matches('-').to_owned();
    validate(&trimmed).ok().map(|()| trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_allowed() {
        for name in [
            "a",
            "work",
            "Work-2",
            "me.personal",
            "x_y",
            "0",
            &"a".repeat(64),
            "a.",
        ] {
            assert!(validate(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn names_that_are_refused_say_why() {
        let cases = [
            ("", "empty"),
            (".hidden", "starts with a dot"),
            ("..", "starts with a dot"),
            ("a/b", "'/'"),
            ("a b", "U+0020"),
            ("tab\there", "U+0009"),
            ("é", "'é'"),
            ("../x", "starts with a dot"),
            ("x\u{1b}[31m", "U+001B"),
        ];
        for (name, why) in cases {
            let err = validate(name).unwrap_err();
            assert!(err.contains(why), "{name:?}: {err}");
            assert!(err.contains("Nothing was written"), "{err}");
            assert!(
                !err.contains('\u{1b}'),
                "no control characters echoed: {err:?}"
            );
        }
        let long = "a".repeat(65);
        assert!(validate(&long).unwrap_err().contains("longer than 64"));
    }

    #[test]
    fn sanitised_names_are_valid() {
        assert_eq!(
            sanitise("me@example.com").as_deref(),
            Some("me-example.com")
        );
        assert_eq!(sanitise(".x y").as_deref(), Some("x-y"));
        assert_eq!(sanitise("@@@"), None);
        assert_eq!(sanitise(&"b".repeat(100)).unwrap().len(), 64);
    }
}
