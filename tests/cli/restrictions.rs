//! `forced_login_method` and `forced_chatgpt_workspace_id`, from config.toml and from `-c`:
//! violating stored credentials are removed (exit 4); compliant ones stay; credentials in the
//! environment are reported but cannot be removed; a login that would violate writes nothing.

use crate::support::check::{
    KEY, KEY_MIDDLE, api_key_file, assert_code, assert_not_leaked, assert_stderr_has,
};
use crate::support::jwt::ChatGptAuth;
use crate::support::{TestHome, exit_code, run};

fn chatgpt(account_id: &str) -> String {
    ChatGptAuth {
        account_id: account_id.into(),
        ..ChatGptAuth::default()
    }
    .to_json()
}

/// How a restriction is given: in config.toml or as `-c` flags.
#[derive(Clone, Copy, Debug)]
enum Via {
    File,
    Flag,
}

fn restrict(home: &TestHome, via: Via, settings: &[(&str, &str)]) -> Vec<String> {
    match via {
        Via::File => {
            let text: String = settings
                .iter()
                .map(|(key, value)| format!("{key} = {value}\n"))
                .collect();
            home.write_config(&format!("model = \"o3\"\n{text}"));
            Vec::new()
        }
        Via::Flag => settings
            .iter()
            .flat_map(|(key, value)| ["-c".to_owned(), format!("{key}={value}")])
            .collect(),
    }
}

#[test]
fn api_key_is_removed_when_chatgpt_is_forced() {
    for via in [Via::File, Via::Flag] {
        for command in ["status", "token"] {
            let home = TestHome::new();
            home.write_auth(&api_key_file(KEY));
            let flags = restrict(&home, via, &[("forced_login_method", "\"chatgpt\"")]);
            let out = run(home.cmd().args(&flags).arg(command));
            assert_code(&out, exit_code::RESTRICTED);
            assert_stderr_has(&out, &["chatgpt", "removed", "codex-creds login"]);
            assert_not_leaked(&out, KEY_MIDDLE);
            assert_eq!(out.stdout, "", "{via:?} {command}: no token or report");
            assert!(home.auth_bytes().is_none(), "{via:?} {command}: removed");
            // Once removed, the next run is simply not logged in.
            let out = run(home.cmd().args(&flags).arg(command));
            assert_code(&out, exit_code::NOT_LOGGED_IN);
        }
    }
}

#[test]
fn chatgpt_is_removed_when_api_is_forced() {
    for via in [Via::File, Via::Flag] {
        let home = TestHome::new();
        home.write_auth(&chatgpt("ws-test-1"));
        let flags = restrict(&home, via, &[("forced_login_method", "\"api\"")]);
        let out = run(home.cmd().args(&flags).arg("status"));
        assert_code(&out, exit_code::RESTRICTED);
        assert_stderr_has(&out, &["api", "removed"]);
        assert!(home.auth_bytes().is_none(), "{via:?}");
    }
}

#[test]
fn personal_access_token_counts_as_chatgpt() {
    let home = TestHome::new();
    home.write_auth(
        "{\n  \"OPENAI_API_KEY\": null,\n  \"personal_access_token\": \"at-abc-0123456789\"\n}",
    );
    home.write_config("forced_login_method = \"api\"\n");
    assert_code(&run(home.cmd().arg("status")), exit_code::RESTRICTED);
    assert!(home.auth_bytes().is_none());
}

#[test]
fn compliant_credentials_stay() {
    let cases: [(&str, &str, String); 5] = [
        ("forced_login_method", "\"api\"", api_key_file(KEY)),
        ("forced_login_method", "\"chatgpt\"", chatgpt("ws-test-1")),
        (
            "forced_chatgpt_workspace_id",
            "\"ws-test-1\"",
            chatgpt("ws-test-1"),
        ),
        (
            "forced_chatgpt_workspace_id",
            "[\"ws-other\", \"ws-test-1\"]",
            chatgpt("ws-test-1"),
        ),
        // API keys skip the workspace check (as in Codex).
        (
            "forced_chatgpt_workspace_id",
            "\"ws-test-1\"",
            api_key_file(KEY),
        ),
    ];
    for via in [Via::File, Via::Flag] {
        for (key, value, auth) in &cases {
            let home = TestHome::new();
            home.write_auth(auth);
            let flags = restrict(&home, via, &[(key, value)]);
            let before = home.snapshot();
            for command in ["status", "token"] {
                let out = run(home.cmd().args(&flags).arg(command));
                assert_code(&out, exit_code::SUCCESS);
            }
            assert_eq!(home.snapshot(), before, "{via:?} {key}={value}");
        }
    }
}

#[test]
fn workspace_mismatch_removes_chatgpt_credentials() {
    for via in [Via::File, Via::Flag] {
        for allowed in ["\"ws-allowed\"", "[\"ws-allowed\", \"ws-also\"]"] {
            let home = TestHome::new();
            home.write_auth(&chatgpt("ws-test-1"));
            let flags = restrict(&home, via, &[("forced_chatgpt_workspace_id", allowed)]);
            let out = run(home.cmd().args(&flags).arg("status"));
            assert_code(&out, exit_code::RESTRICTED);
            assert_stderr_has(&out, &["ws-allowed", "ws-test-1", "removed"]);
            assert!(home.auth_bytes().is_none(), "{via:?} {allowed}");
        }
    }
}

