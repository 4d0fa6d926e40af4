//! The HTML pages the callback server shows the browser. Pure.

use axum::http::StatusCode;

/// A page for the browser.
#[derive(Debug, Clone)]
pub struct Page {
    pub status: StatusCode,
    pub html: String,
}

impl Page {
    pub fn success(who: Option<&str>) -> Self {
        let who = who
            .map(|email| format!(" as <strong>{}</strong>", escape(email)))
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

    /// An error page: what happened, the error code, and a hint.
    pub fn error(code: &str, message: &str) -> Self {
        Page {
            status: StatusCode::OK,
            html: layout(
                "Sign-in failed",
                &format!(
                    "<h1>Sign-in failed</h1><p>{}</p><p>Error code: <code>{}</code></p>\
                     <p>Return to the terminal for details; nothing was saved.</p>",
                    escape(message),
                    escape(code)
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

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
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
}
