//! Reports through `App` on the embedded store and a native PostgreSQL,
//! from a store seeded with known state history, alarms and samples: the
//! figures match hand computation (an hour down in a day is 95.833%), and
//! the outputs open in real tools: poppler's `pdfinfo`, `pdftotext` and
//! `pdftoppm` read the PDF, the SVG parses as XML, the PNG decodes and the
//! CSV reads back through `core::csv`. Bad requests are field errors.

mod common;

use std::process::Command;

use chrono::{DateTime, Duration, DurationRound, Utc};
use common::backend::Backend;
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, EventType, Severity};
use meridian_core::fault::WindowSchedule;
use meridian_core::rollup::Tier;
use meridian_core::rules::RuleScope;
use meridian_core::sample::Sample;
use meridian_service::{
    ApiErrorKind, App, DeviceInput, MaintenanceWindow, Report, ReportFormat, ReportKind, ReportRequest, SiteInput,
};
use meridian_store::{InterfaceRow, Store};
use serde_json::json;
use uuid::Uuid;

/// Midnight two days ago: the report day is wholly in the past.
fn day0() -> DateTime<Utc> {
    Utc::now().duration_trunc(Duration::days(1)).expect("trunc") - Duration::days(2)
}

fn at(hours: f64) -> DateTime<Utc> {
    day0() + Duration::seconds((hours * 3600.0) as i64)
}

fn req(kind: ReportKind, from: DateTime<Utc>, to: DateTime<Utc>) -> ReportRequest {
    ReportRequest { kind, from, to, site: None, tag: None, device: None, top_n: None }
}

fn day(kind: ReportKind) -> ReportRequest {
    req(kind, at(0.0), at(24.0))
}

async fn change(s: &Store, name: &str, when: DateTime<Utc>, from: &str, to: &str) {
    let d = s.get_device(&name.into()).await.expect("device").id;
    let detail = json!({ "from": from, "to": to });
    s.log_event(when, "monitor", "device.state", "device", d.to_string(), detail).await.expect("log");
}

/// r1 (HQ, tag core): down 10:00-11:00. r2 (HQ): down 06:00-06:30. r4 (HQ):
/// down 02:00-03:00 inside a maintenance window 01:30-03:30. r3: never
/// judged. Alarms on r1 (critical, acked after 5 min, cleared after 1 h) and
/// r2 (major, cleared after 30 min). RTT and traffic on r1 and r2.
async fn seed(b: &Backend) {
    let app = b.app().await;
    app.add_site(SiteInput { name: "HQ".into(), lat: None, lon: None }).await.expect("site");
    for (name, addr, site, tags) in [
        ("r1", "127.0.0.1", Some("HQ"), vec!["core".to_owned()]),
        ("r2", "127.0.0.2", Some("HQ"), vec![]),
        ("r3", "127.0.0.3", None, vec!["edge".to_owned()]),
        ("r4", "127.0.0.4", Some("HQ"), vec![]),
    ] {
        let d = DeviceInput {
            name: name.into(),
            address: addr.into(),
            site: site.map(Into::into),
            tags,
            ..Default::default()
        };
        app.add_device(d).await.expect("device");
    }
    app.put_maintenance(MaintenanceWindow {
        name: "r4 upgrade".into(),
        comment: String::new(),
        enabled: true,
        scope: RuleScope { devices: vec!["r4".into()], ..Default::default() },
        schedule: WindowSchedule::Once { start: at(1.5), end: at(3.5) },
    })
    .await
    .expect("window");
    app.close().await;

    let s = b.store().await;
    for (name, down, up) in [("r1", 10.0, 11.0), ("r2", 6.0, 6.5), ("r4", 2.0, 3.0)] {
        change(&s, name, at(-1.0), "unknown", "up").await;
        change(&s, name, at(down), "up", "down").await;
        change(&s, name, at(up), "down", "up").await;
    }
    let id = |name: &'static str| {
        let s = &s;
        async move { s.get_device(&name.into()).await.expect("device").id }
    };
    let (r1, r2) = (id("r1").await, id("r2").await);
    let spec = |d: Uuid, sev| AlarmSpec {
        managed_object: format!("device={d}"),
        event_type: EventType::Communications,
        probable_cause: "communicationsSubsystemFailure".into(),
        specific_problem: "icmpNoReply".into(),
        perceived_severity: sev,
        additional_text: "no reply".into(),
    };
    let a1 = Alarm::raise(AlarmId(Uuid::now_v7()), Some(r1), spec(r1.0, Severity::Critical), at(10.0));
    let (mut a1, _) = s.raise_alarm(&a1).await.expect("raise");
    let stored = a1.version;
    a1.acknowledge("ops", None, at(10.0) + Duration::minutes(5)).expect("ack");
    s.save_alarm(&a1, stored).await.expect("save");
    s.clear_alarm_key(&a1.key(), at(11.0)).await.expect("clear");
    let a2 = Alarm::raise(AlarmId(Uuid::now_v7()), Some(r2), spec(r2.0, Severity::Major), at(6.0));
    s.raise_alarm(&a2).await.expect("raise");
    s.clear_alarm_key(&a2.key(), at(6.5)).await.expect("clear");

    let row = InterfaceRow {
        if_index: 1,
        name: Some("eth0".into()),
        descr: None,
        alias: None,
        speed_bps: Some(100_000_000),
        admin_status: None,
        oper_status: None,
    };
    let ifs = s.upsert_interfaces(r1, &[row], at(0.0)).await.expect("ifs");
    let rtt1 = s.ensure_series(r1, None, "rtt_ms", "ms").await.expect("series");
    let rtt2 = s.ensure_series(r2, None, "rtt_ms", "ms").await.expect("series");
    let in1 = s.ensure_series(r1, Some(ifs[0]), "if_in_bps", "bit/s").await.expect("series");
    let mut batch = Vec::new();
    for i in 0..24 {
        let t = at(f64::from(i) + 0.5);
        batch.push(Sample { at: t, series: rtt1, value: if i % 2 == 0 { 5.0 } else { 15.0 } });
        batch.push(Sample { at: t, series: rtt2, value: 2.0 });
        batch.push(Sample { at: t, series: in1, value: 50_000_000.0 });
    }
    s.insert_samples(&batch).await.expect("samples");
    s.close().await;
}

