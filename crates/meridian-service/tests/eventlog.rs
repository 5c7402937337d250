//! The console's event-log view through `App::event_log`: what the service
//! itself logs (an added device) comes back newest first, bounded by the
//! limit, on both the embedded store and a native PostgreSQL.

use meridian_service::{App, AppConfig, DeviceInput};
use meridian_testkit::NativePostgres;

async fn exercise(app: &App) {
    let r1 = app
        .add_device(DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("add");
    let log = app.event_log(50).await.expect("log");
    let added = log.iter().find(|e| e.entity_id == r1.id.to_string()).expect("the added device is logged");
    assert_eq!(added.entity, "device");

    // A second change: newest first, and the limit bounds the answer.
    let r2 = app
        .add_device(DeviceInput { name: "r2".into(), address: "127.0.0.2".into(), ..Default::default() })
        .await
        .expect("add");
    let log = app.event_log(1).await.expect("log");
    assert_eq!(log.len(), 1, "bounded by the limit");
    assert_eq!(log[0].entity_id, r2.id.to_string(), "newest first");
    let log = app.event_log(50).await.expect("log");
    let pos = |id: String| log.iter().position(|e| e.entity_id == id).expect("logged");
    assert!(pos(r2.id.to_string()) < pos(r1.id.to_string()));
    assert!(log.windows(2).all(|w| w[0].at >= w[1].at));
    // A limit above the most is capped; zero or less is a field error.
    assert!(!app.event_log(1_000_000).await.expect("capped").is_empty());
    let e = app.event_log(0).await.expect_err("zero refused");
    assert_eq!(e.fields[0].field, "limit", "{e:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn event_log_newest_first_and_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    exercise(&app).await;
    app.close().await;

    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let url = pg.fresh_database().expect("db");
    let dir2 = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir2.path().to_path_buf());
    cfg.database_url = Some(url);
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open native");
    exercise(&app).await;
    app.close().await;
}
