//! The workspaces of a login (`/wham/accounts/check`) and the switch reply
//! (`/accounts/switch-workspace-token`), parsed leniently (backend.md §3). Pure.

use serde_json::Value;

use crate::secret::Secret;

/// The workspaces a login may use.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspaces {
    /// In the server's order (`account_ordering` first when present).
    pub accounts: Vec<Workspace>,
    pub default_account_id: Option<String>,
    /// The whole reply.
    pub raw: Value,
}

impl Workspaces {
    pub fn find(&self, id: &str) -> Option<&Workspace> {
        self.accounts.iter().find(|w| w.id == id)
    }
}

/// One workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub name: Option<String>,
    /// `personal`, `workspace`, …
    pub structure: Option<String>,
}

impl Workspace {
    pub fn is_personal(&self) -> bool {
        self.structure.as_deref() == Some("personal")
    }
}

/// The workspaces in `value`: `accounts` as a list of `{id, name, structure}`, or as a map
/// `{id: {account: {account_id, name, structure}}}` ordered by `account_ordering`. `None`
/// when it is neither (the wrong shape).
pub fn parse(value: Value) -> Option<Workspaces> {
    let ordering: Vec<&str> = value["account_ordering"]
        .as_array()
        .map(|ids| ids.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut accounts: Vec<Workspace> = match &value["accounts"] {
        Value::Array(items) => items.iter().filter_map(listed).collect(),
        Value::Object(map) => map
            .iter()
            .filter_map(|(id, entry)| {
                let account = if entry["account"].is_object() {
                    &entry["account"]
                } else {
                    entry
                };
                let id = account["account_id"]
                    .as_str()
                    .or(account["id"].as_str())
                    .unwrap_or(id);
                (!id.is_empty()).then(|| Workspace {
                    id: id.to_owned(),
                    name: text(&account["name"]),
                    structure: text(&account["structure"]),
                })
            })
            .collect(),
        _ => return None,
    };
    // The server's ordering first; the rest keep their order (a stable sort).
    accounts.sort_by_key(|w| {
        ordering
            .iter()
            .position(|id| *id == w.id)
            .unwrap_or(usize::MAX)
    });
    Some(Workspaces {
        accounts,
        default_account_id: text(&value["default_account_id"]),
        raw: value,
    })
}

fn listed(item: &Value) -> Option<Workspace> {
    let id = item["id"].as_str().or(item["account_id"].as_str())?;
    (!id.is_empty()).then(|| Workspace {
        id: id.to_owned(),
        name: text(&item["name"]),
        structure: text(&item["structure"]),
    })
}

/// The switch reply: the access token for the new workspace (a `refresh_token` in it is
/// ignored, as Codex ignores it).
#[derive(Debug, Clone)]
pub struct Switched {
    pub access_token: Secret,
}

/// The switch reply in `value`, or `None` without a non-empty `access_token`.
pub fn parse_switched(value: Value) -> Option<Switched> {
    let token = value["access_token"].as_str().filter(|t| !t.is_empty())?;
    Some(Switched {
        access_token: Secret::new(token),
    })
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}
