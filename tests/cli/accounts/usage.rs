//! Issue 11 on saved accounts, against the stand-in ChatGPT backend (support/backend.rs):
//! `usage --account` and `usage --all`, `account use --best [--dry-run]`, and `workspace use`
//! / `workspace list` keeping the saved account of the active login in step.

use serde_json::Value;
use wiremock::matchers::{header, path};
use wiremock::{Mock, ResponseTemplate};

use super::{active, add_key, contents, copy_of, creds, dir_of, import_chatgpt, meta_of};
use crate::support::backend::{CHECK, SWITCH, StandIn, USAGE, header_of, usage_reply};
use crate::support::check::{assert_code, assert_stderr_has};
use crate::support::issuer::{dead_url, run_bg};
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, exit_code};

/// A ChatGPT login in workspace `workspace`, good until 2100, minted by an issuer nobody serves
/// (a refresh would fail loudly).
fn login(workspace: &str) -> ChatGptAuth {
    ChatGptAuth {
        account_id: workspace.into(),
        refresh_token: format!("rt-{workspace}"),
        issuer: dead_url(),
        ..ChatGptAuth::default()
    }
}

/// A home whose active login is `active_ws`, saved as `active_name`.
fn home_with_active(active_name: &str, active_ws: &str) -> (TestHome, ChatGptAuth) {
    let home = TestHome::new();
    let auth = login(active_ws);
    home.write_auth(&auth.to_json());
    assert_code(
        &creds(&home, &["account", "save", active_name]),
        exit_code::SUCCESS,
    );
    (home, auth)
}

/// `codex-creds ARGS -c chatgpt_base_url=<stand-in>`, off the test's runtime thread.
async fn with_backend(home: &TestHome, backend: &StandIn, args: &[&str]) -> Outcome {
    let mut cmd = home.cmd();
    cmd.args(args).args(["-c", &backend.config_arg()]);
    run_bg(&mut cmd).await
}

