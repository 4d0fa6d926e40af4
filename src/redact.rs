//! Redaction of what an issuer says before it reaches a message: every secret the request
//! carried, and every other token-shaped word, becomes `[REDACTED]`. Pure.
//!
//! Secrets are cut out before the text is shortened, so no piece of one survives the cut.

use crate::secret::Secret;

/// What a secret or a token-shaped word is replaced by.
const MARK: &str = "[REDACTED]";

/// The shortest word [`without_token_shapes`] takes for a token.
const MIN_TOKEN_LEN: usize = 32;

/// A short, printable version of a server's text: [`redacted`], then trimmed and made
/// printable by [`crate::untrusted::shown`].
pub fn shown(text: &str, secrets: &[&Secret]) -> String {
    crate::untrusted::shown(redacted(text, secrets).trim())
}

/// `text` with every non-empty secret in `secrets`, and every other word that looks like a
/// credential, replaced by `[REDACTED]`. Not shortened or cleaned: the caller does that after.
pub fn redacted(text: &str, secrets: &[&Secret]) -> String {
    without_token_shapes(&without_secrets(text.to_owned(), secrets))
}

/// `text` with every non-empty secret in `secrets` replaced by `[REDACTED]`.
fn without_secrets(text: String, secrets: &[&Secret]) -> String {
    secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text, |text, secret| text.replace(secret.expose(), MARK))
}

/// `text` with every word that looks like a credential replaced by `[REDACTED]`: a run of at
/// least [`MIN_TOKEN_LEN`] base64url/JWT characters mixing upper case, lower case and digits.
/// This catches secrets the request did not carry (an issuer quoting an older, rotated refresh
/// token, or a token from another session) while leaving words, hex ids and UUIDs readable.
fn without_token_shapes(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    let looks_like_token = |word: &str| {
        word.len() >= MIN_TOKEN_LEN
            && word.contains(|c: char| c.is_ascii_uppercase())
            && word.contains(|c: char| c.is_ascii_lowercase())
            && word.contains(|c: char| c.is_ascii_digit())
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_token_char) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
        let word = &rest[..end];
        out.push_str(if looks_like_token(word) { MARK } else { word });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_is_bounded_printable_and_redacted() {
        let secret = Secret::new("rt-secret-123");
        let text = format!("bad\ntoken {} {}", secret.expose(), "x".repeat(1000));
        let out = shown(&text, &[&secret]);
        assert!(!out.contains("rt-secret-123"));
        assert!(out.contains("[REDACTED]"));
        assert!(!out.contains('\n'));
        assert!(out.chars().count() <= crate::untrusted::MAX_SHOWN + 1);
        assert!(out.ends_with('…'));
    }

    #[test]
    fn token_shaped_words_are_redacted_and_ordinary_text_is_not() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlXzEyMzQ1Ng";
        let rotated = "rt_Xk3vQ9pLm2Zt8Wb4Nc7Yd1Rf6Gh5Js0A";
        let text = format!("refresh token {rotated} was rotated; id {jwt}.");
        assert_eq!(
            shown(&text, &[]),
            "refresh token [REDACTED] was rotated; id [REDACTED]"
        );
        for readable in [
            "invalid_grant: refresh_token_reused_after_rotation_window_closed",
            "request 0f8fad5b-d9cb-469f-a165-70867728950e failed",
            "trace 4bf92f3577b34da6a3ce929d0e0e4736deadbeef",
            "Visit https://auth.openai.com/codex/device?code=ABCD-1234 now",
        ] {
            assert_eq!(shown(readable, &[]), readable);
        }
    }

    #[test]
    fn empty_secret_redacts_nothing() {
        assert_eq!(shown("  hello ", &[&Secret::new("")]), "hello");
        assert_eq!(redacted(" x ", &[&Secret::new("")]), " x ");
    }
}
