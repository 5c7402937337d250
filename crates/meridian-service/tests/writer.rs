//! The batch writer against the real embedded store.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use meridian_core::sample::Sample;
use meridian_service::writer::{spawn_writer, WriterConfig};
use meridian_store::{Store, StoreConfig};

fn sample(i: i64) -> Sample {
    Sample { at: Utc::now(), series: i % 7, value: i as f64 }
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_by_size_and_time_and_drains_on_shutdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(Store::open(StoreConfig::embedded(dir.path())).await.expect("open"));
    let cfg = WriterConfig { batch_size: 100, max_delay: Duration::from_millis(50), ..Default::default() };
    let (sink, handle) = spawn_writer(store.clone(), cfg);
    for i in 0..1_050 {
        assert!(sink.send(sample(i)).await);
    }
    let stats_before = sink.stats();
    assert_eq!(stats_before.accepted, 1_050);
    drop(sink);
    handle.await.expect("writer task");
    // Everything queued was written, in at least 11 batches (10 full + the rest).
    assert_eq!(store.count_samples().await.expect("count"), 1_050);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_queue_applies_backpressure_then_drops_and_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(Store::open(StoreConfig::embedded(dir.path())).await.expect("open"));
    // Hold the store's only connection so the writer cannot make progress:
    // the queue fills, senders wait enqueue_timeout, then drop.
    let conn = store.conn().await.expect("conn");
    let cfg = WriterConfig {
        capacity: 10,
        batch_size: 5,
        max_delay: Duration::from_millis(10),
        enqueue_timeout: Duration::from_millis(20),
        ..Default::default()
    };
    let (sink, handle) = spawn_writer(store.clone(), cfg);
    let mut accepted = 0;
    for i in 0..40 {
        if sink.send(sample(i)).await {
            accepted += 1;
        }
    }
    let s = sink.stats();
    assert!(accepted < 40, "nothing was refused");
    assert_eq!(s.accepted, accepted);
    assert_eq!(s.dropped, 40 - accepted);
    assert!(s.queue_depth > 0 && s.queue_depth <= 10, "{s:?}");
    drop(conn);
    drop(sink);
    handle.await.expect("writer task");
    assert_eq!(store.count_samples().await.expect("count"), accepted as i64);
    store.close().await;
}
