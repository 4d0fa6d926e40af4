//! The HTML pages the callback server shows the browser. Pure.
//!
//! Invariant: text from outside (the issuer's error and description, the email from the
//! id_token) reaches a page only through `untrusted::shown` and then HTML escaping, so it can
//! neither inject markup nor smuggle control or bidi characters onto the page.

use axum::http::StatusCode;

use crate::untrusted;

/// A page for the browser.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: StatusCode,
    pub html: String,
}

impl Page {
    /// The login was saved; `who` is the account's email (from the id_token: outside text).
    pub fn success(who: Option<&str>) -> Self {
        let who = who
            .map(|email| format!(" as <strong>{}</strong>", outside(email)))
            .unwrap_or_default();
        Page {
            status: StatusCode::OK,
            html: layout(
                "Signed in to Codex",
                &format!(
                    "<h1>Signed in</h1><p>codex-creds saved your ChatGPT login{who}.</p>\
                     <p>You can close this window and return to the terminal.</p>"
                ),
            ),
        }
    }

    /// An error page: what happened, the error code, and a hint. Both texts may come from the
    /// issuer, so both are treated as outside text.
    pub fn error(code: &str, message: &str) -> Self {
        Page::failure(StatusCode::OK, code, message)
    }

    /// The login could not take this callback now (its event queue is full): nothing was used.
    pub fn busy() -> Self {
        Page::failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "login_busy",
            "The login in the terminal is busy and did not take this sign-in. Return to the \
             terminal; if it is still waiting, reload this page.",
        )
    }

    fn failure(status: StatusCode, code: &str, message: &str) -> Self {
        Page {
            status,
            html: layout(
                "Sign-in failed",
                &format!(
                    "<h1>Sign-in failed</h1><p>{}</p><p>Error code: <code>{}</code></p>\
                     <p>Return to the terminal for details; nothing was saved.</p>",
                    outside(message),
                    outside(code)
                ),
            ),
        }
    }
}

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;\
         padding:0 1em;line-height:1.5}}</style></head><body>{body}</body></html>"
    )
}

/// Outside text made inert for HTML: sanitized by the one sanitizer, then escaped.
fn outside(text: &str) -> String {
    escape(&untrusted::shown(text))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_escape_what_they_show() {
        let page = Page::error("x<y", "<script>alert(1)</script>");
        assert!(!page.html.contains("<script>alert"));
        assert!(page.html.contains("x&lt;y"));
        assert!(
            Page::success(Some("a&b@example.com"))
                .html
                .contains("a&amp;b@example.com")
        );
    }

    #[test]
    fn pages_show_outside_text_without_control_or_bidi_characters() {
        let hostile = "evil\u{202E}gpj.exe\u{1b}[2J\u{7}\u{2066}x";
        for page in [Page::success(Some(hostile)), Page::error(hostile, hostile)] {
            let unsafe_chars = |c: &char| {
                c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            };
            let bad: Vec<char> = page.html.chars().filter(unsafe_chars).collect();
            assert!(bad.is_empty(), "{bad:?} in {}", page.html);
            assert!(page.html.contains("evil gpj.exe [2J  x"), "{}", page.html);
        }
    }

    #[test]
    fn long_outside_text_is_cut() {
        let page = Page::error("access_denied", &"A".repeat(10_000));
        assert!(page.html.len() < 2_000, "{} bytes", page.html.len());
        assert!(page.html.contains('…'));
    }
}
