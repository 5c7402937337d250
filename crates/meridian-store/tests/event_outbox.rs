//! The events outbox (migration 0026) on a native PostgreSQL: a listener
//! hears `id\naudience\njson` for an event that fits a NOTIFY and the id
//! alone for one that does not, reads both back in order, and every
//! 1,000th event prunes rows older than 10 minutes. The embedded store has
//! no LISTEN and says so.

mod common;

use common::{open, Kind};
use meridian_store::{Heard, StoreError, EVENTS_CHANNEL};

#[tokio::test(flavor = "multi_thread")]
async fn large_events_travel_as_their_id_and_are_read_back_in_order() {
    let (store, _dir) = open(Kind::Native).await;
    assert_eq!(store.last_outbox_id().await.expect("last"), 0);
    let mut l = store.listen(EVENTS_CHANNEL).await.expect("listen");
    assert_eq!(l.recv().await.expect("connected"), Heard::Connected);

    let small = r#"{"type":"rulesChanged"}"#;
    let big = format!(r#"{{"type":"x","text":"{}"}}"#, "é".repeat(5000));
    let a = store.publish_event(EVENTS_CHANNEL, "*", small).await.expect("small");
    let b = store.publish_event(EVENTS_CHANNEL, "-", &big).await.expect("big");
    assert_eq!(b, a + 1);
    assert_eq!(l.recv().await.expect("small"), Heard::Notification(format!("{a}\n*\n{small}")));
    assert_eq!(l.recv().await.expect("big"), Heard::Notification(b.to_string()), "the id alone");

    let rows = store.outbox_after(0, None).await.expect("rows");
    assert_eq!(rows.iter().map(|r| (r.id, &*r.audience)).collect::<Vec<_>>(), [(a, "*"), (b, "-")]);
    assert_eq!(rows[1].json, big);
    assert_eq!(store.outbox_after(a, Some(a)).await.expect("none").len(), 0);
    assert_eq!(store.outbox_after(0, Some(a)).await.expect("one")[0].id, a);
    assert_eq!(store.last_outbox_id().await.expect("last"), b);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_thousandth_event_prunes_old_rows() {
    let (store, _dir) = open(Kind::Native).await;
    let mut conn = store.conn().await.expect("conn");
    sqlx::query(
        "INSERT INTO event_outbox (audience, json, created_at) VALUES ('*', '{}', now() - interval '11 minutes')",
    )
    .execute(&mut *conn)
    .await
    .expect("old row");
    drop(conn);
    let mut last = 0;
    while last % 1000 != 999 {
        last = store.publish_event("meridian_test_prune", "*", "{}").await.expect("publish");
    }
    let oldest = store.outbox_after(0, None).await.expect("rows")[0].id;
    assert_eq!(oldest, 1, "the old row is still there before the 1,000th event");
    let k = store.publish_event("meridian_test_prune", "*", "{}").await.expect("publish");
    assert_eq!(k % 1000, 0);
    let oldest = store.outbox_after(0, None).await.expect("rows")[0].id;
    assert_eq!(oldest, 2, "the old row (id 1) is gone, the recent ones stay");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_store_has_no_listen() {
    let (store, _dir) = open(Kind::Pglite).await;
    assert!(matches!(store.listen(EVENTS_CHANNEL).await, Err(StoreError::Config(_))));
}
