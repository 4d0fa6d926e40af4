//! The basic happy path of each subcommand, end to end.

use crate::support::{TestHome, exit_code, run};

#[test]
fn api_key_login_status_token_logout_round_trip() {
    let home = TestHome::new();
    let out = run(home
        .cmd()
        .args(["login", "--with-api-key"])
        .write_stdin("sk-proj-1234567890ABCDE\n"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        home.auth_bytes().unwrap(),
        b"{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-proj-1234567890ABCDE\"\n}"
    );

    let out = run(home.cmd().arg("status"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("sk-proj-***ABCDE"), "{out:?}");
    assert!(!out.stdout.contains("1234567890ABCDE") && !out.stderr.contains("1234567890ABCDE"));

    let out = run(home.cmd().arg("token"));
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "sk-proj-1234567890ABCDE\n");

    let out = run(home.cmd().arg("logout"));
    assert_eq!(out.code, 0, "{out:?}");
    assert!(home.auth_bytes().is_none());
    assert_eq!(
        run(home.cmd().arg("status")).code,
        exit_code::NOT_LOGGED_IN as i32
    );
}