fn rows(r: &Report) -> Vec<(String, String)> {
    r.tables[0].rows.iter().map(|row| (row[0].clone(), row[2].clone())).collect()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e} (poppler-utils: scripts/install-deps.sh)"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{cmd:?} complained: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn figures_match_by_hand(app: &App) {
    let r = app.report(day(ReportKind::Availability)).await.expect("availability");
    let want = [("r1", "95.833"), ("r2", "97.917"), ("r4", "100.000"), ("r3", "no data")];
    assert_eq!(rows(&r), want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    // r4's window took two hours out of its day.
    assert_eq!(r.tables[0].rows[2][4..], ["79200".to_owned(), "0".into(), "7200".into()]);
    let hq = app.report(ReportRequest { site: Some("HQ".into()), ..day(ReportKind::Availability) }).await.expect("hq");
    assert_eq!(hq.scope, "site HQ");
    assert_eq!(rows(&hq).len(), 3);
    let core =
        app.report(ReportRequest { tag: Some("core".into()), ..day(ReportKind::Availability) }).await.expect("tag");
    assert_eq!(rows(&core), [("r1".to_owned(), "95.833".to_owned())]);

    let alarms = app.report(day(ReportKind::Alarms)).await.expect("alarms");
    let t = &alarms.tables[0];
    assert_eq!(t.rows[0][..6], ["Critical", "1", "1", "1", "300", "3600"]);
    assert_eq!(t.rows[1][..6], ["Major", "1", "0", "1", "", "1800"]);
    assert_eq!(t.rows[5][..6], ["all", "2", "1", "2", "300", "2700"]);

    let top = app.report(day(ReportKind::Top)).await.expect("top");
    assert_eq!(top.tables[0].rows, [["r1", "eth0", "50", "50", "100000000"]]);
    assert_eq!(top.tables[1].rows, [["r1", "10", "15"], ["r2", "2", "2"]]);
    assert!(top.tables[2].rows.is_empty());
    assert_eq!(top.tables[3].rows, [["r1", "1"], ["r2", "1"]]);

    // Nothing recorded a year ago: a report that says so.
    let empty = app.report(req(ReportKind::Availability, at(-24.0 * 365.0), at(-24.0 * 364.0))).await.expect("empty");
    assert!(empty.notes.iter().any(|n| n.starts_with("No data")), "{:?}", empty.notes);
}

