//! The bad-input corpus: every case in `tests/corpus/*.jsonl` (one JSON object a line) runs the
//! real binary and must exit with its code, say its message fragment on stderr, never panic,
//! never echo a secret it names, and leave every file byte-identical (lock files may appear).
//!
//! Case fields:
//! - always: `name`, `description`, `args`, `exit`, `message`;
//! - set-up: `files` (file name → text), `config_base64`, `auth: "chatgpt"` (an expired ChatGPT
//!   login minted by the fake issuer, written as auth.json), `env` (name → value);
//! - stdin: `stdin`, `stdin_base64`, `stdin_repeat` ([text, count]);
//! - checks: `forbidden` (a string, or a list of them, that must not appear in stdout or
//!   stderr), `removed` (files the command must delete, e.g. auth.json after `logout`; every
//!   other file stays byte-identical);
//! - fake issuer: `replies`, a list of `{method (default POST), path, status, headers, body |
//!   body_json | body_base64 | body_repeat ([text, count]), delay_ms, hits}`; `hits` is how
//!   often the reply must be requested (default: at least once), and a request that no reply
//!   names fails the case;
//! - browser callback: `callback`, `{method (default GET), path (default /auth/callback),
//!   query, status, page}`. The login in `args` is started, the request is sent once the
//!   authorize URL is printed, and the login runs to its end; `status` is the HTTP status the
//!   callback server must answer and `page` a fragment of its body.
//!
//! Placeholders, filled in every string a case hands to the binary or the fake issuer (see
//! `support::corpus::Fill`): `{issuer}` (the fake issuer's URL), `{dead_url}` (a port where
//! nothing listens), `{port}` (a free port), `{state}` (the login's `state`, in `callback`),
//! `{refresh_token}` / `{access_token}` (those of the `auth: "chatgpt"` fixture), `{pad}`
//! (`pad: [text, count]` repeated). A case with `replies`, `callback` or `auth` gets its own
//! fake issuer and `CODEX_CREDS_HTTP_TIMEOUT=2s` unless its `env` says otherwise.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use serde_json::Value;

use crate::support::corpus::{Fill, Network, login_with_callback};
use crate::support::free_port;
use crate::support::issuer::{chatgpt_auth, dead_url};
use crate::support::{Outcome, TestHome, run};

/// Cases run this many at a time; most of a network case's time is spent waiting.
const WORKERS: usize = 8;
/// The fewest cases the corpus and each network kind may have (issue 5).
const MINIMUM: usize = 60;
const MINIMUM_PER_KIND: [(&str, usize); 2] = [("issuer_replies", 15), ("callback_queries", 10)];

fn cases() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
    {
        let kind = file.file_stem().unwrap().to_string_lossy().into_owned();
        for (index, line) in std::fs::read_to_string(&file).unwrap().lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let case: Value = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("{}:{}: {err}", file.display(), index + 1));
            cases.push((kind.clone(), case));
        }
    }
    cases
}

