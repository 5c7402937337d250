//! The device page's read path on both backends: series listing, bucketed
//! aggregates, state history from the event log, and interfaces with their
//! latest rates.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::sample::Sample;
use meridian_core::state::DeviceState;
use meridian_core::DeviceId;
use meridian_store::{InterfaceRow, Store};
use serde_json::json;
use uuid::Uuid;

mod common;
use common::{open, BOTH};

/// A whole hour, so epoch-aligned buckets start exactly here.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).single().expect("valid time")
}

async fn add_device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), t0(), "test").await.expect("device").id
}

fn iface(if_index: u32, name: &str, oper: &str) -> InterfaceRow {
    InterfaceRow {
        if_index,
        name: Some(name.into()),
        descr: Some(format!("{name} descr")),
        alias: (if_index == 1).then(|| "uplink to core-1".to_owned()),
        speed_bps: Some(1_000_000_000),
        admin_status: Some("up".into()),
        oper_status: Some(oper.into()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn series_are_listed_with_their_interfaces() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let d = add_device(&s, "r1", "127.0.0.1").await;
        let other = add_device(&s, "r2", "127.0.0.2").await;
        let ids = s.upsert_interfaces(d, &[iface(2, "eth1", "up"), iface(1, "eth0", "up")], t0()).await.expect("ifs");
        let rtt = s.ensure_series(d, None, "rtt_ms", "ms").await.expect("series");
        let in1 = s.ensure_series(d, Some(ids[1]), "if_in_bps", "bit/s").await.expect("series");
        let in2 = s.ensure_series(d, Some(ids[0]), "if_in_bps", "bit/s").await.expect("series");
        s.ensure_series(other, None, "rtt_ms", "ms").await.expect("other device");

        let list = s.list_series(d).await.expect("list");
        let got: Vec<_> =
            list.iter().map(|x| (x.id, x.key.stored_metric(), x.key.if_index(), x.interface.as_deref())).collect();
        assert_eq!(
            got,
            [
                (rtt, "rtt_ms".to_owned(), None, None),
                (in1, "if_in_bps".to_owned(), Some(1), Some("eth0")),
                (in2, "if_in_bps".to_owned(), Some(2), Some("eth1"))
            ],
            "{kind:?}"
        );
        assert_eq!(list[0].unit, "ms");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn samples_aggregate_into_epoch_aligned_buckets() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let d = add_device(&s, "r1", "127.0.0.1").await;
        let a = s.ensure_series(d, None, "rtt_ms", "ms").await.expect("series");
        let b = s.ensure_series(d, None, "loss_pct", "%").await.expect("series");
        // Series a: one sample every 10 s for 10 minutes, value = minute index
        // + seconds/100, so each minute's bucket has a known avg/min/max.
        let mut batch: Vec<Sample> = (0..60)
            .map(|i| Sample { at: t0() + Duration::seconds(i * 10), series: a, value: (i / 6) as f64 + (i % 6) as f64 })
            .collect();
        batch.push(Sample { at: t0() + Duration::seconds(30), series: b, value: 50.0 });
        // Outside the range on both ends, and a series not asked for.
        batch.push(Sample { at: t0() - Duration::seconds(1), series: a, value: 1e9 });
        batch.push(Sample { at: t0() + Duration::seconds(600), series: a, value: 1e9 });
        batch.push(Sample { at: t0(), series: 999, value: 1e9 });
        s.insert_samples(&batch).await.expect("insert");

        let from = t0();
        let to = t0() + Duration::seconds(600);
        let buckets = s.bucketed_samples(&[a, b], from, to, 60).await.expect("buckets");
        let of_a: Vec<_> = buckets.iter().filter(|x| x.series_id == a).collect();
        assert_eq!(of_a.len(), 10, "{kind:?}: {buckets:?}");
        for (m, x) in of_a.iter().enumerate() {
            let m = m as f64;
            assert_eq!(x.t, t0().timestamp() + 60 * m as i64, "{kind:?}");
            assert_eq!((x.min, x.max), (m, m + 5.0), "{kind:?}");
            assert!((x.avg - (m + 2.5)).abs() < 1e-9, "{kind:?}: {x:?}");
        }
        let of_b: Vec<_> = buckets.iter().filter(|x| x.series_id == b).collect();
        assert_eq!(of_b.len(), 1, "{kind:?}: empty buckets are absent");
        assert_eq!((of_b[0].t, of_b[0].avg), (t0().timestamp(), 50.0));
        // Ordered by series, then time.
        assert!(buckets.windows(2).all(|w| (w[0].series_id, w[0].t) < (w[1].series_id, w[1].t)));

        // A range starting mid-bucket still gets epoch-aligned buckets: the
        // first one starts before `from` and holds only what is in range.
        let mid = s.bucketed_samples(&[a], t0() + Duration::seconds(30), to, 300).await.expect("mid");
        assert_eq!(mid.iter().map(|x| x.t - t0().timestamp()).collect::<Vec<_>>(), [0, 300], "{kind:?}");
        // Without the samples before `from` (value 0 at +0 s) the lowest is 1 (at +60 s).
        assert_eq!(mid[0].min, 1.0, "{kind:?}");

        assert!(s.bucketed_samples(&[], from, to, 60).await.expect("none").is_empty());
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn state_history_comes_from_the_event_log() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let d = add_device(&s, "r1", "127.0.0.1").await;
        let other = add_device(&s, "r2", "127.0.0.2").await;
        let log = |at: DateTime<Utc>, dev: DeviceId, from: &str, to: &str| {
            let detail = json!({ "from": from, "to": to });
            let s = &s;
            async move { s.log_event(at, "monitor", "device.state", "device", dev.to_string(), detail).await }
        };
        log(t0() - Duration::minutes(5), d, "unknown", "up").await.expect("log");
        log(t0() + Duration::minutes(1), d, "up", "down").await.expect("log");
        log(t0() + Duration::minutes(2), d, "down", "up").await.expect("log");
        log(t0() + Duration::minutes(3), other, "up", "down").await.expect("log");
        log(t0() + Duration::minutes(4), d, "up", "sideways").await.expect("log");
        s.log_event(t0() + Duration::minutes(4), "test", "device.update", "device", d.to_string(), json!({}))
            .await
            .expect("log");

        let got = s.state_changes(d, t0(), t0() + Duration::hours(1), 100).await.expect("states");
        let got: Vec<_> = got.iter().map(|c| (c.at, c.from, c.to)).collect();
        assert_eq!(
            got,
            [
                (t0() + Duration::minutes(2), DeviceState::Down, DeviceState::Up),
                (t0() + Duration::minutes(1), DeviceState::Up, DeviceState::Down),
            ],
            "{kind:?}: newest first, this device only, unreadable detail skipped"
        );
        let limited = s.state_changes(d, t0() - Duration::hours(1), t0() + Duration::minutes(3), 1).await.expect("one");
        assert_eq!(limited.iter().map(|c| c.at).collect::<Vec<_>>(), [t0() + Duration::minutes(2)], "{kind:?}");

        // What the monitor shows stale after a restart: each device's newest
        // readable change.
        let mut last = s.last_device_states().await.expect("last states");
        last.sort_by_key(|(_, _, at)| *at);
        assert_eq!(
            last,
            [
                (d, DeviceState::Up, t0() + Duration::minutes(2)),
                (other, DeviceState::Down, t0() + Duration::minutes(3))
            ],
            "{kind:?}"
        );
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn interfaces_carry_their_latest_recent_rates() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let d = add_device(&s, "r1", "127.0.0.1").await;
        let ids = s
            .upsert_interfaces(d, &[iface(1, "eth0", "up"), iface(2, "eth1", "down"), iface(3, "eth2", "up")], t0())
            .await
            .expect("ifs");
        let in1 = s.ensure_series(d, Some(ids[0]), "if_in_bps", "bit/s").await.expect("series");
        let out1 = s.ensure_series(d, Some(ids[0]), "if_out_bps", "bit/s").await.expect("series");
        let in3 = s.ensure_series(d, Some(ids[2]), "if_in_bps", "bit/s").await.expect("series");
        let err1 = s.ensure_series(d, Some(ids[0]), "if_in_errors", "1/s").await.expect("series");
        let at = |secs: i64| t0() + Duration::seconds(secs);
        s.insert_samples(&[
            Sample { at: at(0), series: in1, value: 100.0 },
            Sample { at: at(60), series: in1, value: 200.0 },
            Sample { at: at(30), series: out1, value: 7.0 },
            Sample { at: at(60), series: err1, value: 99.0 },
            // too old to count as current
            Sample { at: at(-3600), series: in3, value: 5.0 },
        ])
        .await
        .expect("samples");

        let views = s.interface_views(d, at(-600)).await.expect("views");
        let got: Vec<_> = views
            .iter()
            .map(|v| (v.if_index, v.name.as_deref(), v.oper_status.as_deref(), v.in_bps, v.out_bps))
            .collect();
        assert_eq!(
            got,
            [
                (1, Some("eth0"), Some("up"), Some(200.0), Some(7.0)),
                (2, Some("eth1"), Some("down"), None, None),
                (3, Some("eth2"), Some("up"), None, None),
            ],
            "{kind:?}"
        );
        assert_eq!(
            (views[0].speed_bps, views[0].alias.as_deref(), views[0].updated_at),
            (Some(1_000_000_000), Some("uplink to core-1"), t0())
        );
        assert!(s.interface_views(DeviceId(Uuid::now_v7()), t0()).await.expect("unknown").is_empty());
        s.close().await;
    }
}
