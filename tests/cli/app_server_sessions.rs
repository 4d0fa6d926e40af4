//! `accountSession/list` and `accountSession/switch` (issue 12, "Several accounts"): every
//! saved account as a session, and a switch that is `account use`. Tests that start the real
//! Codex live in `interop` (skipped by the hermetic fast tier).

use serde_json::{Value, json};

use crate::accounts::{add_key, contents, creds, import_chatgpt, key_file, save_key};
use crate::support::app_server::{self, Conversation};
use crate::support::check::assert_code;
use crate::support::jwt::ChatGptAuth;
use crate::support::{TestHome, exit_code};

/// A ChatGPT login of the test user in workspace `ws` with `email` (one per account).
fn chatgpt(ws: &str, email: &str) -> ChatGptAuth {
    ChatGptAuth {
        account_id: ws.into(),
        email: email.into(),
        refresh_token: format!("rt-{ws}"),
        ..ChatGptAuth::default()
    }
}

/// The fixture's `tokens.login_owner_id`: Codex's session id for its one login.
const OWNER: &str = "b3duZXItaWQtZm9yLXRlc3RzLTAwMDAwMDAwMDAwMDAwMDAw";

fn started(home: &TestHome) -> Conversation {
    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    conv
}

fn list(conv: &mut Conversation) -> Value {
    let answer = conv.request("accountSession/list", json!({}));
    assert!(answer["error"].is_null(), "{}", conv.log_text());
    answer["result"].clone()
}

fn switch(conv: &mut Conversation, session: &str, workspace: &str) -> Value {
    conv.request(
        "accountSession/switch",
        json!({"sessionId": session, "accountId": workspace}),
    )
}

/// The sessions' ids, in the order listed.
fn ids(result: &Value) -> Vec<String> {
    result["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sessionId"].as_str().unwrap().to_owned())
        .collect()
}

/// Drops what differs between runs: `lastUsedAt` is a time.
fn without_times(mut result: Value) -> Value {
    for session in result["sessions"].as_array_mut().into_iter().flatten() {
        session["lastUsedAt"] = json!("<time>");
    }
    result
}

#[test]
fn list_without_any_login_is_empty() {
    let home = TestHome::new();
    let mut conv = started(&home);
    assert_eq!(
        list(&mut conv),
        json!({"activeSessionId": null, "sessions": []})
    );
}

#[test]
fn list_shows_the_active_login_that_is_not_saved_as_codex_does() {
    let home = TestHome::new();
    home.write_auth(&chatgpt("ws-a", "a@example.com").to_json());
    let mut conv = started(&home);
    assert_eq!(
        without_times(list(&mut conv)),
        json!({"activeSessionId": OWNER, "sessions": [{
            "sessionId": OWNER, "email": "a@example.com", "userId": "user-test-123",
            "displayName": null, "imageUrl": null, "lastUsedAt": "<time>", "isActive": true,
            "selectedWorkspaceAccountId": "ws-a",
            "workspaces": [{"accountId": "ws-a", "name": null, "imageUrl": null, "kind": null}]}]})
    );
}

#[test]
fn list_shows_every_saved_account_and_which_is_active() {
    let home = TestHome::new();
    save_key(&home, "a");
    add_key(&home, "b");
    import_chatgpt(&home, "c", &chatgpt("ws-c", "c@example.com"));
    let mut conv = started(&home);
    let result = list(&mut conv);
    assert_eq!(ids(&result), ["account:a", "account:b", "account:c"]);
    assert_eq!(result["activeSessionId"], "account:a");
    let sessions = result["sessions"].as_array().unwrap();
    let active: Vec<bool> = sessions
        .iter()
        .map(|s| s["isActive"].as_bool().unwrap())
        .collect();
    assert_eq!(active, [true, false, false]);
    assert_eq!(sessions[1]["displayName"], "b");
    assert_eq!(sessions[1]["workspaces"], json!([]));
    assert_eq!(sessions[1]["selectedWorkspaceAccountId"], Value::Null);
    assert_eq!(
        without_times(json!({"sessions": [sessions[2].clone()]}))["sessions"][0],
        json!({"sessionId": "account:c", "email": "c@example.com", "userId": "user-test-123",
               "displayName": "c", "imageUrl": null, "lastUsedAt": "<time>", "isActive": false,
               "selectedWorkspaceAccountId": "ws-c",
               "workspaces": [{"accountId": "ws-c", "name": null, "imageUrl": null, "kind": null}]})
    );
    assert!(sessions.iter().all(|s| s["lastUsedAt"].is_i64()));
    // No secret of any account reaches the client.
    assert!(
        !conv.log_text().contains("SECRETACCOUNTKEY"),
        "{}",
        conv.log_text()
    );
}

#[test]
fn switch_makes_the_account_active_as_account_use_does_then_account_updated() {
    let home = TestHome::new();
    save_key(&home, "a");
    import_chatgpt(&home, "c", &chatgpt("ws-c", "c@example.com"));
    let mut conv = started(&home);
    let answer = switch(&mut conv, "account:c", "ws-c");
    assert_eq!(answer["result"]["activeSessionId"], "account:c", "{answer}");
    assert_eq!(
        conv.notification("account/updated")["params"],
        json!({"authMode": "chatgpt", "planType": "pro"})
    );
    // As `account use`: the replaced login went back to its account, the target is active.
    assert_eq!(
        crate::accounts::copy_of(&home, "a"),
        Some(key_file("a")),
        "a written back"
    );
    assert_eq!(home.auth_json()["tokens"]["account_id"], "ws-c");
    assert_eq!(crate::accounts::copy_of(&home, "c"), None, "c is parked");
    let status = creds(&home, &["status", "--json"]);
    assert_code(&status, exit_code::SUCCESS);
    assert!(status.stdout.contains("c@example.com"), "{status:?}");
    // And back: the API key again, with no plan.
    let answer = switch(&mut conv, "account:a", "");
    assert_eq!(answer["result"]["activeSessionId"], "account:a", "{answer}");
    assert_eq!(
        conv.notification("account/updated")["params"],
        json!({"authMode": "apikey", "planType": null})
    );
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        key_file("a")
    );
}

