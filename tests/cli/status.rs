//! `status`: the human report, the `--json` schema (version 1), environment notes, and the
//! not-logged-in paths. Never touches the network and never writes.

use serde_json::{Value, json};

use crate::support::check::{
    KEY, KEY_MASKED, KEY_MIDDLE, api_key_file, assert_code, assert_not_leaked, cmd_at, tree,
};
use crate::support::jwt::ChatGptAuth;
use crate::support::{TestHome, exit_code, run};

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn status_json(home: &TestHome, code: u8) -> Value {
    let out = run(home.cmd().args(["status", "--json"]));
    assert_code(&out, code);
    serde_json::from_str(&out.stdout).unwrap_or_else(|err| panic!("{err}\n{out:?}"))
}

const TOP_LEVEL: [&str; 10] = [
    "api_key",
    "auth_mode",
    "chatgpt",
    "codex_home",
    "environment",
    "logged_in",
    "notes",
    "personal_access_token",
    "schema_version",
    "store",
];

fn assert_top_level(json: &Value) {
    let mut expected: Vec<&str> = TOP_LEVEL.to_vec();
    expected.sort_unstable();
    assert_eq!(keys(json), expected, "{json:#}");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(keys(&json["store"]), ["kind", "location", "mode"]);
    assert_eq!(
        keys(&json["environment"]),
        ["CODEX_ACCESS_TOKEN", "CODEX_API_KEY", "OPENAI_API_KEY"]
    );
    assert!(json["notes"].is_array());
}

#[test]
fn api_key_status_json() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let json = status_json(&home, exit_code::SUCCESS);
    assert_top_level(&json);
    assert_eq!(json["logged_in"], true);
    assert_eq!(json["auth_mode"], "apikey");
    assert_eq!(
        json["codex_home"],
        home.path().canonicalize().unwrap().display().to_string()
    );
    assert_eq!(
        json["store"],
        json!({"mode": "file", "kind": "file", "location": home.auth_path().canonicalize().unwrap().display().to_string()})
    );
    assert_eq!(json["api_key"], json!({"masked": KEY_MASKED}));
    assert_eq!(json["personal_access_token"], Value::Null);
    assert_eq!(json["chatgpt"], Value::Null);
    assert_eq!(
        json["environment"],
        json!({"CODEX_API_KEY": false, "CODEX_ACCESS_TOKEN": false, "OPENAI_API_KEY": false})
    );
    assert_eq!(json["notes"], json!([]));
    assert!(!json.to_string().contains(KEY_MIDDLE));
}

#[test]
fn chatgpt_status_json() {
    let home = TestHome::new();
    let auth = ChatGptAuth {
        api_key: Some(KEY.into()),
        ..ChatGptAuth::default()
    };
    home.write_auth(&auth.to_json());
    let json = status_json(&home, exit_code::SUCCESS);
    assert_top_level(&json);
    assert_eq!(json["auth_mode"], "chatgpt");
    assert_eq!(json["api_key"], json!({"masked": KEY_MASKED}));
    assert_eq!(
        json["chatgpt"],
        json!({
            "email": "user@example.com",
            "plan_type": "pro",
            "workspace_id": "ws-test-1",
            "user_id": "user-test-123",
            "is_org_owner": true,
            "is_fedramp": false,
            "access_token_expires_at": "2100-01-01T00:00:00Z",
            "access_token_expired": false,
            "id_token_expires_at": "2100-01-01T00:00:00Z",
            "last_refresh": "2026-11-23T07:00:47Z",
            "has_refresh_token": true,
            "issuer": "https://auth.openai.com",
        })
    );
    let text = json.to_string();
    assert!(!text.contains(&auth.access_token()) && !text.contains(&auth.refresh_token));
}

#[test]
fn chatgpt_status_text() {
    let home = TestHome::new();
    let auth = ChatGptAuth {
        access_exp: 1_000_000_000,
        ..ChatGptAuth::default()
    };
    home.write_auth(&auth.to_json());
    let out = run(home.cmd().arg("status"));
    assert_code(&out, exit_code::SUCCESS);
    for fragment in [
        "Logged in using ChatGPT as user@example.com.",
        "Plan:",
        "pro",
        "Workspace:",
        "ws-test-1 (owner)",
        "2001-09-09T01:46:40Z (expired",
        "Store:",
    ] {
        assert!(out.stdout.contains(fragment), "{fragment:?}\n{out:?}");
    }
    assert_not_leaked(&out, &auth.access_token());
    assert_not_leaked(&out, &auth.refresh_token);
    let json = status_json(&home, exit_code::SUCCESS);
    assert_eq!(json["chatgpt"]["access_token_expired"], true);
}

