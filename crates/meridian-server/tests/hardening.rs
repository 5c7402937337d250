//! The audit row shares its change's transaction; logins are throttled per
//! source address with state in PostgreSQL; an open WebSocket notices a
//! revoked token or a deleted user.

mod common;

use std::time::{Duration, Instant};

use common::{next_message, ws_connect, Server};
use meridian_service::auth::{AuthPolicy, LoginRequest, Role};
use meridian_service::ApiErrorKind;
use reqwest::Method;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

async fn sql(s: &Server, q: &str) {
    sqlx::query(q).execute(&mut *s.store.conn().await.expect("conn")).await.expect(q);
}

async fn count(s: &Server, q: &str) -> i64 {
    sqlx::query_scalar(q).fetch_one(&mut *s.store.conn().await.expect("conn")).await.expect(q)
}

/// An audit insert that fails (a trigger the test adds refuses these
/// actions) takes its change back: the alarm stays unacknowledged with no
/// log line, the device is not added, and no client hears of either.
#[tokio::test(flavor = "multi_thread")]
async fn a_change_whose_audit_row_fails_is_rolled_back() {
    let s = Server::start().await;
    sql(
        &s,
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF NEW.action IN ('alarm.ack', 'device.add') THEN RAISE EXCEPTION 'audit refused by the test'; END IF; \
         RETURN NEW; END $$",
    )
    .await;
    sql(&s, "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_trail FOR EACH ROW EXECUTE FUNCTION refuse_audit()")
        .await;
    let mut viewer = ws_connect(s.addr, &s.cert_path, Some(&s.user("viewer").token)).await.expect("viewer");
    let alarm = s.raise(&s.dev_a, "audit-tx").await;
    let op = s.user("operator").token.clone();
    let logs_before = count(&s, "SELECT count(*) FROM event_log WHERE entity = 'alarm'").await;

    let r = s
        .call(Method::POST, &format!("/api/v1/alarms/{}/ack", alarm.id), Some(&op), Some(json!({"comment": "x"})))
        .await;
    assert_eq!(r.status, 500, "{}", r.text);
    let now = s.store.get_alarm(&alarm.id.to_string()).await.expect("alarm");
    assert_eq!((now.acked_at, now.acked_by.as_deref(), now.version), (None, None, alarm.version));
    assert_eq!(
        count(&s, "SELECT count(*) FROM event_log WHERE entity = 'alarm'").await,
        logs_before,
        "no log line of the ack"
    );
    assert_eq!(count(&s, "SELECT count(*) FROM alarm_comments").await, 0, "nor its comment");

    let admin = s.user("admin").token.clone();
    let body = json!({"name": "never-added", "address": common::next_address(), "tags": []});
    let r = s.call(Method::POST, "/api/v1/devices", Some(&admin), Some(body)).await;
    assert_eq!(r.status, 500, "{}", r.text);
    assert_eq!(s.call(Method::GET, "/api/v1/devices/never-added", Some(&admin), None).await.status, 404);

    // The same changes go through once the trail takes rows again, and the
    // viewer's first event is that ack: the failed ones were never sent.
    sql(&s, "DROP TRIGGER refuse_audit ON audit_trail").await;
    let r = s.call(Method::POST, &format!("/api/v1/alarms/{}/ack", alarm.id), Some(&op), Some(json!({}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    match next_message(&mut viewer).await {
        Some(Message::Text(t)) => {
            let e: serde_json::Value = serde_json::from_str(&t).expect("json");
            assert_eq!(
                (e["type"].as_str(), e["alarm"]["id"].as_str()),
                (Some("alarmAcknowledged"), Some(&*alarm.id.to_string()))
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&s, "SELECT count(*) FROM audit_trail WHERE action = 'alarm.ack'").await, 1);
    s.shutdown().await;
}

/// After N failed logins from one address (across different accounts, one
/// of them unknown) the address gets 429 with Retry-After, even with a right
/// password; no account is locked by it; the count lives in PostgreSQL and
/// the table stays within its bound.
#[tokio::test(flavor = "multi_thread")]
async fn failed_logins_throttle_the_source_address() {
    let mut policy = AuthPolicy::default();
    policy.throttle.failures = 3;
    policy.throttle.window = chrono::Duration::seconds(120);
    policy.throttle.max_sources = 5;
    let s = Server::start_with(policy.clone()).await;
    let login = |name: &str, password: &str| {
        let body = json!({"name": name, "password": password});
        let (client, url) = (s.client.clone(), format!("{}/api/v1/login", s.url));
        async move { common::Reply::from(client.post(url).json(&body).send().await.expect("login")).await }
    };
    for name in ["viewer", "technician", "nobody-at-all"] {
        assert_eq!(login(name, "wrong-password-123").await.status, 401, "{name}");
    }
    let r = login("operator", common::USER_PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.text);
    assert_eq!(r.kind(), "throttled");
    let retry: u64 = r.headers.get("retry-after").expect("Retry-After").to_str().expect("ascii").parse().expect("secs");
    assert!((1..=120).contains(&retry), "{retry}");
    assert_eq!(r.json()["retryAfterSecs"].as_u64(), Some(retry));
    // Throttling is not lockout: the accounts it touched are not locked.
    let users = s.call(Method::GET, "/api/v1/users", Some(&s.user("admin").token), None).await.json();
    assert!(users.as_array().expect("users").iter().all(|u| u["locked"] == false), "{users}");
    assert_eq!(count(&s, "SELECT count(*) FROM login_throttle WHERE blocked_until IS NOT NULL").await, 1);
    assert_eq!(count(&s, "SELECT count(*) FROM audit_trail WHERE action = 'login.throttled'").await, 1);

    // Other sources (as the service sees them) are counted apart, and the
    // table keeps at most `max_sources` of them.
    let right = LoginRequest { name: "operator".into(), password: common::USER_PASSWORD.into() };
    s.app.login(right.clone(), "192.0.2.200", &policy).await.expect("another address logs in");
    for i in 0..12 {
        let bad = LoginRequest { name: format!("ghost-{i}"), password: format!("wrong-password-{i}") };
        let e = s.app.login(bad, &format!("192.0.2.{i}"), &policy).await.expect_err("wrong");
        assert_eq!(e.kind, ApiErrorKind::Unauthorized);
    }
    assert!(count(&s, "SELECT count(*) FROM login_throttle").await <= 5);
    let e = s.app.login(right, "127.0.0.1", &policy).await.expect_err("127.0.0.1 is still blocked");
    assert_eq!(e.kind, ApiErrorKind::Throttled);
    s.shutdown().await;
}

/// The next message is a close with 1008 within `within`.
async fn closed_within(ws: &mut common::Ws, within: Duration) {
    let t0 = Instant::now();
    match next_message(ws).await {
        Some(Message::Close(Some(f))) => assert_eq!(u16::from(f.code), 1008, "{f:?}"),
        other => panic!("expected a 1008 close, got {other:?}"),
    }
    assert!(t0.elapsed() < within, "closed after {:?}", t0.elapsed());
}

/// With a 1 s re-check, a socket whose token is revoked, and one whose
/// user is deleted, are closed; a socket whose credentials still hold stays.
#[tokio::test(flavor = "multi_thread")]
async fn an_open_websocket_is_closed_when_its_credentials_go() {
    let policy = AuthPolicy { recheck: Duration::from_secs(1), ..AuthPolicy::default() };
    let s = Server::start_with(policy).await;
    let gone = s.add_user("soon_gone", Role::Viewer, &[]).await;
    let viewer = s.user("viewer").token.clone();
    let mut revoked = ws_connect(s.addr, &s.cert_path, Some(&viewer)).await.expect("viewer");
    let mut deleted = ws_connect(s.addr, &s.cert_path, Some(&gone.token)).await.expect("soon_gone");
    let mut stays = ws_connect(s.addr, &s.cert_path, Some(&s.user("operator").token)).await.expect("operator");

    let mine = s.call(Method::GET, "/api/v1/tokens", Some(&viewer), None).await.json();
    let id = mine[0]["id"].as_str().expect("token id").to_owned();
    let r = s.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&viewer), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    closed_within(&mut revoked, Duration::from_secs(5)).await;

    let admin = s.user("admin").token.clone();
    let uid = gone.caller.actor.user_id.expect("id");
    let r = s.call(Method::DELETE, &format!("/api/v1/users/{uid}"), Some(&admin), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    closed_within(&mut deleted, Duration::from_secs(5)).await;

    // Still open: it hears the next event.
    let alarm = s.raise(&s.dev_a, "still-open").await;
    let r = s.call(Method::POST, &format!("/api/v1/alarms/{}/clear", alarm.id), Some(&admin), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(matches!(next_message(&mut stays).await, Some(Message::Text(_))));
    s.shutdown().await;
}
