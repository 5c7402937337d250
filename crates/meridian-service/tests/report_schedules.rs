//! Scheduled reports through `App` on the embedded store and a native
//! PostgreSQL, with the time passed in: a schedule due at a given time
//! writes a PDF (read back by poppler's `pdftotext`) and a CSV with the
//! expected availability (r1 down 30 minutes in its day: 97.917%), and
//! mails both to a real SMTP server (aiosmtpd) as attachments; a second
//! tick runs nothing; after a simulated downtime it catches up once; a
//! folder that is not a directory is a recorded error, retried at the next
//! due time. Bad schedules are field errors and write nothing. An edit
//! keeps the run log and state (a bad one, or a rename onto another
//! schedule, changes nothing).

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, DurationRound, Utc};
use common::backend::Backend;
use meridian_core::notification::{Channel, ChannelKind, EmailChannel, RateLimit, SmtpSecurity};
use meridian_service::{
    ApiErrorKind, App, Cadence, ChannelInput, DeviceInput, ReportFormat, ReportKind, ReportSchedule, ScheduleInput,
    SiteInput,
};
use meridian_testkit::SmtpSink;
use serde_json::json;

/// Midnight two days ago: the report day is wholly in the past.
fn day0() -> DateTime<Utc> {
    Utc::now().duration_trunc(Duration::days(1)).expect("trunc") - Duration::days(2)
}

fn at(hours: f64) -> DateTime<Utc> {
    day0() + Duration::seconds((hours * 3600.0) as i64)
}

/// Site HQ with r1, up from the day before, down 10:00-10:30 of day 0.
async fn seed(b: &Backend, smtp_port: u16) {
    let app = b.app().await;
    app.add_site(SiteInput { name: "HQ".into(), lat: None, lon: None }).await.expect("site");
    let d =
        DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), site: Some("HQ".into()), ..Default::default() };
    app.add_device(d).await.expect("device");
    let mail = ChannelKind::Email(EmailChannel {
        host: "127.0.0.1".into(),
        port: smtp_port,
        security: SmtpSecurity::Plain,
        from: "meridian@example.com".into(),
        to: vec!["ops@example.com".into()],
        username: None,
        password_ref: None,
        ca_file: None,
    });
    let channel = Channel { name: "ops-mail".into(), enabled: true, kind: mail, rate_limit: RateLimit::default() };
    app.put_channel(ChannelInput { channel, password: None, secret: None }).await.expect("channel");
    app.close().await;
    let s = b.store().await;
    let id = s.get_device(&"r1".into()).await.expect("r1").id.to_string();
    for (when, from, to) in [(at(-24.0), "unknown", "up"), (at(10.0), "up", "down"), (at(10.5), "down", "up")] {
        let detail = json!({ "from": from, "to": to });
        s.log_event(when, "monitor", "device.state", "device", id.clone(), detail).await.expect("log");
    }
    s.close().await;
}

