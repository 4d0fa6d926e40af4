//! Accounts against the real OpenID provider (rotating refresh tokens, reuse detection): two
//! accounts from two issuers, logged in with `account add --device-auth`; Codex refreshes the
//! active one; switching back and forth never hands the issuer a used refresh token.

use serde_json::json;

use super::*;
use crate::support::codex;
use crate::support::oidc::OidcServer;

fn issuer(user: serde_json::Value) -> OidcServer {
    OidcServer::start(json!({ "device_auto_approve_after": 1, "user": user }))
}

fn device_add(home: &TestHome, server: &OidcServer, name: &str, make_active: bool) {
    let mut args = vec![
        "account",
        "add",
        name,
        "--device-auth",
        "--issuer",
        server.issuer(),
    ];
    args.extend(["--timeout", "60s"]);
    if make_active {
        args.push("--use");
    }
    let out = creds(home, &args);
    assert_eq!(out.code, 0, "{out:?}\n{}", server.log());
}

fn refresh_token_in(path: &Path) -> String {
    let auth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    auth["tokens"]["refresh_token"].as_str().unwrap().to_owned()
}

#[test]
fn codex_refreshes_a_then_use_b_then_use_a_and_the_issuer_sees_no_reuse() {
    let server_a = issuer(json!({}));
    let server_b = issuer(json!({
        "sub": "user-b", "chatgpt_user_id": "user-b", "email": "b@example.com",
        "chatgpt_account_id": "ws-b", "plan": "team"
    }));
    let home = TestHome::new();
    device_add(&home, &server_a, "a", true);
    device_add(&home, &server_b, "b", false);
    assert_eq!(copy_of(&home, "a"), None, "a is active and parked");
    let list = list_json(&home);
    assert_eq!(list["accounts"][0]["email"], "tester@example.com");
    assert_eq!(list["accounts"][1]["workspace_id"], "ws-b");

    // Codex refreshes a in the active login (forced, as app-server getAuthStatus does).
    let before = refresh_token_in(&home.auth_path());
    let result = codex::app_server_refresh(home.path(), "file", &server_a.url("/oauth/token"), &[]);
    assert_eq!(
        result["authMethod"],
        "chatgpt",
        "{result}\n{}",
        server_a.log()
    );
    assert_eq!(server_a.stat("refresh_token"), 1);
    let rotated = refresh_token_in(&home.auth_path());
    assert_ne!(rotated, before, "Codex rotated a's refresh token");

    assert_code(&creds(&home, &["account", "use", "b"]), exit_code::SUCCESS);
    let a_dir = dir_of(&home, "a").join("auth.json");
    assert_eq!(
        refresh_token_in(&a_dir),
        rotated,
        "a written back as Codex left it"
    );
    assert_code(&creds(&home, &["account", "use", "a"]), exit_code::SUCCESS);

    // a refreshes fine: the issuer got the live refresh token, not a used one.
    let out = creds(&home, &["refresh"]);
    assert_eq!(out.code, 0, "{out:?}\n{}", server_a.log());
    let stats = server_a.stats();
    assert_eq!(stats["refresh_token"], 2, "{stats}");
    assert_eq!(stats["token_errors"], 0, "no reuse detected: {stats}");

    // b, saved and not active, refreshes in its own directory without being made active.
    let active_before = home.auth_bytes();
    let before_b = refresh_token_in(&dir_of(&home, "b").join("auth.json"));
    let out = creds(&home, &["refresh", "--account", "b"]);
    assert_eq!(out.code, 0, "{out:?}\n{}", server_b.log());
    let after_b = refresh_token_in(&dir_of(&home, "b").join("auth.json"));
    assert_ne!(
        after_b, before_b,
        "the rotated token is saved into b's directory"
    );
    let out = creds(&home, &["token", "--account", "b"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(
        codex_creds_claims(&out.stdout)["https://api.openai.com/auth"]["chatgpt_account_id"],
        "ws-b"
    );
    assert_eq!(
        home.auth_bytes(),
        active_before,
        "the active login is untouched"
    );
    assert_code(&creds(&home, &["account", "use", "b"]), exit_code::SUCCESS);
    let out = creds(&home, &["refresh"]);
    assert_eq!(out.code, 0, "{out:?}\n{}", server_b.log());
    let stats = server_b.stats();
    assert_eq!(stats["refresh_token"], 2, "{stats}");
    assert_eq!(stats["token_errors"], 0, "{stats}");

    // Removing a saved account revokes its login at the issuer that minted it; removing the
    // active one revokes nothing.
    let out = creds(&home, &["account", "remove", "b"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(
        server_b.stat("revocations"),
        0,
        "the active login is left alone"
    );
    let out = creds(&home, &["account", "remove", "a"]);
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(server_a.stat("revocations"), 1, "{}", server_a.log());
    let out = creds(&home, &["refresh"]);
    assert_eq!(out.code, 0, "b, the active login, still works: {out:?}");
}

/// The claims of a printed access token.
fn codex_creds_claims(stdout: &str) -> serde_json::Value {
    crate::support::jwt::claims(stdout.trim())
}
