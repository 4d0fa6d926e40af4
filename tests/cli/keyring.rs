//! The keyring, auto stores, `--store`, logout across stores and `migrate`, against a real
//! Secret Service (a private dbus-daemon + gnome-keyring per test) and the real Codex 0.169.0.

use std::os::unix::net::UnixListener;

use crate::support::jwt::ChatGptAuth;
use crate::support::keyring::{SecretService, account_for};
use crate::support::{Outcome, TestHome, codex, exit_code, run};

const KEY: &str = "sk-proj-keyring-1234567890ABCDE";
const KEY_MASK: &str = "sk-proj-***ABCDE";

fn login_key(home: &TestHome, ss: Option<&SecretService>, store: &str, key: &str) -> Outcome {
    let mut cmd = home.cmd();
    if let Some(ss) = ss {
        ss.apply(&mut cmd);
    }
    run(cmd
        .args(["--store", store, "login", "--with-api-key"])
        .write_stdin(format!("{key}\n")))
}

fn creds(home: &TestHome, ss: &SecretService, args: &[&str]) -> Outcome {
    let mut cmd = home.cmd();
    ss.apply(&mut cmd);
    run(cmd.args(args))
}

fn codex_keyring(home: &TestHome, ss: &SecretService, args: &[&str]) -> Outcome {
    let mut cmd = codex::cmd(home.path());
    ss.apply(&mut cmd);
    run(cmd
        .args(args)
        .args(["-c", "cli_auth_credentials_store=\"keyring\""]))
}

/// A socket that accepts connections but never answers: a hung D-Bus / Secret Service.
fn hanging_bus() -> (tempfile::TempDir, UnixListener, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hung-bus");
    let listener = UnixListener::bind(&path).unwrap();
    listener.set_nonblocking(true).unwrap();
    (dir, listener, format!("unix:path={}", path.display()))
}

fn nobody_connected(listener: &UnixListener) -> bool {
    matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn codex_creds_saves_to_the_keyring_and_codex_reads_it() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let out = login_key(&home, Some(&ss), "keyring", KEY);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("OS keyring"), "{out:?}");
    assert!(
        home.auth_bytes().is_none(),
        "keyring mode writes no auth.json"
    );

    let account = account_for(home.path());
    assert_eq!(
        ss.lookup(&account).unwrap(),
        format!(r#"{{"auth_mode":"apikey","OPENAI_API_KEY":"{KEY}"}}"#)
    );
    let items = ss.search();
    for attribute in [
        "attribute.service = Codex Auth".to_owned(),
        format!("attribute.username = {account}"),
        "attribute.target = default".to_owned(),
        "attribute.application = rust-keyring".to_owned(),
        format!("label = {account}@Codex Auth:default (keyring v3.6.3)"),
    ] {
        assert!(items.contains(&attribute), "missing {attribute}:\n{items}");
    }

    let out = codex_keyring(&home, &ss, &["login", "status"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("API key configured - {KEY_MASK}")),
        "{out:?}"
    );
    assert!(home.auth_bytes().is_none());
}

#[test]
fn codex_saves_to_the_keyring_and_codex_creds_reads_it() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let mut cmd = codex::cmd(home.path());
    ss.apply(&mut cmd);
    let out = run(cmd
        .args(["login", "--with-api-key"])
        .args(["-c", "cli_auth_credentials_store=\"keyring\""])
        .write_stdin(KEY));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());

    home.write_config("cli_auth_credentials_store = \"keyring\"\n");
    let out = creds(&home, &ss, &["status"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(KEY_MASK), "{out:?}");
    assert!(out.stdout.contains("keyring"), "{out:?}");
    assert_eq!(creds(&home, &ss, &["token"]).stdout, format!("{KEY}\n"));

    // Saving again updates Codex's item in place: still one item, the new value.
    let out = login_key(&home, Some(&ss), "keyring", "sk-proj-second-1234567890");
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(ss.count(), 1, "{}", ss.search());
    let out = codex_keyring(&home, &ss, &["login", "status"]);
    assert!(out.stderr.contains("sk-proj-***67890"), "{out:?}");
}

