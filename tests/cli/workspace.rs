//! `workspace list` and `workspace use` against the stand-in ChatGPT backend
//! (support/backend.rs): the listing, the switch exactly as Codex 0.171 makes it, the
//! restriction, faults, the switch back, and (in `interop`) the real Codex reading the result.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::support::backend::{
    CHECK, SWITCH, Script, StandIn, header_of, switched_token, two_workspaces,
};
use crate::support::check::{assert_code, assert_stderr_has};
use crate::support::issuer::{dead_url, run_bg};
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, exit_code};

fn logged_in() -> (TestHome, ChatGptAuth) {
    let home = TestHome::new();
    let auth = ChatGptAuth {
        issuer: dead_url(),
        ..ChatGptAuth::default()
    };
    home.write_auth(&auth.to_json());
    (home, auth)
}

async fn workspace(home: &TestHome, backend: &StandIn, args: &[&str]) -> Outcome {
    let mut cmd = home.cmd();
    cmd.args(["workspace", "-c", &backend.config_arg()])
        .args(args);
    run_bg(&mut cmd).await
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_list_shows_id_name_kind_and_the_selected_one() {
    let backend = StandIn::start().await;
    let (home, _) = logged_in();
    let out = workspace(&home, &backend, &["list"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(
        out.stdout, "* ws-test-1  Personal One  personal\n  ws-team    Team Two      workspace\n",
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_list_json_has_the_documented_schema() {
    let backend = StandIn::start().await;
    let (home, _) = logged_in();
    let out = workspace(&home, &backend, &["list", "--json"]).await;
    assert_code(&out, exit_code::SUCCESS);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["selected"], "ws-test-1");
    assert_eq!(doc["default"], "ws-test-1");
    assert_eq!(
        doc["workspaces"][1],
        json!({"id": "ws-team", "name": "Team Two", "kind": "workspace",
               "structure": "workspace", "selected": false})
    );
    assert_eq!(doc["raw"], two_workspaces());
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_switches_as_codex_does_and_keeps_the_refresh_token() {
    let backend = StandIn::start().await;
    let (home, auth) = logged_in();
    let before = home.auth_json();
    let out = workspace(&home, &backend, &["use", "ws-team"]).await;
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["Switched to workspace ws-team (Team Two)"]);

    let after = home.auth_json();
    let new_token = switched_token("ws-team");
    assert_eq!(after["tokens"]["access_token"], new_token);
    assert_eq!(after["tokens"]["account_id"], "ws-team");
    for kept in [
        "id_token",
        "refresh_token",
        "oauth_provenance",
        "login_owner_id",
    ] {
        assert_eq!(after["tokens"][kept], before["tokens"][kept], "{kept}");
    }
    assert_eq!(after["last_refresh"], before["last_refresh"]);
    assert_eq!(after["auth_mode"], "chatgpt");

    let switch = backend.requests(SWITCH).await;
    assert_eq!(switch.len(), 1);
    let body: Value = serde_json::from_slice(&switch[0].body).unwrap();
    assert_eq!(body, json!({"workspace_id": "ws-team"}));
    assert_eq!(
        header_of(&switch[0], "authorization"),
        format!("Bearer {}", auth.access_token())
    );
    // Checked before with the old login, and after with the new token and account.
    let checks = backend.requests(CHECK).await;
    assert_eq!(checks.len(), 2);
    assert_eq!(header_of(&checks[0], "chatgpt-account-id"), "ws-test-1");
    assert_eq!(
        header_of(&checks[1], "authorization"),
        format!("Bearer {new_token}")
    );
    assert_eq!(header_of(&checks[1], "chatgpt-account-id"), "ws-team");

    let out = workspace(&home, &backend, &["list"]).await;
    assert!(out.stdout.contains("* ws-team"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_of_an_unlisted_workspace_exits_1_and_sends_no_switch() {
    let backend = StandIn::start().await;
    let (home, _) = logged_in();
    let before = home.snapshot();
    let out = workspace(&home, &backend, &["use", "ws-elsewhere"]).await;
    assert_code(&out, exit_code::FAILURE);
    assert_stderr_has(
        &out,
        &["The selected workspace is unavailable", "ws-elsewhere"],
    );
    assert!(backend.requests(SWITCH).await.is_empty());
    assert_eq!(home.snapshot(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_outside_forced_workspaces_exits_4_with_nothing_sent() {
    let backend = StandIn::start().await;
    let (home, _) = logged_in();
    home.write_config("forced_chatgpt_workspace_id = \"ws-test-1\"\n");
    let before = home.snapshot();
    let out = workspace(&home, &backend, &["use", "ws-team"]).await;
    assert_code(&out, exit_code::RESTRICTED);
    assert_stderr_has(
        &out,
        &["restricted to workspace(s) ws-test-1", "Nothing was sent"],
    );
    assert!(backend.server.received_requests().await.unwrap().is_empty());
    assert_eq!(home.snapshot(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_when_the_switch_fails_exits_6_with_credentials_unchanged() {
    let backend = StandIn::start().await;
    backend
        .fault(SWITCH, ResponseTemplate::new(503), None)
        .await;
    let (home, _) = logged_in();
    let before = home.snapshot();
    let out = workspace(&home, &backend, &["use", "ws-team"]).await;
    assert_code(&out, exit_code::NETWORK);
    assert_stderr_has(
        &out,
        &["accounts/switch-workspace-token: HTTP 503", "(3 attempts)"],
    );
    assert_eq!(home.snapshot(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn workspace_use_switches_back_when_the_new_token_fails_the_check() {
    let backend = StandIn::start().await;
    let ok = ResponseTemplate::new(200).set_body_json(two_workspaces());
    let refused = ResponseTemplate::new(403).set_body_json(json!({"detail": "not a member"}));
    backend
        .fault(CHECK, Script::new(vec![ok, refused]), None)
        .await;
    let (home, _) = logged_in();
    let before = home.auth_bytes();
    let out = workspace(&home, &backend, &["use", "ws-team"]).await;
    assert_code(&out, exit_code::FAILURE);
    assert_stderr_has(
        &out,
        &[
            "Workspace validation failed",
            "HTTP 403",
            "not a member",
            "switched back to ws-test-1",
        ],
    );
    assert_eq!(backend.requests(SWITCH).await.len(), 1);
    // Written twice (the switch, then the switch back), yet byte-identical; only Codex's lock
    // files (never deleted) are new.
    assert_eq!(home.auth_bytes(), before);
}

/// The real Codex CLI reads the switched login.
mod interop {
    use super::*;
    use crate::support::{codex, run};

    #[tokio::test(flavor = "multi_thread")]
    async fn codex_reads_the_login_after_workspace_use() {
        let backend = StandIn::start().await;
        let (home, _) = logged_in();
        assert_code(
            &workspace(&home, &backend, &["use", "ws-team"]).await,
            exit_code::SUCCESS,
        );
        let out = run(codex::cmd(home.path()).args(["login", "status"]));
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stderr.contains("Logged in using ChatGPT"), "{out:?}");
        assert_eq!(home.auth_json()["tokens"]["account_id"], "ws-team");
    }
}
