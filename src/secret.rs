//! Secrets as a type: `Debug` is redacted, there is no `Display`, and [`Secret::expose`] is the one
//! greppable place where a key or token is read. Masking for display goes by characters.

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// A key or token. Serialises transparently (it has to reach auth.json) but never prints.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself. Every call site is a place where a secret leaves the type.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Codex's key mask (spec §9), by characters: 13 or fewer → `***`, else the first 8, `***`
    /// and the last 5.
    pub fn mask(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 13 {
            return "***".to_owned();
        }
        let head: String = chars[..8].iter().collect();
        let tail: String = chars[chars.len() - 5..].iter().collect();
        format!("{head}***{tail}")
    }
}

// Debug is hand-written: the value never reaches logs or error output.
impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret([REDACTED], {} chars)", self.0.chars().count())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_matches_codex_for_ascii() {
        assert_eq!(
            Secret::new("sk-proj-1234567890ABCDE").mask(),
            "sk-proj-***ABCDE"
        );
        assert_eq!(Secret::new("abcdefghijklmn").mask(), "abcdefgh***jklmn");
        assert_eq!(Secret::new("abcdefghijklm").mask(), "***");
        assert_eq!(Secret::new("").mask(), "***");
    }

    #[test]
    fn mask_counts_characters_not_bytes() {
        assert_eq!(Secret::new("ééééééééééééééé").mask(), "éééééééé***ééééé");
    }

    #[test]
    fn debug_is_redacted() {
        let shown = format!("{:?}", Secret::new("sk-very-secret-value"));
        assert!(!shown.contains("secret-value"), "{shown}");
    }
}
