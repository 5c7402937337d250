//! The history tiers on both backends: rollup buckets equal a hand
//! computation over the raw samples, rebuilding is idempotent, retention
//! deletes exactly what is older than its cutoff, and a chart read from a
//! tier equals the same chart aggregated from raw samples.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::rollup::{align_down, Agg, Tier};
use meridian_core::sample::Sample;
use meridian_core::DeviceId;
use meridian_store::Store;
use sqlx::Row;
use uuid::Uuid;

mod common;
use common::{open, BOTH};

/// An hour before midnight, so the samples cross a day edge.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 23, 0, 0).single().expect("valid")
}

fn now() -> DateTime<Utc> {
    start() + Duration::days(3)
}

/// Series `a`: one sample a minute for 26 hours, whole-number values (so sums
/// are exact in any order), some negative; series `b`: every 7 minutes, at
/// odd seconds, so its buckets hold 0, 1 or 2 samples.
fn samples(a: i64, b: i64) -> Vec<Sample> {
    let mut out: Vec<Sample> = (0..26 * 60)
        .map(|i| Sample { at: start() + Duration::minutes(i), series: a, value: ((i * 37) % 101 - 20) as f64 })
        .collect();
    out.extend((0..26 * 60 / 7).map(|i| Sample {
        at: start() + Duration::seconds(i * 7 * 60 + 13),
        series: b,
        value: (i % 5) as f64 * 0.5,
    }));
    out
}

/// Count, sum, min, max and last per (series, bucket start) of `width`,
/// computed here from the samples themselves.
fn by_hand(samples: &[Sample], width: i64) -> BTreeMap<(i64, i64), (Agg, f64)> {
    let mut out: BTreeMap<(i64, i64), (Agg, f64, DateTime<Utc>)> = BTreeMap::new();
    for s in samples {
        let key = (s.series, align_down(s.at, width).timestamp());
        out.entry(key)
            .and_modify(|(agg, last, last_at)| {
                *agg = agg.merge(Agg::of(s.value));
                if s.at >= *last_at {
                    (*last, *last_at) = (s.value, s.at);
                }
            })
            .or_insert((Agg::of(s.value), s.value, s.at));
    }
    out.into_iter().map(|(k, (agg, last, _))| (k, (agg, last))).collect()
}

/// What a rollup table holds, keyed like [`by_hand`].
async fn table(s: &Store, tier: Tier) -> BTreeMap<(i64, i64), (Agg, f64)> {
    let name = match tier {
        Tier::FiveMin => "rollup_5m",
        Tier::Hour => "rollup_1h",
        Tier::Day => "rollup_1d",
        Tier::Raw => unreachable!("raw is not a rollup"),
    };
    let sql =
        format!("SELECT series_id, extract(epoch FROM bucket)::int8 AS t, n, sum_v, min_v, max_v, last_v FROM {name}");
    let rows = sqlx::query(&sql).fetch_all(&mut *s.conn().await.expect("conn")).await.expect("rows");
    rows.iter()
        .map(|r| {
            let agg = Agg { count: r.get("n"), sum: r.get("sum_v"), min: r.get("min_v"), max: r.get("max_v") };
            ((r.get("series_id"), r.get("t")), (agg, r.get("last_v")))
        })
        .collect()
}

