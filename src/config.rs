//! The config.toml keys codex-creds honours, with `-c key=value` overrides applied as Codex does.
//!
//! [`parse`] is pure (text in, [`Config`] out); [`load`] reads the file. config.toml belongs to
//! Codex: unknown keys are ignored and the file is never written.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// `forced_login_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    Chatgpt,
    Api,
}

/// `cli_auth_credentials_store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreMode {
    #[default]
    File,
    Keyring,
    Auto,
    Ephemeral,
}

impl StoreMode {
    pub fn as_str(self) -> &'static str {
        match self {
            StoreMode::File => "file",
            StoreMode::Keyring => "keyring",
            StoreMode::Auto => "auto",
            StoreMode::Ephemeral => "ephemeral",
        }
    }
}

/// The login-related settings, after overrides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub forced_login_method: Option<LoginMethod>,
    /// Empty means no workspace restriction.
    pub forced_workspace_ids: Vec<String>,
    pub store_mode: StoreMode,
    /// Where `forced_login_method` was set (config.toml or a `-c` flag), for messages.
    pub login_method_origin: Option<String>,
    /// `chatgpt_base_url` as written (no trailing slash); `None` means Codex's default. See
    /// [`Config::chatgpt_base_url`].
    pub chatgpt_base_url: Option<String>,
}

/// Codex's default ChatGPT backend (spec backend.md §1).
pub const DEFAULT_CHATGPT_BASE_URL: &str = "https://chatgpt.com/backend-api";

impl Config {
    /// The ChatGPT backend base URL, as Codex resolves it: the configured one without a
    /// trailing slash, `/backend-api` appended to a bare chatgpt.com or chat.openai.com host,
    /// else the default.
    pub fn chatgpt_base_url(&self) -> String {
        let Some(base) = self.chatgpt_base_url.as_deref() else {
            return DEFAULT_CHATGPT_BASE_URL.to_owned();
        };
        let base = base.trim_end_matches('/');
        let bare_host = ["https://chatgpt.com", "https://chat.openai.com"]
            .iter()
            .any(|host| base.eq_ignore_ascii_case(host));
        if bare_host {
            format!("{base}/backend-api")
        } else {
            base.to_owned()
        }
    }
}

/// config.toml or an override could not be used. Carries the origin and position.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}{position}: {message}\nFix the file and run the command again.", position = position_text(*.line, *.column))]
    Invalid {
        origin: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// A `-c KEY=VALUE` flag is wrong: a usage error, not a broken file.
    #[error("-c {item}: {message}")]
    Override { item: String, message: String },
}

fn position_text(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

#[derive(Debug, Default, Deserialize)]
struct RawConfig {
    forced_login_method: Option<LoginMethod>,
    forced_chatgpt_workspace_id: Option<WorkspaceIds>,
    cli_auth_credentials_store: Option<StoreMode>,
    chatgpt_base_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "must be a workspace id string or a list of workspace id strings"
)]
enum WorkspaceIds {
    One(String),
    Many(Vec<String>),
}

/// Reads config.toml (a missing file is an empty config) and applies the overrides.
pub fn load(path: &Path, overrides: &[String]) -> Result<Config, ConfigError> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|err| ConfigError::Invalid {
            origin: path.display().to_string(),
            line: None,
            column: None,
            message: format!("not valid UTF-8 ({err})"),
        })?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) if err.kind() == std::io::ErrorKind::NotADirectory => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    parse(&text, &path.display().to_string(), overrides)
}

