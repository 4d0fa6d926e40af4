//! Workspace routing discovery: `GET {chatgpt_base_url}/wham/accounts/check` with the login's
//! bearer and account id, and the entry for that account (spec backend.md §3).
//! TODO(#11): move onto `src/backend/` (the usage work's typed calls) once it lands.

use serde_json::Value;

use crate::http::Http;

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
    bearer: &str,
    account_id: &str,
) -> Result<Option<Routing>, Failure> {
    let url = format!("{base_url}/wham/accounts/check");
    let body = http.block_on(async {
        let response = http
            .default
            .get(&url)
            .bearer_auth(bearer)
            .header("ChatGPT-Account-ID", account_id)
            .send()
            .await
            .map_err(|err| Failure::Other(crate::oauth::reply::describe_transport(&err)))?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            return Err(Failure::Unauthorized);
        }
        if !response.status().is_success() {
            return Err(Failure::Other(format!("status {}", response.status())));
        }
        response
            .bytes()
            .await
            .map_err(|err| Failure::Other(crate::oauth::reply::describe_transport(&err)))
    })?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|_| Failure::Other("the reply is not JSON".to_owned()))?;
    Ok(find(&value, account_id))
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
