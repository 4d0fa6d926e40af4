//! Who a login is (pure), so one account is never saved twice and two never collide:
//! ChatGPT = the id_token's `chatgpt_user_id` (fallback `user_id`) plus the workspace
//! (`tokens.account_id`); an API key or a personal access token = a SHA-256 prefix of the key
//! (the key itself is never stored). Never the email: one person has several workspaces.

use sha2::{Digest, Sha256};

use crate::auth_json::{AuthDotJson, AuthMode};

/// The identity of a login, or why it has none codex-creds can use.
pub fn of(auth: &AuthDotJson) -> Result<String, String> {
    match auth.mode() {
        AuthMode::ChatGpt | AuthMode::ChatGptAuthTokens => {
            let Some(tokens) = auth.tokens.as_ref() else {
                return Err("the ChatGPT login has no tokens".to_owned());
            };
            let claims = &tokens.id_token.claims;
            let Some(user) = claims.user_id.as_deref() else {
                return Err(
                    "the ChatGPT login's id_token has no chatgpt_user_id (or user_id)".to_owned(),
                );
            };
            let workspace = tokens
                .account_id
                .as_deref()
                .or(claims.account_id.as_deref())
                .unwrap_or("");
            Ok(format!("chatgpt:{user}:{workspace}"))
        }
        AuthMode::ApiKey => match auth.openai_api_key.as_ref() {
            Some(key) => Ok(format!("apikey:sha256:{}", hash_prefix(key.expose()))),
            None => Err("the API-key login has no key".to_owned()),
        },
        AuthMode::PersonalAccessToken => match auth.personal_access_token.as_ref() {
            Some(token) => Ok(format!("pat:sha256:{}", hash_prefix(token.expose()))),
            None => Err("the personal-access-token login has no token".to_owned()),
        },
        other @ (AuthMode::Headers
        | AuthMode::AgentIdentity
        | AuthMode::BedrockApiKey
        | AuthMode::BedrockAccessKeys) => Err(format!(
            "{} logins cannot be saved as accounts yet",
            other.describe()
        )),
    }
}

/// The first 16 hex digits of SHA-256: enough to tell keys apart, useless to recover one.
fn hash_prefix(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Whether two copies of one login carry the same secrets (the same refresh and access token,
/// or the same key): a duplicate left by an interrupted switch.
pub fn same_secrets(a: &AuthDotJson, b: &AuthDotJson) -> bool {
    match (a.tokens.as_ref(), b.tokens.as_ref()) {
        (Some(x), Some(y)) => {
            x.refresh_token == y.refresh_token && x.access_token == y.access_token
        }
        (None, None) => {
            a.openai_api_key == b.openai_api_key
                && a.personal_access_token == b.personal_access_token
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn api_key_identity_is_a_hash_prefix_never_the_key() {
        let key = "sk-proj-IDENTITYSECRET0123456789";
        let id = of(&AuthDotJson::from_api_key(Secret::new(key))).unwrap();
        assert!(id.starts_with("apikey:sha256:") && id.len() == "apikey:sha256:".len() + 16);
        assert!(!id.contains("IDENTITY"));
        let other = of(&AuthDotJson::from_api_key(Secret::new(
            "sk-other-0123456789",
        )))
        .unwrap();
        assert_ne!(id, other);
        let pat = of(&AuthDotJson::from_personal_access_token(Secret::new(
            "at-x",
        )))
        .unwrap();
        assert!(pat.starts_with("pat:sha256:"));
    }

    #[test]
    fn same_secrets_compares_tokens_or_keys() {
        let a = AuthDotJson::from_api_key(Secret::new("sk-a-0123456789"));
        let b = AuthDotJson::from_api_key(Secret::new("sk-b-0123456789"));
        assert!(same_secrets(&a, &a.clone()));
        assert!(!same_secrets(&a, &b));
    }
}