fn input(name: &str, folder: &Path) -> ScheduleInput {
    ScheduleInput {
        name: name.into(),
        cadence: Cadence::Daily,
        kind: ReportKind::Availability,
        site: Some("HQ".into()),
        tag: None,
        device: None,
        top_n: None,
        formats: vec![ReportFormat::Pdf, ReportFormat::Csv],
        folder: folder.display().to_string(),
        channel: None,
        recipients: Vec::new(),
        enabled: true,
    }
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext: {e} (poppler-utils: scripts/install-deps.sh)"));
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Each part of a multipart message: its headers and its body, decoded
/// when base64 (what Meridian sends every part as).
fn mime_parts(message: &str) -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    let message = message.replace("\r\n", "\n");
    let boundary = message
        .split("boundary=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("multipart: {message}"));
    let mut out = Vec::new();
    for part in message.split(&format!("--{boundary}")).skip(1) {
        let Some((headers, body)) = part.split_once("\n\n") else { continue };
        let bytes = if headers.contains("Content-Transfer-Encoding: base64") {
            let clean: String = body.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD.decode(clean).expect("base64")
        } else {
            body.as_bytes().to_vec()
        };
        out.push((headers.to_owned(), bytes));
    }
    out
}

async fn due_runs_write_mail_and_catch_up_once(app: &App, smtp: &SmtpSink) {
    let out = tempfile::tempdir().expect("out");
    let mut sched = input("daily-hq", out.path());
    sched.channel = Some("ops-mail".into());
    sched.recipients = vec!["boss@example.com".into()];
    // Made five days before day 0: its first day is day -5 (no data yet).
    let made = at(-24.0 * 5.0 + 1.0);
    let s = app.add_report_schedule_at(sched, made).await.expect("add");
    assert_eq!(s.next_due, at(-24.0 * 4.0));
    assert!(app.run_due_reports(at(-24.0 * 4.0) - Duration::minutes(1)).await.expect("tick").is_empty());
    let first = app.run_due_reports(at(-24.0 * 4.0) + Duration::minutes(1)).await.expect("tick");
    assert_eq!(first.len(), 1);
    assert!(first[0].ok, "{first:?}");
    assert!(app.run_due_reports(at(-24.0 * 4.0) + Duration::minutes(2)).await.expect("tick").is_empty(), "once");

    // Down from day -4 until day 1: one run, for day 0 only.
    let back = at(24.0) + Duration::minutes(1);
    let runs = app.run_due_reports(back).await.expect("catch up");
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert!(run.ok, "{run:?}");
    assert_eq!((run.period.from, run.period.to), (at(0.0), at(24.0)));
    assert!(app.run_due_reports(back + Duration::minutes(1)).await.expect("tick").is_empty());
    let label = day0().format("%Y-%m-%d").to_string();
    let early = at(-24.0 * 5.0).format("%Y-%m-%d").to_string();
    assert_eq!(
        names(out.path()),
        [
            format!("daily-hq-{early}.csv"),
            format!("daily-hq-{early}.pdf"),
            format!("daily-hq-{label}.csv"),
            format!("daily-hq-{label}.pdf")
        ],
        "two runs, no temporary files left"
    );
    let pdf = out.path().join(format!("daily-hq-{label}.pdf"));
    assert_eq!(
        run.files,
        [pdf.display().to_string(), out.path().join(format!("daily-hq-{label}.csv")).display().to_string()]
    );
    let text = pdf_text(&pdf);
    for want in ["Availability report", "site HQ", "r1", "97.917"] {
        assert!(text.contains(want), "{want} missing from the PDF:\n{text}");
    }
    let csv = std::fs::read(out.path().join(format!("daily-hq-{label}.csv"))).expect("csv");
    let rows = meridian_core::csv::read(&csv, 100).expect("CSV reads back");
    assert!(rows.iter().any(|r| r.fields[0] == "r1" && r.fields[2] == "97.917"), "{rows:?}");

    // Both runs were mailed to the schedule's recipient with the files attached.
    let msgs = smtp.messages();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    let m = msgs.iter().find(|m| m.contains(&format!("site HQ - {label}"))).unwrap_or_else(|| panic!("{msgs:?}"));
    assert!(run.mailed.as_deref().is_some_and(|s| s.contains("250")), "{run:?}");
    assert!(m.contains("boss@example.com") && !m.contains("ops@example.com"), "{m}");
    assert!(m.contains(&format!("Availability report - site HQ - {label}")), "{m}");
    let parts = mime_parts(m);
    let body = parts.iter().find(|(h, _)| h.contains("text/plain")).expect("a text part");
    let body = String::from_utf8_lossy(&body.1);
    assert!(body.contains("97.917") && body.contains(&pdf.display().to_string()), "the summary is in the body: {body}");
    let attached = |ext: &str| {
        let name = format!("filename=\"daily-hq-{label}.{ext}\"");
        parts.iter().find(|(h, _)| h.contains(&name)).map(|p| p.1.clone()).unwrap_or_else(|| panic!("{ext}: {m}"))
    };
    assert_eq!(attached("csv"), csv, "the CSV attached is the one written");
    assert!(attached("pdf").starts_with(b"%PDF"), "a PDF is attached");

    let log = app.report_schedule_runs(Some("daily-hq".into()), 10).await.expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].period.from, at(0.0), "newest first");
    let listed = app.list_report_schedules().await.expect("list");
    let me = listed.iter().find(|s| s.input.name == "daily-hq").expect("listed");
    assert_eq!((me.last_ok, me.last_period_to, me.next_due), (Some(true), Some(at(24.0)), at(48.0)));
}

