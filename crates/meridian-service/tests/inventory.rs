//! Inventory use cases through `App`, on the embedded store: every bad
//! input gets a field-level validation error and writes nothing.

use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_service::{ApiError, ApiErrorKind, App, AppConfig, DeviceInput, DevicePatch, SiteInput};

async fn app(dir: &tempfile::TempDir) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open app")
}

fn dev(name: &str, address: &str) -> DeviceInput {
    DeviceInput { name: name.into(), address: address.into(), ..Default::default() }
}

fn assert_field(r: Result<impl std::fmt::Debug, ApiError>, field: &str) {
    match r {
        Err(e) => {
            assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
            assert!(e.fields.iter().any(|f| f.field == field), "expected a '{field}' error, got {e:?}");
            assert!(!e.detail.is_empty());
        }
        Ok(v) => panic!("expected a validation error on '{field}', got {v:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_device_input_is_refused_field_by_field_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(&dir).await;
    app.add_site(SiteInput { name: "HQ".into(), lat: Some(1.0), lon: Some(2.0) }).await.expect("site");
    let r1 = app.add_device(dev("r1", "127.0.0.1")).await.expect("first device");

    let over_long = "x".repeat(65);
    let cases: Vec<(DeviceInput, &str)> = vec![
        (dev("bad", "999.1.1.1"), "address"),
        (dev("bad", "not a host!"), "address"),
        (dev("bad", "fe80::zz"), "address"),
        (dev("bad", ""), "address"),
        (dev("", "127.0.0.2"), "name"),
        (dev("   ", "127.0.0.2"), "name"),
        (dev(&over_long, "127.0.0.2"), "name"),
        (DeviceInput { lat: Some(90.5), lon: Some(0.0), ..dev("bad", "127.0.0.2") }, "lat"),
        (DeviceInput { lat: Some(0.0), lon: Some(-180.5), ..dev("bad", "127.0.0.2") }, "lon"),
        (DeviceInput { lat: Some(0.0), ..dev("bad", "127.0.0.2") }, "lon"),
        (DeviceInput { vendor: Some("v".repeat(256)), ..dev("bad", "127.0.0.2") }, "vendor"),
        (DeviceInput { kind: Some("toaster".into()), ..dev("bad", "127.0.0.2") }, "kind"),
        (DeviceInput { tags: vec!["".into()], ..dev("bad", "127.0.0.2") }, "tags"),
        (DeviceInput { site: Some("Nowhere".into()), ..dev("bad", "127.0.0.2") }, "site"),
        (DeviceInput { credential: Some("nope".into()), ..dev("bad", "127.0.0.2") }, "credential"),
        (dev("r1", "127.0.0.2"), "name"),
        (dev("r2", "127.0.0.1"), "address"),
        // The same address spelled differently is still a duplicate.
        (dev("r2", "127.000.0.1".replace("000", "0").as_str()), "address"),
    ];
    for (input, field) in cases {
        assert_field(app.add_device(input).await, field);
    }
    assert_eq!(app.list_devices().await.expect("list"), vec![r1.clone()], "a refused add wrote something");

    // Edits obey the same rules and leave the record untouched.
    app.add_device(dev("r2", "::1")).await.expect("second device");
    assert_field(
        app.update_device(&"r2".into(), DevicePatch { address: Some("127.0.0.1".into()), ..Default::default() }).await,
        "address",
    );
    assert_field(
        app.update_device(&"r2".into(), DevicePatch { name: Some("r1".into()), ..Default::default() }).await,
        "name",
    );
    assert_field(
        app.update_device(&"r2".into(), DevicePatch { lat: Some(-91.0), lon: Some(0.0), ..Default::default() }).await,
        "lat",
    );
    let r2 = app.show_device(&"r2".into()).await.expect("show");
    assert_eq!((r2.address.as_str(), r2.version), ("::1", 1));

    let moved = app
        .update_device(
            &"r2".into(),
            DevicePatch { site: Some("HQ".into()), tags: Some(vec!["edge".into()]), ..Default::default() },
        )
        .await
        .expect("good edit");
    assert_eq!((moved.site_name.as_deref(), moved.version), (Some("HQ"), 2));

    let missing = app.show_device(&"ghost".into()).await.expect_err("missing");
    assert_eq!(missing.kind, ApiErrorKind::NotFound);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_site_input_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(&dir).await;
    app.add_site(SiteInput { name: "HQ".into(), lat: None, lon: None }).await.expect("site");
    assert_field(app.add_site(SiteInput { name: "".into(), lat: None, lon: None }).await, "name");
    assert_field(app.add_site(SiteInput { name: "x".repeat(65), lat: None, lon: None }).await, "name");
    assert_field(app.add_site(SiteInput { name: "HQ".into(), lat: None, lon: None }).await, "name");
    assert_field(app.add_site(SiteInput { name: "B".into(), lat: Some(-90.01), lon: Some(0.0) }).await, "lat");
    assert_field(app.add_site(SiteInput { name: "B".into(), lat: Some(0.0), lon: Some(f64::INFINITY) }).await, "lon");
    assert_eq!(app.list_sites().await.expect("list").len(), 1);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn inventory_changes_are_published_as_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app(&dir).await;
    let mut rx = app.subscribe();
    let d = app.add_device(dev("r1", "127.0.0.1")).await.expect("add");
    let e = rx.recv().await.expect("event");
    assert_eq!(
        e,
        meridian_service::CoreEvent::InventoryChanged {
            entity: InventoryEntity::Device,
            id: d.id.to_string(),
            action: ChangeAction::Added
        }
    );
    app.close().await;
}
