//! `login` with an API key or a personal access token: what is written, where, with which
//! permissions, and what the user is told.

use crate::support::check::{
    AFTER_SAVE, KEY, KEY_MASKED, KEY_MIDDLE, api_key_file, assert_code, assert_not_leaked,
    assert_stderr_has, cmd_at, tree,
};
use crate::support::jwt::ChatGptAuth;
use crate::support::{TestHome, exit_code, mode_of, run, set_mode};

#[test]
fn api_key_from_stdin_is_saved_in_codex_format() {
    let home = TestHome::new();
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(format!("  {KEY}\n")));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, "", "messages go to stderr");
    assert_stderr_has(&out, &[KEY_MASKED, &home.auth_path().display().to_string()]);
    assert_not_leaked(&out, KEY_MIDDLE);
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY),
        "2-space pretty JSON in Codex's key order, no trailing newline"
    );
    assert_eq!(mode_of(&home.auth_path()), Some(0o600));
    assert_eq!(mode_of(home.path()), Some(0o700));
    assert_eq!(home.files(), AFTER_SAVE, "no temp file is left behind");
}

#[test]
fn api_key_flag_without_value_reads_stdin() {
    let home = TestHome::new();
    let out = run(home
        .cmd()
        .args(["login", "--api-key"])
        .write_stdin(format!("{KEY}\n")));
    assert_code(&out, exit_code::SUCCESS);
    assert!(
        !out.stderr.contains("command line"),
        "no argv warning\n{out:?}"
    );
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY)
    );
}

#[test]
fn api_key_on_argv_works_but_warns() {
    let home = TestHome::new();
    let out = run(home.cmd().args(["login", "--api-key", KEY]));
    assert_code(&out, exit_code::SUCCESS);
    assert_stderr_has(&out, &["warning:", "command line", "--with-api-key"]);
    assert_not_leaked(&out, KEY_MIDDLE);
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY)
    );
}

#[test]
fn login_creates_a_missing_codex_home_0700() {
    let home = TestHome::new();
    let codex_home = home.path().join("nested/codex-home");
    let out = run(cmd_at(&home, &codex_home)
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(mode_of(&codex_home), Some(0o700));
    assert_eq!(mode_of(&codex_home.join("auth.json")), Some(0o600));
    assert_eq!(
        std::fs::read_to_string(codex_home.join("auth.json")).unwrap(),
        api_key_file(KEY)
    );
    assert_eq!(tree(&codex_home), AFTER_SAVE);
}

#[test]
fn codex_home_flag_beats_the_environment() {
    let home = TestHome::new();
    let other = home.path().join("other");
    let out = run(home
        .cmd()
        .arg("--codex-home")
        .arg(&other)
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    assert!(other.join("auth.json").exists());
    assert!(home.auth_bytes().is_none(), "CODEX_HOME was not used");
}

#[test]
fn login_tightens_loose_permissions() {
    let home = TestHome::new();
    home.write_auth(&api_key_file("sk-old-key-0000000000000"));
    set_mode(&home.auth_path(), 0o644);
    set_mode(home.path(), 0o755);
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(mode_of(&home.auth_path()), Some(0o600));
    assert_eq!(mode_of(home.path()), Some(0o700));
}

#[test]
fn api_key_login_replaces_a_chatgpt_login() {
    let home = TestHome::new();
    home.write_auth(&ChatGptAuth::default().to_json());
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
fn personal_access_token_is_saved_without_auth_mode() {
    let server = crate::support::oidc::OidcServer::start_default();
    let home = TestHome::new();
    let token = "at-personal-SECRETMIDDLE-token-12345";
    let out = run(home
        .cmd()
        .args(["login", "--with-access-token", "--issuer", server.issuer()])
        .write_stdin(format!("{token}\n")));
    assert_code(&out, exit_code::SUCCESS);
    assert_not_leaked(&out, KEY_MIDDLE);
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        format!("{{\n  \"OPENAI_API_KEY\": null,\n  \"personal_access_token\": \"{token}\"\n}}")
    );
    let out = run(home.cmd().args(["status", "--json"]));
    assert_code(&out, exit_code::SUCCESS);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["auth_mode"], "personalAccessToken");
    assert_eq!(json["personal_access_token"]["masked"], "at-perso***12345");
}

#[test]
fn login_over_a_malformed_file_keeps_a_private_backup() {
    let home = TestHome::new();
    let broken = "{ \"auth_mode\": \"apikey\", \"OPENAI_API_KEY\": \"sk-broken";
    home.write_auth(broken);
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    let backups: Vec<String> = home
        .files()
        .into_iter()
        .filter(|name| name.starts_with("auth.json.malformed-"))
        .collect();
    assert_eq!(backups.len(), 1, "{:?}", home.files());
    let backup = home.path().join(&backups[0]);
    assert_stderr_has(&out, &["warning:", &backup.display().to_string()]);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), broken);
    assert_eq!(mode_of(&backup), Some(0o600));
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY)
    );
}

#[test]
fn login_methods_cannot_be_combined() {
    let home = TestHome::new();
    let before = home.snapshot();
    for args in [
        &["login", "--with-api-key", "--with-access-token"][..],
        &["login", "--api-key", KEY, "--with-access-token"],
        &["login", "--device-auth", "--with-api-key"],
    ] {
        let out = run(home.cmd().args(args).write_stdin(KEY));
        assert_code(&out, exit_code::USAGE);
        assert_stderr_has(&out, &["cannot be used with"]);
        assert_not_leaked(&out, KEY_MIDDLE);
    }
    assert_eq!(home.snapshot(), before);
}

#[test]
fn a_second_login_replaces_the_first() {
    let home = TestHome::new();
    let first = "sk-first-key-0000000000000000";
    assert_code(
        &run(home
            .cmd()
            .args(["login", "--with-api-key"])
            .write_stdin(first)),
        exit_code::SUCCESS,
    );
    assert_code(
        &run(home
            .cmd()
            .args(["login", "--with-api-key"])
            .write_stdin(KEY)),
        exit_code::SUCCESS,
    );
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY)
    );
    assert_eq!(home.files(), AFTER_SAVE);
}

#[test]
fn a_timeout_too_long_for_the_clock_is_a_usage_error_not_a_panic() {
    let home = TestHome::new();
    let before = home.snapshot();
    for timeout in ["18446744073709551615s", "366d"] {
        let out = run(home.cmd().args(["login", "--timeout", timeout]));
        assert_code(&out, exit_code::USAGE);
        assert_stderr_has(&out, &["--timeout", "too long", "at most 365d"]);
        assert!(!out.stderr.contains("panicked"), "{out:?}");
    }
    assert_eq!(home.snapshot(), before);
}