#[test]
fn flag_overrides_the_config_file() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    home.write_config("forced_login_method = \"chatgpt\"\n");
    let before = home.snapshot();
    let out = run(home
        .cmd()
        .args(["-c", "forced_login_method=\"api\"", "status"]));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(home.snapshot(), before);
}

#[test]
fn env_api_key_under_forced_chatgpt_is_reported_but_stored_login_stays() {
    let home = TestHome::new();
    home.write_auth(&chatgpt("ws-test-1"));
    home.write_config("forced_login_method = \"chatgpt\"\n");
    let before = home.snapshot();
    for command in ["status", "token"] {
        let out = run(home
            .cmd()
            .arg(command)
            .env("CODEX_API_KEY", "sk-env-ENVSECRET-00000000000"));
        assert_code(&out, exit_code::RESTRICTED);
        assert_stderr_has(&out, &["CODEX_API_KEY", "Unset"]);
        assert_not_leaked(&out, "ENVSECRET");
        assert_eq!(out.stdout, "", "{command}");
    }
    assert_eq!(
        home.snapshot(),
        before,
        "compliant stored credentials are not removed because of an env var"
    );
    // Without the variable all is well again.
    assert_code(&run(home.cmd().arg("status")), exit_code::SUCCESS);
}

#[test]
fn env_access_token_under_forced_api_is_reported_but_stored_key_stays() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    home.write_config("forced_login_method = \"api\"\n");
    let before = home.snapshot();
    let out = run(home
        .cmd()
        .arg("status")
        .env("CODEX_ACCESS_TOKEN", "at-env-ENVSECRET-000000"));
    assert_code(&out, exit_code::RESTRICTED);
    assert_stderr_has(&out, &["CODEX_ACCESS_TOKEN"]);
    assert_not_leaked(&out, "ENVSECRET");
    assert_eq!(home.snapshot(), before);
}

#[test]
fn env_api_key_is_fine_when_nothing_is_forced() {
    let home = TestHome::new();
    home.write_auth(&chatgpt("ws-test-1"));
    let out = run(home
        .cmd()
        .arg("status")
        .env("CODEX_API_KEY", "sk-env-0000000000000000"));
    assert_code(&out, exit_code::SUCCESS);
}

#[test]
fn violating_api_key_login_is_refused_and_writes_nothing() {
    for via in [Via::File, Via::Flag] {
        // Nothing stored, and a compliant login stored: both stay exactly as they were.
        for stored in [None, Some(chatgpt("ws-test-1"))] {
            let home = TestHome::new();
            if let Some(auth) = &stored {
                home.write_auth(auth);
            }
            let flags = restrict(&home, via, &[("forced_login_method", "\"chatgpt\"")]);
            let before = home.snapshot();
            for args in [
                &["login", "--with-api-key"][..],
                &["login", "--api-key", KEY],
            ] {
                let out = run(home.cmd().args(&flags).args(args).write_stdin(KEY));
                assert_code(&out, exit_code::RESTRICTED);
                let origin = match via {
                    Via::File => "config.toml",
                    Via::Flag => "-c forced_login_method=\"chatgpt\"",
                };
                assert_stderr_has(&out, &["not allowed", "Nothing was saved", origin]);
                assert_not_leaked(&out, KEY_MIDDLE);
                assert_eq!(home.snapshot(), before, "{via:?} {args:?}");
            }
        }
    }
}

#[test]
fn violating_access_token_login_is_refused_and_writes_nothing() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    home.write_config("forced_login_method = \"api\"\n");
    let before = home.snapshot();
    let out = run(home
        .cmd()
        .args(["login", "--with-access-token"])
        .write_stdin("at-abc-0123456789"));
    assert_code(&out, exit_code::RESTRICTED);
    assert_stderr_has(&out, &["not allowed"]);
    assert_eq!(home.snapshot(), before);
}

#[test]
fn allowed_login_replaces_violating_credentials() {
    let home = TestHome::new();
    home.write_auth(&chatgpt("ws-test-1"));
    home.write_config("forced_login_method = \"api\"\n");
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY)
    );
}

#[test]
fn logout_of_violating_credentials_succeeds() {
    let home = TestHome::new();
    home.write_auth(&api_key_file(KEY));
    home.write_config("forced_login_method = \"chatgpt\"\n");
    let out = run(home.cmd().arg("logout"));
    assert_code(&out, exit_code::SUCCESS);
    assert!(home.auth_bytes().is_none());
}

#[test]
fn not_logged_in_beats_restrictions() {
    let home = TestHome::new();
    home.write_config(
        "forced_login_method = \"chatgpt\"\nforced_chatgpt_workspace_id = \"ws-x\"\n",
    );
    let out = run(home.cmd().arg("status"));
    assert_code(&out, exit_code::NOT_LOGGED_IN);
    assert!(home.auth_bytes().is_none());
}

/// Stored (e.g. by Codex, which checked it online): kept, not removed on a guess. A login of one
/// is checked online: login_network::oidc::access_token_login_outside_the_forced_workspace_*.
#[test]
fn a_stored_personal_access_token_stays_under_a_workspace_restriction() {
    let home = TestHome::new();
    home.write_config("forced_chatgpt_workspace_id = \"ws-1\"\n");
    home.write_auth(
        "{\n  \"OPENAI_API_KEY\": null,\n  \"personal_access_token\": \"at-abc-0123456789\"\n}",
    );
    let before = home.snapshot();
    assert_code(&run(home.cmd().arg("status")), exit_code::SUCCESS);
    assert_eq!(home.snapshot(), before);
}
