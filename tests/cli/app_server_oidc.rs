//! `app-server` against the real OpenID provider: the browser login driven through
//! `account/login/start` (the real Codex reads the result), and one refresh grant shared with
//! concurrent CLI `token` calls.

use serde_json::json;

use crate::refresh_oidc::{logged_in, wait_until_past};
use crate::support::app_server;
use crate::support::issuer::cmd;
use crate::support::jwt::claims;
use crate::support::oidc::{OidcServer, fake_browser};
use crate::support::{TestHome, codex, exit_code, free_port, run};

#[test]
fn a_browser_login_through_account_login_start_is_saved_for_codex() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let port = free_port().to_string();
    let mut conv = app_server::ours_with(
        home.path(),
        &["--port", &port],
        &[("CODEX_APP_SERVER_LOGIN_ISSUER", server.issuer().to_owned())],
    );
    conv.initialize();
    let start = conv.request("account/login/start", json!({"type": "chatgpt"}));
    let result = &start["result"];
    assert_eq!(result["type"], "chatgpt", "{start}");
    let login_id = result["loginId"].as_str().unwrap().to_owned();
    assert_eq!(login_id.len(), 36, "a UUID: {login_id}");
    let url = result["authUrl"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/oauth/authorize?", server.issuer())),
        "{url}"
    );
    // The client opens the URL (the app-server never starts a browser itself).
    let opened = std::process::Command::new(fake_browser())
        .arg(url)
        .status()
        .unwrap();
    assert!(opened.success());

    let completed = conv.notification("account/login/completed");
    assert_eq!(
        completed["params"],
        json!({"loginId": login_id, "success": true, "error": null, "onboardingEntrypoint": null}),
        "{}",
        server.log()
    );
    let updated = conv.notification("account/updated");
    assert_eq!(
        updated["params"],
        json!({"authMode": "chatgpt", "planType": "pro"})
    );
    assert_eq!(server.last_authorize()["originator"], "codex-creds-test");

    let auth = home.auth_json();
    assert_eq!(auth["auth_mode"], "chatgpt");
    assert_eq!(auth["tokens"]["account_id"], "ws-test-1");
    assert_eq!(
        auth["tokens"]["oauth_provenance"]["issuer"],
        server.issuer()
    );
    let status = run(codex::cmd(home.path()).args(["login", "status"]));
    assert_eq!(status.code, 0, "{status:?}");
    assert!(
        format!("{}{}", status.stdout, status.stderr).contains("Logged in using ChatGPT"),
        "{status:?}"
    );
}

/// The app-server and 4 CLI `token` calls on one expired token: one refresh grant in all.
#[test]
fn the_app_server_and_the_cli_share_one_refresh_grant() {
    let (server, home, tokens) = logged_in(json!({ "access_token_ttl": 1 }));
    let old = tokens["access_token"].as_str().unwrap().to_owned();
    wait_until_past(claims(&old)["exp"].as_i64().unwrap());
    server.configure(json!({ "access_token_ttl": 3600 }));

    let mut conv = app_server::ours(home.path(), &[]);
    conv.initialize();
    let (ours, cli): (serde_json::Value, Vec<_>) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let mut cmd = cmd(&home, &["token"]);
                scope.spawn(move || run(&mut cmd))
            })
            .collect();
        let status = conv.request("getAuthStatus", json!({"includeToken": true}));
        (
            status,
            handles.into_iter().map(|h| h.join().unwrap()).collect(),
        )
    });
    let saved = home.auth_json();
    let new = saved["tokens"]["access_token"].as_str().unwrap();
    assert_ne!(new, old);
    assert_eq!(ours["result"]["authMethod"], "chatgpt", "{ours}");
    assert_eq!(ours["result"]["authToken"], new, "{ours}");
    for out in &cli {
        assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
        assert_eq!(out.stdout, format!("{new}\n"), "{out:?}");
    }
    assert_eq!(server.stats()["refresh_token"], 1, "{}", server.stats());
}

#[test]
fn a_device_code_login_through_account_login_start_is_saved_for_codex() {
    let server = OidcServer::start(json!({ "device_interval": 1 }));
    let home = TestHome::new();
    let mut conv = app_server::ours(
        home.path(),
        &[("CODEX_APP_SERVER_LOGIN_ISSUER", server.issuer().to_owned())],
    );
    conv.initialize();
    let start = conv.request("account/login/start", json!({"type": "chatgptDeviceCode"}));
    let result = &start["result"];
    assert_eq!(result["type"], "chatgptDeviceCode", "{start}");
    assert_eq!(
        result["verificationUrl"],
        format!("{}/codex/device", server.issuer())
    );
    let user_code = result["userCode"].as_str().unwrap();
    assert!(server.approve_device(Some(user_code)), "{}", server.log());
    let completed = conv.notification("account/login/completed");
    assert_eq!(
        completed["params"],
        json!({"loginId": result["loginId"], "success": true, "error": null,
               "onboardingEntrypoint": null}),
        "{}",
        server.log()
    );
    let updated = conv.notification("account/updated");
    assert_eq!(
        updated["params"],
        json!({"authMode": "chatgpt", "planType": "pro"})
    );
    assert_eq!(home.auth_json()["tokens"]["account_id"], "ws-test-1");
    let status = run(codex::cmd(home.path()).args(["login", "status"]));
    assert_eq!(status.code, 0, "{status:?}");
}
