//! Retention's freed space is reused once reclaimed: a 5-minute tier that
//! keeps one day, written day after day, stays the same size on both
//! backends. Without `Store::reclaim` the embedded store's table grows by
//! every day written (PGlite runs no autovacuum): the control run shows
//! this test would catch its loss.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::rollup::Tier;
use meridian_core::sample::Sample;
use meridian_core::DeviceId;
use meridian_store::{Reclaimable, Store};
use uuid::Uuid;

mod common;
use common::{open, Kind, BOTH};

const SERIES: usize = 40;
const DAYS: i64 = 6;

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("valid") + Duration::days(d)
}

async fn series(s: &Store) -> Vec<i64> {
    let v = validate_device(&DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .expect("valid");
    let dev = s.insert_device(&v, DeviceId(Uuid::now_v7()), day(0), "test").await.expect("device").id;
    let mut out = Vec::new();
    for i in 0..SERIES {
        out.push(s.ensure_series(dev, None, &format!("custom.m{i}"), "").await.expect("series"));
    }
    out
}

async fn rollup_bytes(s: &Store) -> i64 {
    s.tier_sizes().await.expect("sizes").iter().find(|z| z.tier == Tier::FiveMin).expect("5-min").bytes
}

/// Writes `DAYS` days of one sample a minute per series; after each, builds
/// its 5-minute buckets and deletes the day before (and reclaims, if asked).
/// Returns the tier's bytes after each day.
async fn days(s: &Store, reclaim: bool) -> Vec<i64> {
    let ids = series(s).await;
    let mut sizes = Vec::new();
    for d in 0..DAYS {
        s.ensure_sample_partitions(day(d)).await.expect("partitions");
        let batch: Vec<Sample> = (0..1440)
            .flat_map(|m| {
                ids.iter().map(move |&id| Sample { at: day(d) + Duration::minutes(m), series: id, value: m as f64 })
            })
            .collect();
        s.insert_samples(&batch).await.expect("insert");
        s.rollup_batch(Tier::FiveMin, day(d), day(d + 1), day(d + 1)).await.expect("rollup");
        let purged = s.purge_tier(Tier::FiveMin, day(d), 1_000_000).await.expect("purge");
        assert_eq!(purged, if d == 0 { 0 } else { (SERIES * 288) as u64 }, "day {d}: the day before, whole");
        if reclaim {
            s.reclaim(Reclaimable::Rollups).await.expect("reclaim");
        }
        sizes.push(rollup_bytes(s).await);
    }
    sizes
}

#[tokio::test(flavor = "multi_thread")]
async fn a_purged_tier_reuses_its_space_once_reclaimed() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let sizes = days(&s, true).await;
        // Two days' rows at most (the one kept and the one written before
        // the next purge), from the second day on; a margin of 25 % for
        // free-space map granularity and index pages.
        let (second, last) = (sizes[1], sizes[sizes.len() - 1]);
        assert!(last * 4 <= second * 5, "{kind:?}: the tier grew although its rows did not: {sizes:?}");
        // The other reclaimable tables vacuum without error, empty or not.
        s.reclaim(Reclaimable::SyslogMessages).await.expect("syslog");
        s.reclaim(Reclaimable::TrapEvents).await.expect("traps");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn without_reclaim_the_embedded_tier_grows_by_every_day() {
    // PGlite only: native PostgreSQL's autovacuum may step in at any time.
    let (s, _dir) = open(Kind::Pglite).await;
    let sizes = days(&s, false).await;
    let (second, last) = (sizes[1], sizes[sizes.len() - 1]);
    assert!(last >= second * 2, "the control did not grow, so the test above proves nothing: {sizes:?}");
    s.close().await;
}
