//! Codex's provider auth command: `[model_providers.<id>.auth] command = "codex-creds", args =
//! ["token"]` (or `["token", "--account", "NAME"]`). The real `codex exec` runs against a
//! stand-in Responses-API provider (wiremock), which must see `Authorization: Bearer <the token
//! codex-creds holds>`.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{TestHome, codex, exit_code, run};

const KEY: &str = "sk-provider-command-0123456789";

/// A stand-in provider answering every Responses call with an empty, completed response.
async fn provider() -> MockServer {
    let provider = MockServer::start().await;
    let stream = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}\n\n\
                  event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r1\",\"output\":[]}}\n\n";
    Mock::given(method("POST"))
        .and(path("/v1/responses"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(stream, "text/event-stream"))
        .mount(&provider)
        .await;
    provider
}

/// Runs `codex exec` with the provider's auth command `codex-creds ARGS`; returns the bearer
/// of every Responses call the provider saw (at least one).
async fn bearers_seen(home: &TestHome, provider: &MockServer, args: &[&str]) -> Vec<String> {
    let args: Vec<String> = args.iter().map(|a| format!("\"{a}\"")).collect();
    home.write_config(&format!(
        "model_provider = \"standin\"\nmodel = \"gpt-test\"\n\n\
         [model_providers.standin]\nname = \"standin\"\nbase_url = \"{}/v1\"\n\
         wire_api = \"responses\"\nrequest_max_retries = 0\nstream_max_retries = 0\n\n\
         [model_providers.standin.auth]\ncommand = \"{}\"\nargs = [{}]\n",
        provider.uri(),
        env!("CARGO_BIN_EXE_codex-creds"),
        args.join(", "),
    ));
    let exec = run(codex::cmd(home.path()).current_dir(home.path()).args([
        "exec",
        "--skip-git-repo-check",
        "say hi",
    ]));
    let requests = provider.received_requests().await.unwrap();
    let bearers: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path() == "/v1/responses")
        .map(|r| {
            r.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap_or_default().to_owned())
                .unwrap_or_default()
        })
        .collect();
    assert!(
        !bearers.is_empty(),
        "codex exec never called the provider: {exec:?}"
    );
    bearers
}

#[tokio::test(flavor = "multi_thread")]
async fn codex_exec_sends_the_token_codex_creds_prints() {
    let provider = provider().await;
    let home = TestHome::new();
    let login = run(home.cmd().args(["login", "--api-key", KEY]));
    assert_eq!(login.code, i32::from(exit_code::SUCCESS), "{login:?}");
    for bearer in bearers_seen(&home, &provider, &["token"]).await {
        assert_eq!(bearer, format!("Bearer {KEY}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn with_account_codex_exec_sends_the_saved_accounts_token_while_another_is_active() {
    let provider = provider().await;
    let home = TestHome::new();
    // Given: "work" is saved but not active; "personal" is the active login.
    crate::accounts::add_key(&home, "work");
    crate::accounts::save_key(&home, "personal");
    let active = crate::accounts::active(&home);
    // When: the provider's auth command names the saved account.
    let bearers = bearers_seen(&home, &provider, &["token", "--account", "work"]).await;
    // Then: the provider sees work's key, and the active login is untouched.
    for bearer in bearers {
        assert_eq!(
            bearer,
            format!("Bearer {}", crate::accounts::key_of("work"))
        );
    }
    assert_eq!(crate::accounts::active(&home), active);
    assert_eq!(
        crate::accounts::active(&home),
        crate::accounts::key_file("personal")
    );
}
