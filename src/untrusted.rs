//! The one sanitizer for text that comes from outside (a token claim, a server reply, a file):
//! [`printable`] makes it safe to put on a terminal or in a one-line message. Pure.
//!
//! Control characters (C0, DEL, C1: so ESC, BEL and CSI, which start terminal escape
//! sequences) and the Unicode bidi controls (which can make text read backwards) become a
//! space; the text is cut to a maximum number of characters, a cut marked with `…`.

/// The longest excerpt of untrusted text shown by default.
pub const MAX_SHOWN: usize = 200;

/// `text` with every control or bidi character replaced by a space, cut to `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if is_unsafe(c) { ' ' } else { c })
        .take(max)
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// [`printable`] with the default length, [`MAX_SHOWN`].
pub fn shown(text: &str) -> String {
    printable(text, MAX_SHOWN)
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200E}' | '\u{200F}'            // left-to-right / right-to-left marks
            | '\u{202A}'..='\u{202E}'          // embeddings and overrides
            | '\u{2066}'..='\u{2069}'          // isolates
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_defused() {
        let hostile = "a@b.c\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
        let shown = shown(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert!(shown.starts_with("a@b.c ]0;pwned  [2J 31m"), "{shown:?}");
    }

    #[test]
    fn bidi_controls_and_newlines_become_spaces() {
        assert_eq!(shown("evil\u{202E}txt.exe\nnext"), "evil txt.exe next");
        assert_eq!(shown("x\u{2066}y\u{200F}"), "x y ");
    }

    #[test]
    fn long_text_is_cut_and_marked_by_characters() {
        assert_eq!(printable("ééééé", 3), "ééé…");
        assert_eq!(printable("abc", 3), "abc");
        assert_eq!(shown(&"x".repeat(500)).chars().count(), MAX_SHOWN + 1);
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(
            shown("Plus · Team (ws-1) — 東京"),
            "Plus · Team (ws-1) — 東京"
        );
    }
}
