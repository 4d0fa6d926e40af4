//! Workspace routing discovery: the login's workspaces from `{chatgpt_base_url}/wham/accounts/check`
//! (through `crate::backend`), and the routing of its own account (spec backend.md §3).

use serde_json::Value;

use crate::backend::{Backend, FailureKind, Login};
use crate::http::Http;
use crate::secret::Secret;

/// The workspace an account routes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    pub account_id: String,
    pub name: Option<String>,
    pub backend_origin: Option<String>,
    pub routing_override: Option<String>,
}

/// Why discovery failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// HTTP 401: the token is no longer accepted (recoverable by new tokens).
    Unauthorized,
    /// Anything else (network, status, body).
    Other(String),
}

/// Asks the backend which workspaces the token may use, and returns `account_id`'s.
pub fn check(
    http: &Http,
    base_url: &str,
    bearer: &Secret,
    account_id: &str,
) -> Result<Option<Routing>, Failure> {
    let login = Login {
        access_token: bearer,
        account_id: Some(account_id),
    };
    match Backend::new(base_url).workspaces(http, login) {
        // The typed list has no routing fields: they are read from the raw reply.
        Ok(workspaces) => Ok(find(&workspaces.raw, account_id)),
        Err(err) if err.kind == FailureKind::Unauthorized => Err(Failure::Unauthorized),
        Err(err) => Err(Failure::Other(err.to_string())),
    }
}

/// The entry for `account_id`, in either shape the backend uses (a list, or a map by id).
fn find(value: &Value, account_id: &str) -> Option<Routing> {
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let entry = match &value["accounts"] {
        Value::Array(list) => list
            .iter()
            .find(|a| a["id"].as_str() == Some(account_id))?
            .clone(),
        Value::Object(map) => {
            let found = map.get(account_id)?;
            let inner = found.get("account").unwrap_or(found);
            let mut merged = inner.clone();
            if let (Value::Object(m), Value::Object(outer)) = (&mut merged, found) {
                for (k, v) in outer {
                    m.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            merged
        }
        _ => return None,
    };
    Some(Routing {
        account_id: account_id.to_owned(),
        name: text(&entry, "name"),
        backend_origin: text(&entry, "workspace_backend_origin"),
        routing_override: text(&entry, "account_routing_override"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_shapes_give_the_account() {
        let list = json!({"accounts":[{"id":"a","name":"A","workspace_backend_origin":"https://chatgpt.com","account_routing_override":"NO_CONSTRAINT"}]});
        let found = find(&list, "a").unwrap();
        assert_eq!(found.name.as_deref(), Some("A"));
        assert_eq!(found.routing_override.as_deref(), Some("NO_CONSTRAINT"));
        assert_eq!(find(&list, "b"), None);
        let map = json!({"accounts":{"a":{"account":{"account_id":"a","name":"A"}}}});
        assert_eq!(find(&map, "a").unwrap().name.as_deref(), Some("A"));
        assert_eq!(find(&json!({"accounts": 3}), "a"), None);
    }
}
