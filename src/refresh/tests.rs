//! Unit tests of [`super::freshness`] and the token merge of a refresh reply.

use super::commit::apply;
use super::*;
use crate::auth_json::IdToken;
use crate::jwt::forge;
use crate::oauth::refresh_grant::Refreshed;
use crate::secret::Secret;
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn auth_with_access(access: &str) -> AuthDotJson {
    let text = serde_json::json!({
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": null,
        "tokens": {
            "id_token": forge(r#"{"email":"a@b.c"}"#),
            "access_token": access,
            "refresh_token": "rt-1",
            "account_id": "acct-1",
            "future_key": 1
        },
        "last_refresh": "2026-11-23T07:00:47.258487777Z",
        "unknown_top": true
    });
    AuthDotJson::parse(text.to_string().as_bytes()).unwrap()
}

fn tokens_expiring_at(exp: DateTime<Utc>) -> TokenData {
    let auth = auth_with_access(&forge(&format!(r#"{{"exp":{}}}"#, exp.timestamp())));
    auth.tokens.unwrap()
}

const MINUTE: Duration = Duration::from_secs(60);

#[test]
fn expired_token_is_stale() {
    let tokens = tokens_expiring_at(now() - chrono::TimeDelta::seconds(1));
    assert_eq!(
        freshness(&tokens, None, now(), MINUTE),
        Freshness::Stale(StaleReason::Expired)
    );
    let tokens = tokens_expiring_at(now());
    assert_eq!(
        freshness(&tokens, None, now(), Duration::ZERO),
        Freshness::Stale(StaleReason::Expired)
    );
}

#[test]
fn the_validity_window_decides() {
    let tokens = tokens_expiring_at(now() + chrono::TimeDelta::minutes(10));
    assert_eq!(freshness(&tokens, None, now(), MINUTE), Freshness::Fresh);
    assert_eq!(
        freshness(&tokens, None, now(), 15 * MINUTE),
        Freshness::Stale(StaleReason::ExpiresSoon)
    );
    assert_eq!(
        freshness(&tokens, None, now(), 10 * MINUTE),
        Freshness::Stale(StaleReason::ExpiresSoon),
        "exactly at the edge counts as stale"
    );
}

#[test]
fn a_valid_exp_ignores_an_old_last_refresh() {
    let tokens = tokens_expiring_at(now() + chrono::TimeDelta::hours(1));
    let long_ago = now() - chrono::TimeDelta::days(30);
    assert_eq!(
        freshness(&tokens, Some(long_ago), now(), MINUTE),
        Freshness::Fresh
    );
}

#[test]
fn without_exp_last_refresh_older_than_8_days_is_stale() {
    let tokens = auth_with_access("opaque-access-token").tokens.unwrap();
    let recent = now() - chrono::TimeDelta::days(7);
    let old = now() - chrono::TimeDelta::days(8) - chrono::TimeDelta::seconds(1);
    assert_eq!(
        freshness(&tokens, Some(recent), now(), MINUTE),
        Freshness::Fresh
    );
    assert_eq!(
        freshness(&tokens, Some(old), now(), MINUTE),
        Freshness::Stale(StaleReason::Scheduled)
    );
    assert_eq!(
        freshness(&tokens, None, now(), MINUTE),
        Freshness::Fresh,
        "no last_refresh: never (as Codex)"
    );
}

#[test]
fn huge_windows_do_not_overflow() {
    let tokens = tokens_expiring_at(now() + chrono::TimeDelta::hours(1));
    assert_eq!(
        freshness(&tokens, None, now(), Duration::from_secs(u64::MAX)),
        Freshness::Stale(StaleReason::ExpiresSoon)
    );
}

#[test]
fn stale_reasons_map_to_codex_refresh_reasons() {
    assert_eq!(
        StaleReason::Expired.grant_reason(),
        RefreshReason::ProactiveExpiry
    );
    assert_eq!(
        StaleReason::ExpiresSoon.grant_reason(),
        RefreshReason::ProactiveExpiry
    );
    assert_eq!(
        StaleReason::Scheduled.grant_reason(),
        RefreshReason::Scheduled
    );
    assert_eq!(StaleReason::Forced.grant_reason(), RefreshReason::Forced);
}

#[test]
fn apply_keeps_what_the_issuer_left_out_and_unknown_keys() {
    let stored = auth_with_access("old-access");
    let before = stored.tokens.clone().unwrap();
    let refreshed = Refreshed {
        id_token: None,
        access_token: Secret::new("new-access"),
        refresh_token: None,
    };
    let updated = apply(&stored, &before, refreshed, now());
    let tokens = updated.tokens.as_ref().unwrap();
    assert_eq!(tokens.access_token.expose(), "new-access");
    assert_eq!(tokens.refresh_token.expose(), "rt-1");
    assert_eq!(tokens.id_token, before.id_token);
    assert_eq!(tokens.extra, before.extra);
    assert_eq!(updated.extra, stored.extra);
    assert_eq!(updated.last_refresh.as_ref().unwrap().at, now());

    let new_id = IdToken::parse(&forge(r#"{"email":"new@b.c"}"#)).unwrap();
    let refreshed = Refreshed {
        id_token: Some(new_id.clone()),
        access_token: Secret::new("newer-access"),
        refresh_token: Some(Secret::new("rt-2")),
    };
    let updated = apply(&stored, &before, refreshed, now());
    let tokens = updated.tokens.unwrap();
    assert_eq!(tokens.id_token, new_id);
    assert_eq!(tokens.refresh_token.expose(), "rt-2");
}

#[test]
fn only_chatgpt_credentials_need_refresh() {
    let expired = auth_with_access(&forge(r#"{"exp":1}"#));
    assert!(needs_refresh(&expired, now(), MINUTE));
    let api_key = AuthDotJson::from_api_key(Secret::new("sk-test"));
    assert!(!needs_refresh(&api_key, now(), Duration::MAX));
}