async fn setup(s: &Store) -> (i64, i64, Vec<Sample>) {
    let v = validate_device(&DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .expect("valid");
    let d = s.insert_device(&v, DeviceId(Uuid::now_v7()), start(), "test").await.expect("device").id;
    let a = s.ensure_series(d, None, "rtt_ms", "ms").await.expect("series");
    let b = s.ensure_series(d, None, "loss_pct", "%").await.expect("series");
    let batch = samples(a, b);
    s.insert_samples(&batch).await.expect("insert");
    (a, b, batch)
}

/// Builds every tier over the whole sample range, each in one batch.
async fn build_all(s: &Store) {
    let from = align_down(start(), 86_400);
    let to = from + Duration::days(3);
    for tier in Tier::ROLLUPS {
        s.rollup_batch(tier, from, to, now()).await.expect("rollup");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn rollups_equal_a_hand_computation_and_rebuild_idempotently() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let (_, _, raw) = setup(&s).await;
        assert_eq!(s.rollup_watermarks().await.expect("marks").get(Tier::FiveMin), None);
        assert_eq!(s.oldest_in_tier(Tier::Raw).await.expect("oldest"), Some(start()));
        build_all(&s).await;
        for tier in Tier::ROLLUPS {
            let want = by_hand(&raw, tier.width_secs().expect("width"));
            assert_eq!(table(&s, tier).await, want, "{kind:?} {tier:?}");
        }
        let marks = s.rollup_watermarks().await.expect("marks");
        assert_eq!(marks.get(Tier::Day), Some(align_down(start(), 86_400) + Duration::days(3)), "{kind:?}");

        // Rebuilding, whole or in pieces that overlap, changes nothing.
        let before = snapshot(&s).await;
        build_all(&s).await;
        let mid = start() + Duration::hours(5);
        s.rollup_batch(Tier::FiveMin, start(), mid, now()).await.expect("again");
        s.rollup_batch(Tier::FiveMin, start() + Duration::hours(2), now(), now()).await.expect("overlap");
        assert!(before == snapshot(&s).await, "{kind:?}: a rebuild changed the rollups");
        s.close().await;
    }
}

async fn snapshot(s: &Store) -> Vec<BTreeMap<(i64, i64), (Agg, f64)>> {
    let mut out = Vec::new();
    for t in Tier::ROLLUPS {
        out.push(table(s, t).await);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn tier_reads_equal_raw_aggregation() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let (a, b, _) = setup(&s).await;
        build_all(&s).await;
        let (from, to) = (start(), start() + Duration::hours(26));
        for (tier, bucket) in [(Tier::FiveMin, 900), (Tier::Hour, 7200), (Tier::Day, 86_400)] {
            // A tier read starts at the bucket holding `from` (as the read
            // plan asks), which here holds exactly the raw samples from `from`.
            let whole = align_down(from, tier.width_secs().expect("width"));
            let rolled = s.tier_aggregates(tier, &[a, b], whole, to, bucket).await.expect("tier");
            let raw = s.tier_aggregates(Tier::Raw, &[a, b], from, to, bucket).await.expect("raw");
            assert!(!raw.is_empty());
            assert_eq!(rolled, raw, "{kind:?} {tier:?}");
        }
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn purges_remove_exactly_what_is_older_and_in_bounded_batches() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let (_, _, raw) = setup(&s).await;
        build_all(&s).await;
        let cut = start() + Duration::minutes(90) + Duration::seconds(30);
        let older = raw.iter().filter(|x| x.at < cut).count() as u64;
        // Batches of 40 until one comes back short.
        let mut deleted = Vec::new();
        loop {
            let n = s.purge_tier(Tier::Raw, cut, 40).await.expect("purge");
            deleted.push(n);
            if n < 40 {
                break;
            }
        }
        assert!(deleted.iter().all(|&n| n <= 40), "{kind:?}: {deleted:?}");
        assert_eq!(deleted.iter().sum::<u64>(), older, "{kind:?}");
        let left = s.count_samples().await.expect("count") as u64;
        assert_eq!(left, raw.len() as u64 - older, "{kind:?}");
        let oldest = s.oldest_in_tier(Tier::Raw).await.expect("oldest").expect("some left");
        assert!(oldest >= cut, "{kind:?}");

        // A rollup tier: whole buckets before the cut, nothing else.
        let five = table(&s, Tier::FiveMin).await;
        let cut5 = start() + Duration::hours(2);
        let old5 = five.keys().filter(|(_, t)| *t < cut5.timestamp()).count() as u64;
        assert_eq!(s.purge_tier(Tier::FiveMin, cut5, 10_000).await.expect("purge 5m"), old5, "{kind:?}");
        let after = table(&s, Tier::FiveMin).await;
        assert_eq!(after.len(), five.len() - old5 as usize);
        assert!(after.keys().all(|(_, t)| *t >= cut5.timestamp()));
        // The other tiers are untouched.
        assert_eq!(table(&s, Tier::Hour).await, by_hand(&raw, 3600), "{kind:?}");

        s.analyze_tiers().await.expect("analyze");
        let sizes = s.tier_sizes().await.expect("sizes");
        let rows: Vec<_> = sizes.iter().map(|z| (z.tier, z.rows)).collect();
        assert_eq!(
            rows,
            [
                (Tier::Raw, left as i64),
                (Tier::FiveMin, after.len() as i64),
                (Tier::Hour, by_hand(&raw, 3600).len() as i64),
                (Tier::Day, by_hand(&raw, 86_400).len() as i64),
            ],
            "{kind:?}"
        );
        assert!(sizes.iter().all(|z| z.bytes > 0), "{kind:?}: {sizes:?}");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_planned_from_a_stale_watermark_writes_nothing() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let (_, _, raw) = setup(&s).await;
        let (a, b) = (start(), start() + Duration::hours(1));
        // First batch: no watermark yet.
        assert!(s.rollup_next(Tier::FiveMin, None, a, b, now()).await.expect("first").is_some_and(|n| n > 0));
        // Another builder planned from "none" too: refused, nothing written.
        let before = table(&s, Tier::FiveMin).await;
        let c = b + Duration::hours(1);
        assert_eq!(s.rollup_next(Tier::FiveMin, None, a, c, now()).await.expect("stale"), None, "{kind:?}");
        assert_eq!(s.rollup_next(Tier::FiveMin, Some(a), a, c, now()).await.expect("stale"), None, "{kind:?}");
        assert!(before == table(&s, Tier::FiveMin).await, "{kind:?}: a refused batch wrote");
        assert_eq!(s.rollup_watermarks().await.expect("marks").get(Tier::FiveMin), Some(b));
        // Planned from the current watermark: built.
        assert!(s.rollup_next(Tier::FiveMin, Some(b), b, c, now()).await.expect("next").is_some());
        let want: BTreeMap<_, _> = by_hand(&raw, 300).into_iter().filter(|((_, t), _)| *t < c.timestamp()).collect();
        assert!(want == table(&s, Tier::FiveMin).await, "{kind:?}");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn new_brin_ranges_are_summarized_once() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        // Over one BRIN range (128 pages) of samples, in time order.
        let batch: Vec<Sample> = (0..60_000)
            .map(|i| Sample { at: start() + Duration::seconds(i), series: 1 + i % 3, value: i as f64 })
            .collect();
        s.insert_samples(&batch).await.expect("insert");
        let first = s.summarize_time_indexes().await.expect("summarize");
        assert!(first > 0, "{kind:?}: nothing to summarize after {} rows", batch.len());
        assert_eq!(s.summarize_time_indexes().await.expect("again"), 0, "{kind:?}");
        s.close().await;
    }
}