fn text(case: &Value, key: &str) -> Option<String> {
    case.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn decode(encoded: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap()
}

/// Every file in the home, with its bytes.
fn contents(home: &TestHome) -> Vec<(String, Vec<u8>)> {
    home.files()
        .into_iter()
        .filter(|name| home.path().join(name).is_file())
        .map(|name| {
            let bytes = std::fs::read(home.path().join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

fn stdin_of(case: &Value) -> Option<Vec<u8>> {
    if let Some(text) = text(case, "stdin") {
        return Some(text.into_bytes());
    }
    if let Some(encoded) = text(case, "stdin_base64") {
        return Some(decode(&encoded));
    }
    let repeat = case.get("stdin_repeat")?.as_array()?;
    let unit = repeat[0].as_str()?;
    Some(unit.repeat(repeat[1].as_u64()? as usize).into_bytes())
}

/// Writes the case's files and fixtures and fills in the placeholders they define.
fn set_up(home: &TestHome, case: &Value, fill: &mut Fill) {
    if text(case, "auth").as_deref() == Some("chatgpt") {
        let auth = chatgpt_auth(&fill.apply("{issuer}"), -60);
        home.write_auth(&auth.to_json());
        fill.set("refresh_token", auth.refresh_token.clone());
        fill.set("access_token", auth.access_token());
    }
    if let Some(files) = case.get("files").and_then(Value::as_object) {
        for (name, content) in files {
            std::fs::write(home.path().join(name), content.as_str().unwrap()).unwrap();
        }
    }
    if let Some(encoded) = text(case, "config_base64") {
        std::fs::write(home.path().join("config.toml"), decode(&encoded)).unwrap();
    }
    if let Some(pad) = case.get("pad").and_then(Value::as_array) {
        let unit = pad[0].as_str().unwrap();
        fill.set("pad", unit.repeat(pad[1].as_u64().unwrap() as usize));
    }
    fill.set("port", free_port().to_string());
    fill.set("dead_url", dead_url());
}

fn run_case(net: &Network, kind: &str, case: &Value) -> Result<(), String> {
    let home = TestHome::new();
    let mut fill = Fill::default();
    let replies = case
        .get("replies")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let callback = case.get("callback");
    let server = ["replies", "callback", "auth"]
        .iter()
        .any(|key| case.get(key).is_some())
        .then(|| net.start());
    if let Some(server) = &server {
        fill.set("issuer", server.uri());
    }
    set_up(&home, case, &mut fill);
    if let Some(server) = &server {
        net.mount(server, &replies, &fill);
    }
    let args: Vec<String> = strings(case, "args")
        .iter()
        .map(|a| fill.apply(a))
        .collect();
    let mut envs: Vec<(String, String)> = Vec::new();
    if server.is_some() {
        envs.push(("CODEX_CREDS_HTTP_TIMEOUT".to_owned(), "2s".to_owned()));
    }
    if let Some(env) = case.get("env").and_then(Value::as_object) {
        for (name, value) in env {
            envs.retain(|(known, _)| known != name);
            envs.push((name.clone(), fill.apply(value.as_str().unwrap())));
        }
    }

    let before = contents(&home);
    let mut problems = Vec::new();
    let out = match callback {
        Some(callback) => {
            let (out, reply) = login_with_callback(&home, &args, &envs, callback, &mut fill);
            problems.extend(check_callback(callback, reply));
            out
        }
        None => {
            let mut cmd = home.cmd();
            cmd.args(&args).envs(envs.iter().map(|(k, v)| (k, v)));
            cmd.write_stdin(stdin_of(case).unwrap_or_default());
            run(&mut cmd)
        }
    };
    problems.extend(check_outcome(case, &out, &fill));
    if let Some(server) = &server {
        problems.extend(net.check(server, &replies));
    }
    // Lock files may appear (a refused login can take the locks); `removed` files must go;
    // nothing else may change.
    let removed = strings(case, "removed");
    let kept = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(name, _)| !name.ends_with(".lock") && !removed.contains(name))
            .collect()
    };
    let after = contents(&home);
    for name in &removed {
        if after.iter().any(|(file, _)| file == name) {
            problems.push(format!("{name} was not removed"));
        }
    }
    let (before, after) = (kept(before), kept(after));
    let changed: std::collections::BTreeSet<&str> = before
        .iter()
        .chain(&after)
        .filter(|file| !before.contains(file) || !after.contains(file))
        .map(|(name, _)| name.as_str())
        .collect();
    if !changed.is_empty() {
        problems.push(format!("files changed: {changed:?}"));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let name = format!("{kind}/{}", case["name"].as_str().unwrap());
    Err(format!(
        "{name} ({}): {}\n{out:?}",
        case["description"],
        problems.join("; ")
    ))
}

/// Exit code, message, no panic, no forbidden string.
fn check_outcome(case: &Value, out: &Outcome, fill: &Fill) -> Vec<String> {
    let mut problems = Vec::new();
    let expected_exit = case["exit"].as_i64().unwrap() as i32;
    if out.code != expected_exit {
        problems.push(format!("exit {} instead of {expected_exit}", out.code));
    }
    let message = fill.apply(case["message"].as_str().unwrap());
    if !out.stderr.contains(&message) {
        problems.push(format!("stderr lacks {message:?}"));
    }
    if out.stderr.contains("panicked") || out.code == 101 {
        problems.push("panicked".to_owned());
    }
    let forbidden = match case.get("forbidden") {
        Some(Value::Array(_)) => strings(case, "forbidden"),
        _ => text(case, "forbidden").into_iter().collect(),
    };
    for secret in forbidden.iter().map(|s| fill.apply(s)) {
        if out.stdout.contains(&secret) || out.stderr.contains(&secret) {
            problems.push(format!("output shows {secret:?}"));
        }
    }
    problems
}

/// The callback server's answer: `status`, and `page` within its body.
fn check_callback(
    callback: &Value,
    reply: Result<crate::support::corpus::CallbackReply, String>,
) -> Vec<String> {
    let reply = match reply {
        Ok(reply) => reply,
        Err(err) => return vec![err],
    };
    let mut problems = Vec::new();
    if let Some(status) = callback.get("status").and_then(Value::as_u64)
        && u64::from(reply.status) != status
    {
        problems.push(format!(
            "callback answered {} instead of {status}",
            reply.status
        ));
    }
    if let Some(page) = callback.get("page").and_then(Value::as_str)
        && !reply.page.contains(page)
    {
        problems.push(format!("callback page lacks {page:?}: {:?}", reply.page));
    }
    problems
}

#[test]
fn every_bad_input_gets_a_clear_error_and_loses_nothing() {
    let cases = cases();
    assert!(
        cases.len() >= MINIMUM,
        "the corpus has only {} cases",
        cases.len()
    );
    for (kind, minimum) in MINIMUM_PER_KIND {
        let count = cases.iter().filter(|(k, _)| k == kind).count();
        assert!(
            count >= minimum,
            "tests/corpus/{kind}.jsonl has only {count} cases"
        );
    }
    let net = Network::new();
    let next = AtomicUsize::new(0);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    while let Some((kind, case)) = cases.get(next.fetch_add(1, Ordering::SeqCst)) {
                        failures.extend(run_case(&net, kind, case).err());
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
