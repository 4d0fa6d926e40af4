//! Durations as people type and read them: [`parse`] (`500ms`, `90`, `90s`, `15m`, `2h`, `1d`)
//! for flags and environment variables, [`format`] and [`relative`] for messages. Pure.
//!
//! Every parsed duration is at most [`MAX`], so adding one to an `Instant` or a date never
//! overflows (a `--timeout 18446744073709551615s` once aborted with a panic).

use std::time::Duration;

/// The longest duration accepted anywhere: a year is more than any wait this tool needs.
pub const MAX: Duration = Duration::from_secs(365 * 86_400);

/// Why a duration could not be parsed. The message quotes only what the user typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("`{0}` is not a duration (try 500ms, 90s, 15m or 2h)")]
    NotANumber(String),
    #[error("`{0}` has an unknown unit (use ms, s, m, h or d)")]
    UnknownUnit(String),
    #[error("`{0}` is too long (at most 365d)")]
    TooLong(String),
    #[error("`{0}` must be more than zero")]
    Zero(String),
}

/// Parses `500ms`, `90` (seconds), `90s`, `15m`, `2h` or `1d`. Zero is allowed here; callers
/// that need a positive value use [`parse_positive`].
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let shown = || text.chars().take(40).collect::<String>();
    if digits.is_empty() {
        return Err(DurationError::NotANumber(shown()));
    }
    let millis_per_unit: u64 = match unit.trim() {
        "ms" => 1,
        "" | "s" | "sec" | "secs" => 1_000,
        "m" | "min" | "mins" => 60_000,
        "h" | "hr" | "hrs" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        _ => return Err(DurationError::UnknownUnit(shown())),
    };
    // Too many digits for a u64 is "too long", not "not a number".
    let value: u64 = digits
        .parse()
        .map_err(|_| DurationError::TooLong(shown()))?;
    let duration = value
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(|| DurationError::TooLong(shown()))?;
    if duration > MAX {
        return Err(DurationError::TooLong(shown()));
    }
    Ok(duration)
}

/// [`parse`], refusing zero.
pub fn parse_positive(text: &str) -> Result<Duration, DurationError> {
    match parse(text)? {
        d if d.is_zero() => Err(DurationError::Zero(text.trim().chars().take(40).collect())),
        d => Ok(d),
    }
}

/// A short form for messages: `500 ms`, `45 s`, `10 min`, `2 h`, `3 d` (a larger unit only
/// when exact).
pub fn format(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1_000 || !millis.is_multiple_of(1_000) {
        return format!("{millis} ms");
    }
    let secs = duration.as_secs();
    match secs {
        s if s >= 86_400 && s.is_multiple_of(86_400) => format!("{} d", s / 86_400),
        s if s >= 3_600 && s.is_multiple_of(3_600) => format!("{} h", s / 3_600),
        s if s >= 60 && s.is_multiple_of(60) => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// How far away a moment `seconds` from now is, roughly: `90s`, `12m`, `3h 12m`, `2d 4h`.
/// Negative or zero gives `now`.
pub fn relative(seconds: i64) -> String {
    match seconds {
        s if s <= 0 => "now".to_owned(),
        s @ 0..120 => format!("{s}s"),
        s @ 120..3_600 => format!("{}m", s / 60),
        s @ 3_600..86_400 => match (s % 3_600) / 60 {
            0 => format!("{}h", s / 3_600),
            m => format!("{}h {m}m", s / 3_600),
        },
        s => match (s % 86_400) / 3_600 {
            0 => format!("{}d", s / 86_400),
            h => format!("{}d {h}h", s / 86_400),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse(" 90s "), Ok(Duration::from_secs(90)));
        assert_eq!(parse("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refuses_junk_negative_and_unknown_units() {
        assert!(matches!(parse(""), Err(DurationError::NotANumber(_))));
        assert!(matches!(parse("-5s"), Err(DurationError::NotANumber(_))));
        assert!(matches!(parse("5y"), Err(DurationError::UnknownUnit(_))));
        assert!(matches!(parse("1.5h"), Err(DurationError::UnknownUnit(_))));
        assert!(matches!(parse_positive("0"), Err(DurationError::Zero(_))));
    }

    #[test]
    fn refuses_what_would_overflow_a_deadline() {
        for text in [
            "18446744073709551615s",
            "99999999999999999999d",
            "18446744073709551615ms",
            "366d",
        ] {
            assert!(
                matches!(parse(text), Err(DurationError::TooLong(_))),
                "{text}"
            );
        }
        assert_eq!(parse("365d"), Ok(MAX));
        assert!(std::time::Instant::now().checked_add(MAX).is_some());
    }

    #[test]
    fn formats_for_messages() {
        assert_eq!(format(Duration::from_millis(250)), "250 ms");
        assert_eq!(format(Duration::from_millis(1500)), "1500 ms");
        assert_eq!(format(Duration::from_secs(45)), "45 s");
        assert_eq!(format(Duration::from_secs(600)), "10 min");
        assert_eq!(format(Duration::from_secs(7200)), "2 h");
        assert_eq!(format(Duration::from_secs(90)), "90 s");
        assert_eq!(format(Duration::from_secs(86_400 * 3)), "3 d");
    }

    #[test]
    fn relative_times() {
        assert_eq!(relative(-3), "now");
        assert_eq!(relative(90), "90s");
        assert_eq!(relative(720), "12m");
        assert_eq!(relative(3 * 3600 + 12 * 60), "3h 12m");
        assert_eq!(relative(7200), "2h");
        assert_eq!(relative(2 * 86_400 + 4 * 3600), "2d 4h");
    }
}
