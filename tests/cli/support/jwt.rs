//! JWTs in the integration tests: the only forger and the only decoder, and the auth.json
//! fixture builder.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// A compact JWT with this payload and a dummy signature (nobody checks it).
pub fn forge(payload: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(payload).unwrap());
    format!("{header}.{body}.c2lnbmF0dXJl")
}

/// The payload of a compact JWT (no signature check); panics when `jwt` is not one.
pub fn claims(jwt: &str) -> Value {
    try_claims(jwt).expect("a JWT with a JSON payload")
}

/// The payload of a compact JWT, or `None` when `jwt` is not one.
pub fn try_claims(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The claims of a ChatGPT id_token as the issuer sends them.
pub fn id_claims(email: &str, plan: &str, account_id: &str) -> Value {
    json!({
        "iss": "https://auth.openai.com",
        "email": email,
        "exp": 4_102_444_800i64,
        "https://api.openai.com/auth": {
            "chatgpt_plan_type": plan,
            "chatgpt_user_id": "user-test-123",
            "chatgpt_account_id": account_id,
            "is_org_owner": true,
        }
    })
}

/// Builder for a ChatGPT-mode auth.json, as Codex writes it.
pub struct ChatGptAuth {
    pub email: String,
    pub plan: String,
    pub account_id: String,
    pub access_exp: i64,
    pub refresh_token: String,
    pub api_key: Option<String>,
    pub issuer: String,
}

impl Default for ChatGptAuth {
    fn default() -> Self {
        ChatGptAuth {
            email: "user@example.com".into(),
            plan: "pro".into(),
            account_id: "ws-test-1".into(),
            access_exp: 4_102_444_800,
            refresh_token: "rt-test-refresh-token-0001".into(),
            api_key: None,
            issuer: "https://auth.openai.com".into(),
        }
    }
}

impl ChatGptAuth {
    pub fn access_token(&self) -> String {
        forge(&json!({
            "exp": self.access_exp,
            "https://api.openai.com/auth": {"chatgpt_plan_type": self.plan, "chatgpt_account_id": self.account_id}
        }))
    }

    pub fn to_value(&self) -> Value {
        json!({
            "auth_mode": "chatgpt",
            "OPENAI_API_KEY": self.api_key,
            "tokens": {
                "id_token": forge(&id_claims(&self.email, &self.plan, &self.account_id)),
                "access_token": self.access_token(),
                "refresh_token": self.refresh_token,
                "oauth_provenance": {"issuer": self.issuer, "client_id": "app_EMoamEEZ73f0CkXaXp7hrann"},
                "login_owner_id": "b3duZXItaWQtZm9yLXRlc3RzLTAwMDAwMDAwMDAwMDAwMDAw",
                "account_id": self.account_id,
            },
            "last_refresh": "2026-11-23T07:00:47.258487777Z"
        })
    }

    /// Pretty JSON, no trailing newline (Codex's format).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_value()).unwrap()
    }
}
