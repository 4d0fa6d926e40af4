//! What to do with an account directory's copy of the active login (pure): an interrupted
//! switch can leave the same tokens in both places, which breaks "one live copy per refresh
//! token" until the copy goes.

use super::identity;
use crate::auth_json::AuthDotJson;

/// The decision for one account directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing to do: the account is not active, or its directory holds nothing.
    Nothing,
    /// The directory holds the active login's very tokens: remove that copy (park it).
    ParkDuplicate,
    /// The directory holds other tokens of the active account (refreshed there meanwhile?):
    /// removing either could lose a live refresh token, so keep both and warn.
    KeepBoth,
}

/// Decides for the account `account_id` whose directory holds `copy`, given the active login.
pub fn decide(
    active: Option<&AuthDotJson>,
    active_id: Option<&str>,
    account_id: &str,
    copy: Option<&AuthDotJson>,
) -> Decision {
    let (Some(active), Some(copy)) = (active, copy) else {
        return Decision::Nothing;
    };
    if active_id != Some(account_id) {
        return Decision::Nothing;
    }
    if identity::same_secrets(active, copy) {
        Decision::ParkDuplicate
    } else {
        Decision::KeepBoth
    }
}
