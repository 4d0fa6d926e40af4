//! `account use --best [--dry-run]` (issue 11): reads every saved account's usage (as `usage
//! --all` does, in parallel), then switches, through the same switch as `account use NAME`, to
//! the account with the most headroom: the smallest `100 - used_percent` over its windows.
//! Ties keep the active account; accounts whose usage cannot be read are skipped, one line
//! each; `--dry-run` only says which it would pick.

use crate::accounts;
use crate::commands::usage::each::{AccountUsage, gather, one_line};
use crate::ctx::Ctx;
use crate::error::Error;

/// An account whose headroom is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    pub name: &'a str,
    pub active: bool,
    /// Percent left in its tightest window (0–100).
    pub headroom: f64,
}

/// The candidate with the most headroom (pure). Ties go to the active account, else to the
/// first in the given order (by name), so the answer never depends on timing.
pub fn choose<'a>(candidates: &[Candidate<'a>]) -> Option<Candidate<'a>> {
    candidates.iter().copied().fold(None, |best, c| match best {
        None => Some(c),
        Some(b)
            if c.headroom > b.headroom || (c.headroom == b.headroom && c.active && !b.active) =>
        {
            Some(c)
        }
        keep => keep,
    })
}

pub fn run(ctx: &mut Ctx, dry_run: bool) -> Result<(), Error> {
    let (_lock, gathered) = gather(ctx)?;
    if gathered.is_empty() {
        return Err(Error::UnknownAccount(
            "there are no saved accounts to choose from (save the active login with \
             `codex-creds account save NAME`, or add one with `codex-creds account add NAME`)"
                .to_owned(),
        ));
    }
    let mut candidates = Vec::new();
    let mut failed = false;
    for account in &gathered {
        match headroom(account) {
            Ok(headroom) => candidates.push(Candidate {
                name: &account.name,
                active: account.active,
                headroom,
            }),
            Err(why) => {
                failed |= !account.not_applicable();
                ctx.out
                    .warn(&format!("skipped account {}: {why}", account.name));
            }
        }
    }
    let Some(best) = choose(&candidates) else {
        let why = "no saved account's usage could be read (see above); nothing was changed";
        return Err(if failed {
            Error::BackendUnavailable(why.to_owned())
        } else {
            Error::NotChatGpt(why.to_owned())
        });
    };
    let left = format!("{}% left in its tightest window", percent(best.headroom));
    if best.active {
        ctx.out.info(&format!(
            "Account {} has the most usage left ({left}); it stays the active login.",
            best.name
        ));
        return Ok(());
    }
    if dry_run {
        ctx.out.info(&format!(
            "Would switch to account {} ({left}); nothing was changed (--dry-run).",
            best.name
        ));
        return Ok(());
    }
    ctx.out.info(&format!(
        "Account {} has the most usage left ({left}).",
        best.name
    ));
    // Still under the registry lock `gather` took: `find`, not `find_locked`.
    let registry = accounts::registry(ctx);
    let entry = registry.find(best.name)?;
    super::switch_to(ctx, &registry, &entry)
}

/// The account's headroom, or why it has none to compare.
fn headroom(account: &AccountUsage) -> Result<f64, String> {
    match &account.result {
        Ok(report) => report
            .headroom()
            .ok_or_else(|| "the backend reported no usage figures for it".to_owned()),
        Err(_) if account.not_applicable() => {
            Err("an API-key login has no ChatGPT usage".to_owned())
        }
        Err(err) => Err(one_line(err)),
    }
}

/// `75`, `59.5`.
fn percent(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &str, active: bool, headroom: f64) -> Candidate<'_> {
        Candidate {
            name,
            active,
            headroom,
        }
    }

    #[test]
    fn the_most_headroom_wins() {
        let picked = choose(&[c("a", true, 10.0), c("b", false, 75.0), c("c", false, 40.0)]);
        assert_eq!(picked.map(|p| p.name), Some("b"));
    }

    #[test]
    fn a_tie_keeps_the_active_account_wherever_it_is_listed() {
        for list in [
            [c("a", false, 60.0), c("b", true, 60.0), c("c", false, 60.0)],
            [c("b", true, 60.0), c("a", false, 60.0), c("c", false, 60.0)],
        ] {
            assert_eq!(choose(&list).map(|p| p.name), Some("b"), "{list:?}");
        }
    }

    #[test]
    fn a_tie_between_others_goes_to_the_first_by_name() {
        let picked = choose(&[c("a", true, 5.0), c("b", false, 50.0), c("c", false, 50.0)]);
        assert_eq!(picked.map(|p| p.name), Some("b"));
    }

    #[test]
    fn nothing_to_choose_from() {
        assert_eq!(choose(&[]), None);
    }

    #[test]
    fn an_exhausted_active_account_loses_to_any_headroom() {
        let picked = choose(&[c("a", true, 0.0), c("b", false, 0.5)]);
        assert_eq!(picked.map(|p| p.name), Some("b"));
    }
}
