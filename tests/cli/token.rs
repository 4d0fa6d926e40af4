//! `token`: the bare bearer on stdout (or `--json`), and nothing else.

use serde_json::Value;

use crate::support::check::{KEY, api_key_file, assert_code, assert_stderr_has};
use crate::support::jwt::ChatGptAuth;
use crate::support::{TestHome, exit_code, run};

#[test]
fn api_key_token_is_the_only_output() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let before = home.snapshot();
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{KEY}\n"));
    assert_eq!(out.stderr, "");
    assert_eq!(home.snapshot(), before, "token does not write");
}

#[test]
fn token_json_for_an_api_key() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    let out = run(home.cmd().args(["token", "--json"]));
    assert_code(&out, exit_code::SUCCESS);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"schema_version": 1, "token": KEY, "auth_mode": "apikey", "expires_at": null})
    );
}

#[test]
fn chatgpt_token_is_the_access_token() {
    let home = TestHome::new();
    let auth = ChatGptAuth {
        api_key: Some(KEY.into()),
        ..ChatGptAuth::default()
    };
    home.write_auth(&auth.to_json());
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{}\n", auth.access_token()));
    let out = run(home.cmd().args(["token", "--json"]));
    assert_code(&out, exit_code::SUCCESS);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["auth_mode"], "chatgpt");
    assert_eq!(json["token"], auth.access_token());
    assert_eq!(json["expires_at"], "2100-01-01T00:00:00Z");
    assert_eq!(json.as_object().unwrap().len(), 4);
}

#[test]
fn personal_access_token_is_printed() {
    let home = TestHome::new();
    home.write_auth(
        "{\n  \"OPENAI_API_KEY\": null,\n  \"personal_access_token\": \"at-abc-0123456789\"\n}",
    );
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, "at-abc-0123456789\n");
}

#[test]
fn not_logged_in_token_exits_3_with_empty_stdout() {
    let home = TestHome::new();
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert_eq!(out.stdout, "");
    assert_stderr_has(&out, &["not logged in", "codex-creds login"]);
}

#[test]
fn a_login_without_a_bearer_exits_3() {
    let home = TestHome::new();
    home.write_auth(
        "{\n  \"auth_mode\": \"bedrockApiKey\",\n  \"OPENAI_API_KEY\": null,\n  \"bedrock_api_key\": {\"api_key\": \"b\", \"region\": \"us-east-1\"}\n}",
    );
    let before = home.snapshot();
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert_eq!(out.stdout, "");
    assert_stderr_has(&out, &["Bedrock"]);
    assert_eq!(home.snapshot(), before);
}
