//! Interop with the real Codex CLI 0.169.0: each tool reads what the other writes, and every
//! file codex-creds writes or rewrites is still accepted by `codex`.

use crate::support::check::{
    KEY, KEY_MASKED, KEY_MIDDLE, api_key_file, assert_code, assert_not_leaked,
};
use crate::support::issuer::{self, Rotating, chatgpt_auth};
use crate::support::jwt::ChatGptAuth;
use crate::support::{Outcome, TestHome, codex, exit_code, run};

/// `codex login status` (its report is on stderr; a PATH-alias WARNING line is ignored).
fn codex_status(home: &TestHome) -> Outcome {
    run(codex::cmd(home.path()).args(["login", "status"]))
}

#[test]
fn codex_reads_an_api_key_saved_by_codex_creds() {
    let home = TestHome::new();
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    let out = codex_status(&home);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("API key configured - {KEY_MASKED}")),
        "{out:?}"
    );
}

#[test]
fn codex_creds_reads_an_api_key_saved_by_codex() {
    let home = TestHome::new();
    let out = run(codex::cmd(home.path())
        .args(["login", "--with-api-key"])
        .write_stdin(format!("{KEY}\n")));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        String::from_utf8(home.auth_bytes().unwrap()).unwrap(),
        api_key_file(KEY),
        "codex writes exactly what codex-creds writes"
    );
    let out = run(home.cmd().arg("status"));
    assert_code(&out, exit_code::SUCCESS);
    assert!(out.stdout.contains(KEY_MASKED), "{out:?}");
    assert_not_leaked(&out, KEY_MIDDLE);
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout, format!("{KEY}\n"));
}

#[test]
fn codex_is_logged_out_after_codex_creds_logout() {
    let home = TestHome::new();
    let out = run(codex::cmd(home.path())
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_eq!(out.code, 0, "{out:?}");
    assert_code(&run(home.cmd().arg("logout")), exit_code::SUCCESS);
    let out = codex_status(&home);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("Not logged in"), "{out:?}");
}

#[test]
fn both_report_the_same_chatgpt_login() {
    let home = TestHome::new();
    home.write_auth(&ChatGptAuth::default().to_json());
    let out = codex_status(&home);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Logged in using ChatGPT"), "{out:?}");
    let out = run(home.cmd().arg("status"));
    assert_code(&out, exit_code::SUCCESS);
    assert!(
        out.stdout
            .starts_with("Logged in using ChatGPT as user@example.com."),
        "{out:?}"
    );
}

#[test]
fn codex_accepts_an_api_key_login_written_over_a_chatgpt_login() {
    let home = TestHome::new();
    home.write_auth(&ChatGptAuth::default().to_json());
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin(KEY));
    assert_code(&out, exit_code::SUCCESS);
    let out = codex_status(&home);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("API key configured - {KEY_MASKED}")),
        "{out:?}"
    );
}

#[test]
fn codex_accepts_a_login_written_over_a_malformed_file() {
    let home = TestHome::new();
    home.write_auth("{ \"tokens\": ");
    let out = codex_status(&home);
    // Codex refuses the broken file too (spec §9: a parse error exits 1).
    assert_eq!(out.code, 1, "{out:?}");
    assert_code(
        &run(home
            .cmd()
            .args(["login", "--with-api-key"])
            .write_stdin(KEY)),
        exit_code::SUCCESS,
    );
    let out = codex_status(&home);
    assert_eq!(out.code, 0, "{out:?}");
}

/// The shape codex-creds keeps when it rewrites a file with keys it does not know: the known
/// keys in Codex's order, then the unknown ones (unit-tested in `auth_json`). Codex must accept it.
#[test]
fn codex_accepts_files_with_preserved_unknown_fields() {
    let home = TestHome::new();
    let mut value = ChatGptAuth::default().to_value();
    value["tokens"]["future_token_field"] = serde_json::json!({"nested": [1, 2]});
    value["future_top_level"] = "kept".into();
    home.write_auth(&serde_json::to_string_pretty(&value).unwrap());
    let before = home.snapshot();
    let out = codex_status(&home);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Logged in using ChatGPT"), "{out:?}");
    let out = run(home.cmd().args(["status", "--json"]));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(home.snapshot(), before, "reading never rewrites");
}

#[test]
fn both_agree_a_malformed_file_is_not_usable() {
    let home = TestHome::new();
    let mut value = ChatGptAuth::default().to_value();
    value["auth_mode"] = "sso".into();
    home.write_auth(&serde_json::to_string_pretty(&value).unwrap());
    let before = home.snapshot();
    let out = codex_status(&home);
    assert_eq!(out.code, 1, "{out:?}");
    let out = run(home.cmd().arg("status"));
    assert_code(&out, exit_code::STORE);
    assert_eq!(home.snapshot(), before);
}

