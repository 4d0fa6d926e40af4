//! `Debug` of every type that holds a secret is redacted: the wire and domain types of
//! auth.json, what the stores return, OAuth replies, device and PKCE values, the environment
//! snapshot, and the errors a malformed file produces. Each secret below is recognisable by a
//! marker that no redacted output may contain.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::auth_json::{AuthDotJson, IdToken};
use crate::secret::Secret;

/// Fails if `shown` contains any marker.
#[track_caller]
fn assert_redacted(what: &str, shown: &str, markers: &[&str]) {
    for marker in markers {
        assert!(
            !shown.contains(marker),
            "{what}: Debug shows {marker}\n{shown}"
        );
    }
}

/// A JWT with readable claims whose signature (and the whole token) carries `marker`.
fn jwt(marker: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(
        serde_json::json!({
            "email": "debug@example.com",
            "exp": 4_000_000_000_i64,
            "https://api.openai.com/auth": {
                "chatgpt_plan_type": "pro",
                "chatgpt_account_id": "ws-debug",
            },
        })
        .to_string(),
    );
    format!("{header}.{payload}.{marker}")
}

const MARKERS: [&str; 10] = [
    "APIKEYMARKER",
    "IDTOKENMARKER",
    "ACCESSMARKER",
    "REFRESHMARKER",
    "PATMARKER",
    "AGENTMARKER",
    "BEDROCKMARKER",
    "BEDROCKKEYSMARKER",
    "EXTRAMARKER",
    "TOKENSEXTRAMARKER",
];

/// An auth.json with a secret in every field that can hold one, unknown ones included.
fn full_auth_json() -> String {
    serde_json::json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": "sk-proj-APIKEYMARKER-0123456789",
        "tokens": {
            "id_token": jwt("IDTOKENMARKER"),
            "access_token": jwt("ACCESSMARKER"),
            "refresh_token": "rt-REFRESHMARKER-0123456789",
            "account_id": "ws-debug",
            "future_token": "TOKENSEXTRAMARKER",
        },
        "last_refresh": "2026-11-23T07:00:47.258487777Z",
        "personal_access_token": "at-PATMARKER-0123456789",
        "agent_identity": {"private_key": "AGENTMARKER"},
        "bedrock_api_key": "BEDROCKMARKER",
        "bedrock_access_keys": {"secret_access_key": "BEDROCKKEYSMARKER"},
        "future_secret": "EXTRAMARKER",
    })
    .to_string()
}

#[test]
fn auth_json_and_its_parts() {
    let auth = AuthDotJson::parse(full_auth_json().as_bytes()).unwrap();
    let shown = format!("{auth:?} {auth:#?}");
    assert_redacted("AuthDotJson", &shown, &MARKERS);
    // It still says what is there.
    assert!(shown.contains("future_secret"), "{shown}");
    let tokens = auth.tokens.as_ref().unwrap();
    assert_redacted("TokenData", &format!("{tokens:?}"), &MARKERS);
    assert_redacted("IdToken", &format!("{:?}", tokens.id_token), &MARKERS);
    assert_redacted(
        "OPENAI_API_KEY",
        &format!("{:?}", auth.openai_api_key),
        &MARKERS,
    );
}

#[test]
fn what_the_stores_hold_and_return() {
    let auth = AuthDotJson::parse(full_auth_json().as_bytes()).unwrap();
    let loaded = crate::storage::Loaded {
        auth: auth.clone(),
        kind: crate::storage::StoreKind::File,
        location: "/tmp/auth.json".into(),
    };
    assert_redacted("Loaded", &format!("{loaded:?}"), &MARKERS);

    let dir = tempfile::tempdir().unwrap();
    let lock =
        crate::lock::acquire(&dir.path().join("auth.lock"), &dir.path().join("auth.json")).unwrap();
    let ephemeral = crate::storage::ephemeral::EphemeralStore::default();
    crate::storage::CredentialStore::save(&ephemeral, &auth, &lock).unwrap();
    assert_redacted("EphemeralStore", &format!("{ephemeral:?}"), &MARKERS);

    // The file store's load result, and its error for a file with a secret in the wrong place.
    let path = dir.path().join("auth.json");
    std::io::Write::write_all(
        &mut std::fs::File::create(&path).unwrap(),
        full_auth_json().as_bytes(),
    )
    .unwrap();
    let store = crate::storage::file::FileStore::new(path.clone());
    let loaded = crate::storage::CredentialStore::load(&store).unwrap();
    assert_redacted("FileStore load", &format!("{loaded:?} {store:?}"), &MARKERS);
}

