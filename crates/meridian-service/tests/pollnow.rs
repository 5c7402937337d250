//! "Poll now" against the real monitor: ICMP to loopback with polls a day
//! apart, so only the request can make the device be polled within the
//! test. Refusals (disabled device, unknown device, monitor off) change
//! nothing. Every wait is bounded.

use std::time::Duration;

use meridian_core::DeviceId;
use meridian_service::monitor::DeviceLive;
use meridian_service::{ApiErrorKind, App, AppConfig, CoreEvent, DeviceInput, DevicePatch};

mod common;
use common::{fast, Events};

async fn live_of(app: &App, id: DeviceId) -> Option<DeviceLive> {
    app.device_live().await.into_iter().find(|l| l.device_id == id)
}

#[tokio::test(flavor = "multi_thread")]
async fn poll_now_polls_a_device_at_once_and_refuses_what_cannot_be_polled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    let app = App::open(cfg).await.expect("open");
    let input =
        |name: &str, address: &str| DeviceInput { name: name.into(), address: address.into(), ..Default::default() };
    let dev = app.add_device(input("lo", "127.0.0.1")).await.expect("device");
    let off = app.add_device(input("off", "127.0.0.2")).await.expect("device");
    app.update_device(&"off".into(), DevicePatch { enabled: Some(false), ..Default::default() })
        .await
        .expect("disable");

    // Nothing to poll with: the monitor is off.
    let e = app.poll_device_now(&"lo".into()).await.expect_err("monitor off");
    assert_eq!(e.kind, ApiErrorKind::Conflict, "{e:?}");

    // Polls a day apart: the device's first tick is somewhere in the next day.
    let mut mcfg = fast(Duration::from_millis(300), 0);
    mcfg.intervals.icmp = Duration::from_secs(86_400);
    mcfg.intervals.snmp = Duration::from_secs(86_400);
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(mcfg).await.expect("start");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = live_of(&app, dev.id).await;
    assert!(before.as_ref().and_then(|l| l.last_poll).is_none(), "polled before asking: {before:?}");

    app.poll_device_now(&"lo".into()).await.expect("poll now");
    rx.wait_for(
        5,
        "the request on the bus",
        |e| matches!(e, CoreEvent::PollRequested { device_id } if *device_id == dev.id),
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let polled = loop {
        match live_of(&app, dev.id).await {
            Some(l) if l.last_poll.is_some() => break l,
            other => {
                assert!(tokio::time::Instant::now() < deadline, "not polled 10 s after poll now: {other:?}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    assert!(polled.rtt_ms.is_some() && polled.last_seen.is_some(), "loopback answered: {polled:?}");

    // Disabled and unknown devices are refused with a reason; nothing is published.
    rx.drain();
    let e = app.poll_device_now(&"off".into()).await.expect_err("disabled");
    assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
    assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("enabled"), "{e:?}");
    let e = app.poll_device_now(&"no-such-device".into()).await.expect_err("unknown");
    assert_eq!(e.kind, ApiErrorKind::NotFound, "{e:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    rx.drain();
    assert!(!rx.any(|e| matches!(e, CoreEvent::PollRequested { .. })), "a refused request was published");
    assert!(live_of(&app, off.id).await.and_then(|l| l.last_poll).is_none());

    app.stop_monitor().await;
    app.close().await;
}
