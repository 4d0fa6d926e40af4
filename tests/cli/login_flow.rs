//! Which ChatGPT login `login` runs (issue #8 item 12): the device code over SSH or without a
//! display, with one line saying why; the browser login whenever the user asked for it
//! (`--browser`, `--port`, `--no-browser`, `BROWSER`). Fake issuers are wiremock servers.
//!
//! Tests run with a cleared environment, so DISPLAY and WAYLAND_DISPLAY are unset unless a test
//! sets them. No test here binds Codex's default ports (another test needs 1455 free).

use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::check::{assert_code, assert_stderr_has};
use crate::support::issuer::{access_token, cmd, dead_url, run_bg};
use crate::support::jwt::{forge, id_claims};
use crate::support::login::{Running, previous_login};
use crate::support::{Outcome, TestHome, exit_code, free_port, run};

/// The line `login` prints when it picks the device code for the user.
const CHOSEN: &str = "using the device-code login";

/// An issuer whose device login is approved on the first poll; each endpoint must be called
/// exactly once (checked when the server drops).
async fn device_issuer() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/accounts/deviceauth/usercode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"device_auth_id": "dev-auth-0001", "user_code": "ABCD-EFGH", "interval": 1}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/accounts/deviceauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"authorization_code": "device-code-0001", "code_verifier": "verifier-0001"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=device-code-0001"))
        .and(body_string_contains("deviceauth%2Fcallback"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id_token": forge(&id_claims("device@example.com", "pro", "ws-test-1")),
            "access_token": access_token(1, 3600),
            "refresh_token": "rt-device-login-0001",
        })))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// `codex-creds login` with no method flag against `issuer`, with `envs` added.
async fn plain_login(home: &TestHome, issuer: &str, envs: &[(&str, &str)]) -> Outcome {
    let mut login = cmd(home, &["login", "--issuer", issuer, "--timeout", "60s"]);
    login.envs(envs.iter().copied());
    run_bg(&mut login).await
}

/// The device login ran to the end, and the choice was explained exactly once.
fn assert_device_login_chosen(out: &Outcome, home: &TestHome, issuer: &str, because: &str) {
    assert_code(out, exit_code::SUCCESS);
    assert_eq!(out.stderr.matches(CHOSEN).count(), 1, "{out:?}");
    assert_stderr_has(
        out,
        &[
            because,
            "--browser",
            "/codex/device",
            "ABCD-EFGH",
            "device@example.com",
        ],
    );
    assert!(!out.stderr.contains("/oauth/authorize"), "{out:?}");
    let auth = home.auth_json();
    assert_eq!(auth["auth_mode"], "chatgpt");
    assert_eq!(auth["tokens"]["oauth_provenance"]["issuer"], issuer);
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn without_a_display_login_uses_the_device_code_and_says_why() {
    let server = device_issuer().await;
    let home = TestHome::new();
    let out = plain_login(&home, &server.uri(), &[]).await;
    assert_device_login_chosen(&out, &home, &server.uri(), "DISPLAY");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_ssh_login_uses_the_device_code_and_says_why() {
    for variable in ["SSH_CONNECTION", "SSH_TTY"] {
        let server = device_issuer().await;
        let home = TestHome::new();
        // A display (as with `ssh -X`) does not help: the browser's redirect cannot reach us.
        let envs = [
            (variable, "203.0.113.7 50022 192.0.2.1 22"),
            ("DISPLAY", "localhost:10.0"),
        ];
        let out = plain_login(&home, &server.uri(), &envs).await;
        assert_device_login_chosen(&out, &home, &server.uri(), "SSH");
    }
}

/// Flags and environment variables given to one `login`.
type Ask<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);

/// Every way of asking for the browser keeps it over SSH without a display. The flows are
/// told apart before any port is bound: `forced_login_method = "api"` refuses both (exit 4),
/// and only a login that picked the device code for the user says so first.
#[test]
fn a_browser_login_asked_for_stays_a_browser_login_over_ssh() {
    let port = free_port().to_string();
    let cases: [Ask; 4] = [
        (&["--browser"], &[]),
        (&["--port", &port], &[]),
        (&["--no-browser"], &[]),
        (&[], &[("BROWSER", "true")]),
    ];
    let refused = |flags: &[&str], envs: &[(&str, &str)]| {
        let home = TestHome::new();
        home.write_config("forced_login_method = \"api\"\n");
        let mut login = cmd(&home, &["login", "--issuer", &dead_url()]);
        login
            .args(flags)
            .env("SSH_CONNECTION", "203.0.113.7 50022 192.0.2.1 22")
            .envs(envs.iter().copied());
        let out = run(&mut login);
        assert_code(&out, exit_code::RESTRICTED);
        assert_stderr_has(&out, &["forced_login_method"]);
        assert!(home.auth_bytes().is_none());
        out
    };
    // The control: nothing asked, so the device code is picked and the line printed.
    let out = refused(&[], &[]);
    assert_stderr_has(&out, &[CHOSEN]);
    for (flags, envs) in cases {
        let out = refused(flags, envs);
        assert!(!out.stderr.contains(CHOSEN), "{flags:?} {envs:?}\n{out:?}");
    }
}

/// `--port` over SSH runs the real browser login: it prints the authorize URL and waits for
/// the callback (Ctrl-C ends it); a device login against a dead issuer would fail at once.
#[test]
fn over_ssh_with_a_port_the_browser_login_waits_for_its_callback() {
    let home = TestHome::new();
    let before = previous_login(&home);
    let port = free_port().to_string();
    let mut login = Running::spawn(
        &home,
        &["login", "--issuer", &dead_url(), "--port", &port],
        &[
            ("SSH_CONNECTION", "203.0.113.7 50022 192.0.2.1 22"),
            ("BROWSER", "true"),
        ],
    );
    login.authorize_url();
    login.interrupt();
    let out = login.finish();
    assert_code(&out, exit_code::INTERRUPTED);
    assert!(!out.stderr.contains(CHOSEN), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn device_code_not_enabled_says_how_to_enable_it_and_how_to_forward_the_port() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/accounts/deviceauth/usercode"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let home = TestHome::new();
    let before = previous_login(&home);
    let envs = [("SSH_TTY", "/dev/pts/3")];
    let out = plain_login(&home, &server.uri(), &envs).await;
    assert_code(&out, exit_code::FAILURE);
    assert_stderr_has(
        &out,
        &[
            CHOSEN,
            "not enabled",
            "device code authorization",
            "workspace admin",
            "codex-creds login --no-browser --port 1455",
            "ssh -L 1455:127.0.0.1:1455",
        ],
    );
    assert_eq!(home.snapshot(), before);
}
