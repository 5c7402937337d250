//! `/metrics` and `/health` served by the App while the monitor polls
//! loopback devices, on the embedded store and a native PostgreSQL. The
//! scrape is judged by the `prometheus_client` text parser (PyPI); bad
//! addresses and a taken port are `metricsAddr` field errors.

mod common;

use std::time::Duration;

use common::backend::Backend;
use common::{fast, state_of, Events};
use meridian_core::state::DeviceState;
use meridian_service::{ApiErrorKind, App, DeviceInput, MetricsListener};
use meridian_testkit::{prometheus_parse, PromSample};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP GET over a fresh connection: (status line, body).
async fn get(addr: std::net::SocketAddr, path: &str) -> (String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).await.expect("send");
    let mut raw = String::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_string(&mut raw)).await.expect("in time").expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a header block");
    (head.lines().next().unwrap_or_default().to_owned(), body.to_owned())
}

fn value(samples: &[PromSample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|s| s.name == name && labels.iter().all(|(k, v)| s.labels.iter().any(|(lk, lv)| lk == k && lv == v)))
        .map(|s| s.value)
}

async fn scrape_while_monitoring(native: bool) {
    let b = Backend::new(native);
    let app: App = b.app().await;
    for (name, addr) in [("r1", "127.0.0.1"), ("r \"two\"", "127.0.0.2")] {
        app.add_device(DeviceInput { name: name.into(), address: addr.into(), ..Default::default() })
            .await
            .expect("device");
    }
    let listener = MetricsListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr();
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(300), 0)).await.expect("start");

    let client = async {
        rx.wait_for(20, "r1 Up", |e| state_of(e, "r1", DeviceState::Up)).await;
        rx.wait_for(20, "r two Up", |e| state_of(e, "r \"two\"", DeviceState::Up)).await;
        // Let a status period pass so the writer's counters are copied.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let metrics = get(addr, "/metrics").await;
        let health = get(addr, "/health").await;
        let missing = get(addr, "/nope").await;
        (metrics, health, missing)
    };
    let ((metrics, health, missing), ()) = tokio::select! {
        r = client => (r, ()),
        () = app.serve_metrics(listener) => unreachable!("the server runs until dropped"),
    };

    assert_eq!(metrics.0, "HTTP/1.1 200 OK");
    let samples = prometheus_parse(&metrics.1).unwrap_or_else(|e| panic!("{e}\n{}", metrics.1));
    assert_eq!(value(&samples, "meridian_monitor_running", &[]), Some(1.0), "{}", metrics.1);
    let icmp_ok = value(&samples, "meridian_polls_total", &[("protocol", "icmp"), ("result", "ok")]);
    assert!(icmp_ok.is_some_and(|v| v >= 2.0), "{}", metrics.1);
    assert_eq!(value(&samples, "meridian_device_up", &[("device", "r1")]), Some(1.0), "{}", metrics.1);
    assert_eq!(value(&samples, "meridian_device_up", &[("device", "r \"two\"")]), Some(1.0), "{}", metrics.1);
    let rtt = value(&samples, "meridian_device_rtt_seconds", &[("device", "r1")]).expect("rtt");
    // Zero is a real loopback reading: surge-ping takes its send time after
    // `send_to` returns, and on a busy machine the reply is stamped first.
    assert!((0.0..1.0).contains(&rtt), "{rtt}");
    assert_eq!(value(&samples, "meridian_device_loss_ratio", &[("device", "r1")]), Some(0.0));
    assert_eq!(value(&samples, "meridian_device_series_omitted", &[]), Some(0.0));
    assert!(value(&samples, "meridian_store_bytes", &[]).is_some_and(|v| v > 0.0), "{}", metrics.1);
    assert!(value(&samples, "meridian_samples_written_total", &[]).is_some(), "{}", metrics.1);
    assert!(value(&samples, "meridian_writer_batch_seconds_count", &[]).is_some(), "{}", metrics.1);
    let rule_passes = value(&samples, "meridian_rule_evaluation_seconds_count", &[]);
    assert!(rule_passes.is_some_and(|n| n >= 2.0), "{}", metrics.1);
    let kinds: Vec<_> = samples.iter().filter(|s| s.family == "meridian_polls").map(|s| s.kind.as_str()).collect();
    assert!(!kinds.is_empty() && kinds.iter().all(|k| *k == "counter"), "{kinds:?}");

    assert_eq!(health.0, "HTTP/1.1 200 OK");
    assert_eq!(health.1, "{\"status\":\"ok\",\"monitor\":true}\n");
    assert_eq!(missing.0, "HTTP/1.1 404 Not Found");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_on_the_embedded_store() {
    scrape_while_monitoring(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_on_native_postgres() {
    scrape_while_monitoring(true).await;
}

#[tokio::test]
async fn bad_addresses_and_a_taken_port_are_field_errors() {
    let taken = MetricsListener::bind("127.0.0.1:0").await.expect("bind");
    let cases = [
        "nonsense".to_owned(),
        "127.0.0.1".to_owned(),
        // Parsed and refused before any socket is made.
        "192.0.2.1:9464".to_owned(),
        taken.local_addr().to_string(),
    ];
    for addr in cases {
        let e = MetricsListener::bind(&addr).await.err().unwrap_or_else(|| panic!("{addr} accepted"));
        assert_eq!(e.kind, ApiErrorKind::Validation, "{addr}: {e:?}");
        assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("metricsAddr"), "{addr}: {e:?}");
    }
    let ipv6 = MetricsListener::bind("[::1]:0").await.expect("::1 is loopback");
    assert!(ipv6.local_addr().ip().is_loopback());
}

/// The desktop's opt-in switch: off until started, served in the
/// background once on, gone again after stop.
#[tokio::test(flavor = "multi_thread")]
async fn start_and_stop_in_the_background_on_both_backends() {
    for native in [false, true] {
        let b = Backend::new(native);
        let app = std::sync::Arc::new(b.app().await);
        let at: std::net::SocketAddr =
            app.start_metrics(Some("127.0.0.1:0".into())).await.expect("start").parse().expect("addr");
        let (line, body) = get(at, "/health").await;
        assert_eq!(line, "HTTP/1.1 200 OK");
        assert_eq!(body, "{\"status\":\"ok\",\"monitor\":false}\n");
        let (_, text) = get(at, "/metrics").await;
        let samples = prometheus_parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(value(&samples, "meridian_monitor_running", &[]), Some(0.0));
        app.stop_metrics();
        // The aborted task drops its listener; a connection is then refused.
        let mut refused = false;
        for _ in 0..50 {
            if tokio::net::TcpStream::connect(at).await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(refused, "still listening after stop");
        app.shutdown().await;
    }
}
