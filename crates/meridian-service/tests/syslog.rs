//! Syslog end to end through `App`: util-linux `logger` in RFC 3164 and
//! 5424 over UDP, TCP and TCP with octet counting to the receiver on a free
//! loopback port; every line is stored and found by search within a second,
//! matched to the managed device it came from (by address, else by host
//! name). A garbage datagram is counted and kept. The receiver also runs
//! beside the monitor, and stopping writes what was queued.

use std::net::UdpSocket;
use std::process::Command;
use std::time::Duration;

use meridian_service::{
    ApiErrorKind, App, AppConfig, DeviceInput, DeviceKey, SyslogConfig, SyslogEntry, SyslogFormat, SyslogQuery,
    SyslogSeverity,
};

fn config(dir: &tempfile::TempDir) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg
}

fn on_loopback() -> SyslogConfig {
    SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, ..SyslogConfig::default() }
}

/// Searches for `text` every 50 ms until one message is found (at most 1 s).
async fn find_within_a_second(app: &App, text: &str) -> SyslogEntry {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let q = SyslogQuery { text: Some(text.into()), ..Default::default() };
        let mut found = app.search_syslog(q, None).await.expect("search");
        if let Some(e) = found.pop() {
            assert!(found.is_empty(), "{text}: stored once");
            return e;
        }
        assert!(tokio::time::Instant::now() < deadline, "{text:?} not found within a second");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn logger_lines_are_stored_matched_and_searchable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let rtr = app
        .add_device(DeviceInput { name: "rtr1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    let sw = app
        .add_device(DeviceInput { name: "core-sw".into(), address: "127.0.0.60".into(), ..Default::default() })
        .await
        .expect("device");
    let status = app.start_syslog(on_loopback()).await.expect("start");
    let port = status.udp.as_deref().and_then(|a| a.rsplit(':').next()).expect("udp").to_owned();
    assert_eq!(status.tcp.as_deref().and_then(|a| a.rsplit(':').next()), Some(port.as_str()), "one port");
    let e = app.start_syslog(on_loopback()).await.expect_err("twice");
    assert_eq!(e.kind, ApiErrorKind::Conflict);

    let combos: [(&str, &[&str]); 6] = [
        ("--rfc3164", &["--udp"]),
        ("--rfc5424", &["--udp"]),
        ("--rfc3164", &["--tcp"]),
        ("--rfc5424", &["--tcp"]),
        ("--rfc3164", &["--tcp", "--octet-count"]),
        ("--rfc5424", &["--tcp", "--octet-count"]),
    ];
    for (i, (format, transport)) in combos.iter().enumerate() {
        let token = format!("token{i}x");
        let text = format!("interface ge-0/0/{i} down {token}");
        let mut cmd = Command::new("logger");
        cmd.args([*format, "--server", "127.0.0.1", "--port", &port, "-t", "ifmgr", "-p", "daemon.warning"]);
        cmd.args(*transport).arg(&text);
        assert!(cmd.status().expect("util-linux logger").success(), "{format} {transport:?}");
        let e = find_within_a_second(&app, &token).await;
        let what = format!("{format} {transport:?}");
        assert_eq!(e.msg.message, text, "{what}");
        assert_eq!((e.device_id, e.device_name.as_deref()), (Some(rtr.id), Some("rtr1")), "{what}: by address");
        assert_eq!(
            (e.msg.severity, e.msg.facility, e.msg.app.as_deref()),
            (Some(SyslogSeverity::Warning), Some(3), Some("ifmgr"))
        );
        let want = if *format == "--rfc3164" { SyslogFormat::Rfc3164 } else { SyslogFormat::Rfc5424 };
        assert_eq!(e.format, want, "{what}");
    }

    // From an address no device has, naming a device as its host.
    let s = UdpSocket::bind("127.0.0.2:0").expect("bind 127.0.0.2");
    let to = format!("127.0.0.1:{port}");
    s.send_to(b"<11>1 2026-12-03T10:00:00Z core-sw linkd - - - uplink lost tokenhost", &to).expect("send");
    let e = find_within_a_second(&app, "tokenhost").await;
    assert_eq!((e.device_id, e.source.as_str()), (Some(sw.id), "127.0.0.2"), "by host name");

    // Garbage is counted and kept for inspection.
    s.send_to(b"\x01\x02 tokengarbage \xff", &to).expect("send");
    let e = find_within_a_second(&app, "tokengarbage").await;
    assert_eq!((e.format, e.msg.severity), (SyslogFormat::Malformed, None));
    assert!(e.error.as_deref().is_some_and(|x| x.starts_with("pri")), "{:?}", e.error);

    // Filters through the service: device by name, severity, bad input.
    let by_dev =
        app.search_syslog(SyslogQuery::default(), Some(&DeviceKey::Name("core-sw".into()))).await.expect("dev");
    assert_eq!(by_dev.len(), 1);
    let errs = SyslogQuery { severity: Some(SyslogSeverity::Error), ..Default::default() };
    assert_eq!(app.search_syslog(errs, None).await.expect("sev").len(), 1, "only the err line (<11>)");
    let bad = SyslogQuery { limit: Some(0), text: Some("--".into()), ..Default::default() };
    let e = app.search_syslog(bad, None).await.expect_err("bad");
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["limit", "text"]);

    let c = app.syslog_status().await.expect("running").counters;
    assert_eq!((c.received, c.stored, c.malformed, c.dropped), (8, 8, 1, 0));
    app.stop_syslog().await;
    assert!(app.syslog_status().await.is_none());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn runs_beside_the_monitor_and_stopping_writes_the_queue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let cfg =
        meridian_service::monitor::MonitorConfig { syslog: Some(on_loopback()), rollups: None, ..Default::default() };
    app.start_monitor(cfg).await.expect("monitor");
    let status = app.syslog_status().await.expect("syslog runs with the monitor");
    let to = status.udp.expect("udp");
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind");
    for i in 0..50 {
        s.send_to(format!("<14>burst {i} tokenburst").as_bytes(), &to).expect("send");
    }
    // Wait until all 50 were read off the socket, then stop at once: the
    // writer must still store every one of them.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while app.syslog_status().await.expect("running").counters.received < 50 {
        assert!(tokio::time::Instant::now() < deadline, "50 datagrams not received");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.stop_monitor().await;
    assert!(app.syslog_status().await.is_none(), "stopped with the monitor");
    let q = SyslogQuery { text: Some("tokenburst".into()), limit: Some(100), ..Default::default() };
    assert_eq!(app.search_syslog(q, None).await.expect("search").len(), 50);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_taken_port_is_a_field_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let taken = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let e = app.start_syslog(SyslogConfig { port, ..on_loopback() }).await.expect_err("in use");
    assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("port"), "{e:?}");
    assert!(app.syslog_status().await.is_none());
    app.close().await;
}
