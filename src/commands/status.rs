//! `codex-creds status`: who is logged in, how, and where the credentials are stored. Never
//! touches the network. One [`StatusReport`] value renders as text or as JSON (schema 1).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::auth_json::{AuthDotJson, AuthMode};
use crate::cli::StatusArgs;
use crate::ctx::Ctx;
use crate::error::Error;
use crate::jwt;
use crate::output::timestamp;
use crate::secret::Secret;
use crate::storage::{Loaded, Shadow};

/// The `status --json` document. Fields are only ever added (schema_version stays 1).
#[derive(Debug, Serialize)]
pub struct StatusReport {
    schema_version: u32,
    logged_in: bool,
    auth_mode: Option<&'static str>,
    #[serde(skip)]
    mode: Option<AuthMode>,
    codex_home: String,
    store: StoreReport,
    api_key: Option<KeyReport>,
    personal_access_token: Option<KeyReport>,
    chatgpt: Option<ChatGptReport>,
    /// The bearer token, only with --show-token.
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<Secret>,
    environment: EnvReport,
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct StoreReport {
    /// The configured mode (file, keyring, auto, ephemeral).
    mode: &'static str,
    /// The store that holds the credentials (null when none).
    kind: Option<&'static str>,
    location: String,
}

#[derive(Debug, Serialize)]
struct KeyReport {
    masked: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<Secret>,
}

#[derive(Debug, Serialize)]
struct ChatGptReport {
    email: Option<String>,
    plan_type: Option<String>,
    workspace_id: Option<String>,
    user_id: Option<String>,
    is_org_owner: Option<bool>,
    is_fedramp: bool,
    access_token_expires_at: Option<String>,
    access_token_expired: Option<bool>,
    id_token_expires_at: Option<String>,
    last_refresh: Option<String>,
    has_refresh_token: bool,
    issuer: Option<String>,
}

#[derive(Debug, Serialize)]
#[allow(non_snake_case)]
struct EnvReport {
    CODEX_API_KEY: bool,
    CODEX_ACCESS_TOKEN: bool,
    OPENAI_API_KEY: bool,
}

pub fn run(ctx: &mut Ctx, args: &StatusArgs) -> Result<(), Error> {
    // `--account NAME`: the same command on a saved account, without making it active.
    super::account::on_account(ctx, args.account.as_deref(), |ctx| show(ctx, args))
}

fn show(ctx: &mut Ctx, args: &StatusArgs) -> Result<(), Error> {
    let loaded = ctx.load()?;
    let report = build(ctx, loaded.as_ref(), args.show_token, ctx.now());
    if args.json {
        ctx.out
            .json(&serde_json::to_value(&report).unwrap_or_default());
    } else {
        for line in render(&report) {
            ctx.out.data(&line);
        }
    }
    if report.logged_in {
        Ok(())
    } else {
        Err(Error::not_logged_in())
    }
}

fn build(ctx: &Ctx, loaded: Option<&Loaded>, show_token: bool, now: DateTime<Utc>) -> StatusReport {
    let auth = loaded.map(|l| &l.auth);
    let mode = auth.map(AuthDotJson::mode);
    let key_report = |secret: Option<&crate::secret::Secret>| {
        secret.map(|s| KeyReport {
            masked: s.mask(),
            value: show_token.then(|| s.clone()),
        })
    };
    let api_key = auth.and_then(|a| key_report(a.openai_api_key.as_ref()));
    let personal_access_token = auth.and_then(|a| key_report(a.personal_access_token.as_ref()));
    let chatgpt = auth
        .filter(|_| mode == Some(AuthMode::ChatGpt))
        .map(|a| chatgpt_report(a, now));
    let token = if show_token {
        auth.and_then(AuthDotJson::bearer).map(Secret::new)
    } else {
        None
    };
    StatusReport {
        schema_version: 1,
        logged_in: loaded.is_some(),
        auth_mode: mode.map(AuthMode::as_str),
        mode,
        codex_home: ctx.home.dir().display().to_string(),
        store: StoreReport {
            mode: ctx.store_mode.as_str(),
            kind: loaded.map(|l| l.kind.as_str()),
            location: loaded
                .map(|l| l.location.clone())
                .unwrap_or_else(|| ctx.store().location()),
        },
        api_key,
        personal_access_token,
        chatgpt,
        token,
        environment: EnvReport {
            CODEX_API_KEY: ctx.env.codex_api_key.is_some(),
            CODEX_ACCESS_TOKEN: ctx.env.codex_access_token.is_some(),
            OPENAI_API_KEY: ctx.env.openai_api_key_set,
        },
        notes: env_notes(ctx)
            .into_iter()
            .chain(ctx.stores().shadow(loaded).map(shadow_note))
            .collect(),
    }
}

fn chatgpt_report(auth: &AuthDotJson, now: DateTime<Utc>) -> ChatGptReport {
    let tokens = auth.tokens.as_ref();
    let claims = tokens.map(|t| &t.id_token.claims);
    let access_expiry = tokens.and_then(|t| jwt::expires_at(t.access_token.expose()));
    ChatGptReport {
        email: claims.and_then(|c| c.email.clone()),
        plan_type: claims
            .and_then(|c| c.plan_type.as_deref())
            .map(|p| jwt::plan_label(p).to_owned()),
        workspace_id: claims.and_then(|c| c.account_id.clone()),
        user_id: claims.and_then(|c| c.user_id.clone()),
        is_org_owner: claims.and_then(|c| c.is_org_owner),
        is_fedramp: claims.is_some_and(|c| c.is_fedramp),
        access_token_expires_at: access_expiry.map(timestamp),
        access_token_expired: access_expiry.map(|at| at <= now),
        id_token_expires_at: claims.and_then(|c| c.expires_at).map(timestamp),
        last_refresh: auth.last_refresh.as_ref().map(|l| timestamp(l.at)),
        has_refresh_token: tokens.is_some_and(|t| !t.refresh_token.is_empty()),
        issuer: tokens
            .and_then(|t| t.oauth_provenance.as_ref())
            .map(|p| p.issuer.clone()),
    }
}

fn env_notes(ctx: &Ctx) -> Vec<String> {
    let mut notes = Vec::new();
    if ctx.env.codex_access_token.is_some() {
        notes.push(
            "CODEX_ACCESS_TOKEN is set: every Codex command uses it instead of the stored credentials".to_owned(),
        );
    }
    if ctx.env.codex_api_key.is_some() {
        notes.push(
            "CODEX_API_KEY is set: `codex exec` uses it instead of the stored credentials \
             (other Codex commands ignore it)"
                .to_owned(),
        );
    }
    if ctx.env.openai_api_key_set {
        notes.push(
            "OPENAI_API_KEY is set: Codex does not use it as a credential (log in with \
             `printenv OPENAI_API_KEY | codex-creds login --with-api-key` to store it)"
                .to_owned(),
        );
    }
    notes
}

/// Words what auth.json holds beside the keyring store in use.
fn shadow_note(shadow: Shadow) -> String {
    match shadow {
        Shadow::FileDiffers { file } => format!(
            "{file} also holds credentials, different from the keyring's; Codex in file mode \
             would use those. Remove the file if it is stale"
        ),
        Shadow::FileWhileKeyringSelected { file } => format!(
            "{file} holds credentials, but the keyring store is selected; move them with \
             `codex-creds migrate --to keyring` or use `--store file`"
        ),
    }
}

fn render(report: &StatusReport) -> Vec<String> {
    let mut lines = Vec::new();
    match (report.mode, &report.chatgpt) {
        (None, _) => lines.push(format!(
            "Not logged in (no credentials in {}).",
            report.store.location
        )),
        (Some(_), Some(chatgpt)) => {
            let who = chatgpt
                .email
                .as_deref()
                .map(|e| format!(" as {e}"))
                .unwrap_or_default();
            lines.push(format!("Logged in using ChatGPT{who}."));
            push_field(&mut lines, "Plan", chatgpt.plan_type.clone());
            let owner = match chatgpt.is_org_owner {
                Some(true) => " (owner)",
                _ => "",
            };
            push_field(
                &mut lines,
                "Workspace",
                chatgpt.workspace_id.as_ref().map(|w| format!("{w}{owner}")),
            );
            push_field(&mut lines, "User", chatgpt.user_id.clone());
            let expiry = chatgpt.access_token_expires_at.as_ref().map(|at| {
                match chatgpt.access_token_expired {
                    Some(true) => format!("{at} (expired; `codex-creds refresh` renews it)"),
                    _ => at.clone(),
                }
            });
            push_field(&mut lines, "Token expires", expiry);
            push_field(&mut lines, "Last refresh", chatgpt.last_refresh.clone());
            if let Some(key) = &report.api_key {
                push_field(&mut lines, "API key", Some(shown_key(key)));
            }
        }
        (Some(mode), None) => {
            let shown = |key: &Option<KeyReport>| key.as_ref().map(shown_key);
            match (
                mode,
                shown(&report.api_key),
                shown(&report.personal_access_token),
            ) {
                (AuthMode::ApiKey, Some(key), _) => {
                    lines.push(format!("Logged in using an API key: {key}"))
                }
                (AuthMode::PersonalAccessToken, _, Some(token)) => {
                    lines.push(format!("Logged in using a personal access token: {token}"))
                }
                (other, _, _) => lines.push(format!("Logged in using {}.", other.describe())),
            }
        }
    }
    if let Some(kind) = report.store.kind {
        push_field(
            &mut lines,
            "Store",
            Some(format!("{kind} ({})", report.store.location)),
        );
    }
    if report.chatgpt.is_some()
        && let Some(token) = &report.token
    {
        push_field(&mut lines, "Access token", Some(token.expose().to_owned()));
    }
    for note in &report.notes {
        lines.push(format!("Note: {note}."));
    }
    // Claims, paths and keys come from files and tokens: nothing in them may drive the terminal.
    lines
        .iter()
        .map(|line| crate::untrusted::printable(line, usize::MAX))
        .collect()
}

/// The full key when --show-token asked for it, else its mask.
fn shown_key(key: &KeyReport) -> String {
    key.value
        .as_ref()
        .map_or_else(|| key.masked.clone(), |value| value.expose().to_owned())
}

fn push_field(lines: &mut Vec<String>, label: &str, value: Option<String>) {
    if let Some(value) = value {
        lines.push(format!("  {:<15}{value}", format!("{label}:")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_notes_name_the_file_and_what_to_do() {
        let file = "/h/auth.json".to_owned();
        let note = shadow_note(Shadow::FileDiffers { file: file.clone() });
        assert!(note.starts_with("/h/auth.json also holds") && note.contains("different"));
        let note = shadow_note(Shadow::FileWhileKeyringSelected { file });
        assert!(note.starts_with("/h/auth.json holds") && note.contains("migrate --to keyring"));
    }

    #[test]
    fn debug_of_a_shown_key_is_redacted() {
        let key = KeyReport {
            masked: Secret::new("sk-proj-DEBUGSTATUS-0123456789").mask(),
            value: Some(Secret::new("sk-proj-DEBUGSTATUS-0123456789")),
        };
        let shown = format!("{key:?}");
        assert!(!shown.contains("DEBUGSTATUS"), "{shown}");
        assert_eq!(shown_key(&key), "sk-proj-DEBUGSTATUS-0123456789");
    }

    /// Claims come from tokens anyone can mint: nothing in them may drive the terminal
    /// (issue #8, item 2), whatever anstream would do with a non-terminal stdout.
    #[test]
    fn rendered_text_carries_no_control_characters_from_claims() {
        let hostile = "x@y.z\u{1b}]0;pwned\u{7}\u{1b}[2J";
        let report = StatusReport {
            mode: Some(AuthMode::ChatGpt),
            chatgpt: Some(ChatGptReport {
                email: Some(hostile.to_owned()),
                plan_type: None,
                workspace_id: Some(format!("ws\u{202e}{hostile}")),
                user_id: Some(hostile.to_owned()),
                is_org_owner: None,
                is_fedramp: false,
                access_token_expires_at: None,
                access_token_expired: None,
                id_token_expires_at: None,
                last_refresh: None,
                has_refresh_token: true,
                issuer: None,
            }),
            schema_version: 1,
            logged_in: true,
            auth_mode: Some("chatgpt"),
            codex_home: format!("/home/{hostile}"),
            store: StoreReport {
                mode: "file",
                kind: Some("file"),
                location: format!("/home/{hostile}/auth.json"),
            },
            api_key: None,
            personal_access_token: None,
            token: None,
            environment: EnvReport {
                CODEX_API_KEY: false,
                CODEX_ACCESS_TOKEN: false,
                OPENAI_API_KEY: false,
            },
            notes: Vec::new(),
        };
        let lines = render(&report);
        assert!(lines.iter().any(|l| l.contains("x@y.z")), "{lines:?}");
        for line in &lines {
            assert!(
                !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{line:?}"
            );
        }
    }
}