#[test]
fn chatgpt_tokens_round_trip_through_the_keyring_both_ways() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let fixture = ChatGptAuth::default();
    home.write_auth(&fixture.to_json());

    // codex-creds → keyring → codex.
    let out = creds(&home, &ss, &["migrate", "--to", "keyring"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
    let out = codex_keyring(&home, &ss, &["login", "status"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Logged in using ChatGPT"), "{out:?}");

    // An item as Codex writes it (compact JSON) → codex-creds.
    let account = account_for(home.path());
    let stored = ss.lookup(&account).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stored).unwrap(),
        fixture.to_value()
    );
    let other = ChatGptAuth {
        email: "other@example.com".into(),
        ..ChatGptAuth::default()
    };
    ss.store(&account, &serde_json::to_string(&other.to_value()).unwrap());
    assert_eq!(ss.count(), 1, "secret-tool replaced the item");
    let out = creds(&home, &ss, &["--store", "keyring", "status", "--json"]);
    assert_eq!(out.code, 0, "{out:?}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["chatgpt"]["email"], "other@example.com");
    assert_eq!(status["store"]["kind"], "keyring");
    let out = creds(&home, &ss, &["--store", "keyring", "token"]);
    assert_eq!(out.stdout, format!("{}\n", other.access_token()));
}

#[test]
fn keyring_save_removes_a_stale_auth_json() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "file", KEY).code, 0);
    assert!(home.auth_bytes().is_some());
    let out = login_key(&home, Some(&ss), "keyring", "sk-proj-new-1234567890");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none(), "the stale auth.json is gone");
    assert!(
        home.files().contains(&"auth.lock".to_owned()),
        "Codex's locks were taken"
    );
}

#[test]
fn status_names_the_store_and_warns_when_copies_differ() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    assert_eq!(
        login_key(&home, Some(&ss), "file", "sk-proj-file-1234567890").code,
        0
    );

    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(KEY_MASK), "{out:?}");
    assert!(
        out.stdout.contains("Store:") && out.stdout.contains("keyring"),
        "{out:?}"
    );
    assert!(out.stdout.contains("different"), "{out:?}");

    let out = creds(&home, &ss, &["--store", "auto", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "keyring");
    assert_eq!(status["store"]["mode"], "auto");

    let out = creds(&home, &ss, &["status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "file", "file mode reads auth.json");
}

#[test]
fn auto_uses_the_keyring_when_it_works() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let out = login_key(&home, Some(&ss), "auto", KEY);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stderr.contains("warning"), "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert!(ss.lookup(&account_for(home.path())).is_some());
}

#[test]
fn auto_without_dbus_falls_back_to_the_file_and_says_so() {
    let home = TestHome::new();
    let out = login_key(&home, None, "auto", KEY);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_some(), "{out:?}");
    let warnings: Vec<_> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{out:?}");
    assert!(
        warnings[0].contains("not reachable") && warnings[0].contains("auth.json"),
        "{out:?}"
    );

    let out = run(home.cmd().args(["--store", "auto", "status", "--json"]));
    assert_eq!(out.code, 0, "{out:?}");
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "file");
    assert!(out.stderr.contains("auth.json instead"), "{out:?}");

    // auto logout (unlike Codex 0.169) still removes the file.
    let out = run(home.cmd().args(["--store", "auto", "logout"]));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
}

#[test]
fn keyring_without_dbus_fails_with_the_store_code_and_writes_nothing() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let before = home.snapshot();
    let out = login_key(&home, None, "keyring", "sk-proj-other-1234567890");
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("not reachable"), "{out:?}");
    assert_eq!(home.snapshot(), before);

    let out = run(home.cmd().args(["--store", "keyring", "status"]));
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert_eq!(home.snapshot(), before);

    // Logout removes what it can reach, and says what it could not.
    let out = run(home.cmd().args(["--store", "keyring", "logout"]));
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(
        out.stderr.contains("not reachable") && out.stderr.contains("removed from"),
        "{out:?}"
    );
    assert!(home.auth_bytes().is_none());
}