#[test]
fn not_logged_in_status_json() {
    let home = TestHome::new();
    let json = status_json(&home, exit_code::NOT_LOGGED_IN);
    assert_top_level(&json);
    assert_eq!(json["logged_in"], false);
    assert_eq!(json["auth_mode"], Value::Null);
    assert_eq!(json["store"]["kind"], Value::Null);
    assert_eq!(json["api_key"], Value::Null);
    assert_eq!(json["chatgpt"], Value::Null);
}

#[test]
fn not_logged_in_text_goes_with_exit_3() {
    let home = TestHome::new();
    let out = run(home.cmd().arg("status"));
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert!(out.stdout.starts_with("Not logged in"), "{out:?}");
    assert!(out.stderr.contains("codex-creds login"), "{out:?}");
    assert!(home.files().is_empty(), "status writes nothing");
}

#[test]
fn missing_codex_home_is_not_logged_in_and_stays_missing() {
    let home = TestHome::new();
    let missing = home.path().join("does/not/exist");
    for args in [
        &["status"][..],
        &["status", "--json"],
        &["token"],
        &["token", "--json"],
    ] {
        let out = run(cmd_at(&home, &missing).args(args));
        assert_code(&out, exit_code::NOT_LOGGED_IN);
        let out = run(home.cmd().arg("--codex-home").arg(&missing).args(args));
        assert_code(&out, exit_code::NOT_LOGGED_IN);
    }
    assert!(tree(home.path()).is_empty(), "{:?}", tree(home.path()));
}

#[test]
fn environment_credentials_are_reported() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let env_key = "sk-env-ENVSECRET-0000000000000";
    let env_token = "at-env-ENVSECRET-000000000000";
    let out = run(home
        .cmd()
        .args(["status", "--json"])
        .env("CODEX_API_KEY", env_key)
        .env("CODEX_ACCESS_TOKEN", env_token)
        .env("OPENAI_API_KEY", env_key));
    assert_code(&out, exit_code::SUCCESS);
    assert_not_leaked(&out, "ENVSECRET");
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json["environment"],
        json!({"CODEX_API_KEY": true, "CODEX_ACCESS_TOKEN": true, "OPENAI_API_KEY": true})
    );
    let notes = json["notes"].to_string();
    for name in ["CODEX_API_KEY", "CODEX_ACCESS_TOKEN", "OPENAI_API_KEY"] {
        assert!(notes.contains(name), "{name} not in {notes}");
    }

    let out = run(home
        .cmd()
        .arg("status")
        .env("CODEX_API_KEY", env_key)
        .env("CODEX_ACCESS_TOKEN", env_token)
        .env("OPENAI_API_KEY", env_key));
    assert_code(&out, exit_code::SUCCESS);
    assert_not_leaked(&out, "ENVSECRET");
    for name in ["CODEX_API_KEY", "CODEX_ACCESS_TOKEN", "OPENAI_API_KEY"] {
        assert!(out.stdout.contains(name), "{name}\n{out:?}");
    }
}

#[test]
fn blank_environment_variables_count_as_unset() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let out = run(home
        .cmd()
        .args(["status", "--json"])
        .env("CODEX_API_KEY", "  ")
        .env("OPENAI_API_KEY", ""));
    assert_code(&out, exit_code::SUCCESS);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["environment"]["CODEX_API_KEY"], false);
    assert_eq!(json["environment"]["OPENAI_API_KEY"], false);
}

#[test]
fn show_token_prints_the_full_secret_on_request() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let out = run(home.cmd().args(["status", "--show-token"]));
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.contains(KEY), "{out:?}");
    let json = status_json_with(&home, &["--show-token"]);
    assert_eq!(json["api_key"]["value"], KEY);
    assert_eq!(json["token"], KEY);

    let auth = ChatGptAuth::default();
    home.write_auth(&auth.to_json());
    let out = run(home.cmd().args(["status", "--show-token"]));
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.contains(&auth.access_token()), "{out:?}");
    assert_not_leaked(&out, &auth.refresh_token);
}

fn status_json_with(home: &TestHome, extra: &[&str]) -> Value {
    let out = run(home.cmd().args(["status", "--json"]).args(extra));
    assert_code(&out, exit_code::SUCCESS);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn legacy_files_without_auth_mode_resolve_like_codex() {
    let home = TestHome::new();
    // Rule 3 of the spec: a key and no auth_mode is an API-key login, even with tokens.
    let mut value = ChatGptAuth {
        api_key: Some(KEY.into()),
        ..ChatGptAuth::default()
    }
    .to_value();
    value.as_object_mut().unwrap().remove("auth_mode");
    home.write_auth(&serde_json::to_string_pretty(&value).unwrap());
    assert_eq!(
        status_json(&home, exit_code::SUCCESS)["auth_mode"],
        "apikey"
    );
    // `{}` is a ChatGPT login (with nothing in it).
    home.write_auth("{}");
    assert_eq!(
        status_json(&home, exit_code::SUCCESS)["auth_mode"],
        "chatgpt"
    );
}
