//! Notification use cases against the real service on embedded PGlite: the
//! mute persists across a restart and is validated, the tray counts come
//! from the store, and only new, unmuted critical/major alarms notify,
//! named by the device's current name.

use chrono::{DateTime, Duration, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, Severity};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::DeviceId;
use meridian_service::{ApiErrorKind, App, AppConfig, CoreEvent};
use meridian_store::{Store, StoreConfig};
use std::path::Path;
use uuid::Uuid;

fn config(dir: &Path) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg
}

fn alarm(device: DeviceId, severity: Severity, at: DateTime<Utc>) -> Alarm {
    let mut spec = AlarmSpec::device_unreachable(device, 3);
    spec.perceived_severity = severity;
    Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), Some(device), spec, at)
}

/// Seeds the data directory through the store (the service opens it after):
/// device "edge-7" with an active critical alarm, an interface major alarm,
/// a minor one, and a critical one that is already cleared.
async fn seed(dir: &Path) -> DeviceId {
    let store = Store::open(StoreConfig::embedded(dir)).await.expect("store");
    let input = DeviceInput { name: "edge-7".into(), address: "127.0.0.1".into(), ..Default::default() };
    let id = DeviceId(Uuid::now_v7());
    store.insert_device(&validate_device(&input).expect("valid"), id, Utc::now(), "test").await.expect("device");
    let t = Utc::now() - Duration::hours(1);
    store.raise_alarm(&alarm(id, Severity::Critical, t)).await.expect("critical");
    let port = Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), Some(id), AlarmSpec::interface_down(id, 3, "eth0"), t);
    store.raise_alarm(&port).await.expect("major");
    let mut minor = AlarmSpec::snmp_not_responding(id, 3);
    minor.perceived_severity = Severity::Minor;
    store.raise_alarm(&Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), Some(id), minor, t)).await.expect("minor");
    let gone = Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), None, AlarmSpec::device_rebooted(id, 100), t);
    store.raise_alarm(&gone).await.expect("warning");
    store.clear_alarm_key(&gone.key(), Utc::now()).await.expect("clear").expect("active");
    store.close().await;
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn mute_persists_across_restarts_and_rejects_bad_hours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(dir.path())).await.expect("open");
    assert_eq!(app.notification_settings().await.expect("settings").muted_until, None);

    for bad in [0, -3, 169] {
        let e = app.mute_notifications(bad, Utc::now()).await.expect_err("refused");
        assert_eq!(e.kind, ApiErrorKind::Validation, "{bad}: {e:?}");
        assert_eq!(e.fields.len(), 1);
        assert_eq!(e.fields[0].field, "hours");
    }
    assert_eq!(app.notification_settings().await.expect("settings").muted_until, None, "a refused mute wrote");

    let now = Utc::now();
    let muted = app.mute_notifications(4, now).await.expect("mute");
    assert_eq!(muted.muted_until, Some(now + Duration::hours(4)));
    app.close().await;

    // A restart keeps the mute (to the stored precision: microseconds).
    let app = App::open(config(dir.path())).await.expect("reopen");
    let until = app.notification_settings().await.expect("settings").muted_until.expect("still muted");
    assert!((until - (now + Duration::hours(4))).num_milliseconds().abs() < 1, "{until}");
    assert_eq!(app.unmute_notifications().await.expect("unmute").muted_until, None);
    assert_eq!(app.notification_settings().await.expect("settings").muted_until, None);

    // A mute that has run out reads as none.
    app.mute_notifications(1, Utc::now() - Duration::hours(2)).await.expect("mute in the past");
    assert_eq!(app.notification_settings().await.expect("settings").muted_until, None);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn counts_and_notifications_follow_the_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let device = seed(dir.path()).await;
    let app = App::open(config(dir.path())).await.expect("open");

    let c = app.active_alarm_counts().await.expect("counts");
    assert_eq!((c.critical, c.major, c.minor, c.warning, c.indeterminate), (1, 1, 1, 0, 0), "{c:?}");

    let started = Utc::now() - Duration::seconds(30);
    let now = Utc::now();
    let raised = |a: Alarm| CoreEvent::AlarmRaised { alarm: a };

    let n = app
        .alarm_notification(&raised(alarm(device, Severity::Critical, now)), started, now)
        .await
        .expect("policy")
        .expect("a new critical alarm notifies");
    assert_eq!(n.title, "Critical alarm: edge-7");
    assert!(n.body.starts_with("No reply to ping"), "{}", n.body);

    let port =
        Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), Some(device), AlarmSpec::interface_down(device, 3, ""), now);
    let n = app.alarm_notification(&raised(port), started, now).await.expect("policy").expect("major notifies");
    assert_eq!(n.title, "Major alarm: edge-7 ifIndex 3");

    // Not: minor alarms, alarms raised before the app started, other events.
    let quiet = [
        raised(alarm(device, Severity::Minor, now)),
        raised(alarm(device, Severity::Critical, started - Duration::seconds(1))),
        CoreEvent::AlarmCleared { alarm: alarm(device, Severity::Critical, now) },
        CoreEvent::AlarmAcknowledged { alarm: alarm(device, Severity::Critical, now) },
    ];
    for e in &quiet {
        assert_eq!(app.alarm_notification(e, started, now).await.expect("policy"), None, "{e:?}");
    }

    // Muted: nothing; unmuted again: notifies.
    app.mute_notifications(1, now).await.expect("mute");
    let later = now + Duration::minutes(1);
    let e = raised(alarm(device, Severity::Critical, later));
    assert_eq!(app.alarm_notification(&e, started, later).await.expect("policy"), None);
    app.unmute_notifications().await.expect("unmute");
    assert!(app.alarm_notification(&e, started, later).await.expect("policy").is_some());

    // The device is gone: the managed object stands in for its name.
    app.remove_device(&"edge-7".into()).await.expect("remove");
    let n = app.alarm_notification(&e, started, later).await.expect("policy").expect("still notifies");
    assert_eq!(n.title, format!("Critical alarm: device={device}"));
    assert_eq!(app.active_alarm_counts().await.expect("counts").total(), 0, "alarms go with their device");
    app.close().await;
}
