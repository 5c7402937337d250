//! Exports through `App` on the embedded store and a native PostgreSQL:
//! devices exported as CSV and imported into an empty store give the same
//! inventory; alarms and samples cover exactly their range; bad requests
//! are field errors.

mod common;

use chrono::{DateTime, Duration, DurationRound, Utc};
use common::backend::Backend;
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, EventType, Severity};
use meridian_core::sample::Sample;
use meridian_service::{ApiErrorKind, App, DeviceInput, ExportFormat, ExportRequest, ExportWhat, SiteInput};
use uuid::Uuid;

fn req(what: ExportWhat, format: ExportFormat) -> ExportRequest {
    ExportRequest { what, format, from: None, to: None, device: None }
}

/// What an inventory is, for comparing two stores: ids and times differ.
async fn inventory(
    app: &App,
) -> (Vec<(String, String, Option<String>, Option<f64>, Option<f64>, Vec<String>)>, Vec<String>) {
    let devices = app.list_devices().await.expect("devices");
    let sites = app.list_sites().await.expect("sites");
    (
        devices.into_iter().map(|d| (d.name, d.address, d.site_name, d.lat, d.lon, d.tags)).collect(),
        sites.into_iter().map(|s| s.name).collect(),
    )
}

async fn devices_round_trip_through_csv(native: bool) {
    let a = Backend::new(native);
    let app = a.app().await;
    app.add_site(SiteInput { name: "HQ".into(), lat: Some(51.5), lon: Some(-0.12) }).await.expect("site");
    app.add_site(SiteInput { name: "Lab \"2\"".into(), lat: None, lon: None }).await.expect("site");
    let mut d = DeviceInput { name: "core, 1".into(), address: "127.0.0.1".into(), ..Default::default() };
    d.site = Some("HQ".into());
    d.tags = vec!["core".into(), "lab".into()];
    d.lat = Some(51.501_234_567);
    d.lon = Some(-0.123_456_789);
    app.add_device(d).await.expect("device");
    app.add_device(DeviceInput {
        name: "edge".into(),
        address: "::1".into(),
        site: Some("Lab \"2\"".into()),
        ..Default::default()
    })
    .await
    .expect("device");
    app.add_device(DeviceInput { name: "host".into(), address: "Router.Example".into(), ..Default::default() })
        .await
        .expect("device");
    let csv = app.export(req(ExportWhat::Devices, ExportFormat::Csv)).await.expect("export");
    assert!(csv.starts_with("name,address,site,lat,lon,tags\n"), "{csv}");
    let json = app.export(req(ExportWhat::Devices, ExportFormat::Json)).await.expect("json");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json parses");
    assert_eq!(parsed.as_array().map(Vec::len), Some(3));
    let sites = app.export(req(ExportWhat::Sites, ExportFormat::Csv)).await.expect("sites");
    assert!(sites.contains("HQ,51.5,-0.12,1\n") && sites.contains("\"Lab \"\"2\"\"\",,,1\n"), "{sites}");
    let want = inventory(&app).await;
    app.close().await;

    let b = Backend::new(native);
    let empty = b.app().await;
    empty.import_devices(csv.as_bytes(), false).await.expect("import the export");
    assert_eq!(inventory(&empty).await, want);
    empty.close().await;
}

