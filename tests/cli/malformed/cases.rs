//! The table of malformed inputs: what is broken, which command meets it, the exit code and the
//! words the error must contain.

use crate::support::exit_code;

/// How auth.json is broken.
pub enum Auth {
    /// A valid API-key login (the case breaks something else).
    Valid,
    Bytes(Vec<u8>),
    /// A ChatGPT login with this change applied to its JSON.
    ChatGpt(fn(&mut serde_json::Value)),
    /// A ChatGPT login whose id_token payload is base64 with `=` padding (Codex refuses it).
    PaddedIdToken,
    Directory,
    Fifo,
    SymlinkLoop,
}

pub struct Case {
    pub name: &'static str,
    pub auth: Auth,
    pub config: Option<Vec<u8>>,
    pub args: &'static [&'static str],
    pub stdin: Option<Vec<u8>>,
    pub code: u8,
    /// Fragments the error must contain (`{home}` is replaced by CODEX_HOME).
    pub says: &'static [&'static str],
}

fn text(s: &str) -> Option<Vec<u8>> {
    Some(s.as_bytes().to_vec())
}

/// Runs `status`, `status --json` and `token`.
pub static READERS: &[&str] = &["status"];
/// The readers, then a `login` that must refuse to replace the file.
pub static WITH_LOGIN: &[&str] = &["login"];

