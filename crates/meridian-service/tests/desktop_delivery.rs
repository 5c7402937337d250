//! The desktop channel's health from the delivery log: a failed attempt
//! (the platform's error text, as the shell reports it) makes it failing with
//! that reason, listed in the log like any channel's attempt; a later
//! success clears it. Both store backends.

use chrono::{Duration, Utc};
use meridian_service::{App, AppConfig, DeliveryLogFilter, DESKTOP_CHANNEL};
use meridian_testkit::NativePostgres;

async fn exercise(app: &App) {
    let fresh = app.desktop_delivery().await.expect("status");
    assert!(!fresh.failing && fresh.reason.is_none() && fresh.at.is_none(), "{fresh:?}");
    let t0 = Utc::now();
    let why = "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications was not provided";
    app.record_desktop_delivery(t0, Some(why)).await.expect("log failure");
    let d = app.desktop_delivery().await.expect("status");
    assert!(d.failing, "{d:?}");
    assert_eq!(d.reason.as_deref(), Some(why));
    let log = app
        .delivery_log(DeliveryLogFilter { channel: Some(DESKTOP_CHANNEL.into()), ..Default::default() })
        .await
        .expect("log");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!((log[0].outcome.as_str(), log[0].error.as_deref()), ("failed", Some(why)));

    app.record_desktop_delivery(t0 + Duration::seconds(5), None).await.expect("log success");
    let d = app.desktop_delivery().await.expect("status");
    assert!(!d.failing && d.reason.is_none(), "a later success clears it: {d:?}");
}

#[tokio::test]
async fn desktop_delivery_health_on_the_embedded_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    exercise(&app).await;
    app.close().await;
}

#[tokio::test]
async fn desktop_delivery_health_on_native_postgres() {
    let pg = NativePostgres::shared().expect("postgres");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = Some(pg.fresh_database().expect("db"));
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    exercise(&app).await;
    app.close().await;
}