#[test]
fn codex_reads_a_personal_access_token_file_written_by_codex_creds() {
    // Both tools ask the same auth API (the real OpenID harness) who the token belongs to.
    let server = crate::support::oidc::OidcServer::start_default();
    let home = TestHome::new();
    let out = run(home
        .cmd()
        .args(["login", "--with-access-token", "--issuer", server.issuer()])
        .write_stdin("at-abc-0123456789"));
    assert_code(&out, exit_code::SUCCESS);
    let out = run(codex::cmd(home.path())
        .args(["login", "status"])
        .env("CODEX_AUTHAPI_BASE_URL", server.url("/api/accounts")));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("Logged in using personal access token"),
        "{out:?}"
    );
}

#[test]
fn both_treat_an_empty_object_as_a_chatgpt_login() {
    let home = TestHome::new();
    home.write_auth("{}");
    let out = codex_status(&home);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stderr.contains("Logged in using ChatGPT"), "{out:?}");
    let out = run(home.cmd().args(["status", "--json"]));
    assert_code(&out, exit_code::SUCCESS);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["auth_mode"], "chatgpt");
}

#[test]
fn both_refuse_credentials_that_break_the_restrictions() {
    let cases = [
        ("forced_login_method = \"chatgpt\"\n", api_key_file(KEY)),
        (
            "forced_login_method = \"api\"\n",
            ChatGptAuth::default().to_json(),
        ),
        (
            "forced_chatgpt_workspace_id = [\"ws-other\"]\n",
            ChatGptAuth::default().to_json(),
        ),
    ];
    for (config, auth) in cases {
        let home = TestHome::new();
        home.write_config(config);
        home.write_auth(&auth);
        // Codex reports "Not logged in" (exit 1) but deletes nothing; codex-creds removes them
        // (exit 4).
        let out = codex_status(&home);
        assert_eq!(out.code, 1, "{config}\n{out:?}");
        assert!(out.stderr.contains("Not logged in"), "{config}\n{out:?}");
        assert!(home.auth_bytes().is_some());
        assert_code(&run(home.cmd().arg("status")), exit_code::RESTRICTED);
        assert!(home.auth_bytes().is_none());
        let out = codex_status(&home);
        assert_eq!(out.code, 1, "{config}\n{out:?}");
        assert!(out.stderr.contains("Not logged in"), "{config}\n{out:?}");
    }
}

/// The real Codex (`app-server`, forced refresh) and 8 codex-creds `token` processes refresh
/// the same file-stored login at once. Codex sends its grant without a lock and both sides commit
/// under Codex's locks, yielding to newer credentials (spec §3.4); whatever the interleaving,
/// auth.json ends as one whole grant's tokens, the ones Codex serves, and every process gets a
/// token the issuer issued.
#[test]
fn codex_and_codex_creds_refreshing_at_once_leave_one_whole_grant() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer};

    const N: usize = 8;
    let mut rotating = Rotating::new();
    // Long enough for Codex's grant and ours to overlap.
    rotating.delay = std::time::Duration::from_millis(500);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(rotating.clone())
            .mount(&server)
            .await;
        server
    });
    let home = TestHome::new();
    home.write_auth(&chatgpt_auth(&server.uri(), -30).to_json());
    let refresh_url = format!("{}/oauth/token", server.uri());

    let (served_to_codex, ours) = std::thread::scope(|scope| {
        let codex =
            scope.spawn(|| codex::app_server_refresh(home.path(), "file", &refresh_url, &[]));
        let ours: Vec<_> = (0..N)
            .map(|_| {
                let mut cmd = issuer::cmd(&home, &["token"]);
                scope.spawn(move || run(&mut cmd))
            })
            .collect();
        let ours: Vec<Outcome> = ours.into_iter().map(|h| h.join().unwrap()).collect();
        (codex.join().unwrap(), ours)
    });

    // Codex refreshes the expired token when it loads it and again when forced; of ours, only
    // the first process sends a grant and the rest use what it (or Codex) stored.
    let grants = rotating.count();
    let requests = runtime.block_on(server.received_requests()).unwrap();
    let ours_sent = requests
        .iter()
        .filter(|r| {
            r.headers
                .get("user-agent")
                .is_some_and(|ua| ua.to_str().unwrap_or("").ends_with("codex-creds"))
        })
        .count();
    assert!(ours_sent <= 1, "codex-creds sent {ours_sent} grants");
    assert!(grants > ours_sent, "Codex refreshed too: {grants} grants");
    let grant_of = |token: &str| issuer::grant_number(token).expect("an access token it minted");
    for out in &ours {
        assert_eq!(out.code, 0, "{out:?}");
        let n = grant_of(out.stdout.trim_end());
        assert!((1..=grants).contains(&n), "{out:?}");
    }
    let stored = home.auth_json();
    let access_token = stored["tokens"]["access_token"].as_str().unwrap();
    let n = grant_of(access_token);
    assert_eq!(
        stored["tokens"]["refresh_token"],
        format!("rt-rotated-{n}"),
        "one grant's access and refresh tokens, never a mix: {stored}"
    );
    assert_eq!(
        served_to_codex["authToken"], access_token,
        "{served_to_codex}"
    );
    assert!(
        !home.files().iter().any(|f| f.starts_with(".auth-")),
        "{:?}",
        home.files()
    );
    let out = run(home.cmd().arg("token"));
    assert_code(&out, exit_code::SUCCESS);
    assert_eq!(out.stdout.trim_end(), access_token);
}