/// Parses config text and applies `-c key=value` overrides (dotted keys, TOML values; a value
/// that is not valid TOML is taken as a string, as Codex does).
pub fn parse(text: &str, origin: &str, overrides: &[String]) -> Result<Config, ConfigError> {
    // The common case (no config.toml, no -c) skips the TOML parser on the status/token path.
    if overrides.is_empty() && text.trim().is_empty() {
        return Ok(Config::default());
    }
    let mut table: toml::Table =
        toml::from_str(text).map_err(|err| toml_error(&err, text, origin))?;
    // The last `-c` that set a key is where a bad value for it came from.
    let mut set_by: Vec<(&str, &str)> = Vec::new();
    for item in overrides {
        let key = apply_override(&mut table, item)?;
        set_by.retain(|(k, _)| *k != key);
        if let Some(known) = KEYS.iter().find(|k| **k == key) {
            set_by.push((known, item));
        }
    }
    let invalid = |key: &str, message: String| match set_by.iter().find(|(k, _)| *k == key) {
        Some((_, item)) => ConfigError::Override {
            item: (*item).to_owned(),
            message,
        },
        None => {
            let (line, column) = key_position(text, key);
            ConfigError::Invalid {
                origin: origin.to_owned(),
                line,
                column,
                message,
            }
        }
    };
    let mut raw = RawConfig::default();
    for key in KEYS {
        let Some(value) = table.get(key) else {
            continue;
        };
        let single: toml::Table = [(key.to_owned(), value.clone())].into_iter().collect();
        let parsed: RawConfig = single.try_into().map_err(|err: toml::de::Error| {
            invalid(key, format!("invalid `{key}`: {}", err.message().trim()))
        })?;
        raw.forced_login_method = raw.forced_login_method.or(parsed.forced_login_method);
        raw.forced_chatgpt_workspace_id = raw
            .forced_chatgpt_workspace_id
            .or(parsed.forced_chatgpt_workspace_id);
        raw.cli_auth_credentials_store = raw
            .cli_auth_credentials_store
            .or(parsed.cli_auth_credentials_store);
        raw.chatgpt_base_url = raw.chatgpt_base_url.or(parsed.chatgpt_base_url);
    }
    let login_method_origin = raw.forced_login_method.map(|_| {
        match set_by.iter().find(|(k, _)| *k == "forced_login_method") {
            Some((_, item)) => format!("-c {item}"),
            None => origin.to_owned(),
        }
    });
    Ok(Config {
        login_method_origin,
        forced_login_method: raw.forced_login_method,
        forced_workspace_ids: workspace_ids(raw.forced_chatgpt_workspace_id)
            .map_err(|message| invalid("forced_chatgpt_workspace_id", message))?,
        store_mode: raw.cli_auth_credentials_store.unwrap_or_default(),
        chatgpt_base_url: raw
            .chatgpt_base_url
            .map(|url| url.trim().to_owned())
            .filter(|url| !url.is_empty()),
    })
}

/// The config.toml keys codex-creds reads.
const KEYS: [&str; 4] = [
    "forced_login_method",
    "forced_chatgpt_workspace_id",
    "cli_auth_credentials_store",
    "chatgpt_base_url",
];

/// Line and column of a top-level `key = ...` (before the first table header), for messages.
fn key_position(text: &str, key: &str) -> (Option<usize>, Option<usize>) {
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        let name = trimmed.split('=').next().unwrap_or_default().trim();
        if name.trim_matches(['"', '\'']) == key && trimmed.contains('=') {
            let column = line.len() - trimmed.len() + 1;
            return (Some(index + 1), Some(column));
        }
    }
    (None, None)
}

fn workspace_ids(raw: Option<WorkspaceIds>) -> Result<Vec<String>, String> {
    let ids = match raw {
        None => Vec::new(),
        Some(WorkspaceIds::One(id)) if id.contains(',') => {
            return Err(
                "forced_chatgpt_workspace_id must be one workspace id or a TOML list of ids; \
                 comma-separated strings are not supported (write [\"ws-a\", \"ws-b\"])"
                    .to_owned(),
            );
        }
        Some(WorkspaceIds::One(id)) => vec![id],
        Some(WorkspaceIds::Many(ids)) => ids,
    };
    // Blank entries would match nothing and lock every login out; treat them as absent.
    Ok(ids
        .into_iter()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect())
}

/// The most parts a `-c` key may have. Codex's keys have a few; 65,000 (one argument holds
/// that many) nested tables so deep that the stack overflowed (found by fuzzing).
const MAX_KEY_PARTS: usize = 64;

/// Applies one override; returns its top-level key.
fn apply_override<'a>(table: &mut toml::Table, item: &'a str) -> Result<&'a str, ConfigError> {
    let invalid = |message: String| ConfigError::Override {
        item: item.to_owned(),
        message,
    };
    let (key, value) = item
        .split_once('=')
        .ok_or_else(|| invalid("expected KEY=VALUE".to_owned()))?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(|part| part.trim().is_empty()) {
        return Err(invalid(format!("`{key}` is not a valid key")));
    }
    let mut parts: Vec<&str> = key.split('.').map(str::trim).collect();
    if parts.len() > MAX_KEY_PARTS {
        return Err(invalid(format!(
            "the key has {} parts; at most {MAX_KEY_PARTS} are allowed",
            parts.len()
        )));
    }
    let value = parse_override_value(value.trim());
    let Some(last) = parts.pop() else {
        return Err(invalid("empty key".to_owned()));
    };
    let top = parts.first().copied().unwrap_or(last);
    let mut current = table;
    for part in parts {
        let entry = current
            .entry(part.to_owned())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = match entry {
            toml::Value::Table(inner) => inner,
            _ => return Err(invalid(format!("`{part}` is not a table"))),
        };
    }
    current.insert(last.to_owned(), value);
    Ok(top)
}

fn parse_override_value(text: &str) -> toml::Value {
    let wrapped = format!("value = {text}");
    toml::from_str::<toml::Table>(&wrapped)
        .ok()
        .and_then(|mut table| table.remove("value"))
        .unwrap_or_else(|| toml::Value::String(text.to_owned()))
}