#[test]
fn a_hung_keyring_times_out_in_keyring_mode_and_falls_back_in_auto_mode() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let before = home.snapshot();
    let (_dir, _listener, address) = hanging_bus();
    let with_bus = |args: &[&str]| {
        run(home
            .cmd()
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("CODEX_CREDS_KEYRING_TIMEOUT", "300ms")
            .args(args))
    };
    let out = with_bus(&["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("did not answer"), "{out:?}");

    let out = with_bus(&["--store", "auto", "token"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, format!("{KEY}\n"));
    assert!(out.stderr.contains("did not answer"), "{out:?}");

    let out = with_bus(&["--store", "keyring", "migrate", "--to", "keyring"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("still in"), "{out:?}");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_locked_keyring_is_a_store_error_in_keyring_mode_and_a_fallback_in_auto_mode() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    ss.lock();

    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("locked"), "{out:?}");

    let before = home.snapshot();
    let out = login_key(&home, Some(&ss), "keyring", "sk-proj-new-1234567890");
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert_eq!(home.snapshot(), before, "nothing written");

    // No item yet: creating one in a locked collection fails the same way.
    let fresh = TestHome::new();
    let out = login_key(&fresh, Some(&ss), "keyring", "sk-proj-new-1234567890");
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("locked"), "{out:?}");
    assert!(fresh.auth_bytes().is_none());

    let out = login_key(&home, Some(&ss), "auto", "sk-proj-new-1234567890");
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("locked") && out.stderr.contains("auth.json"),
        "{out:?}"
    );
    assert!(home.auth_bytes().is_some());
}

#[test]
fn file_mode_status_and_token_never_touch_dbus() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let (_dir, listener, address) = hanging_bus();
    for args in [&["status"][..], &["status", "--json"], &["token"]] {
        let out = run(home
            .cmd()
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .args(args));
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
    }
    assert!(
        nobody_connected(&listener),
        "a file-mode read connected to D-Bus"
    );

    // File-mode logout may look at the keyring, but a hung one is no error.
    let out = run(home
        .cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .arg("logout"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
}

#[test]
fn logout_after_a_mode_switch_leaves_nothing_anywhere() {
    for logout_store in ["file", "keyring", "auto"] {
        let ss = SecretService::start();
        let home = TestHome::new();
        assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
        assert_eq!(
            login_key(&home, Some(&ss), "file", "sk-proj-file-1234567890").code,
            0
        );
        assert!(home.auth_bytes().is_some() && ss.count() == 1);

        let out = creds(&home, &ss, &["--store", logout_store, "logout"]);
        assert_eq!(out.code, 0, "{logout_store}: {out:?}");
        assert!(home.auth_bytes().is_none(), "{logout_store}");
        assert_eq!(ss.count(), 0, "{logout_store}: {}", ss.search());
        let out = codex_keyring(&home, &ss, &["login", "status"]);
        assert!(out.stderr.contains("Not logged in"), "{out:?}");
    }
}

#[test]
fn codex_logout_removes_what_codex_creds_saved() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    let out = codex_keyring(&home, &ss, &["logout"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(ss.count(), 0);
    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::NOT_LOGGED_IN as i32, "{out:?}");
}

#[test]
fn migrate_file_to_keyring_to_file_is_byte_identical() {
    let ss = SecretService::start();
    let home = TestHome::new();
    let fixture = ChatGptAuth {
        api_key: Some("sk-proj-alongside-1234567890".into()),
        ..ChatGptAuth::default()
    };
    let mut value = fixture.to_value();
    value["future_field"] = serde_json::json!({"kept": [1, 2]});
    let original = serde_json::to_string_pretty(&value).unwrap();
    home.write_auth(&original);

    let out = creds(&home, &ss, &["migrate", "--to", "keyring"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Moved"), "{out:?}");
    assert!(
        out.stderr.contains("cli_auth_credentials_store"),
        "config hint: {out:?}"
    );
    assert!(home.auth_bytes().is_none());
    assert_eq!(ss.count(), 1);

    let out = creds(&home, &ss, &["migrate", "--to", "file"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(home.auth_bytes().unwrap(), original.as_bytes());
    assert_eq!(ss.count(), 0);

    let out = creds(&home, &ss, &["migrate", "--to", "file"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("already in"), "{out:?}");
}

#[test]
fn migrate_with_an_unavailable_keyring_loses_nothing() {
    let home = TestHome::new();
    assert_eq!(login_key(&home, None, "file", KEY).code, 0);
    let before = home.snapshot();
    for to in ["keyring", "file"] {
        let out = run(home.cmd().args(["migrate", "--to", to]));
        assert_eq!(out.code, exit_code::STORE as i32, "{to}: {out:?}");
        assert!(out.stderr.contains("not reachable"), "{out:?}");
        assert_eq!(home.snapshot(), before, "{to}");
    }
}

#[test]
fn migrate_refuses_when_both_stores_hold_different_credentials() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "keyring", KEY).code, 0);
    assert_eq!(
        login_key(&home, Some(&ss), "file", "sk-proj-file-1234567890").code,
        0
    );
    let before = home.snapshot();
    let out = creds(&home, &ss, &["migrate", "--to", "keyring"]);
    assert_eq!(out.code, exit_code::STORE as i32, "{out:?}");
    assert!(out.stderr.contains("differ"), "{out:?}");
    assert_eq!(home.snapshot(), before);
    assert_eq!(ss.count(), 1);
}

#[test]
fn secrets_never_reach_the_output() {
    let ss = SecretService::start();
    let home = TestHome::new();
    for out in [
        login_key(&home, Some(&ss), "keyring", KEY),
        creds(&home, &ss, &["--store", "keyring", "status"]),
        creds(&home, &ss, &["migrate", "--to", "file"]),
        creds(&home, &ss, &["logout"]),
    ] {
        assert!(
            !out.stdout.contains(KEY) && !out.stderr.contains(KEY),
            "{out:?}"
        );
    }
}

/// Runs `codex app-server` in keyring mode, asks for the auth status with a forced refresh, and
/// returns the JSON-RPC result (the app-server is killed afterwards).
fn codex_app_server_refresh(
    home: &TestHome,
    ss: &SecretService,
    refresh_url: &str,
) -> serde_json::Value {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;

    let mut cmd = std::process::Command::new(codex::binary());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("CODEX_HOME", home.path())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("CODEX_REFRESH_TOKEN_URL_OVERRIDE", refresh_url);
    for (name, value) in ss.env() {
        if name != "HOME" {
            cmd.env(name, value);
        }
    }
    let mut child = cmd
        .args(["app-server", "-c", "cli_auth_credentials_store=\"keyring\""])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for line in [
        r#"{"id":1,"method":"initialize","params":{"clientInfo":{"name":"codex-creds-test","version":"0.0.1"}}}"#,
        r#"{"method":"initialized"}"#,
        r#"{"id":2,"method":"getAuthStatus","params":{"includeToken":true,"refreshToken":true}}"#,
    ] {
        writeln!(stdin, "{line}").unwrap();
    }
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(message) = serde_json::from_str::<serde_json::Value>(&line)
                && message["id"] == 2
            {
                let _ = tx.send(message);
                return;
            }
        }
    });
    let reply = rx.recv_timeout(std::time::Duration::from_secs(60));
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    let reply = reply.expect("codex app-server answered getAuthStatus");
    reply["result"].clone()
}

