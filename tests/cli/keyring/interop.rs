//! The same keyring items as the real Codex 0.169.0, in both directions: API keys, ChatGPT
//! tokens, Codex's logout and Codex's own refresh.

use super::*;

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

    let result = codex::app_server_refresh(
        home.path(),
        "keyring",
        &format!("{}/oauth/token", server.uri()),
        &ss.env(),
    );
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
