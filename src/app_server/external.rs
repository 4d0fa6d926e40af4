//! External ChatGPT tokens (`chatgptAuthTokens`): tokens the client owns and pushes in. Kept in
//! memory only, never refreshed by us; on a backend 401 the client is asked for new ones
//! (`account/chatgptAuthTokens/refresh`), and their workspace is checked (spec §13.3).

use serde_json::{Value, json};

use crate::auth_json::{AuthDotJson, AuthMode, IdToken, TokenData};
use crate::config::Config;
use crate::secret::Secret;

use super::wire::RpcError;
use super::{Call, peer::AskError};

/// The tokens a client gave, as Codex keeps them: an auth.json shape with `auth_mode`
/// `chatgptAuthTokens`, the claims read from the access token, the account id forced.
#[derive(Clone, Debug)]
pub struct External {
    pub auth: AuthDotJson,
    /// `chatgptPlanType` when given, else the token's claim, else `unknown`.
    pub plan: String,
}

impl External {
    pub fn account_id(&self) -> Option<&str> {
        self.auth.tokens.as_ref()?.account_id.as_deref()
    }

    pub fn access_token(&self) -> &str {
        self.auth
            .tokens
            .as_ref()
            .map(|t| t.access_token.expose())
            .unwrap_or_default()
    }
}

/// Builds the in-memory login from `{accessToken, chatgptAccountId, chatgptPlanType?}` (a
/// login's params or a refresh reply). `now` stamps `last_refresh`.
pub fn from_params(
    params: &Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<External, RpcError> {
    let field = |name: &str| params.get(name).and_then(Value::as_str);
    let (Some(access), Some(account)) = (field("accessToken"), field("chatgptAccountId")) else {
        return Err(RpcError::invalid(
            "Invalid request: missing field `accessToken` or `chatgptAccountId`",
        ));
    };
    let mut id_token = IdToken::parse(access)
        .map_err(|_| RpcError::internal("failed to set external auth: invalid ID token format"))?;
    id_token.claims.account_id = Some(account.to_owned());
    let plan = field("chatgptPlanType")
        .map(str::to_owned)
        .or_else(|| id_token.claims.plan_type.clone())
        .unwrap_or_else(|| "unknown".to_owned());
    let tokens = TokenData {
        id_token,
        access_token: Secret::new(access),
        refresh_token: Secret::new(""),
        oauth_provenance: None,
        login_owner_id: None,
        account_id: Some(account.to_owned()),
        extra: serde_json::Map::new(),
    };
    let mut auth = AuthDotJson::from_chatgpt(tokens, None, now);
    auth.auth_mode = Some(AuthMode::ChatGptAuthTokens);
    Ok(External { auth, plan })
}

/// The workspace check of a refresh reply: with `forced_chatgpt_workspace_id`, the new
/// account must be one of them (a transient error otherwise, as in Codex).
pub fn check_workspace(config: &Config, external: &External) -> Result<(), String> {
    let allowed = &config.forced_workspace_ids;
    let account = external.account_id().unwrap_or_default();
    if allowed.is_empty() || allowed.iter().any(|id| id == account) {
        return Ok(());
    }
    let listed: Vec<String> = allowed.iter().map(|id| format!("\"{id}\"")).collect();
    Err(format!(
        "external auth refresh returned workspace \"{}\", expected one of [{}]",
        crate::untrusted::printable(account, 100),
        listed.join(", ")
    ))
}

/// After a backend 401 on external tokens: asks the client for new ones (waiting at most the
/// server's timeout, with this request's turn given up), checks and installs them.
pub fn refresh_from_client(call: &mut Call, previous: &External) -> Result<External, String> {
    call.yield_turn();
    let server = std::sync::Arc::clone(&call.server);
    let answer = server.peer.ask(
        "account/chatgptAuthTokens/refresh",
        json!({"reason": "unauthorized", "previousAccountId": previous.account_id()}),
        server.options.ask_timeout,
    );
    let reply = answer.map_err(|err| match err {
        AskError::TimedOut(_) | AskError::Closed | AskError::Refused(_) => {
            format!("external auth refresh failed: {err}")
        }
    })?;
    let fresh = from_params(&reply, call.ctx.now())
        .map_err(|err| format!("external auth refresh failed: {}", err.message))?;
    check_workspace(&call.ctx.config, &fresh)?;
    let mut current = server.external.lock().unwrap_or_else(|p| p.into_inner());
    // Only if the client did not log out or log in again meanwhile.
    if current.is_some() {
        *current = Some(fresh.clone());
    }
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(claims: &str) -> String {
        crate::jwt::forge(claims)
    }

    #[test]
    fn the_account_id_is_forced_and_the_plan_falls_back() {
        let now = chrono::Utc::now();
        let access = token(
            r#"{"https://api.openai.com/auth":{"chatgpt_account_id":"ws-tok","chatgpt_plan_type":"pro"}}"#,
        );
        let ext = from_params(
            &json!({"accessToken": access, "chatgptAccountId": "ws-x"}),
            now,
        )
        .unwrap();
        assert_eq!(ext.account_id(), Some("ws-x"));
        assert_eq!(ext.auth.workspace_id(), Some("ws-x"));
        assert_eq!(ext.plan, "pro");
        assert_eq!(ext.auth.auth_mode, Some(AuthMode::ChatGptAuthTokens));
        let ext = from_params(
            &json!({"accessToken": access, "chatgptAccountId": "ws-x", "chatgptPlanType": "plus"}),
            now,
        )
        .unwrap();
        assert_eq!(ext.plan, "plus");
        let bare = from_params(
            &json!({"accessToken": token("{}"), "chatgptAccountId": "ws-x"}),
            now,
        )
        .unwrap();
        assert_eq!(bare.plan, "unknown");
    }

    #[test]
    fn a_token_that_is_not_a_jwt_gets_codex_error() {
        let err = from_params(
            &json!({"accessToken": "notajwt", "chatgptAccountId": "a"}),
            chrono::Utc::now(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            RpcError::internal("failed to set external auth: invalid ID token format")
        );
    }

    #[test]
    fn a_forbidden_workspace_is_refused_with_codex_words() {
        let config = Config {
            forced_workspace_ids: vec!["ws-a".into(), "ws-b".into()],
            ..Config::default()
        };
        let ext = from_params(
            &json!({"accessToken": token("{}"), "chatgptAccountId": "ws-z"}),
            chrono::Utc::now(),
        )
        .unwrap();
        assert_eq!(
            check_workspace(&config, &ext).unwrap_err(),
            r#"external auth refresh returned workspace "ws-z", expected one of ["ws-a", "ws-b"]"#
        );
        assert!(check_workspace(&Config::default(), &ext).is_ok());
    }
}
