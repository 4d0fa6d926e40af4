//! The browser ChatGPT login against the real OpenID provider (support/oidc.rs): the saved
//! result, the callback's refusals, ports, timeouts and Ctrl-C.

use serde_json::{Value, json};

use crate::support::jwt::{ChatGptAuth, claims};
use crate::support::login::{Running, previous_login};
use crate::support::oidc::{CLIENT_ID, OidcServer, fake_browser, http_request};
use crate::support::{Outcome, TestHome, codex, exit_code, free_port, mode_of, run};

// ---------------------------------------------------------------------------------------------
// Browser login
// ---------------------------------------------------------------------------------------------

/// `codex-creds login` against `server` with the fake browser on a free port.
fn browser_login(home: &TestHome, server: &OidcServer, extra: &[&str]) -> Outcome {
    let port = free_port().to_string();
    let mut cmd = home.cmd();
    cmd.args([
        "login",
        "--issuer",
        server.issuer(),
        "--port",
        &port,
        "--timeout",
        "60s",
    ])
    .args(extra)
    .env("BROWSER", fake_browser());
    run(&mut cmd)
}

#[test]
fn browser_login_saves_what_codex_reads_as_a_chatgpt_login() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let out = browser_login(&home, &server, &[]);
    assert_eq!(
        out.code,
        i32::from(exit_code::SUCCESS),
        "{out:?}\n{}",
        server.log()
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(out.stderr.contains("tester@example.com"), "{out:?}");

    let auth = home.auth_json();
    assert_eq!(auth["auth_mode"], "chatgpt");
    assert!(
        auth["OPENAI_API_KEY"]
            .as_str()
            .unwrap()
            .starts_with("sk-test-")
    );
    let tokens = &auth["tokens"];
    assert_eq!(tokens["account_id"], "ws-test-1");
    assert_eq!(tokens["oauth_provenance"]["issuer"], server.issuer());
    assert_eq!(tokens["oauth_provenance"]["client_id"], CLIENT_ID);
    assert_eq!(tokens["login_owner_id"].as_str().unwrap().len(), 43);
    assert!(claims(tokens["access_token"].as_str().unwrap())["exp"].is_i64());
    assert!(auth["last_refresh"].as_str().unwrap().ends_with('Z'));
    let keys: Vec<&String> = auth.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["auth_mode", "OPENAI_API_KEY", "tokens", "last_refresh"]
    );
    assert_eq!(mode_of(&home.auth_path()), Some(0o600));

    // Every parameter Codex sends, in a request the real provider accepted.
    let sent = server.last_authorize();
    assert_eq!(sent["response_type"], "code");
    assert_eq!(sent["client_id"], CLIENT_ID);
    assert_eq!(sent["code_challenge_method"], "S256");
    assert_eq!(sent["code_challenge"].as_str().unwrap().len(), 43);
    assert_eq!(sent["state"].as_str().unwrap().len(), 43);
    assert_eq!(
        sent["scope"],
        "openid profile email offline_access api.connectors.read api.connectors.invoke"
    );
    assert_eq!(sent["id_token_add_organizations"], "true");
    assert_eq!(sent["codex_cli_simplified_flow"], "true");
    assert_eq!(sent["originator"], "codex_cli_rs");
    assert!(
        sent["redirect_uri"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(sent.get("allowed_workspace_id").is_none());
    let stats = server.stats();
    assert_eq!(stats["authorization_code"], 1);
    assert_eq!(stats["token_exchange"], 1);

    let status = run(codex::cmd(home.path()).args(["login", "status"]));
    assert_eq!(status.code, 0, "{status:?}");
    assert!(
        status.stderr.contains("Logged in using ChatGPT")
            || status.stdout.contains("Logged in using ChatGPT"),
        "{status:?}"
    );
}

#[test]
fn browser_login_without_an_api_key_from_the_exchange_still_succeeds() {
    let server = OidcServer::start(json!({ "api_key_exchange": "fail" }));
    let home = TestHome::new();
    let out = browser_login(&home, &server, &[]);
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    let auth = home.auth_json();
    assert_eq!(auth["OPENAI_API_KEY"], Value::Null);
    assert_eq!(auth["auth_mode"], "chatgpt");
}

#[test]
fn browser_login_denied_at_the_issuer_keeps_the_previous_login() {
    let server = OidcServer::start_default();
    server.configure(json!({ "deny_next_login": "access_denied",
                             "deny_next_login_description": "The user said no" }));
    let home = TestHome::new();
    let before = previous_login(&home);
    let out = browser_login(&home, &server, &[]);
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains("access_denied"), "{out:?}");
    assert!(out.stderr.contains("The user said no"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert_eq!(server.stat("authorization_code"), 0);
}

#[test]
fn browser_login_outside_the_forced_workspace_saves_nothing() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    home.write_config("forced_chatgpt_workspace_id = \"ws-allowed\"\n");
    home.write_auth(
        &ChatGptAuth {
            account_id: "ws-allowed".into(),
            ..ChatGptAuth::default()
        }
        .to_json(),
    );
    let before = home.snapshot();
    let out = browser_login(&home, &server, &[]);
    assert_eq!(out.code, i32::from(exit_code::RESTRICTED), "{out:?}");
    assert!(out.stderr.contains("ws-allowed"), "{out:?}");
    assert!(out.stderr.contains("ws-test-1"), "{out:?}");
    // The hint went to the issuer (spec §5.3).
    assert_eq!(
        server.last_authorize()["allowed_workspace_id"],
        "ws-allowed"
    );
    assert_eq!(home.snapshot(), before);
}

#[test]
fn browser_login_is_refused_when_api_login_is_forced() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    home.write_config("forced_login_method = \"api\"\n");
    let out = browser_login(&home, &server, &[]);
    assert_eq!(out.code, i32::from(exit_code::RESTRICTED), "{out:?}");
    assert!(out.stderr.contains("forced_login_method"), "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert_eq!(server.stat("authorize_requests"), 0);
}

#[test]
fn browser_login_on_a_busy_port_names_it_and_changes_nothing() {
    let home = TestHome::new();
    let before = previous_login(&home);
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port().to_string();
    let out = run(home.cmd().args([
        "login",
        "--issuer",
        "http://127.0.0.1:9",
        "--port",
        &port,
        "--no-browser",
    ]));
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains(&format!("127.0.0.1:{port}")), "{out:?}");
    assert!(out.stderr.contains("--port"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

/// The only test that touches Codex's fixed ports: it occupies 1455 itself.
#[test]
fn browser_login_falls_back_to_1457_when_1455_is_busy() {
    let Ok(_holder) = std::net::TcpListener::bind("127.0.0.1:1455") else {
        panic!("port 1455 is in use on this machine; this test needs it free");
    };
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let out = run(home
        .cmd()
        .args(["login", "--issuer", server.issuer(), "--timeout", "60s"])
        .env("BROWSER", fake_browser()));
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert!(out.stderr.contains("1457"), "{out:?}");
    assert_eq!(
        server.last_authorize()["redirect_uri"],
        "http://127.0.0.1:1457/auth/callback"
    );
}

#[test]
fn callback_with_a_wrong_state_is_refused_and_the_login_keeps_waiting() {
    let server = OidcServer::start_default();
    let home = TestHome::new();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut login = Running::spawn(
        &home,
        &[
            "login",
            "--issuer",
            server.issuer(),
            "--port",
            &port.to_string(),
            "--no-browser",
        ],
        &[],
    );
    let url = login.authorize_url();
    let get = |path: &str| http_request(&addr, "GET", path, "text/plain", None);

    let (status, body) = get("/auth/callback?code=stolen&state=wrong");
    assert_eq!((status, body.as_str()), (400, "State mismatch"));
    let (status, _) = get("/auth/callback?code=stolen");
    assert_eq!(status, 400);
    let (status, _) = get("/favicon.ico");
    assert_eq!(status, 404);
    assert_eq!(
        server.stat("token_requests"),
        0,
        "no exchange for a bad state"
    );

    // The real sign-in still completes.
    let browser = std::process::Command::new(fake_browser())
        .arg(url.as_str())
        .status()
        .unwrap();
    assert!(browser.success());
    let out = login.finish();
    assert_eq!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert!(out.stderr.contains("wrong `state`"), "{out:?}");
    assert_eq!(home.auth_json()["auth_mode"], "chatgpt");
}

#[test]
fn browser_login_times_out_and_changes_nothing() {
    let home = TestHome::new();
    let before = previous_login(&home);
    let port = free_port().to_string();
    let out = run(home.cmd().args([
        "login",
        "--issuer",
        "http://127.0.0.1:9",
        "--port",
        &port,
        "--no-browser",
        "--timeout",
        "1s",
    ]));
    assert_eq!(out.code, i32::from(exit_code::FAILURE), "{out:?}");
    assert!(out.stderr.contains("timed out"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn ctrl_c_ends_the_browser_login_and_changes_nothing() {
    let home = TestHome::new();
    let before = previous_login(&home);
    let port = free_port().to_string();
    let mut login = Running::spawn(
        &home,
        &[
            "login",
            "--issuer",
            "http://127.0.0.1:9",
            "--port",
            &port,
            "--no-browser",
        ],
        &[],
    );
    login.authorize_url();
    login.interrupt();
    let out = login.finish();
    assert_eq!(out.code, i32::from(exit_code::INTERRUPTED), "{out:?}");
    assert!(out.stderr.contains("Interrupted"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_second_login_on_the_same_port_cancels_the_first() {
    let server = OidcServer::start_default();
    let first_home = TestHome::new();
    let port = free_port().to_string();
    let mut first = Running::spawn(
        &first_home,
        &[
            "login",
            "--issuer",
            server.issuer(),
            "--port",
            &port,
            "--no-browser",
        ],
        &[],
    );
    first.authorize_url();
    let second_home = TestHome::new();
    let second = run(second_home
        .cmd()
        .args([
            "login",
            "--issuer",
            server.issuer(),
            "--port",
            &port,
            "--timeout",
            "60s",
        ])
        .env("BROWSER", fake_browser()));
    assert_eq!(second.code, i32::from(exit_code::SUCCESS), "{second:?}");
    let first = first.finish();
    assert_eq!(first.code, i32::from(exit_code::FAILURE), "{first:?}");
    assert!(first.stderr.contains("cancelled"), "{first:?}");
    assert!(first_home.auth_bytes().is_none());
}

#[test]
fn a_bad_ca_bundle_is_a_clear_error() {
    let home = TestHome::new();
    let before = previous_login(&home);
    let elsewhere = tempfile::tempdir().unwrap();
    let bundle = elsewhere.path().join("ca.pem");
    std::fs::write(&bundle, "not a certificate").unwrap();
    let port = free_port().to_string();
    let out = run(home
        .cmd()
        .args([
            "login",
            "--issuer",
            "http://127.0.0.1:9",
            "--port",
            &port,
            "--no-browser",
        ])
        .env("CODEX_CA_CERTIFICATE", &bundle));
    assert_ne!(out.code, i32::from(exit_code::SUCCESS), "{out:?}");
    assert!(out.stderr.contains("ca.pem"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}
