//! CSV import of devices and sites through `App`, on the embedded store and
//! a native PostgreSQL: a good file lands whole (creating missing sites), a
//! dry run and a file with any bad row write nothing and name every bad row.

mod common;

use common::backend::Backend;
use meridian_service::{ApiErrorKind, App, Device, DeviceInput, Site, SiteInput};

async fn open(native: bool) -> (Backend, App) {
    let b = Backend::new(native);
    let app = b.app().await;
    (b, app)
}

async fn inventory(app: &App) -> (Vec<Device>, Vec<Site>) {
    (app.list_devices().await.expect("devices"), app.list_sites().await.expect("sites"))
}

const GOOD: &str = "name,address,site,lat,lon,tags\n\
    core1,127.0.0.11,Lab,48.85,2.35,core;lab\n\
    core2,127.0.0.12,Lab,,,core\n\
    edge1,::1,HQ,,,\n\
    \"edge, two\",edge2.example,,10.5,-20.25,\n";

async fn good_file_lands_whole_and_a_dry_run_writes_nothing(native: bool) {
    let (_dir, app) = open(native).await;
    app.add_site(SiteInput { name: "HQ".into(), lat: Some(1.0), lon: Some(2.0) }).await.expect("site");
    let before = inventory(&app).await;

    let dry = app.import_devices(GOOD.as_bytes(), true).await.expect("dry run");
    assert!(dry.dry_run);
    assert_eq!(dry.devices, ["core1", "core2", "edge1", "edge, two"]);
    assert_eq!(dry.sites_created, ["Lab"]);
    assert_eq!(inventory(&app).await, before, "a dry run wrote something");

    let done = app.import_devices(GOOD.as_bytes(), false).await.expect("import");
    assert!(!done.dry_run);
    assert_eq!((done.devices.len(), done.sites_created.clone()), (4, vec!["Lab".to_owned()]));
    let (devices, sites) = inventory(&app).await;
    let lab = sites.iter().find(|s| s.name == "Lab").expect("Lab created");
    assert_eq!((lab.lat, lab.lon, lab.device_count), (Some(48.85), Some(2.35), 2));
    let hq = sites.iter().find(|s| s.name == "HQ").expect("HQ kept");
    assert_eq!((hq.lat, hq.device_count), (Some(1.0), 1));
    let core1 = devices.iter().find(|d| d.name == "core1").expect("core1");
    assert_eq!((core1.address.as_str(), core1.tags.clone()), ("127.0.0.11", vec!["core".to_owned(), "lab".to_owned()]));
    assert_eq!((core1.lat, core1.lon, core1.site_name.as_deref()), (Some(48.85), Some(2.35), Some("Lab")));
    let two = devices.iter().find(|d| d.name == "edge, two").expect("quoted name");
    assert_eq!((two.address.as_str(), two.site_name.clone(), two.lat), ("edge2.example", None, Some(10.5)));

    // The same file again clashes with what it just wrote, on every row.
    let e = app.import_devices(GOOD.as_bytes(), false).await.expect_err("duplicates");
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"row 2: name") && fields.contains(&"row 5: address"), "{e:?}");
    app.close().await;
}

async fn one_bad_row_imports_nothing_and_every_bad_row_is_named(native: bool) {
    let (_dir, app) = open(native).await;
    app.add_device(DeviceInput { name: "taken".into(), address: "127.0.0.50".into(), ..Default::default() })
        .await
        .expect("device");
    let before = inventory(&app).await;
    let cases: Vec<(Vec<u8>, Vec<&str>)> = vec![
        (
            b"name,address,site,lat,lon,tags\n\
              ok1,127.0.0.1,NewSite,,,\n\
              bad,300.1.1.1,,,,\n\
              ok2,127.0.0.2,,95,10,\n\
              ,127.0.0.3,,,,\n\
              dup,127.0.0.1,,,,\n\
              other,127.0.0.50,,,,\n\
              taken,127.0.0.4,,,,\n\
              tagged,127.0.0.5,,,,has space;x\n"
                .to_vec(),
            vec![
                "row 3: address",
                "row 4: lat",
                "row 5: name",
                "row 6: address",
                "row 7: address",
                "row 8: name",
                "row 9: tags",
            ],
        ),
        (b"name,address,site\nr1,127.0.0.1,HQ\n".to_vec(), vec!["header"]),
        (b"name,address,site,lat,lon,tags\ncaf\xe9,127.0.0.1,,,,\n".to_vec(), vec!["encoding"]),
        (b"name,address,site,lat,lon,tags\n".to_vec(), vec!["rows"]),
    ];
    for (file, want) in cases {
        for dry_run in [true, false] {
            let e = app.import_devices(&file, dry_run).await.expect_err("refused");
            assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
            let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, want, "{e:?}");
            assert!(e.detail.starts_with("nothing imported"), "{}", e.detail);
            assert_eq!(inventory(&app).await, before, "a refused import wrote something");
        }
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_on_the_embedded_store() {
    good_file_lands_whole_and_a_dry_run_writes_nothing(false).await;
    one_bad_row_imports_nothing_and_every_bad_row_is_named(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn import_on_native_postgres() {
    good_file_lands_whole_and_a_dry_run_writes_nothing(true).await;
    one_bad_row_imports_nothing_and_every_bad_row_is_named(true).await;
}