fn toml_error(err: &toml::de::Error, text: &str, origin: &str) -> ConfigError {
    let (line, column) = match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
            (Some(line), Some(column))
        }
        None => (None, None),
    };
    ConfigError::Invalid {
        origin: origin.to_owned(),
        line,
        column,
        message: err.message().trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str, overrides: &[&str]) -> Config {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        parse(text, "config.toml", &overrides).unwrap()
    }

    fn err(text: &str, overrides: &[&str]) -> String {
        let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        parse(text, "config.toml", &overrides)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn defaults_when_empty() {
        assert_eq!(ok("", &[]), Config::default());
    }

    #[test]
    fn reads_the_three_keys_and_ignores_others() {
        let config = ok(
            "model = \"o3\"\nforced_login_method = \"api\"\nforced_chatgpt_workspace_id = [\"a\", \"b\"]\n\
             cli_auth_credentials_store = \"keyring\"\n[profiles.x]\nmodel = 1\n",
            &[],
        );
        assert_eq!(config.forced_login_method, Some(LoginMethod::Api));
        assert_eq!(config.forced_workspace_ids, vec!["a", "b"]);
        assert_eq!(config.store_mode, StoreMode::Keyring);
    }

    #[test]
    fn overrides_win_and_accept_bare_strings() {
        let config = ok(
            "forced_login_method = \"api\"",
            &["forced_login_method=chatgpt"],
        );
        assert_eq!(config.forced_login_method, Some(LoginMethod::Chatgpt));
        let config = ok("", &["forced_chatgpt_workspace_id=\"ws-1\""]);
        assert_eq!(config.forced_workspace_ids, vec!["ws-1"]);
        let config = ok("", &["profiles.a.model=1"]);
        assert_eq!(config, Config::default());
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let message = err("a = 1\nb = = 2\n", &[]);
        assert!(message.starts_with("config.toml:2:"), "{message}");
    }

    #[test]
    fn bad_values_are_explained() {
        assert!(err("cli_auth_credentials_store = \"foo\"", &[]).contains("unknown variant"));
        assert!(err("forced_login_method = \"sso\"", &[]).contains("unknown variant"));
        assert!(err("forced_chatgpt_workspace_id = \"a,b\"", &[]).contains("list"));
        assert!(err("forced_chatgpt_workspace_id = 5", &[]).contains("config.toml"));
        assert!(err("", &["novalue"]).contains("KEY=VALUE"));
        assert!(err("", &["=1"]).contains("not a valid key"));
        assert!(err("model = 1", &["model.x=1"]).contains("not a table"));
    }

    #[test]
    fn a_key_nested_too_deep_is_refused_not_a_crash() {
        // 65,000 parts fit in one command-line argument; without the limit the nested tables
        // overflowed the stack.
        let deep = format!("{}b=1", "a.".repeat(65_000));
        let message = err("", &[deep.as_str()]);
        assert!(
            message.contains("65001 parts; at most 64"),
            "{}",
            &message[message.len() - 60..]
        );
        let deepest = format!("{}b=1", "a.".repeat(MAX_KEY_PARTS - 1));
        assert_eq!(ok("", &[deepest.as_str()]), Config::default());
    }

    #[test]
    fn bad_values_name_where_they_came_from() {
        let message = err("model = 1\n  forced_login_method = \"sso\"\n", &[]);
        assert!(message.starts_with("config.toml:2:3: "), "{message}");
        let message = err(
            "forced_login_method = \"api\"",
            &["forced_login_method=sso"],
        );
        assert!(
            message.starts_with("-c forced_login_method=sso: "),
            "{message}"
        );
        // A bad file value that an override replaces is no error.
        assert_eq!(
            ok(
                "forced_login_method = \"sso\"",
                &["forced_login_method=api"]
            )
            .forced_login_method,
            Some(LoginMethod::Api)
        );
        let message = err("", &["forced_chatgpt_workspace_id=a,b"]);
        assert!(
            message.starts_with("-c forced_chatgpt_workspace_id=a,b: "),
            "{message}"
        );
    }

    #[test]
    fn chatgpt_base_url_resolves_as_codex_does() {
        let base = |text: &str, overrides: &[&str]| {
            let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
            parse(text, "config.toml", &overrides)
                .unwrap()
                .chatgpt_base_url()
        };
        assert_eq!(base("", &[]), "https://chatgpt.com/backend-api");
        assert_eq!(
            base("chatgpt_base_url = \"https://chatgpt.com/\"\n", &[]),
            "https://chatgpt.com/backend-api"
        );
        assert_eq!(
            base(
                "chatgpt_base_url = \"http://127.0.0.1:9/backend-api/\"\n",
                &[]
            ),
            "http://127.0.0.1:9/backend-api"
        );
        assert_eq!(
            base("", &["chatgpt_base_url=\"http://127.0.0.1:8\""]),
            "http://127.0.0.1:8"
        );
        assert!(parse("chatgpt_base_url = 3\n", "config.toml", &[]).is_err());
    }
}