/// `/wham/usage` answers 503 for the workspace `ws` only.
async fn unavailable_for(backend: &StandIn, ws: &str) {
    Mock::given(path(USAGE))
        .and(header("chatgpt-account-id", ws))
        .respond_with(ResponseTemplate::new(503))
        .with_priority(1)
        .mount(&backend.server)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_account_reads_a_saved_account_with_the_users_settings_without_switching() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-a", usage_reply("pro", 10, 20));
    backend.set_usage("ws-b", usage_reply("team", 30, 40));
    let (home, a) = home_with_active("a", "ws-a");
    let b = login("ws-b");
    import_chatgpt(&home, "b", &b);
    // chatgpt_base_url only in the user's config.toml: the account's directory has none.
    home.write_config(&backend.config_arg());
    let before = home.auth_bytes();

    let out = run_bg(home.cmd().args(["usage", "--account", "b", "--json"])).await;
    assert_code(&out, exit_code::SUCCESS);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["plan_type"], "team");
    assert_eq!(doc["windows"][0]["used_percent"], 30);
    let requests = backend.requests(USAGE).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        header_of(&requests[0], "authorization"),
        format!("Bearer {}", b.access_token())
    );
    assert_eq!(home.auth_bytes(), before, "a stays active");

    // The active account's live copy is the active login, as `token --account` reads it.
    let out = run_bg(home.cmd().args(["usage", "--account", "a"])).await;
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.starts_with("Plan: pro\n"), "{out:?}");
    let requests = backend.requests(USAGE).await;
    assert_eq!(
        header_of(&requests[1], "authorization"),
        format!("Bearer {}", a.access_token())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_account_names_the_account_in_its_error_and_unknown_names_exit_3() {
    let backend = StandIn::start().await;
    let (home, _) = home_with_active("a", "ws-a");
    add_key(&home, "key");
    let out = with_backend(&home, &backend, &["usage", "--account", "key"]).await;
    assert_code(&out, exit_code::FAILURE);
    assert_stderr_has(&out, &["account key: "]);
    let out = with_backend(&home, &backend, &["usage", "--account", "nope"]).await;
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert_stderr_has(&out, &["the saved accounts are: a, key"]);
}

/// Three accounts: `fine` (active, readable), `broken` (the backend answers 503), `key` (an
/// API key: no ChatGPT usage).
async fn three_accounts(backend: &StandIn) -> TestHome {
    backend.set_usage("ws-fine", usage_reply("pro", 25, 40));
    unavailable_for(backend, "ws-broken").await;
    let (home, _) = home_with_active("fine", "ws-fine");
    import_chatgpt(&home, "broken", &login("ws-broken"));
    add_key(&home, "key");
    home
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_all_shows_every_account_and_a_failure_hides_none_then_exits_6() {
    let backend = StandIn::start().await;
    let home = three_accounts(&backend).await;
    let before = contents(home.path());

    let out = with_backend(&home, &backend, &["usage", "--all"]).await;
    // The first failing account's code (6: the backend is unavailable), after every block.
    assert_code(&out, exit_code::NETWORK);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("error: account broken: "), "{out:?}");
    let failure = lines[0];
    assert!(failure.contains("HTTP 503"), "{out:?}");
    assert!(
        failure.contains(&format!("{}/backend-api/wham/usage", backend.server.uri())),
        "the URL is named: {out:?}"
    );
    assert_eq!(lines[1], "");
    assert_eq!(lines[2], "fine (active)");
    assert_eq!(lines[3], "  Plan: pro");
    assert!(lines[4].starts_with("  5h        25% used"), "{out:?}");
    assert!(
        out.stdout
            .contains("\nkey: n/a (an API-key login has no ChatGPT usage)\n"),
        "{out:?}"
    );
    assert_stderr_has(&out, &["account broken: ", "HTTP 503"]);
    assert_eq!(contents(home.path()), before, "credentials byte-identical");
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_all_json_is_keyed_by_account_name() {
    let backend = StandIn::start().await;
    let home = three_accounts(&backend).await;
    let out = with_backend(&home, &backend, &["usage", "--all", "--json"]).await;
    assert_code(&out, exit_code::NETWORK);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    let accounts = doc["accounts"].as_object().unwrap();
    assert_eq!(accounts.len(), 3);
    let fine = &accounts["fine"];
    assert_eq!(fine["status"], "ok");
    assert_eq!(fine["active"], true);
    assert_eq!(fine["plan_type"], "pro");
    assert_eq!(fine["windows"][1]["label"], "weekly");
    assert_eq!(fine["raw"]["from_a_newer_backend"]["kept"], true);
    assert_eq!(accounts["key"]["status"], "n/a");
    assert_eq!(accounts["key"]["active"], false);
    assert_eq!(accounts["broken"]["status"], "error");
    assert_eq!(accounts["broken"]["exit_code"], exit_code::NETWORK);
    assert!(
        accounts["broken"]["error"]
            .as_str()
            .unwrap()
            .contains("HTTP 503")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_all_exits_0_when_every_chatgpt_account_was_read() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-a", usage_reply("pro", 1, 2));
    backend.set_usage("ws-b", usage_reply("plus", 3, 4));
    let (home, _) = home_with_active("a", "ws-a");
    import_chatgpt(&home, "b", &login("ws-b"));
    add_key(&home, "key");
    let out = with_backend(&home, &backend, &["usage", "--all"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.contains("b\n  Plan: plus\n"), "{out:?}");
    assert_eq!(backend.requests(USAGE).await.len(), 2);
}

/// A one-off backend whose `/wham/usage` answers nobody until `n` requests are open at once (or
/// a generous deadline passes, and then answers 503): `usage --all` passes only when it really
/// asks for every account in parallel. Returns its base URL (with `/backend-api`).
fn gate(n: usize) -> String {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::time::{Duration, Instant};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/backend-api", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        listener.set_nonblocking(true).unwrap();
        let mut open: Vec<TcpStream> = Vec::new();
        while open.len() < n && Instant::now() < deadline {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    // The request head (the body of a GET is empty).
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                        head.push(byte[0]);
                    }
                    open.push(stream);
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        let (status, body) = if open.len() == n {
            ("200 OK", usage_reply("pro", 1, 2).to_string())
        } else {
            ("503 Service Unavailable", String::new())
        };
        for mut stream in open {
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_all_asks_for_every_account_at_once() {
    let (home, _) = home_with_active("a", "ws-a");
    import_chatgpt(&home, "b", &login("ws-b"));
    import_chatgpt(&home, "c", &login("ws-c"));
    let base = gate(3);
    let out = run_bg(home.cmd().args([
        "usage",
        "--all",
        "-c",
        &format!("chatgpt_base_url=\"{base}\""),
    ]))
    .await;
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout.matches("Plan: pro").count(), 3, "{out:?}");
}

/// `a` active at 80 % used (20 % left), `b` 30 % (70 % left), `c` 50 % (50 % left).
async fn ranked(backend: &StandIn) -> TestHome {
    backend.set_usage("ws-a", usage_reply("pro", 80, 10));
    backend.set_usage("ws-b", usage_reply("pro", 10, 30));
    backend.set_usage("ws-c", usage_reply("pro", 50, 5));
    let (home, _) = home_with_active("a", "ws-a");
    import_chatgpt(&home, "b", &login("ws-b"));
    import_chatgpt(&home, "c", &login("ws-c"));
    home
}

#[tokio::test(flavor = "multi_thread")]
async fn use_best_switches_to_the_account_with_the_most_headroom() {
    let backend = StandIn::start().await;
    let home = ranked(&backend).await;
    let out = with_backend(&home, &backend, &["account", "use", "--best"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(
        &out,
        &[
            "Account b has the most usage left (70% left in its tightest window)",
            "Switched to account b; the previous login was saved back to account a.",
        ],
    );
    assert_eq!(home.auth_json()["tokens"]["account_id"], "ws-b");
    assert_eq!(copy_of(&home, "b"), None, "b is parked: one live copy");
    assert!(copy_of(&home, "a").is_some(), "a was written back");
}

#[tokio::test(flavor = "multi_thread")]
async fn use_best_dry_run_says_which_and_changes_nothing() {
    let backend = StandIn::start().await;
    let home = ranked(&backend).await;
    let before = contents(home.path());
    let out = with_backend(&home, &backend, &["account", "use", "--best", "--dry-run"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(
        &out,
        &["Would switch to account b (70% left in its tightest window); nothing was changed"],
    );
    assert_eq!(contents(home.path()), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn use_best_keeps_the_active_account_on_a_tie() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-a", usage_reply("pro", 40, 10));
    backend.set_usage("ws-b", usage_reply("pro", 10, 40));
    let (home, _) = home_with_active("b", "ws-b");
    import_chatgpt(&home, "a", &login("ws-a"));
    let before = active(&home);
    let out = with_backend(&home, &backend, &["account", "use", "--best"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(
        &out,
        &[
            "Account b has the most usage left (60% left in its tightest window); it stays the active login.",
        ],
    );
    assert_eq!(active(&home), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn use_best_skips_accounts_whose_usage_cannot_be_read_with_a_line_each() {
    let backend = StandIn::start().await;
    backend.set_usage("ws-a", usage_reply("pro", 90, 10));
    backend.set_usage("ws-c", usage_reply("pro", 20, 20));
    unavailable_for(&backend, "ws-b").await;
    let (home, _) = home_with_active("a", "ws-a");
    import_chatgpt(&home, "b", &login("ws-b"));
    import_chatgpt(&home, "c", &login("ws-c"));
    add_key(&home, "key");
    let out = with_backend(&home, &backend, &["account", "use", "--best"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(
        &out,
        &[
            "skipped account b: account b: ",
            "HTTP 503",
            "skipped account key: an API-key login has no ChatGPT usage",
            "Switched to account c",
        ],
    );
    assert_eq!(home.auth_json()["tokens"]["account_id"], "ws-c");
}

#[tokio::test(flavor = "multi_thread")]
async fn use_best_with_no_readable_account_exits_6_and_changes_nothing() {
    let backend = StandIn::start().await;
    unavailable_for(&backend, "ws-a").await;
    let (home, _) = home_with_active("a", "ws-a");
    let before = contents(home.path());
    let out = with_backend(&home, &backend, &["account", "use", "--best"]).await;
    assert_code(&out, exit_code::NETWORK);
    assert_stderr_has(&out, &["no saved account's usage could be read"]);
    assert_eq!(contents(home.path()), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_moves_the_parked_saved_account_along_and_writes_no_second_copy() {
    let backend = StandIn::start().await;
    let (home, _) = home_with_active("me", "ws-test-1");
    import_chatgpt(&home, "other", &login("ws-other"));
    let out = with_backend(&home, &backend, &["workspace", "use", "ws-team"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["Saved account me now uses this workspace"]);

    let meta = meta_of(&home, "me");
    assert_eq!(meta["workspace_id"], "ws-team");
    assert_eq!(meta["workspace_name"], "Team Two");
    assert_eq!(meta["parked"], true);
    assert!(meta["identity"].as_str().unwrap().ends_with(":ws-team"));
    // Parked: its directory holds the metadata only, no credentials.
    assert_eq!(
        crate::support::check::tree(&dir_of(&home, "me")),
        ["codex-creds-account.json"]
    );
    let list = super::list_json(&home);
    assert_eq!(list["accounts"][0]["name"], "me");
    assert_eq!(list["accounts"][0]["active"], true);

    // The account still switches as a whole: the switched login is what is written back.
    assert_code(
        &creds(&home, &["account", "use", "other"]),
        exit_code::SUCCESS,
    );
    let saved: Value = serde_json::from_str(&copy_of(&home, "me").unwrap()).unwrap();
    assert_eq!(saved["tokens"]["account_id"], "ws-team");
    assert_eq!(saved["tokens"]["refresh_token"], "rt-ws-test-1");
    assert_code(&creds(&home, &["account", "use", "me"]), exit_code::SUCCESS);
    assert_eq!(home.auth_json()["tokens"]["account_id"], "ws-team");
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_into_a_workspace_saved_as_another_account_exits_2_and_sends_nothing() {
    let backend = StandIn::start().await;
    let (home, _) = home_with_active("me", "ws-test-1");
    import_chatgpt(&home, "team", &login("ws-team"));
    let before = contents(home.path());
    let out = with_backend(&home, &backend, &["workspace", "use", "ws-team"]).await;
    assert_code(&out, exit_code::USAGE);
    assert_stderr_has(&out, &["already saved as account team", "account use team"]);
    assert!(backend.requests(SWITCH).await.is_empty());
    assert!(backend.requests(CHECK).await.is_empty());
    assert_eq!(contents(home.path()), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_list_records_the_workspace_name_of_the_saved_account() {
    let backend = StandIn::start().await;
    let (home, _) = home_with_active("me", "ws-test-1");
    assert!(meta_of(&home, "me")["workspace_name"].is_null());
    let out = with_backend(&home, &backend, &["workspace", "list"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(meta_of(&home, "me")["workspace_name"], "Personal One");
}