async fn an_unwritable_folder_is_a_recorded_error(app: &App) {
    let base = tempfile::tempdir().expect("base");
    let folder = base.path().join("out");
    std::fs::create_dir(&folder).expect("mkdir");
    app.add_report_schedule_at(input("broken", &folder), at(-1.0)).await.expect("add");
    // The folder is replaced by a file: nothing can be written into it.
    std::fs::remove_dir(&folder).expect("rmdir");
    std::fs::write(&folder, b"not a folder").expect("file");
    let runs = app.run_due_reports(at(24.0) + Duration::minutes(1)).await.expect("tick");
    let run = runs.iter().find(|r| r.schedule == "broken").expect("ran");
    assert!(!run.ok && run.files.is_empty(), "{run:?}");
    assert!(run.error.as_deref().is_some_and(|e| e.contains("not a directory")), "{run:?}");
    let listed = app.list_report_schedules().await.expect("list");
    let me = listed.iter().find(|s| s.input.name == "broken").expect("listed");
    assert_eq!((me.last_ok, me.last_period_to), (Some(false), None));
    assert!(me.last_error.is_some());
    // Not retried every tick, but at the next due time (then it works).
    assert!(app
        .run_due_reports(at(24.0) + Duration::minutes(5))
        .await
        .expect("tick")
        .iter()
        .all(|r| r.schedule != "broken"));
    std::fs::remove_file(&folder).expect("rm");
    std::fs::create_dir(&folder).expect("mkdir");
    let runs = app.run_due_reports(at(48.0) + Duration::minutes(1)).await.expect("tick");
    assert!(runs.iter().any(|r| r.schedule == "broken" && r.ok), "{runs:?}");
    // Run now: the last whole period, by hand.
    let now = app.run_report_schedule_at("broken", at(48.0) + Duration::minutes(2)).await.expect("run now");
    assert!(now.ok && now.period.from == at(24.0), "{now:?}");
    app.remove_report_schedule("broken").await.expect("remove");
    assert_eq!(app.remove_report_schedule("broken").await.expect_err("gone").kind, ApiErrorKind::NotFound);
}

async fn bad_schedules_are_field_errors(app: &App) {
    let dir = tempfile::tempdir().expect("dir");
    let before = app.list_report_schedules().await.expect("list");
    let fields = |e: meridian_service::ApiError| {
        assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
        e.fields.iter().map(|f| f.field.clone()).collect::<Vec<_>>()
    };
    let bad = |f: &dyn Fn(&mut ScheduleInput)| {
        let mut i = input("bad-one", dir.path());
        f(&mut i);
        i
    };
    let cases: Vec<(ScheduleInput, Vec<&str>)> = vec![
        (bad(&|i| i.folder = "relative/reports".into()), vec!["folder"]),
        (bad(&|i| i.folder = dir.path().join("missing").display().to_string()), vec!["folder"]),
        (bad(&|i| i.formats = vec![ReportFormat::Svg]), vec!["formats"]),
        (bad(&|i| i.site = Some("Nowhere".into())), vec!["site"]),
        (bad(&|i| i.channel = Some("nope".into())), vec!["channel"]),
        (
            bad(&|i| {
                i.channel = Some("ops-mail".into());
                i.recipients = vec!["not an address".into()];
            }),
            vec!["recipients"],
        ),
        (bad(&|i| i.name = "daily-hq".into()), vec!["name"]),
    ];
    for (i, want) in cases {
        let e = app.add_report_schedule_at(i.clone(), at(1.0)).await.expect_err("refused");
        assert_eq!(fields(e), want, "{i:?}");
    }
    // A kind or cadence that does not exist does not get past the input's type.
    let unknown = json!({"name": "x", "cadence": "hourly", "kind": "uptime", "formats": ["pdf"], "folder": "/tmp"});
    assert!(serde_json::from_value::<ScheduleInput>(unknown).is_err());
    assert_eq!(app.list_report_schedules().await.expect("list"), before, "nothing was written");
    assert!(names(dir.path()).is_empty());
}