#[test]
fn errors_about_malformed_credentials() {
    let key = "sk-proj-MISPLACEDMARKER-0123456789";
    for text in [
        format!(r#"{{"auth_mode": "{key}"}}"#),
        format!(r#"{{"OPENAI_API_KEY": ["{key}"]}}"#),
        format!(r#"{{"OPENAI_API_KEY": {{"key": "{key}"}}}}"#),
        format!(r#"{{"OPENAI_API_KEY": 1, "last_refresh": "{key}"}}"#),
        format!(r#"{{"OPENAI_API_KEY": "{key}" "#),
        format!(r#"{{"OPENAI_API_KEY": "{key}", }}"#),
        format!(
            r#"{{"tokens": {{"id_token": "{key}", "access_token": "{key}", "refresh_token": "r"}}}}"#
        ),
        format!(
            r#"{{"tokens": {{"id_token": "a.{key}.c", "access_token": "a", "refresh_token": "r"}}}}"#
        ),
        format!(
            r#"{{"tokens": {{"id_token": 7, "access_token": "{key}", "refresh_token": ["{key}"]}}}}"#
        ),
        format!(r#"{{"personal_access_token": {{"v": "{key}"}}}}"#),
    ] {
        let err = AuthDotJson::parse(text.as_bytes()).unwrap_err();
        assert_redacted(
            "AuthFileError",
            &format!("{err:?} {err}"),
            &["MISPLACEDMARKER"],
        );
        let err = crate::storage::StoreError::Malformed {
            location: "auth.json".into(),
            error: err,
        };
        assert_redacted(
            "StoreError",
            &format!("{err:?} {err}"),
            &["MISPLACEDMARKER"],
        );
    }
    let err = crate::jwt::id_claims("a.MISPLACEDMARKER.c").unwrap_err();
    assert_redacted("JwtError", &format!("{err:?}"), &["MISPLACEDMARKER"]);
}

#[test]
fn oauth_replies_and_login_values() {
    let reply: crate::oauth::token::TokenResponse = serde_json::from_value(serde_json::json!({
        "id_token": jwt("IDTOKENMARKER"),
        "access_token": jwt("ACCESSMARKER"),
        "refresh_token": "rt-REFRESHMARKER-0123456789",
    }))
    .unwrap();
    assert_redacted("TokenResponse", &format!("{reply:?}"), &MARKERS);

    let refreshed = crate::oauth::refresh_grant::Refreshed {
        id_token: Some(IdToken::parse(&jwt("IDTOKENMARKER")).unwrap()),
        access_token: Secret::new(jwt("ACCESSMARKER")),
        refresh_token: Some(Secret::new("rt-REFRESHMARKER-0123456789")),
    };
    assert_redacted("Refreshed", &format!("{refreshed:?}"), &MARKERS);

    let grant = crate::oauth::device::DeviceGrant {
        authorization_code: Secret::new("CODEMARKER-0123456789"),
        code_verifier: Secret::new("VERIFIERMARKER-0123456789"),
    };
    assert_redacted(
        "DeviceGrant",
        &format!("{:?}", crate::oauth::device::Poll::Approved(grant)),
        &["CODEMARKER", "VERIFIERMARKER"],
    );

    let device = crate::oauth::device::DeviceCode {
        device_auth_id: "dev_DEVICEIDMARKER".into(),
        user_code: "ABCD-EFGH".into(),
        interval: std::time::Duration::from_secs(5),
    };
    let shown = format!("{device:?}");
    assert_redacted("DeviceCode", &shown, &["DEVICEIDMARKER"]);
    assert!(
        shown.contains("ABCD-EFGH"),
        "the user code is for the user: {shown}"
    );

    let pkce = crate::oauth::pkce::Pkce::from_verifier(Secret::new("VERIFIERMARKER-0123456789"));
    let shown = format!("{pkce:?}");
    assert_redacted("Pkce", &shown, &["VERIFIERMARKER"]);
    assert!(shown.contains(&pkce.challenge), "{shown}");

    let (reply, _page) = tokio::sync::oneshot::channel();
    let callback = crate::oauth::browser::Callback::Code {
        code: Secret::new("CODEMARKER-0123456789"),
        reply,
    };
    assert_redacted("Callback", &format!("{callback:?}"), &["CODEMARKER"]);
}

#[test]
fn the_environment_snapshot_and_typed_input() {
    let env = crate::env::Env {
        codex_api_key: Some(Secret::new("sk-ENVKEYMARKER-0123456789")),
        codex_access_token: Some(Secret::new("at-ENVTOKENMARKER-0123456789")),
        ..crate::env::Env::default()
    };
    assert_redacted(
        "Env",
        &format!("{env:?}"),
        &["ENVKEYMARKER", "ENVTOKENMARKER"],
    );
    let typed = crate::input::validate("  sk-TYPEDMARKER-0123456789\n", "API key").unwrap();
    assert_redacted("typed secret", &format!("{typed:?}"), &["TYPEDMARKER"]);
    for bad in [
        "sk-TYPEDMARKER-1\nsk-TYPEDMARKER-2",
        "sk-TYPEDMARKER-1\r\nmore",
    ] {
        if let Err(err) = crate::input::validate(bad, "API key") {
            assert_redacted("InputError", &format!("{err:?} {err}"), &["TYPEDMARKER"]);
        }
    }
}
