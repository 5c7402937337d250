//! The events outbox (migration 0026) across two replicas of the real
//! binary: an event too large for a NOTIFY payload arrives whole, and an
//! event published while every listener's connection is down arrives after
//! the reconnect, once; a hole in the outbox is announced as `eventsMissed`.

mod common;

use chrono::{DateTime, Utc};
use common::replica::{start_replica, Replica};
use common::{next, ws_connect, Server, Ws};
use meridian_core::alarm::Alarm;
use serde_json::{json, Value};

async fn sql_i64(s: &Server, q: &str, bind: &str) -> i64 {
    sqlx::query_scalar(q).bind(bind).fetch_one(&mut *s.store.conn().await.expect("conn")).await.expect(q)
}

/// Acknowledges `alarm` through replica `a` as the operator.
async fn ack_through(s: &Server, a: &Replica, client: &reqwest::Client, alarm: &Alarm) {
    let r = client
        .post(format!("https://localhost:{}/api/v1/alarms/{}/ack", a.addr.port(), alarm.id))
        .bearer_auth(&s.user("operator").token)
        .json(&json!({}))
        .send()
        .await
        .expect("ack through A");
    assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap_or_default());
}

fn assert_acked(e: &Value, alarm: &Alarm) {
    assert_eq!(
        (e["type"].as_str(), e["alarm"]["id"].as_str()),
        (Some("alarmAcknowledged"), Some(&*alarm.id.to_string())),
        "{e}"
    );
}

struct Pair {
    s: Server,
    a: Replica,
    _b: Replica,
    client: reqwest::Client,
    /// The viewer (every site) on replica B.
    ws: Ws,
    _state: tempfile::TempDir,
}

async fn pair() -> Pair {
    let s = Server::start().await;
    let state = tempfile::tempdir().expect("state");
    // A first, so B finds the certificate A generated in the shared directory.
    let a = start_replica(&s.db_url, state.path());
    let b = start_replica(&s.db_url, state.path());
    let cert = state.path().join("tls/cert.pem");
    let client = common::https_client(&cert);
    let ws = ws_connect(b.addr, &cert, Some(&s.user("viewer").token)).await.expect("viewer on B");
    Pair { s, a, _b: b, client, ws, _state: state }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_larger_than_a_notify_payload_reaches_the_other_replica_whole() {
    let mut p = pair().await;
    // 3,000 × "nnn é<>\"'" : 24,000 bytes of JSON-escaped, multi-byte text.
    let text: String = (0..3000).map(|i| format!("{:03} é<\"'", i % 1000)).collect();
    let big = p.s.raise_with_text(&p.s.dev_a, "big", &text).await;
    ack_through(&p.s, &p.a, &p.client, &big).await;
    let e = next(&mut p.ws).await;
    assert_acked(&e, &big);
    assert_eq!(e["alarm"]["additionalText"].as_str(), Some(&*text), "the long text arrived whole");
    assert!(e.to_string().len() > 8000, "the event is larger than any NOTIFY payload");
    let stored = sql_i64(
        &p.s,
        "SELECT max(octet_length(json))::bigint FROM event_outbox WHERE json LIKE '%' || $1 || '%'",
        &big.id.to_string(),
    )
    .await;
    assert!(stored > 7999, "{stored} bytes in the outbox row");

    // A small event after it arrives next: nothing twice, nothing between.
    let small = p.s.raise(&p.s.dev_a, "small").await;
    ack_through(&p.s, &p.a, &p.client, &small).await;
    assert_acked(&next(&mut p.ws).await, &small);
    p.s.shutdown().await;
}

/// Terminates every LISTEN connection of the test database (replica A's,
/// replica B's and the test's own server's) and waits until they are gone.
async fn terminate_listeners(s: &Server) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .fetch_one(&mut *s.store.conn().await.expect("conn"))
    .await
    .expect("terminate")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_published_while_listeners_reconnect_arrives_once() {
    let mut p = pair().await;
    let mut proven = false;
    // A listener reconnects one second after it lost its connection; each
    // round checks, from PostgreSQL's own record, that every listener's
    // LISTEN ran after the event was committed, i.e. that the event
    // can only have come from the outbox. Bounded: a round where some
    // listener was back before the commit proves nothing and is repeated.
    for round in 0..5 {
        let alarm = p.s.raise(&p.s.dev_a, &format!("during-reconnect-{round}")).await;
        // A, B and the test's server each LISTEN (some may still be
        // reconnecting from the round before).
        assert!(terminate_listeners(&p.s).await >= 1, "no LISTEN connection to terminate");
        ack_through(&p.s, &p.a, &p.client, &alarm).await;
        // Once the row is visible its transaction (and NOTIFY) has committed.
        let mut committed = None;
        for _ in 0..500 {
            let row: Option<DateTime<Utc>> = sqlx::query_scalar(
                "SELECT clock_timestamp() FROM event_outbox WHERE json LIKE '%' || $1 || '%' LIMIT 1",
            )
            .bind(alarm.id.to_string())
            .fetch_optional(&mut *p.s.store.conn().await.expect("conn"))
            .await
            .expect("outbox");
            if row.is_some() {
                committed = row;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let committed: DateTime<Utc> = committed.expect("the ack's event in the outbox within 500 reads");
        assert_acked(&next(&mut p.ws).await, &alarm);
        // B has LISTENed again (it delivered); did any LISTEN (B's
        // included) start before the commit? (A listener's connection comes
        // from its pool, so when the LISTEN ran tells, not when the
        // connection was made.)
        let early: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity
             WHERE datname = current_database() AND query LIKE 'LISTEN%' AND query_start <= $1",
        )
        .bind(committed)
        .fetch_one(&mut *p.s.store.conn().await.expect("conn"))
        .await
        .expect("listeners");
        if early == 0 {
            proven = true;
            break;
        }
    }
    assert!(proven, "in 5 rounds no event was published while every listener was down");
    // Nothing twice: the next event is the next ack.
    let later = p.s.raise(&p.s.dev_a, "after-reconnect").await;
    ack_through(&p.s, &p.a, &p.client, &later).await;
    assert_acked(&next(&mut p.ws).await, &later);
    p.s.shutdown().await;
}

/// Rows gone from the outbox before a replica read them back (pruned while
/// it was away) leave a hole in the ids: its WebSocket clients are told
/// `eventsMissed` with the size of the hole, then get the next event, and
/// the browser reloads on that (ui/src/httptransport.ts). The hole is made
/// by moving the id sequence on, as a prune of four unread rows would.
#[tokio::test(flavor = "multi_thread")]
async fn a_hole_in_the_outbox_is_announced_before_the_next_event() {
    let mut p = pair().await;
    let alarm = p.s.raise(&p.s.dev_a, "after-a-hole").await;
    sqlx::query("SELECT setval('event_outbox_id_seq', (SELECT COALESCE(max(id), 0) + 4 FROM event_outbox))")
        .execute(&mut *p.s.store.conn().await.expect("conn"))
        .await
        .expect("a hole of four ids");
    ack_through(&p.s, &p.a, &p.client, &alarm).await;
    let e = next(&mut p.ws).await;
    assert_eq!((e["type"].as_str(), e["count"].as_u64()), (Some("eventsMissed"), Some(4)), "{e}");
    assert_acked(&next(&mut p.ws).await, &alarm);
    p.s.shutdown().await;
}
