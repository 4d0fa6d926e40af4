//! Flag values: every value-taking flag, with any value (text, huge numbers, leading dashes,
//! bytes that are not UTF-8), is parsed or refused by clap, and the values that go on to a
//! parser of ours (`-c`, `--issuer`) are parsed or refused by it too.

use std::ffi::OsString;

use clap::Parser;
use proptest::prelude::*;

use crate::cli::{Cli, command};

/// Each value-taking flag, as a command line around `{}`.
const LINES: [&[&str]; 12] = [
    &["login", "--timeout={}"],
    &["login", "--device-auth", "--timeout", "{}"],
    &["refresh", "--min-validity={}"],
    &["token", "--min-validity={}"],
    &["login", "--port={}"],
    &["--store={}", "status"],
    &["--issuer={}", "status"],
    &["-c", "{}", "status"],
    &["status", "--config={}"],
    &["--codex-home={}", "token"],
    &["migrate", "--to={}"],
    &["login", "--with-api-key={}"],
];

/// What a user, a script or a fuzzer might type.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,30}",
        ".{0,30}",
        "[-+]?[0-9]{1,30}(ms|s|m|h|d|e[0-9]{1,3}|\\.[0-9]{1,3})?",
        "(https?|file|ftp)://[a-z0-9.:\\[\\]@%-]{0,30}(/.{0,10})?",
        "[a-z_.]{1,20}=.{0,20}",
        Just(String::new()),
    ]
}

fn command_line(line: &[&str], value: OsString) -> Vec<OsString> {
    let mut args = vec![OsString::from("codex-creds")];
    for part in line {
        args.push(match part.split_once("{}") {
            None => OsString::from(part),
            Some((before, after)) => {
                let mut arg = OsString::from(before);
                arg.push(&value);
                arg.push(after);
                arg
            }
        });
    }
    args
}

fn parse(args: Vec<OsString>) {
    let _ = command().try_get_matches_from(args.clone());
    if let Ok(cli) = Cli::try_parse_from(args) {
        let _ = crate::config::parse("", "-c", &cli.global.config_overrides);
        if let Some(issuer) = &cli.global.issuer {
            let _ = crate::oauth::check_issuer_url(issuer);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_flag_value_is_parsed_or_refused(value in value()) {
        for line in LINES {
            parse(command_line(line, OsString::from(&value)));
        }
    }

    #[cfg(unix)]
    #[test]
    fn any_bytes_as_a_flag_value_are_parsed_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..24)) {
        use std::os::unix::ffi::OsStringExt;
        for line in LINES {
            parse(command_line(line, OsString::from_vec(bytes.clone())));
        }
    }
}
