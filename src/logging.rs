//! Diagnostic logging to stderr, installed only when RUST_LOG is set (no cost otherwise).
//! Logs record booleans, lengths and locations, never secret values: our own code never logs a
//! value, and the dependency targets that dump raw wire bytes are capped ([`CAPS`]) whatever
//! RUST_LOG asks for.

use tracing_subscriber::EnvFilter;

/// Directives added after the user's, so they win for these targets (a more specific or equal
/// target replaces a broader one): each target below can print raw bytes that carry tokens.
/// - `reqwest::connect::verbose`: every byte read and written on a connection (request
///   headers such as `Authorization`, form bodies with codes and refresh tokens, token
///   responses) when a client has `connection_verbose` on.
/// - `zbus::connection::handshake`: spans whose fields hold the raw bytes of D-Bus messages
///   sent along with the handshake.
pub const CAPS: [&str; 2] = [
    "reqwest::connect::verbose=off",
    "zbus::connection::handshake=warn",
];

/// Installs a tracing subscriber on stderr when `RUST_LOG` is set; a malformed filter is ignored.
#[allow(clippy::disallowed_methods)] // RUST_LOG is read by the logger it configures
pub fn init_if_requested() {
    let Some(spec) = std::env::var_os(crate::env::RUST_LOG) else {
        return;
    };
    let Some(filter) = spec.to_str().and_then(filter) else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}

/// The user's filter with [`CAPS`] on top; `None` when it is empty or malformed. The user's
/// directives for a capped target or one below it are dropped (a more specific directive
/// would otherwise win over the cap).
fn filter(spec: &str) -> Option<EnvFilter> {
    if spec.trim().is_empty() {
        return None;
    }
    EnvFilter::try_new(spec).ok()?;
    let capped = |part: &str| {
        CAPS.iter().any(|cap| {
            let target = cap.split('=').next().unwrap_or(cap);
            part.trim().starts_with(target)
        })
    };
    let kept: Vec<&str> = spec.split(',').filter(|part| !capped(part)).collect();
    let mut filter = EnvFilter::try_new(kept.join(",")).ok()?;
    for cap in CAPS {
        if let Ok(directive) = cap.parse() {
            filter = filter.add_directive(directive);
        }
    }
    Some(filter)
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What a subscriber with the filter for `spec` writes for events on the risky targets.
    fn logged_under(spec: &str) -> String {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter(spec).unwrap())
            .with_writer(move || writer.clone())
            .with_target(true)
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "reqwest::connect::verbose", "write: Bearer at-LEAK-1");
            tracing::trace!(target: "reqwest::connect::verbose", "read: refresh_token=rt-LEAK-2");
            let span = tracing::info_span!(
                target: "zbus::connection::handshake::common",
                "write_commands",
                extra_bytes = "LEAK-3"
            );
            span.in_scope(|| {
                tracing::trace!(target: "zbus::connection::handshake::common", "Wrote all");
                tracing::warn!(target: "zbus::connection::handshake::common", "handshake failed");
            });
            tracing::trace!(target: "zbus::connection::socket", "Sending message");
            tracing::trace!(target: "reqwest::connect", "starting new connection");
            tracing::trace!(target: "codex_creds::refresh", "refresh_token_len=43");
        });
        let bytes = captured.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn byte_dumping_targets_stay_capped_whatever_rust_log_says() {
        for spec in [
            "trace",
            "codex_creds=trace,reqwest=trace,zbus=trace",
            "codex_creds=trace,reqwest::connect::verbose=trace,zbus::connection::handshake=trace",
            "trace,reqwest::connect::verbose::x=trace,zbus::connection::handshake::common=trace",
            "zbus::connection::handshake::common[write_commands]=trace,trace",
        ] {
            let out = logged_under(spec);
            assert!(!out.contains("LEAK"), "{spec}: {out}");
            // Everything else the user asked for still logs.
            assert!(out.contains("refresh_token_len=43"), "{spec}: {out}");
        }
        let out = logged_under("trace");
        assert!(out.contains("Sending message"), "{out}");
        assert!(out.contains("starting new connection"), "{out}");
    }

    #[test]
    fn empty_or_malformed_filters_install_nothing() {
        assert!(filter("").is_none());
        assert!(filter("  ").is_none());
        assert!(filter("codex_creds=[{").is_none());
        assert!(filter("debug").is_some());
    }

    #[test]
    fn every_cap_parses() {
        for cap in CAPS {
            assert!(
                cap.parse::<tracing_subscriber::filter::Directive>().is_ok(),
                "{cap}"
            );
        }
    }
}