#[test]
fn codex_refreshes_chatgpt_tokens_in_the_keyring_and_codex_creds_reads_them() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let new_access = ChatGptAuth {
        plan: "team".into(),
        ..ChatGptAuth::default()
    }
    .access_token();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": new_access,
                "refresh_token": "rt-rotated-by-codex",
            })))
            .mount(&server)
            .await;
        server
    });

    let ss = SecretService::start();
    let home = TestHome::new();
    home.write_auth(
        &ChatGptAuth {
            access_exp: 1_000,
            ..ChatGptAuth::default()
        }
        .to_json(),
    );
    let out = creds(&home, &ss, &["migrate", "--to", "keyring"]);
    assert_eq!(out.code, 0, "{out:?}");

    let result = codex_app_server_refresh(&home, &ss, &format!("{}/oauth/token", server.uri()));
    assert_eq!(result["authMethod"], "chatgpt", "{result}");
    assert_eq!(result["authToken"], new_access.as_str(), "{result}");
    assert!(home.auth_bytes().is_none(), "Codex kept it in the keyring");

    let stored = ss.lookup(&account_for(home.path())).unwrap();
    assert!(stored.contains("rt-rotated-by-codex"), "{stored}");
    let out = creds(&home, &ss, &["--store", "keyring", "token"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, format!("{new_access}\n"));
    let out = creds(&home, &ss, &["--store", "keyring", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(status["store"]["kind"], "keyring");
    assert_eq!(status["chatgpt"]["email"], "user@example.com");
    assert_eq!(status["chatgpt"]["access_token_expired"], false);
}

#[test]
fn keyring_status_points_at_credentials_left_in_auth_json() {
    let ss = SecretService::start();
    let home = TestHome::new();
    assert_eq!(login_key(&home, Some(&ss), "file", KEY).code, 0);
    let before = home.snapshot();
    let out = creds(&home, &ss, &["--store", "keyring", "status"]);
    assert_eq!(out.code, exit_code::NOT_LOGGED_IN as i32, "{out:?}");
    assert!(out.stdout.contains("migrate --to keyring"), "{out:?}");
    assert_eq!(home.snapshot(), before, "status changes nothing");
}
