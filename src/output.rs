//! The only module that prints. Data goes to stdout, diagnostics to stderr; colour follows the
//! terminal and NO_COLOR (anstream strips styles when the stream is not a terminal).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use anstyle::{AnsiColor, Style};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();

/// Prints data and diagnostics. Write failures (a closed pipe) are ignored: there is nobody
/// left to tell.
#[derive(Debug, Default, Clone, Copy)]
pub struct Output;

impl Output {
    /// One line of data on stdout.
    pub fn data(&self, text: &str) {
        let mut out = anstream::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }

    /// A JSON document on stdout.
    pub fn json(&self, value: &serde_json::Value) {
        self.data(&serde_json::to_string_pretty(value).unwrap_or_default());
    }

    /// A plain message on stderr ("Logged out", progress, instructions).
    pub fn info(&self, text: &str) {
        let _ = writeln!(anstream::stderr(), "{text}");
    }

    pub fn warn(&self, text: &str) {
        let _ = writeln!(anstream::stderr(), "{WARNING}warning:{WARNING:#} {text}");
    }

    pub fn note(&self, text: &str) {
        let _ = writeln!(anstream::stderr(), "{NOTE}note:{NOTE:#} {text}");
    }

    /// A spinner on stderr; it draws nothing when stderr is not a terminal. Clear it with
    /// `finish_and_clear` before printing the result.
    pub fn spinner(&self, message: &str) -> indicatif::ProgressBar {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    }

    /// One protocol line on stdout (the app-server's JSON-RPC), raw and flushed at once.
    pub fn protocol_line(&self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }

    /// Whether stdout is a terminal (bars and other decoration only go to one).
    pub fn stdout_is_terminal(&self) -> bool {
        std::io::IsTerminal::is_terminal(&std::io::stdout())
    }

    pub fn error(&self, text: &str) {
        let _ = writeln!(anstream::stderr(), "{ERROR}error:{ERROR:#} {text}");
    }
}

/// How an instant is shown, in text and in `--json`: RFC 3339 in UTC, to the second
/// (`2026-11-23T12:00:00Z`).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An instant in the local time zone (TZ, else /etc/localtime), for people; UTC when the zone
/// cannot be read.
pub fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(local_offset_seconds(at.timestamp()))
        .unwrap_or(chrono::Offset::fix(&Utc));
    at.with_timezone(&offset)
}

#[cfg(unix)]
fn local_offset_seconds(timestamp: i64) -> i32 {
    // time_t is 32 bits on some targets; musl's alias carries a deprecation notice about that very
    // change, which this cast already handles.
    #[allow(clippy::unnecessary_cast, deprecated)]
    let time = timestamp as libc::time_t;
    // SAFETY: `tm` is plain data that localtime_r fills in; both pointers are valid for the call.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&time, &mut tm).is_null() {
            return 0;
        }
        i32::try_from(tm.tm_gmtoff).unwrap_or(0)
    }
}

#[cfg(windows)]
fn local_offset_seconds(timestamp: i64) -> i32 {
    use chrono::{Local, Offset, TimeZone};
    DateTime::from_timestamp(timestamp, 0)
        .map(|at| {
            Local
                .offset_from_utc_datetime(&at.naive_utc())
                .fix()
                .local_minus_utc()
        })
        .unwrap_or(0)
}

#[cfg(not(any(unix, windows)))]
fn local_offset_seconds(_timestamp: i64) -> i32 {
    0
}
