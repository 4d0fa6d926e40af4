//! `usage --account NAME` and `usage --all` (issue 11): the same [`report`] on a saved account
//! (its live copy when it is the active login), or on every saved account at once, one thread
//! and one context each, settings always from the user's CODEX_HOME. One account's failure
//! hides none of the others.

use serde_json::{Value, json};

use super::{SCHEMA_VERSION, UsageReport, render, report};
use crate::accounts::{self, Opened, Target};
use crate::ctx::Ctx;
use crate::error::Error;
use crate::lock::FileLock;

/// The usage of one saved account.
pub struct AccountUsage {
    pub name: String,
    pub active: bool,
    /// `Err(Error::InAccount{ source: NotChatGpt, .. })` is an API-key login: "n/a".
    pub result: Result<UsageReport, Error>,
}

impl AccountUsage {
    /// Whether the account has no ChatGPT usage at all (an API-key login).
    pub fn not_applicable(&self) -> bool {
        matches!(&self.result, Err(Error::InAccount { source, .. })
            if matches!(**source, Error::NotChatGpt(_)))
    }
}

/// `usage --account NAME`: the report of a saved account, without making it active.
pub fn one(ctx: &mut Ctx, name: &str) -> Result<UsageReport, Error> {
    let allowed = crate::commands::account::allowed(ctx);
    accounts::with_account(ctx, name, &allowed, |account| {
        report(account).map_err(|err| err.in_account(name))
    })
}

/// Reads the usage of every saved account in parallel (the active one on this thread, with
/// the user's context), sorted by name; the registry lock comes back so a caller can switch
/// under it.
pub fn gather(ctx: &mut Ctx) -> Result<(FileLock, Vec<AccountUsage>), Error> {
    let allowed = crate::commands::account::allowed(ctx);
    let (lock, opened) = accounts::open_each(ctx, &allowed)?;
    let results: Vec<AccountUsage> = std::thread::scope(|scope| {
        let running: Vec<_> = opened
            .into_iter()
            .map(|(account, target)| match target {
                Target::Own(seed) => {
                    let (name, active) = (account.name.clone(), account.active);
                    let handle = scope.spawn(move || {
                        let mut child = seed.build();
                        let result = report(&mut child);
                        account.done(&child);
                        result
                    });
                    Running::Thread(name, active, handle)
                }
                other => Running::Here(Box::new((account, other))),
            })
            .collect();
        running
            .into_iter()
            .map(|running| {
                let (name, active, result) = match running {
                    Running::Thread(name, active, handle) => {
                        // A panic is a bug, never expected; it costs only its own account.
                        let result = handle.join().unwrap_or_else(|_| {
                            Err(Error::BackendUnavailable(
                                "reading this account's usage failed unexpectedly".to_owned(),
                            ))
                        });
                        (name, active, result)
                    }
                    Running::Here(here) => match *here {
                        (account, Target::Failed(err)) => (account.name, account.active, Err(err)),
                        // The active account: its live copy is the active login.
                        (account, _) => (account.name, account.active, report(ctx)),
                    },
                };
                AccountUsage {
                    result: result.map_err(|err| err.in_account(&name)),
                    name,
                    active,
                }
            })
            .collect()
    });
    Ok((lock, results))
}

/// An account being read: on its own thread, or here (the active one, or one that failed to
/// open).
enum Running<'scope> {
    Thread(
        String,
        bool,
        std::thread::ScopedJoinHandle<'scope, Result<UsageReport, Error>>,
    ),
    Here(Box<(Opened, Target)>),
}

/// `usage --all`: one block per account (text) or one document keyed by account name (JSON).
/// Exits 0 when every ChatGPT account was read (API-key accounts are "n/a", not failures);
/// else with the code of the first failing account, in name order, after showing them all.
pub fn all(ctx: &mut Ctx, as_json: bool) -> Result<(), Error> {
    let (lock, gathered) = gather(ctx)?;
    drop(lock);
    if as_json {
        ctx.out.json(&json_all(&gathered));
    } else if gathered.is_empty() {
        ctx.out.info(
            "No saved accounts. Save the active login with `codex-creds account save NAME`, or \
             add one with `codex-creds account add NAME`.",
        );
    } else {
        let bars = ctx.out.stdout_is_terminal();
        for line in text_all(&gathered, ctx.now(), bars) {
            ctx.out.data(&line);
        }
    }
    match gathered
        .into_iter()
        .find(|account| account.result.is_err() && !account.not_applicable())
    {
        Some(AccountUsage {
            result: Err(err), ..
        }) => Err(err),
        _ => Ok(()),
    }
}

/// One error as one line (it may carry a server's multi-line words).
pub fn one_line(err: &Error) -> String {
    crate::untrusted::printable(&err.to_string().replace('\n', " "), usize::MAX)
}

fn text_all(
    gathered: &[AccountUsage],
    now: chrono::DateTime<chrono::Utc>,
    bars: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, account) in gathered.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let active = if account.active { " (active)" } else { "" };
        match &account.result {
            Ok(report) => {
                lines.push(format!("{}{active}", account.name));
                lines.extend(
                    render::text(report, now, bars)
                        .into_iter()
                        .map(|l| format!("  {l}")),
                );
            }
            Err(_) if account.not_applicable() => lines.push(format!(
                "{}{active}: n/a (an API-key login has no ChatGPT usage)",
                account.name
            )),
            Err(err) => lines.push(format!("error: {}", one_line(err))),
        }
    }
    lines
}

/// `{"schema_version": 1, "accounts": {NAME: {...}}}`: each value is the `usage --json`
/// document plus `"status": "ok"`, or `{"status": "n/a"}` or `{"status": "error", "error",
/// "exit_code"}`, each with `"active"`.
pub fn json_all(gathered: &[AccountUsage]) -> Value {
    let accounts: serde_json::Map<String, Value> = gathered
        .iter()
        .map(|account| {
            let mut value = match &account.result {
                Ok(report) => {
                    let mut doc = render::json(report);
                    doc["status"] = json!("ok");
                    doc
                }
                Err(err) if account.not_applicable() => json!({
                    "status": "n/a",
                    "reason": one_line(err),
                }),
                Err(err) => json!({
                    "status": "error",
                    "error": one_line(err),
                    "exit_code": err.exit_code(),
                }),
            };
            value["active"] = json!(account.active);
            (account.name.clone(), value)
        })
        .collect();
    json!({"schema_version": SCHEMA_VERSION, "accounts": accounts})
}
