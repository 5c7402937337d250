//! The device page's history through `App`: samples, interfaces and state
//! changes written by the store (as the monitor writes them) come back
//! bucketed, filtered to what the page charts, and with the busiest
//! interface's traffic.

use chrono::{DateTime, Duration, DurationRound, Utc};
use meridian_core::metric::Builtin;
use meridian_core::sample::Sample;
use meridian_core::state::DeviceState;
use meridian_service::{ApiErrorKind, App, AppConfig, DeviceInput};
use meridian_store::{InterfaceRow, Store, StoreConfig};
use serde_json::json;

fn config(dir: &tempfile::TempDir) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg
}

fn iface(if_index: u32, name: &str) -> InterfaceRow {
    InterfaceRow {
        if_index,
        name: Some(name.into()),
        descr: None,
        alias: None,
        speed_bps: Some(100_000_000),
        admin_status: Some("up".into()),
        oper_status: Some("up".into()),
    }
}

/// Writes what a monitored device leaves behind, relative to `now`.
async fn write_history(store: &Store, key: &str, now: DateTime<Utc>) {
    let d = store.get_device(&key.into()).await.expect("device").id;
    let ifs = store.upsert_interfaces(d, &[iface(1, "eth0"), iface(2, "eth1")], now).await.expect("ifs");
    let series = |i: Option<usize>, metric: &'static str, unit: &'static str| {
        let iface = i.map(|i| ifs[i]);
        async move { store.ensure_series(d, iface, metric, unit).await.expect("series") }
    };
    let rtt = series(None, "rtt_ms", "ms").await;
    let loss = series(None, "loss_pct", "%").await;
    let mem = store.ensure_series(d, None, "storage_used_pct:Physical memory", "%").await.expect("series");
    let in0 = series(Some(0), "if_in_bps", "bit/s").await;
    let in1 = series(Some(1), "if_in_bps", "bit/s").await;
    let out1 = series(Some(1), "if_out_bps", "bit/s").await;
    let err1 = series(Some(1), "if_in_errors", "1/s").await;
    let at = |mins: i64| now - Duration::minutes(mins);
    let mut batch = vec![
        Sample { at: at(30), series: rtt, value: 1.0 },
        Sample { at: at(30), series: rtt, value: 2.0 },
        Sample { at: at(30), series: rtt, value: 6.0 },
        Sample { at: at(20), series: rtt, value: 4.0 },
        Sample { at: at(20), series: loss, value: 0.0 },
        Sample { at: at(20), series: mem, value: 40.0 },
        Sample { at: at(2), series: err1, value: 3.0 },
        // Three hours ago: outside the last hour.
        Sample { at: at(180), series: rtt, value: 1000.0 },
    ];
    // eth1 is the busier one now; eth0 was busier long ago.
    batch.extend(
        [(in0, 10.0, 1), (in1, 500.0, 1), (out1, 20.0, 1), (in0, 1e6, 50)].map(|(series, value, mins)| Sample {
            at: at(mins),
            series,
            value,
        }),
    );
    store.insert_samples(&batch).await.expect("samples");
    for (mins, from, to) in [(40, "up", "down"), (35, "down", "up")] {
        let detail = json!({ "from": from, "to": to });
        store.log_event(at(mins), "monitor", "device.state", "device", d.to_string(), detail).await.expect("log");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn history_reads_back_what_the_monitor_wrote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let r1 = app
        .add_device(DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    app.close().await;

    // On a 2-minute edge, so "30 minutes ago" starts a 120 s bucket, and
    // "1 minute ago" is still recent by the wall clock the rates are read at.
    let now = Utc::now().duration_trunc(Duration::minutes(2)).expect("truncate");
    let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("store");
    write_history(&store, "r1", now).await;
    store.close().await;

    let app = App::open(config(&dir)).await.expect("reopen");
    let from = now - Duration::hours(1);
    let to = now + Duration::seconds(1);
    let h = app.device_history(&"r1".into(), from, to, 60, None).await.expect("history");
    assert_eq!((h.device_id, h.from, h.to, h.bucket_secs), (r1.id, from, to, 120));
    assert_eq!(h.if_index, Some(2), "the busiest interface now is eth1");
    let names: Vec<_> = h.series.iter().map(|s| (s.metric.name(), s.row.as_deref(), s.if_index)).collect();
    assert_eq!(
        names,
        [
            ("loss_pct", None, None),
            ("rtt_ms", None, None),
            ("storage_used_pct", Some("Physical memory"), None),
            ("if_in_bps", None, Some(2)),
            ("if_out_bps", None, Some(2)),
        ],
        "device metrics, then only eth1's traffic (no errors, no eth0)"
    );
    let rtt = h.series.iter().find(|s| s.metric == Builtin::RttMs.into()).expect("rtt");
    let t30 = (now - Duration::minutes(30)).timestamp();
    assert_eq!(rtt.unit, "ms");
    assert_eq!(rtt.t, [t30, t30 + 600], "two buckets; the one three hours ago is out of range");
    assert_eq!((rtt.avg.clone(), rtt.min.clone(), rtt.max.clone()), (vec![3.0, 4.0], vec![1.0, 4.0], vec![6.0, 4.0]));
    let traffic_in = &h.series[3];
    assert_eq!((traffic_in.interface.as_deref(), traffic_in.avg.clone()), (Some("eth1"), vec![500.0]));
    let states: Vec<_> = h.states.iter().map(|s| (s.from, s.to)).collect();
    assert_eq!(states, [(DeviceState::Down, DeviceState::Up), (DeviceState::Up, DeviceState::Down)]);

    // Asking for eth0 by ifIndex gets its traffic, including the old peak
    // when the range covers it.
    let h0 = app.device_history(&r1.id.into(), now - Duration::hours(2), to, 60, Some(1)).await.expect("eth0");
    let eth0: Vec<_> = h0.series.iter().filter(|s| s.if_index.is_some()).collect();
    assert_eq!(eth0.len(), 1);
    assert_eq!((eth0[0].metric.name(), eth0[0].interface.as_deref()), ("if_in_bps", Some("eth0")));
    assert_eq!(eth0[0].max.iter().copied().fold(0.0, f64::max), 1e6);

    let views = app.device_interface_views(&"r1".into()).await.expect("interfaces");
    let rates: Vec<_> = views.iter().map(|v| (v.if_index, v.in_bps, v.out_bps)).collect();
    assert_eq!(rates, [(1, Some(10.0), None), (2, Some(500.0), Some(20.0))]);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_are_refused_with_their_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    app.add_device(DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    let now = Utc::now();
    let hour_ago = now - Duration::hours(1);

    let e = app.device_history(&"nope".into(), hour_ago, now, 600, None).await.expect_err("unknown device");
    assert_eq!(e.kind, ApiErrorKind::NotFound, "{e:?}");
    assert!(app.device_interface_views(&"nope".into()).await.is_err());

    let e = app.device_history(&"r1".into(), now, hour_ago, 5, None).await.expect_err("bad range");
    assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["to", "maxPoints"]);
    let e = app.device_history(&"r1".into(), now - Duration::days(401), now, 600, None).await.expect_err("too long");
    assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["from"]);

    // A device never polled has an empty but well-formed history.
    let h = app.device_history(&"r1".into(), hour_ago, now, 600, None).await.expect("empty");
    assert!(h.series.is_empty() && h.states.is_empty() && h.if_index.is_none(), "{h:?}");
    app.close().await;
}
