//! The rollup job and tiered charts through `App`, on the embedded store and
//! a native PostgreSQL: a build cut into many short passes (as a crash or a
//! stop between batches leaves it) gives charts equal to aggregating the raw
//! samples, a second pass changes nothing, each range reads the expected
//! tier, retention deletes exactly what is older than its setting, and a bad
//! retention setting is refused without changing anything.

mod common;

use common::backend::Backend;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, DurationRound, Utc};
use meridian_core::sample::Sample;
use meridian_service::{ApiErrorKind, DeviceInput, Retention, RollupConfig, Tier};

const DAYS: i64 = 40;

/// Today 00:00 UTC: every tier's buckets start on it.
fn today() -> DateTime<Utc> {
    Utc::now().duration_trunc(Duration::days(1)).expect("truncate")
}

/// A device with an RTT sample every minute for `DAYS` days up to `now`
/// (whole-number values, so sums are exact in any order). Returns the
/// series id and the samples.
async fn fill(b: &Backend, now: DateTime<Utc>) -> (i64, Vec<Sample>) {
    let app = b.app().await;
    app.add_device(DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    app.close().await;
    let store = b.store().await;
    let d = store.get_device(&"r1".into()).await.expect("device").id;
    let rtt = store.ensure_series(d, None, "rtt_ms", "ms").await.expect("series");
    let samples: Vec<Sample> = (1..=DAYS * 1440)
        .map(|i| Sample { at: now - Duration::minutes(i), series: rtt, value: ((i * 37) % 101) as f64 })
        .collect();
    for chunk in samples.chunks(20_000) {
        store.insert_samples(chunk).await.expect("samples");
    }
    store.close().await;
    (rtt, samples)
}

/// Short passes without pauses, so a test builds 40 days in seconds.
fn quick(max_batches: usize) -> RollupConfig {
    RollupConfig {
        spans: [Duration::days(1), Duration::days(7), Duration::days(30)],
        pause: StdDuration::ZERO,
        max_batches,
        ..RollupConfig::default()
    }
}

/// Everything but raw kept longer than the samples go back, raw too.
fn keep_all() -> Retention {
    Retention { raw_days: 60, five_min_days: 90, hour_days: 730, day_days: None }
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupted_builds_equal_raw_aggregation_and_charts_pick_their_tier() {
    for native in [false, true] {
        let b = Backend::new(native);
        let now = today();
        fill(&b, now).await;
        let app = b.app().await;
        app.set_retention(keep_all(), now).await.expect("retention");
        // Cut after every 3 batches: each pass resumes at the watermarks.
        let mut passes = 0;
        loop {
            passes += 1;
            let r = app.run_rollups_with(now, &quick(3)).await.expect("pass");
            if !r.cut_short {
                break;
            }
            assert!(passes < 200, "the build never finished");
        }
        assert!(passes > 5, "native={native}: the build was not interrupted ({passes} passes)");
        // A second full pass at the same time has nothing to build.
        let again = app.run_rollups_with(now, &quick(1000)).await.expect("again");
        assert_eq!((again.buckets, again.purged, again.cut_short), ([0; 3], [0; 4], false), "native={native}");

        let key = "r1".into();
        let chart = |span: Duration| {
            let app = &app;
            let key = &key;
            async move { app.device_history(key, now - span, now, 500, None).await.expect("history") }
        };
        let hour = chart(Duration::hours(1)).await;
        let day = chart(Duration::days(1)).await;
        let month = chart(Duration::days(30)).await;
        let year = chart(Duration::days(365)).await;
        let picked: Vec<_> = [&hour, &day, &month, &year].iter().map(|h| (h.tier, h.bucket_secs)).collect();
        assert_eq!(
            picked,
            [(Tier::Raw, 10), (Tier::FiveMin, 300), (Tier::Hour, 7200), (Tier::Day, 86_400)],
            "native={native}"
        );
        let sizes = app.tier_sizes().await.expect("sizes");
        let rows: Vec<_> = sizes.iter().map(|s| (s.tier, s.rows)).collect();
        assert_eq!(
            rows,
            // Each tier stops one bucket short of now: the newest 5 minutes
            // wait out the grace, the hour and the day are not over.
            [
                (Tier::Raw, DAYS * 1440),
                (Tier::FiveMin, DAYS * 288 - 1),
                (Tier::Hour, DAYS * 24 - 1),
                (Tier::Day, DAYS - 1)
            ],
            "native={native}"
        );
        app.close().await;

        // The same charts aggregated from the raw samples at read time.
        let store = b.store().await;
        let rtt = store.list_series(store.get_device(&key).await.expect("device").id).await.expect("series")[0].id;
        for h in [&hour, &day, &month, &year] {
            let raw = store.bucketed_samples(&[rtt], h.from, h.to, h.bucket_secs).await.expect("raw");
            let s = &h.series[0];
            let want: Vec<_> = raw.iter().map(|x| (x.t, x.avg, x.min, x.max)).collect();
            let got: Vec<_> = (0..s.t.len()).map(|i| (s.t[i], s.avg[i], s.min[i], s.max[i])).collect();
            assert!(!want.is_empty());
            assert_eq!(got, want, "native={native} tier {:?}", h.tier);
        }
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn retention_removes_exactly_what_is_older_than_its_setting() {
    for native in [false, true] {
        let b = Backend::new(native);
        let now = today();
        let (_, samples) = fill(&b, now).await;
        let app = b.app().await;
        // Defaults: raw 7 days.
        let r = app.run_rollups_with(now, &quick(10_000)).await.expect("pass");
        let raw_cut = now - Duration::days(7);
        let older = samples.iter().filter(|s| s.at < raw_cut).count() as u64;
        assert_eq!(r.purged, [older, 0, 0, 0], "native={native}");
        assert!(!r.reclaimed, "native={native}: raw retention drops partitions, nothing to vacuum");

        // Tighter tiers: 5 min kept 10 days, 1 h 20, 1 day 30.
        let tight = Retention { raw_days: 7, five_min_days: 10, hour_days: 20, day_days: Some(30) };
        app.set_retention(tight, now).await.expect("set");
        let r = app.run_rollups_with(now, &quick(10_000)).await.expect("pass");
        assert_eq!(
            r.purged,
            [0, (DAYS - 10) as u64 * 288, (DAYS - 20) as u64 * 24, (DAYS - 30) as u64],
            "native={native}"
        );
        assert!(r.reclaimed, "native={native}: rollup rows went, so their space is reclaimed");
        let rows: Vec<_> = app.tier_sizes().await.expect("sizes").iter().map(|s| s.rows).collect();
        assert_eq!(rows, [7 * 1440, 10 * 288 - 1, 20 * 24 - 1, 29], "native={native}");
        app.close().await;

        let store = b.store().await;
        let oldest = |t| store.oldest_in_tier(t);
        assert_eq!(oldest(Tier::Raw).await.expect("raw"), Some(raw_cut), "native={native}");
        assert_eq!(oldest(Tier::FiveMin).await.expect("5m"), Some(now - Duration::days(10)));
        assert_eq!(oldest(Tier::Hour).await.expect("1h"), Some(now - Duration::days(20)));
        assert_eq!(oldest(Tier::Day).await.expect("1d"), Some(now - Duration::days(30)));
        store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_retention_is_refused_and_changes_nothing() {
    for native in [false, true] {
        let b = Backend::new(native);
        let app = b.app().await;
        assert_eq!(app.retention().await.expect("defaults"), Retention::default());
        let good = Retention { raw_days: 14, ..Retention::default() };
        app.set_retention(good, Utc::now()).await.expect("good");
        for (bad, fields) in [
            (Retention { raw_days: 0, ..good }, vec!["rawDays"]),
            (Retention { five_min_days: 10, ..good }, vec!["fiveMinDays"]),
            (Retention { hour_days: 0, day_days: Some(1), ..good }, vec!["hourDays", "dayDays"]),
        ] {
            let e = app.set_retention(bad, Utc::now()).await.expect_err("refused");
            assert_eq!(e.kind, ApiErrorKind::Validation, "native={native}");
            let named: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(named, fields, "native={native}");
            assert_eq!(app.retention().await.expect("unchanged"), good, "native={native}");
        }
        app.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_job_runs_beside_the_monitor_and_reports_tier_sizes() {
    for native in [false, true] {
        let b = Backend::new(native);
        let now = today();
        fill(&b, now).await;
        let app = b.app().await;
        let cfg = meridian_service::monitor::MonitorConfig {
            status_every: StdDuration::from_millis(200),
            rollups: Some(quick(10_000)),
            ..Default::default()
        };
        app.start_monitor(cfg).await.expect("monitor");
        // The first pass runs at once; its sizes reach the status (and
        // status.json, which `meridian status` reads) right after it.
        let deadline = tokio::time::Instant::now() + StdDuration::from_secs(60);
        let tiers = loop {
            let file = meridian_service::monitor::read_status_file(b.dir.path()).expect("status file");
            if let Some(s) = file.filter(|s| !s.tiers.is_empty()) {
                break s.tiers;
            }
            assert!(tokio::time::Instant::now() < deadline, "native={native}: no tier sizes in status.json");
            tokio::time::sleep(StdDuration::from_millis(200)).await;
        };
        let rows: Vec<_> = tiers.iter().map(|t| (t.tier, t.rows)).collect();
        // The job ran at the wall clock, up to a day past `now`: raw samples
        // of the last 6 to 7 days are left.
        assert_eq!(rows[0].0, Tier::Raw);
        assert!((6 * 1440..=7 * 1440).contains(&rows[0].1), "native={native}: {rows:?}");
        assert!(rows[1..].iter().all(|&(_, n)| n > 0), "native={native}: {rows:?}");
        // What the desktop reads: the same tiers, and the database's size.
        let st = app.store_status().await.expect("store status");
        assert!(st.size_bytes > 0, "native={native}");
        assert_eq!(st.tiers.iter().map(|t| t.tier).collect::<Vec<_>>(), Tier::ALL, "native={native}");
        assert!(st.tiers.iter().all(|t| t.bytes > 0), "native={native}");
        app.stop_monitor().await;
        // Stopped: a pass now finds the tiers built up to the same point.
        let again = app.run_rollups_with(now, &quick(10_000)).await.expect("pass");
        assert_eq!(again.buckets, [0; 3], "native={native}");
        app.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_known_outage_reads_as_its_availability() {
    for native in [false, true] {
        let b = Backend::new(native);
        let now = today();
        let day0 = now - Duration::days(2);
        let app = b.app().await;
        let r1 = app
            .add_device(DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
            .await
            .expect("device");
        app.close().await;
        // What the monitor logs: up since before the window, then a
        // 30-minute outage from 10:00.
        let store = b.store().await;
        for (at, from, to) in [
            (day0 - Duration::hours(1), "unknown", "up"),
            (day0 + Duration::hours(10), "up", "down"),
            (day0 + Duration::minutes(630), "down", "up"),
        ] {
            let detail = serde_json::json!({ "from": from, "to": to });
            store.log_event(at, "monitor", "device.state", "device", r1.id.to_string(), detail).await.expect("log");
        }
        store.close().await;

        let app = b.app().await;
        app.run_rollups_with(now, &quick(10_000)).await.expect("pass");
        let key = "r1".into();
        let day = app.device_uptime(&key, day0, day0 + Duration::days(1)).await.expect("uptime");
        assert_eq!((day.up_secs, day.known_secs), (86_400 - 1800, 86_400), "native={native}");
        let pct = day.up_fraction().expect("known") * 100.0;
        assert_eq!(format!("{pct:.2}"), "97.92", "native={native}");
        // The same period through the 5-minute tier, less its first bucket.
        let five = app.device_uptime(&key, day0 + Duration::minutes(5), day0 + Duration::days(1)).await.expect("5m");
        assert_eq!((five.up_secs, five.known_secs), (86_100 - 1800, 86_100), "native={native}");
        // Up before the window, not known before the first verdict.
        let before = app.device_uptime(&key, day0 - Duration::hours(2), day0).await.expect("before");
        assert_eq!((before.up_secs, before.known_secs), (3600, 3600), "native={native}");
        let e = app.device_uptime(&key, day0, day0).await.expect_err("empty range");
        assert_eq!(e.kind, ApiErrorKind::Validation);
        app.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreadable_stored_retention_stops_purging_but_not_charts() {
    for native in [false, true] {
        let b = Backend::new(native);
        let now = today();
        let (_, samples) = fill(&b, now).await;
        // A hand-edited value this build cannot read.
        let store = b.store().await;
        store.set_setting("retention", &serde_json::json!({ "rawDays": "seven" }), now).await.expect("garbage");
        store.close().await;

        let app = b.app().await;
        let r = app.run_rollups_with(now, &quick(10_000)).await.expect("pass");
        assert!(r.retention_skipped, "native={native}");
        assert_eq!(r.purged, [0; 4], "native={native}");
        assert!(r.buckets[0] > 0, "native={native}: the tiers are still built");
        let e = app.retention().await.expect_err("unreadable");
        assert_eq!(e.kind, ApiErrorKind::Store, "native={native}");
        // Charts plan with the defaults meanwhile.
        let h = app.device_history(&"r1".into(), now - Duration::days(30), now, 500, None).await.expect("chart");
        assert_eq!(h.tier, Tier::Hour, "native={native}");
        let sizes = app.tier_sizes().await.expect("sizes");
        assert_eq!(sizes[0].rows, samples.len() as i64, "native={native}: raw samples were purged");
        // Setting a good value again repairs it.
        app.set_retention(Retention::default(), now).await.expect("repair");
        assert!(!app.run_rollups_with(now, &quick(10_000)).await.expect("pass").retention_skipped);
        app.close().await;
    }
}

/// Each pass gives raw samples their day's partition and the next few, at
/// the pass's time (migration 0013), so a day's rows never wait in the
/// DEFAULT partition.
#[tokio::test(flavor = "multi_thread")]
async fn each_pass_creates_the_sample_partitions_ahead() {
    for native in [false, true] {
        let b = Backend::new(native);
        let app = b.app().await;
        let later = today() + Duration::days(100);
        app.run_rollups_with(later, &quick(10)).await.expect("pass");
        app.close().await;
        let store = b.store().await;
        let days = store.sample_partitions().await.expect("partitions");
        for ahead in 0..=meridian_store::SAMPLE_PARTITION_DAYS_AHEAD {
            let day = (later + Duration::days(ahead)).date_naive();
            assert!(days.contains(&day), "native={native}: no partition for {day} in {days:?}");
        }
        store.close().await;
    }
}