async fn alarms_and_samples_cover_their_range(native: bool) {
    let b = Backend::new(native);
    let app = b.app().await;
    app.add_device(DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    app.add_device(DeviceInput { name: "r2".into(), address: "127.0.0.2".into(), ..Default::default() })
        .await
        .expect("device");
    app.close().await;

    let now = Utc::now().duration_trunc(Duration::minutes(1)).expect("trunc");
    let store = b.store().await;
    let r1 = store.get_device(&"r1".into()).await.expect("r1").id;
    let r2 = store.get_device(&"r2".into()).await.expect("r2").id;
    let s1 = store.ensure_series(r1, None, "rtt_ms", "ms").await.expect("series");
    let s2 = store.ensure_series(r2, None, "rtt_ms", "ms").await.expect("series");
    let samples: Vec<Sample> = (0..120)
        .flat_map(|i| {
            let at = now - Duration::minutes(i);
            [Sample { at, series: s1, value: i as f64 }, Sample { at, series: s2, value: 1000.0 + i as f64 }]
        })
        .collect();
    store.insert_samples(&samples).await.expect("samples");
    let spec = |problem: &str| AlarmSpec {
        managed_object: format!("device={r1}"),
        event_type: EventType::Communications,
        probable_cause: "communicationsSubsystemFailure".into(),
        specific_problem: problem.into(),
        perceived_severity: Severity::Critical,
        additional_text: "no reply".into(),
    };
    // Cleared before the range, cleared inside it, still active.
    let old = Alarm::raise(AlarmId(Uuid::now_v7()), Some(r1), spec("old"), now - Duration::hours(5));
    store.raise_alarm(&old).await.expect("raise");
    store.clear_alarm_key(&spec("old").key(), now - Duration::hours(4)).await.expect("clear");
    let mid = Alarm::raise(AlarmId(Uuid::now_v7()), Some(r1), spec("mid"), now - Duration::hours(3));
    store.raise_alarm(&mid).await.expect("raise");
    store.clear_alarm_key(&spec("mid").key(), now - Duration::minutes(90)).await.expect("clear");
    let open = Alarm::raise(AlarmId(Uuid::now_v7()), Some(r1), spec("open"), now - Duration::minutes(30));
    store.raise_alarm(&open).await.expect("raise");
    store.close().await;

    let app = b.app().await;
    let from: DateTime<Utc> = now - Duration::hours(2);
    let ranged =
        |what, format| ExportRequest { from: Some(from), to: Some(now + Duration::minutes(1)), ..req(what, format) };
    let alarms = app.export(ranged(ExportWhat::Alarms, ExportFormat::Csv)).await.expect("alarms");
    let lines: Vec<_> = alarms.lines().collect();
    assert_eq!(lines.len(), 3, "{alarms}");
    assert!(
        lines[1].contains(",r1,") && lines[1].contains(",mid,critical,") && lines[2].contains(",open,"),
        "{alarms}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&app.export(ranged(ExportWhat::Alarms, ExportFormat::Json)).await.expect("json"))
            .expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(2));

    // The last 60 minutes of r1: 61 samples (minutes 0..=60 back).
    let one = ExportRequest {
        from: Some(now - Duration::minutes(60)),
        to: Some(now + Duration::seconds(1)),
        device: Some("r1".into()),
        ..req(ExportWhat::Samples, ExportFormat::Csv)
    };
    let csv = app.export(one.clone()).await.expect("samples");
    let rows: Vec<_> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 61, "{csv}");
    assert!(rows.iter().all(|r| r.contains(",r1,rtt_ms,,ms,")), "{csv}");
    assert!(rows[0].ends_with(",60") && rows[60].ends_with(",0"), "{csv}");
    let all = ExportRequest { device: None, format: ExportFormat::Json, ..one };
    let json: serde_json::Value = serde_json::from_str(&app.export(all).await.expect("json")).expect("json");
    assert_eq!(json.as_array().map(Vec::len), Some(122));

    // Bad requests: field errors.
    let bad = [
        (
            ExportRequest {
                from: Some(now),
                to: Some(now - Duration::hours(1)),
                ..req(ExportWhat::Samples, ExportFormat::Csv)
            },
            "to",
        ),
        (ExportRequest { from: Some(now), to: Some(now), ..req(ExportWhat::Alarms, ExportFormat::Csv) }, "to"),
        (ExportRequest { device: Some("nope".into()), ..req(ExportWhat::Samples, ExportFormat::Csv) }, "device"),
        (ExportRequest { from: Some(now), ..req(ExportWhat::Devices, ExportFormat::Csv) }, "from"),
    ];
    for (r, field) in bad {
        let e = app.export(r).await.expect_err("refused");
        assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
        assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some(field), "{e:?}");
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn export_on_the_embedded_store() {
    devices_round_trip_through_csv(false).await;
    alarms_and_samples_cover_their_range(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn export_on_native_postgres() {
    devices_round_trip_through_csv(true).await;
    alarms_and_samples_cover_their_range(true).await;
}