/// Editing daily-hq (which has run): a bad input, a rename onto another
/// schedule and an unknown name are refused and change nothing; a good edit
/// keeps the run log and run state, and does not run the period already
/// written again; a new cadence first runs when its current period ends.
async fn edits_keep_the_run_log_and_state(app: &App) {
    let dir = tempfile::tempdir().expect("dir");
    // After the last run of the tests before (at 48 h + 2 min).
    let now = at(48.0) + Duration::minutes(3);
    app.add_report_schedule_at(input("other", dir.path()), now).await.expect("other");
    let find = |all: Vec<ReportSchedule>, name: &str| all.into_iter().find(|s| s.input.name == name);
    let before = app.list_report_schedules().await.expect("list");
    let old = find(before.clone(), "daily-hq").expect("daily-hq");
    let runs = app.report_schedule_runs(Some("daily-hq".into()), 100).await.expect("runs");
    assert!(!runs.is_empty());
    let edit = |f: &dyn Fn(&mut ScheduleInput)| {
        let mut i = input("daily-hq", dir.path());
        f(&mut i);
        i
    };
    let cases: Vec<(ScheduleInput, Vec<&str>)> = vec![
        (edit(&|i| i.folder = "relative".into()), vec!["folder"]),
        (edit(&|i| i.site = Some("Nowhere".into())), vec!["site"]),
        (edit(&|i| i.channel = Some("nope".into())), vec!["channel"]),
        (edit(&|i| i.name = "bad name".into()), vec!["name"]),
        (edit(&|i| i.name = "other".into()), vec!["name"]),
        (
            edit(&|i| {
                i.name = "other".into();
                i.formats.clear();
            }),
            vec!["name", "formats"],
        ),
    ];
    for (i, want) in cases {
        let e = app.update_report_schedule_at("daily-hq", i.clone(), now).await.expect_err("refused");
        assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
        let mut got: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{i:?}: {e:?}");
    }
    let e = app.update_report_schedule_at("nope", input("nope", dir.path()), now).await.expect_err("unknown");
    assert_eq!(e.kind, ApiErrorKind::NotFound);
    assert_eq!(app.list_report_schedules().await.expect("list"), before, "nothing changed");

    // Renamed, elsewhere, CSV only, same cadence: the state and log stay.
    let moved = edit(&|i| {
        i.name = " daily-hq2 ".into();
        i.formats = vec![ReportFormat::Csv];
    });
    let s = app.update_report_schedule_at("daily-hq", moved, now).await.expect("edit");
    assert_eq!((s.input.name.as_str(), s.input.formats.as_slice()), ("daily-hq2", &[ReportFormat::Csv][..]));
    assert_eq!(
        (s.created_at, s.last_period_to, s.last_run_at, s.next_due, s.last_ok, s.last_error.clone()),
        (old.created_at, old.last_period_to, old.last_run_at, old.next_due, old.last_ok, old.last_error.clone())
    );
    assert_eq!(find(app.list_report_schedules().await.expect("list"), "daily-hq2"), Some(s.clone()));
    let kept = app.report_schedule_runs(Some("daily-hq2".into()), 100).await.expect("runs");
    assert_eq!(kept.len(), runs.len(), "the run log follows the rename");
    assert_eq!(
        app.report_schedule_runs(Some("daily-hq".into()), 1).await.expect_err("gone").kind,
        ApiErrorKind::NotFound
    );
    let tick = app.run_due_reports(now + Duration::minutes(1)).await.expect("tick");
    assert!(tick.iter().all(|r| r.schedule != "daily-hq2"), "an edit does not run a written period again: {tick:?}");

    // Weekly from now on: due when the current week ends, not before.
    let weekly = edit(&|i| i.cadence = Cadence::Weekly);
    let s = app.update_report_schedule_at("daily-hq2", weekly, now).await.expect("weekly");
    assert_eq!(s.next_due, meridian_core::report::schedule::next_run(Cadence::Weekly, now));
    assert_eq!(s.last_period_to, old.last_period_to);
    assert_eq!(app.report_schedule("daily-hq").await.expect("back").input.cadence, Cadence::Weekly);
    app.remove_report_schedule("other").await.expect("remove");
}

async fn schedules(native: bool) {
    let smtp = SmtpSink::start().expect("aiosmtpd (scripts/install-snmpsim.sh installs it)");
    let b = Backend::new(native);
    seed(&b, smtp.port()).await;
    let app = b.app().await;
    due_runs_write_mail_and_catch_up_once(&app, &smtp).await;
    an_unwritable_folder_is_a_recorded_error(&app).await;
    bad_schedules_are_field_errors(&app).await;
    edits_keep_the_run_log_and_state(&app).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_reports_on_the_embedded_store() {
    schedules(false).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_reports_on_native_postgres() {
    schedules(true).await;
}
