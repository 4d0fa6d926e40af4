//! The duration parser of flags and environment variables: any text; never more than
//! [`MAX`] (so no deadline overflows); what [`duration::format`] writes parses back.

use std::time::{Duration, Instant};

use proptest::prelude::*;

use crate::duration::{self, MAX};

/// Digits (up to past u64), a unit or junk, spaces around.
fn duration_like() -> impl Strategy<Value = String> {
    let unit = prop_oneof![
        Just(""),
        Just("ms"),
        Just("s"),
        Just("secs"),
        Just("m"),
        Just("min"),
        Just("h"),
        Just("hrs"),
        Just("d"),
        Just("days"),
        Just("y"),
        Just("e20"),
        Just(".5s"),
    ];
    (
        "[ \\t]{0,2}",
        "[-+]?[0-9]{0,25}",
        "[ ]{0,2}",
        unit,
        "\\PC{0,2}",
    )
        .prop_map(|(lead, digits, gap, unit, tail)| format!("{lead}{digits}{gap}{unit}{tail}"))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    match duration::parse(text) {
        Ok(parsed) => {
            prop_assert!(parsed <= MAX);
            prop_assert!(Instant::now().checked_add(parsed).is_some());
        }
        // The message quotes at most 40 characters of what was typed.
        Err(err) => prop_assert!(err.to_string().chars().count() < 120, "{}", err),
    }
    if let Ok(parsed) = duration::parse_positive(text) {
        prop_assert!(!parsed.is_zero() && parsed <= MAX);
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_text_is_a_bounded_duration_or_an_error(text in "\\PC{0,40}") {
        check(&text)?;
    }

    #[test]
    fn duration_like_text_is_a_bounded_duration_or_an_error(text in duration_like()) {
        check(&text)?;
    }

    #[test]
    fn what_format_writes_parses_back(millis in 0..=MAX.as_millis() as u64) {
        let written = Duration::from_millis(millis);
        prop_assert_eq!(duration::parse(&duration::format(written)), Ok(written));
    }

    #[test]
    fn any_duration_or_distance_can_be_shown(millis in any::<u64>(), seconds in any::<i64>()) {
        prop_assert!(!duration::format(Duration::from_millis(millis)).is_empty());
        prop_assert!(!duration::relative(seconds).is_empty());
    }
}