#[test]
fn switch_to_an_unknown_session_or_workspace_changes_nothing() {
    let home = TestHome::new();
    save_key(&home, "a");
    import_chatgpt(&home, "c", &chatgpt("ws-c", "c@example.com"));
    let before = contents(home.path());
    let mut conv = started(&home);
    let answer = switch(&mut conv, "account:nobody", "ws-c");
    assert_eq!(
        answer["error"],
        json!({"code": -32600, "message": "Unknown account session: account:nobody"})
    );
    let answer = switch(&mut conv, "account:c", "ws-other");
    assert_eq!(
        answer["error"],
        json!({"code": -32600, "message": "The selected workspace is unavailable"})
    );
    let answer = conv.request("accountSession/switch", json!({"sessionId": "account:c"}));
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    let (_, log) = conv.close();
    assert!(!log.iter().any(|m| m["method"] == "account/updated"));
    assert_eq!(contents(home.path()), before);
}

#[test]
fn switch_away_from_an_unsaved_active_login_is_refused_so_it_is_not_lost() {
    let home = TestHome::new();
    add_key(&home, "b");
    home.write_auth(&chatgpt("ws-a", "a@example.com").to_json());
    // The credentials and metadata (the switch takes Codex's empty lock files, as `use` does).
    let files = |home: &TestHome| {
        let b = crate::accounts::dir_of(home, "b");
        [
            home.path().join("auth.json"),
            b.join("auth.json"),
            b.join("codex-creds-account.json"),
        ]
        .map(|path| std::fs::read(path).unwrap())
    };
    let before = files(&home);
    let mut conv = started(&home);
    let error = switch(&mut conv, "account:b", "")["error"].clone();
    assert_eq!(error["code"], -32600, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("the active login is not saved as an account"),
        "{error}"
    );
    conv.close();
    assert_eq!(files(&home), before);
}

#[test]
fn switch_to_a_forbidden_account_is_refused_as_a_forbidden_login_and_changes_nothing() {
    let home = TestHome::new();
    save_key(&home, "a");
    import_chatgpt(&home, "c", &chatgpt("ws-c", "c@example.com"));
    home.write_config("forced_login_method = \"api\"\n");
    let before = contents(home.path());
    let mut conv = started(&home);
    assert_eq!(
        switch(&mut conv, "account:c", "ws-c")["error"],
        json!({"code": -32600, "message": "ChatGPT login is disabled. Use API key login instead."})
    );
    let (_, log) = conv.close();
    assert!(!log.iter().any(|m| m["method"] == "account/updated"));
    assert_eq!(contents(home.path()), before);
}

#[test]
fn switch_to_an_account_outside_the_forced_workspace_is_refused_and_changes_nothing() {
    let home = TestHome::new();
    import_chatgpt(&home, "b", &chatgpt("ws-b", "b@example.com"));
    home.write_auth(&chatgpt("ws-a", "a@example.com").to_json());
    assert_code(&creds(&home, &["account", "save", "a"]), exit_code::SUCCESS);
    home.write_config("forced_chatgpt_workspace_id = \"ws-a\"\n");
    let before = contents(home.path());
    let mut conv = started(&home);
    let error = switch(&mut conv, "account:b", "ws-b")["error"].clone();
    assert_eq!(error["code"], -32600, "{error}");
    assert_eq!(
        error["message"],
        "login is restricted to workspace(s) ws-a, but the credentials belong to workspace ws-b"
    );
    conv.close();
    assert_eq!(contents(home.path()), before);
}

mod interop {
    //! The real Codex 0.169.0: the same list when nothing is saved, and `codex login status`
    //! after a switch.

    use super::*;
    use crate::support::{codex, run};

    fn lists(home: &TestHome) -> (Value, Value) {
        let mut theirs = app_server::codex(home.path(), &[]);
        theirs.initialize();
        let theirs = without_times(list(&mut theirs));
        let mut ours = started(home);
        (without_times(list(&mut ours)), theirs)
    }

    #[test]
    fn with_nothing_saved_the_list_is_codexs() {
        let home = TestHome::new();
        let (ours, theirs) = lists(&home);
        assert_eq!(ours, theirs, "no login");
        crate::accounts::login_key(&home, "a");
        let (ours, theirs) = lists(&home);
        assert_eq!(ours, theirs, "an API key");
        home.write_auth(&chatgpt("ws-a", "a@example.com").to_json());
        let (ours, theirs) = lists(&home);
        assert_eq!(ours, theirs, "a ChatGPT login");
    }

    #[test]
    fn codex_uses_the_account_switched_to() {
        let home = TestHome::new();
        save_key(&home, "a");
        import_chatgpt(&home, "c", &chatgpt("ws-c", "c@example.com"));
        let mut conv = started(&home);
        let answer = switch(&mut conv, "account:c", "ws-c");
        assert!(answer["error"].is_null(), "{answer}");
        conv.notification("account/updated");
        let status = run(codex::cmd(home.path()).args(["login", "status"]));
        assert_eq!(status.code, 0, "{status:?}");
        assert!(
            format!("{}{}", status.stdout, status.stderr).contains("Logged in using ChatGPT"),
            "{status:?}"
        );
    }
}
