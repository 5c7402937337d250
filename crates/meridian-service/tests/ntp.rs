//! Watching an NTP server from the running monitor, against a real chronyd
//! on loopback: offset, delay and stratum are stored; stopping chronyd
//! raises "NTP server unreachable" once the reach register is empty;
//! starting it again clears it. Bad ports are refused.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use meridian_service::{ApiErrorKind, App, AppConfig, CoreEvent, DeviceInput, NtpWatchConfig};
use meridian_testkit::Chronyd;

mod common;
use common::{fast, Events};

async fn open(dir: &Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

fn ntp_alarm(e: &CoreEvent, raised: bool) -> bool {
    match e {
        CoreEvent::AlarmRaised { alarm } if raised => alarm.specific_problem == "ntpUnreachable",
        CoreEvent::AlarmCleared { alarm } if !raised => alarm.specific_problem == "ntpUnreachable",
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watched_ntp_server_is_charted_and_its_silence_raised_and_cleared() {
    let mut chrony = Chronyd::start().expect("chronyd (make deps installs it)");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let input = DeviceInput { name: "ntp-1".into(), address: "127.0.0.1".into(), ..Default::default() };
    app.add_device(input).await.expect("device");
    let e = app.set_ntp_watch(&"ntp-1".into(), Some(NtpWatchConfig { port: 0 })).await.expect_err("port 0");
    assert_eq!((e.kind, e.fields[0].field.as_str()), (ApiErrorKind::Validation, "port"));
    assert_eq!(app.ntp_watch(&"ntp-1".into()).await.expect("watch"), None, "nothing written");
    let watch = NtpWatchConfig { port: chrony.addr().port() };
    app.set_ntp_watch(&"ntp-1".into(), Some(watch)).await.expect("watch");
    assert_eq!(app.ntp_watch(&"ntp-1".into()).await.expect("watch"), Some(watch));

    let mut cfg = fast(Duration::from_secs(1), 0);
    cfg.intervals.ntp = Duration::from_secs(1);
    let mut rx = Events::new(app.subscribe());
    let from = Utc::now() - chrono::Duration::hours(1);
    app.start_monitor(cfg).await.expect("monitor");
    // Samples reach the store through the batch writer: wait for them, bounded.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let history = loop {
        let h = app
            .device_history(&"ntp-1".into(), from, Utc::now() + chrono::Duration::seconds(1), 60, None)
            .await
            .expect("history");
        if h.series.iter().any(|s| s.metric.to_string() == "ntp_stratum" && !s.avg.is_empty()) {
            break h;
        }
        assert!(tokio::time::Instant::now() < deadline, "no NTP samples stored: {h:#?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let stratum = history.series.iter().find(|s| s.metric.to_string() == "ntp_stratum").expect("stratum series");
    assert!(!stratum.avg.is_empty() && stratum.avg.iter().all(|v| *v == 8.0), "chronyd's local stratum 8: {stratum:?}");
    let offset = history.series.iter().find(|s| s.metric.to_string() == "ntp_offset_ms").expect("offset series");
    assert!(offset.unit == "ms" && offset.avg.iter().all(|v| v.abs() < 50.0), "loopback offset is small: {offset:?}");

    // The timing view's list: the newest stored reading, no alarm.
    let servers = app.ntp_servers().await.expect("ntp servers");
    assert_eq!(servers.len(), 1, "{servers:?}");
    assert_eq!((servers[0].stratum, servers[0].alarms.is_empty()), (Some(8.0), true), "{servers:?}");
    assert!(servers[0].offset_ms.is_some_and(|o| o.abs() < 50.0) && servers[0].at.is_some(), "{servers:?}");
    // The reach register in octal, as ntpq shows it: the newest poll answered.
    let reach = servers[0].reach.as_deref().and_then(|r| u8::from_str_radix(r, 8).ok());
    assert!(reach.is_some_and(|r| r & 1 == 1), "{servers:?}");

    chrony.stop();
    // Eight unanswered polls empty the register.
    rx.wait_for(30, "NTP unreachable", |e| ntp_alarm(e, true)).await;
    let servers = app.ntp_servers().await.expect("ntp servers");
    assert_eq!(servers[0].alarms, ["ntpUnreachable"], "the list shows the active alarm");
    // The register written at that poll reads 0 once the writer has it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while app.ntp_servers().await.expect("ntp servers")[0].reach.as_deref() != Some("0") {
        assert!(tokio::time::Instant::now() < deadline, "reach never read 0");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    chrony.resume().expect("chronyd again");
    rx.wait_for(30, "NTP unreachable cleared", |e| ntp_alarm(e, false)).await;
    app.stop_monitor().await;
    app.close().await;
}
