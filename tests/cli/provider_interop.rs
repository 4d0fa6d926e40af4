//! Codex's provider auth command: `[model_providers.<id>.auth] command = "codex-creds", args =
//! ["token"]`. The real `codex exec` runs against a stand-in Responses-API provider (wiremock),
//! which must see `Authorization: Bearer <the token codex-creds holds>`.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{TestHome, codex, exit_code, run};

const KEY: &str = "sk-provider-command-0123456789";

#[tokio::test(flavor = "multi_thread")]
async fn codex_exec_sends_the_token_codex_creds_prints() {
    let provider = MockServer::start().await;
    let stream = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r1\"}}\n\n\
                  event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r1\",\"output\":[]}}\n\n";
    Mock::given(method("POST"))
        .and(path("/v1/responses"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(stream, "text/event-stream"))
        .mount(&provider)
        .await;
    let home = TestHome::new();
    let login = run(home.cmd().args(["login", "--api-key", KEY]));
    assert_eq!(login.code, i32::from(exit_code::SUCCESS), "{login:?}");
    home.write_config(&format!(
        "model_provider = \"standin\"\nmodel = \"gpt-test\"\n\n\
         [model_providers.standin]\nname = \"standin\"\nbase_url = \"{}/v1\"\n\
         wire_api = \"responses\"\nrequest_max_retries = 0\nstream_max_retries = 0\n\n\
         [model_providers.standin.auth]\ncommand = \"{}\"\nargs = [\"token\"]\n",
        provider.uri(),
        env!("CARGO_BIN_EXE_codex-creds"),
    ));
    let exec = run(codex::cmd(home.path()).current_dir(home.path()).args([
        "exec",
        "--skip-git-repo-check",
        "say hi",
    ]));
    let requests = provider.received_requests().await.unwrap();
    let responses: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path() == "/v1/responses")
        .collect();
    assert!(
        !responses.is_empty(),
        "codex exec never called the provider: {exec:?}"
    );
    for request in responses {
        assert_eq!(
            request.headers.get("authorization").unwrap(),
            &format!("Bearer {KEY}"),
            "{exec:?}"
        );
    }
}