/// A broken auth.json, seen by the readers: exit 7.
fn file(name: &'static str, auth: Auth, says: &'static [&'static str]) -> Case {
    Case {
        name,
        auth,
        config: None,
        args: READERS,
        stdin: None,
        code: exit_code::STORE,
        says,
    }
}

fn file_text(name: &'static str, text: &str, says: &'static [&'static str]) -> Case {
    file(name, Auth::Bytes(text.as_bytes().to_vec()), says)
}

fn chatgpt(
    name: &'static str,
    change: fn(&mut serde_json::Value),
    says: &'static [&'static str],
) -> Case {
    file(name, Auth::ChatGpt(change), says)
}

/// A broken config.toml beside a valid login: exit 7.
fn config(name: &'static str, text: &[u8], says: &'static [&'static str]) -> Case {
    Case {
        config: Some(text.to_vec()),
        ..file(name, Auth::Valid, says)
    }
}

/// A bad command line (flags, `-c`) beside a valid login: exit 2.
fn flags(name: &'static str, args: &'static [&'static str], says: &'static [&'static str]) -> Case {
    Case {
        args,
        code: exit_code::USAGE,
        ..file(name, Auth::Valid, says)
    }
}

/// Bad input on stdin for a login, beside a valid login that must survive: exit 2.
fn stdin(
    name: &'static str,
    args: &'static [&'static str],
    input: &[u8],
    says: &'static [&'static str],
) -> Case {
    Case {
        stdin: Some(input.to_vec()),
        ..flags(name, args, says)
    }
}

pub fn cases() -> Vec<Case> {
    let api = &["login", "--with-api-key"][..];
    let at = &["login", "--with-access-token"][..];
    vec![
        // auth.json
        file_text(
            "invalid JSON",
            "{\n  \"auth_mode\": \"apikey\",\n  \"OPENAI_API_KEY\": \"sk-",
            &[
                "{home}/auth.json is malformed",
                "invalid JSON at line 3",
                "left untouched",
            ],
        ),
        file_text("empty file", "", &["is malformed", "invalid JSON"]),
        file(
            "not UTF-8",
            Auth::Bytes(b"{\"OPENAI_API_KEY\": \"\xff\xfe\"}".to_vec()),
            &["is malformed", "invalid JSON"],
        ),
        file_text(
            "top level is an array",
            "[]",
            &["(top level)", "JSON object"],
        ),
        file_text(
            "key is a number",
            "{\"OPENAI_API_KEY\": 42}",
            &["`OPENAI_API_KEY`", "wrong type"],
        ),
        file_text(
            "unknown auth_mode",
            "{\"auth_mode\": \"sso\", \"OPENAI_API_KEY\": null}",
            &["`auth_mode`", "unknown value \"sso\""],
        ),
        file_text(
            "apikey mode without a key",
            "{\"auth_mode\": \"apikey\", \"OPENAI_API_KEY\": null}",
            &["`OPENAI_API_KEY` is missing"],
        ),
        file_text(
            "headers mode stored",
            "{\"auth_mode\": \"headers\", \"OPENAI_API_KEY\": null}",
            &["\"headers\""],
        ),
        chatgpt(
            "tokens is a string",
            |v| v["tokens"] = "x".into(),
            &["`tokens` must be an object"],
        ),
        file(
            "padded id_token",
            Auth::PaddedIdToken,
            &["`tokens.id_token`"],
        ),
        chatgpt(
            "id_token not a JWT",
            |v| v["tokens"]["id_token"] = "not-a-jwt".into(),
            &["`tokens.id_token`"],
        ),
        chatgpt(
            "id_token legacy object",
            |v| v["tokens"]["id_token"] = serde_json::json!({"email": "a@b.c"}),
            &["`tokens.id_token`", "wrong type"],
        ),
        chatgpt(
            "missing refresh_token",
            |v| {
                v["tokens"].as_object_mut().unwrap().remove("refresh_token");
            },
            &["`tokens.refresh_token` is missing"],
        ),
        chatgpt(
            "missing access_token",
            |v| {
                v["tokens"].as_object_mut().unwrap().remove("access_token");
            },
            &["`tokens.access_token` is missing"],
        ),
        chatgpt(
            "account_id is a number",
            |v| v["tokens"]["account_id"] = 7.into(),
            &["`tokens.account_id`", "wrong type"],
        ),
        chatgpt(
            "bad last_refresh",
            |v| v["last_refresh"] = "yesterday".into(),
            &["`last_refresh`", "RFC 3339"],
        ),
        Case {
            args: WITH_LOGIN,
            ..file(
                "auth.json is a directory",
                Auth::Directory,
                &["{home}/auth.json", "is a directory", "left untouched"],
            )
        },
        Case {
            args: WITH_LOGIN,
            ..file(
                "auth.json is a FIFO",
                Auth::Fifo,
                &["{home}/auth.json", "not a regular file", "left untouched"],
            )
        },
        Case {
            args: WITH_LOGIN,
            ..file(
                "auth.json is a symlink loop",
                Auth::SymlinkLoop,
                &["{home}/auth.json"],
            )
        },
        file(
            "huge auth.json",
            Auth::Bytes([vec![b' '; (1 << 20) + 10], b"{}".to_vec()].concat()),
            &["too large", "left untouched"],
        ),
        // config.toml
        config(
            "config syntax error",
            b"model = \"o3\"\nforced_login_method = = \"api\"\n",
            &["{home}/config.toml:2:"],
        ),
        config(
            "unknown store variant",
            b"cli_auth_credentials_store = \"cloud\"\n",
            &[
                "{home}/config.toml:1:1",
                "unknown variant `cloud`",
                "ephemeral",
            ],
        ),
        config(
            "bad forced_login_method",
            b"model = \"o3\"\nforced_login_method = \"sso\"\n",
            &["{home}/config.toml:2:1", "unknown variant `sso`"],
        ),
        config(
            "comma workspace string",
            b"forced_chatgpt_workspace_id = \"ws-a,ws-b\"\n",
            &["config.toml:1:1", "comma-separated", "[\"ws-a\", \"ws-b\"]"],
        ),
        config(
            "workspace of the wrong type",
            b"forced_chatgpt_workspace_id = 5\n",
            &[
                "config.toml:1:1",
                "invalid `forced_chatgpt_workspace_id`: must be a workspace id string or a list",
            ],
        ),
        config(
            "config not UTF-8",
            b"model = \"\xff\"\n",
            &["config.toml", "UTF-8"],
        ),
        // -c overrides
        flags(
            "-c without =",
            &["-c", "forced_login_method", "status"],
            &["-c forced_login_method", "KEY=VALUE"],
        ),
        flags(
            "-c with an empty key",
            &["-c", "=api", "status"],
            &["-c =api", "not a valid key"],
        ),
        Case {
            config: text("forced_login_method = \"api\"\n"),
            ..flags(
                "-c with a bad value",
                &["-c", "forced_login_method=sso", "status"],
                &["-c forced_login_method=sso", "unknown variant `sso`"],
            )
        },
        flags(
            "-c with a comma workspace",
            &["-c", "forced_chatgpt_workspace_id=a,b", "status"],
            &["-c forced_chatgpt_workspace_id=a,b", "comma-separated"],
        ),
        // stdin
        stdin("empty stdin", api, b"", &["no API key on stdin"]),
        stdin(
            "whitespace-only stdin",
            &["login", "--api-key"],
            b" \n\t \n",
            &["no API key on stdin"],
        ),
        stdin(
            "multi-line stdin",
            api,
            b"sk-line-one\nsk-line-two\n",
            &["several lines", "nothing was saved"],
        ),
        stdin(
            "non-UTF-8 stdin",
            api,
            b"sk-\xff\xfe-key\n",
            &["not valid UTF-8"],
        ),
        stdin(
            "too long stdin",
            api,
            &[b'k'; 64 * 1024 + 1],
            &["longer than 65536 bytes"],
        ),
        stdin(
            "empty access token",
            at,
            b"\n",
            &["no access token on stdin"],
        ),
        stdin(
            "access token without at-",
            at,
            b"eyJhbGciOi.eyJzdWIi.c2ln\n",
            &["`at-`", "Nothing was saved"],
        ),
        // command line
        flags(
            "blank --api-key value",
            &["login", "--api-key", "   "],
            &["API key"],
        ),
        flags(
            "unknown flag",
            &["status", "--bogus"],
            &["unexpected argument '--bogus'"],
        ),
        flags(
            "unknown shell",
            &["completion", "tcsh"],
            &["invalid value 'tcsh'"],
        ),
        flags(
            "empty --codex-home",
            &["--codex-home", "", "status"],
            &["a value is required for '--codex-home"],
        ),
        flags(
            "unknown subcommand",
            &["whoami"],
            &["unrecognized subcommand"],
        ),
        flags(
            "bad --store",
            &["--store", "cloud", "status"],
            &["invalid value 'cloud'"],
        ),
    ]
}
