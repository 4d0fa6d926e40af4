//! Malformed input of every kind (auth.json, config.toml, `-c`, stdin, CODEX_HOME): each gets a
//! clear error naming the problem, the documented exit code, empty stdout, and leaves every file
//! byte-identical.

use std::path::Path;

use crate::support::check::{KEY, api_key_file, assert_code};
use crate::support::jwt::{ChatGptAuth, forge};
use crate::support::{TestHome, exit_code, run};

mod cases;

use cases::{Auth, Case, READERS, WITH_LOGIN, cases};

fn set_up(home: &TestHome, case: &Case) {
    match &case.auth {
        Auth::Valid => home.write_auth(&api_key_file(KEY)),
        Auth::Bytes(bytes) => {
            std::fs::write(home.auth_path(), bytes).unwrap();
            crate::support::set_mode(&home.auth_path(), 0o600);
        }
        Auth::ChatGpt(change) => {
            let mut value = ChatGptAuth::default().to_value();
            change(&mut value);
            home.write_auth(&serde_json::to_string_pretty(&value).unwrap());
        }
        Auth::PaddedIdToken => {
            let mut value = ChatGptAuth::default().to_value();
            value["tokens"]["id_token"] = padded_id_token().into();
            home.write_auth(&serde_json::to_string_pretty(&value).unwrap());
        }
        Auth::Directory => {
            std::fs::create_dir(home.auth_path()).unwrap();
            std::fs::write(home.auth_path().join("inside"), "x").unwrap();
        }
        Auth::Fifo => {
            let status = std::process::Command::new("mkfifo")
                .arg(home.auth_path())
                .status()
                .unwrap();
            assert!(status.success());
        }
        Auth::SymlinkLoop => std::os::unix::fs::symlink("auth.json", home.auth_path()).unwrap(),
    }
    // Codex's lock files exist in any home that was written before (they are never deleted).
    for name in ["auth.lock", "auth.json.lock"] {
        std::fs::File::create(home.path().join(name)).unwrap();
    }
    if let Some(config) = &case.config {
        std::fs::write(home.path().join("config.toml"), config).unwrap();
    }
}

fn padded_id_token() -> String {
    use base64::Engine;
    use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
    let token = forge(&crate::support::jwt::id_claims("a@b.c", "pro", "ws"));
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    // A JSON payload with a trailing space whose base64 needs padding.
    while !URL_SAFE.encode(&payload).ends_with('=') {
        payload.push(b' ');
    }
    format!("{}.{}.{}", parts[0], URL_SAFE.encode(&payload), parts[2])
}

fn files_below(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    crate::support::check::tree(dir)
        .into_iter()
        .map(|name| {
            // Reading a FIFO would block: only regular files are compared by content.
            let path = dir.join(&name);
            let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            let bytes = regular.then(|| std::fs::read(&path).ok()).flatten();
            (name, bytes)
        })
        .collect()
}

#[test]
fn every_malformed_input_is_refused_cleanly() {
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for case in &cases {
        let home = TestHome::new();
        set_up(&home, case);
        let before = home.snapshot();
        let before_files = files_below(home.path());
        let mut runs: Vec<Vec<&str>> = vec![case.args.to_vec()];
        if std::ptr::eq(case.args, READERS) {
            runs = vec![vec!["status"], vec!["status", "--json"], vec!["token"]];
        }
        if std::ptr::eq(case.args, WITH_LOGIN) {
            runs = vec![
                vec!["status"],
                vec!["status", "--json"],
                vec!["token"],
                vec!["login", "--api-key", "sk-new-key-0000000000000"],
            ];
        }
        for args in runs {
            let mut cmd = home.cmd();
            cmd.args(&args);
            if let Some(stdin) = &case.stdin {
                cmd.write_stdin(stdin.clone());
            }
            let out = run(&mut cmd);
            let home_text = home.path().display().to_string();
            let mut problems = Vec::new();
            if out.code != i32::from(case.code) {
                problems.push(format!("exit {} instead of {}", out.code, case.code));
            }
            if !out.stdout.is_empty() {
                problems.push("stdout is not empty".to_owned());
            }
            for fragment in case.says {
                let fragment = fragment.replace("{home}", &home_text);
                if !out.stderr.contains(&fragment) {
                    problems.push(format!("stderr lacks {fragment:?}"));
                }
            }
            if out.stderr.matches("error:").count() != 1 {
                problems.push("not exactly one error".to_owned());
            }
            if out.stderr.contains(KEY) {
                problems.push("the stored key leaked".to_owned());
            }
            if home.snapshot() != before || files_below(home.path()) != before_files {
                problems.push("files changed".to_owned());
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "{} {args:?}: {}\n{out:?}",
                    case.name,
                    problems.join("; ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn codex_home_that_is_a_file_is_refused() {
    let home = TestHome::new();
    let file = home.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    for args in [
        &["status"][..],
        &["token"],
        &["logout"],
        &["login", "--with-api-key"],
    ] {
        let mut by_flag = home.cmd();
        by_flag
            .arg("--codex-home")
            .arg(&file)
            .args(args)
            .write_stdin(KEY);
        let mut by_env = crate::support::check::cmd_at(&home, &file);
        by_env.args(args).write_stdin(KEY);
        for cmd in [&mut by_flag, &mut by_env] {
            let out = run(cmd);
            assert_code(&out, exit_code::USAGE);
            assert!(out.stderr.contains("is not a directory"), "{out:?}");
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
        }
    }
}

mod fuzz {
    use proptest::prelude::*;

    use crate::support::jwt::ChatGptAuth;
    use crate::support::{TestHome, exit_code, run};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// A damaged ChatGPT auth.json (cut short, or one byte changed) never crashes `status`
        /// or `token`, and is never modified by them.
        #[test]
        fn damaged_files_never_crash_readers(cut in 0usize..2000, at in 0usize..2000, byte in any::<u8>(), truncate in any::<bool>()) {
            let mut bytes = ChatGptAuth::default().to_json().into_bytes();
            if truncate {
                bytes.truncate(cut.min(bytes.len()));
            } else {
                let index = at % bytes.len();
                bytes[index] = byte;
            }
            let home = TestHome::new();
            std::fs::write(home.auth_path(), &bytes).unwrap();
            let before = home.snapshot();
            for command in ["status", "token"] {
                let out = run(home.cmd().arg(command));
                let allowed = [exit_code::SUCCESS, exit_code::NOT_LOGGED_IN, exit_code::STORE];
                prop_assert!(allowed.iter().any(|code| i32::from(*code) == out.code), "{out:?}");
                prop_assert!(!out.stderr.contains("panicked"), "{out:?}");
            }
            prop_assert_eq!(home.snapshot(), before);
        }
    }
}