async fn long_period_reads_rollups(b: &Backend) {
    // Roll up three weeks, then report on them: r1 was known from 23:00 the
    // day before (25 h, 24 h of them up) whichever path counts it.
    let s = b.store().await;
    for tier in Tier::ROLLUPS {
        s.rollup_batch(tier, at(-24.0 * 20.0), at(24.0), Utc::now()).await.expect("rollup");
    }
    s.close().await;
    let app = b.app().await;
    let r = app.report(req(ReportKind::Availability, at(-24.0 * 20.0), at(24.0))).await.expect("long");
    assert_eq!(
        rows(&r)[..3],
        [("r1", "96.000"), ("r2", "98.000"), ("r4", "100.000")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    app.close().await;
}

async fn outputs_open_in_real_tools(app: &App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("availability.pdf");
    std::fs::write(&pdf, app.report_file(day(ReportKind::Availability), ReportFormat::Pdf).await.expect("pdf"))
        .expect("write");
    let info = run(Command::new("pdfinfo").arg(&pdf));
    assert!(info.contains("Pages:"), "{info}");
    let text = run(Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-"));
    for want in
        ["Availability report", "Scope: all devices", "r1", "95.833", "r2", "97.917", "r4", "100.000", "no data"]
    {
        assert!(text.contains(want), "{want} missing from the PDF text:\n{text}");
    }
    run(Command::new("pdftoppm").args(["-png", "-r", "40"]).arg(&pdf).arg(dir.path().join("page")));
    let page = std::fs::read(dir.path().join("page-1.png")).expect("pdftoppm wrote page 1");
    assert!(page.starts_with(b"\x89PNG"), "page 1 is a PNG");

    let svg = app.report_file(day(ReportKind::Availability), ReportFormat::Svg).await.expect("svg");
    let svg = String::from_utf8(svg).expect("utf-8");
    let mut reader = quick_xml::Reader::from_str(&svg);
    let (mut elements, mut texts) = (0, String::new());
    loop {
        match reader.read_event().expect("the SVG is well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_) => elements += 1,
            quick_xml::events::Event::Text(t) => texts.push_str(&t.into_inner()),
            _ => {}
        }
    }
    assert!(elements > 10 && texts.contains("r1") && texts.contains("95.833"), "{svg}");

    let png = app.report_file(day(ReportKind::Top), ReportFormat::Png).await.expect("png");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!(frame.width, 900);
    let pixels = &buf[..frame.buffer_size()];
    assert!(pixels.iter().any(|&p| p < 128) && pixels.iter().any(|&p| p > 250), "the chart draws something");

    for kind in [ReportKind::Availability, ReportKind::Top, ReportKind::Alarms] {
        let report = app.report(day(kind)).await.expect("report");
        let csv = app.report_file(day(kind), ReportFormat::Csv).await.expect("csv");
        let back = meridian_core::csv::read(&csv, 10_000).expect("CSV reads back");
        for t in &report.tables {
            assert!(back.iter().any(|r| r.fields == t.columns), "{kind:?}: {} header", t.title);
            for row in &t.rows {
                assert!(back.iter().any(|r| &r.fields == row), "{kind:?}: row {row:?}");
            }
        }
        let json = app.report_file(day(kind), ReportFormat::Json).await.expect("json");
        let v: serde_json::Value = serde_json::from_slice(&json).expect("json");
        assert_eq!(v["tables"].as_array().map(Vec::len), Some(report.tables.len()));
    }
}

async fn bad_requests_are_field_errors(app: &App) {
    let field = |e: meridian_service::ApiError| {
        assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
        e.fields.iter().map(|f| f.field.clone()).collect::<Vec<_>>()
    };
    let reversed = req(ReportKind::Availability, at(24.0), at(0.0));
    assert_eq!(field(app.report(reversed).await.expect_err("reversed")), ["to"]);
    let site = ReportRequest { site: Some("Nowhere".into()), ..day(ReportKind::Top) };
    assert_eq!(field(app.report_file(site, ReportFormat::Pdf).await.expect_err("site")), ["site"]);
    let tag = ReportRequest { tag: Some("nope".into()), ..day(ReportKind::Alarms) };
    assert_eq!(field(app.report(tag).await.expect_err("tag")), ["tag"]);
    let device = ReportRequest { device: Some("r9".into()), ..day(ReportKind::Availability) };
    assert_eq!(field(app.report(device).await.expect_err("device")), ["device"]);
}

async fn reports(native: bool) {
    let b = Backend::new(native);
    seed(&b).await;
    let app = b.app().await;
    figures_match_by_hand(&app).await;
    outputs_open_in_real_tools(&app).await;
    bad_requests_are_field_errors(&app).await;
    app.close().await;
    long_period_reads_rollups(&b).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_on_the_embedded_store() {
    reports(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_on_native_postgres() {
    reports(true).await;
}
