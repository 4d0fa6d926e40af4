//! JWT claims without signature checks (spec §2), as Codex reads them. Never panics on input.
//!
//! The claims are for display, expiry and workspace checks only, never for security decisions.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The namespace object that carries ChatGPT's claims.
const AUTH_CLAIMS: &str = "https://api.openai.com/auth";
/// Fallback location of `email`.
const PROFILE_CLAIMS: &str = "https://api.openai.com/profile";

/// Why a token could not be decoded. Never contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("is not a JWT (expected three non-empty dot-separated parts)")]
    Shape,
    #[error("has a payload that is not unpadded base64url")]
    Base64,
    #[error("has a payload that is not a JSON object")]
    Json,
}

/// The id_token claims codex-creds shows and checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdClaims {
    pub email: Option<String>,
    /// The raw `chatgpt_plan_type`; see [`plan_label`].
    pub plan_type: Option<String>,
    pub user_id: Option<String>,
    /// `chatgpt_account_id`: the workspace the login belongs to.
    pub account_id: Option<String>,
    pub is_fedramp: bool,
    pub is_org_owner: Option<bool>,
    pub organization_id: Option<String>,
    pub project_id: Option<String>,
    pub completed_platform_onboarding: Option<bool>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Decodes the payload of a compact JWT into its JSON object.
fn decode_payload(token: &str) -> Result<Map<String, Value>, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Shape);
    };
    if header.is_empty() || payload.is_empty() || signature.is_empty() {
        return Err(JwtError::Shape);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| JwtError::Base64)?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(JwtError::Json),
    }
}

/// The id_token claims, read where Codex reads them.
pub fn id_claims(token: &str) -> Result<IdClaims, JwtError> {
    let payload = decode_payload(token)?;
    let auth = payload.get(AUTH_CLAIMS).and_then(Value::as_object);
    let auth_str = |key: &str| {
        auth.and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let any_str = |key: &str| {
        payload
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| auth_str(key))
    };
    let any_bool = |key: &str| {
        payload
            .get(key)
            .or_else(|| auth.and_then(|a| a.get(key)))
            .and_then(Value::as_bool)
    };
    let email = payload
        .get("email")
        .and_then(Value::as_str)
        .or_else(|| {
            payload
                .get(PROFILE_CLAIMS)
                .and_then(|p| p.get("email"))
                .and_then(Value::as_str)
        })
        .map(str::to_owned);
    Ok(IdClaims {
        email,
        plan_type: auth_str("chatgpt_plan_type"),
        user_id: auth_str("chatgpt_user_id").or_else(|| auth_str("user_id")),
        account_id: auth_str("chatgpt_account_id"),
        is_fedramp: auth
            .and_then(|a| a.get("chatgpt_account_is_fedramp"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        is_org_owner: any_bool("is_org_owner"),
        organization_id: any_str("organization_id"),
        project_id: any_str("project_id"),
        completed_platform_onboarding: any_bool("completed_platform_onboarding"),
        expires_at: expiry_of(&payload),
    })
}

/// The `exp` of any JWT, or `None` when the token is not a JWT or has no usable `exp`.
pub fn expires_at(token: &str) -> Option<DateTime<Utc>> {
    decode_payload(token).ok().as_ref().and_then(expiry_of)
}

fn expiry_of(payload: &Map<String, Value>) -> Option<DateTime<Utc>> {
    let exp = payload.get("exp")?;
    let seconds = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    DateTime::from_timestamp(seconds, 0)
}

/// Codex's plan name for a raw claim (spec §2): case-insensitive; `hc` is enterprise,
/// `education` is edu, anything unknown is `unknown`.
pub fn plan_label(raw: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "free",
        "go",
        "plus",
        "pro",
        "prolite",
        "promax",
        "team",
        "self_serve_business_prolite",
        "self_serve_business_usage_based",
        "business",
        "ent26",
        "enterprise_cbp_automation",
        "enterprise_cbp_usage_based",
        "enterprise",
        "edu",
        "edu_plus",
        "edu_pro",
        "sci",
        "sci_plus",
    ];
    let lower = raw.to_ascii_lowercase();
    match lower.as_str() {
        "hc" => "enterprise",
        "education" => "edu",
        other => KNOWN
            .iter()
            .find(|known| **known == other)
            .copied()
            .unwrap_or("unknown"),
    }
}

/// An unsigned JWT with this payload, for the unit tests (the integration tests forge theirs in
/// tests/cli/support/jwt.rs).
#[cfg(test)]
pub(crate) fn forge(payload: &str) -> String {
    format!(
        "eyJhbGciOiJub25lIn0.{}.sig",
        URL_SAFE_NO_PAD.encode(payload)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_claims_where_codex_does() {
        let token = forge(
            r#"{"exp":1700000000,"https://api.openai.com/profile":{"email":"a@b.c"},
               "https://api.openai.com/auth":{"chatgpt_plan_type":"Pro","user_id":"u1",
               "chatgpt_account_id":"ws-1","is_org_owner":true}}"#,
        );
        let claims = id_claims(&token).unwrap();
        assert_eq!(claims.email.as_deref(), Some("a@b.c"));
        assert_eq!(claims.plan_type.as_deref(), Some("Pro"));
        assert_eq!(claims.user_id.as_deref(), Some("u1"));
        assert_eq!(claims.account_id.as_deref(), Some("ws-1"));
        assert_eq!(claims.is_org_owner, Some(true));
        assert_eq!(claims.expires_at.unwrap().timestamp(), 1_700_000_000);
    }

    #[test]
    fn missing_namespace_is_legal() {
        assert_eq!(id_claims(&forge("{}")).unwrap(), IdClaims::default());
    }

    #[test]
    fn malformed_tokens_are_errors_not_panics() {
        assert_eq!(id_claims("abc"), Err(JwtError::Shape));
        assert_eq!(id_claims("a..c"), Err(JwtError::Shape));
        assert_eq!(id_claims("a.b.c.d"), Err(JwtError::Shape));
        assert_eq!(id_claims("a.!!!.c"), Err(JwtError::Base64));
        let padded = format!(
            "a.{}.c",
            base64::engine::general_purpose::URL_SAFE.encode("{}x")
        );
        assert!(id_claims(&padded).is_err());
        assert_eq!(id_claims(&forge("[1]")), Err(JwtError::Json));
        assert_eq!(expires_at("not-a-jwt"), None);
        assert_eq!(expires_at(&forge(r#"{"exp":"soon"}"#)), None);
    }

    #[test]
    fn plan_labels() {
        assert_eq!(plan_label("PLUS"), "plus");
        assert_eq!(plan_label("hc"), "enterprise");
        assert_eq!(plan_label("education"), "edu");
        assert_eq!(plan_label("mystery"), "unknown");
    }
}
