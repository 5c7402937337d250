use chrono::{DateTime, Utc};

use super::*;
use crate::report::{ReportFormat, ReportKind};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

fn input() -> ScheduleInput {
    ScheduleInput {
        name: "daily-hq".into(),
        cadence: Cadence::Daily,
        kind: ReportKind::Availability,
        site: Some("HQ".into()),
        tag: None,
        device: None,
        top_n: None,
        formats: vec![ReportFormat::Pdf, ReportFormat::Csv],
        folder: "/srv/reports".into(),
        channel: None,
        recipients: Vec::new(),
        enabled: true,
    }
}

#[test]
fn a_schedule_input_names_every_bad_field() {
    let bad = ScheduleInput {
        name: "bad name".into(),
        kind: ReportKind::Top,
        tag: Some("core".into()),
        top_n: Some(0),
        formats: vec![ReportFormat::Svg],
        folder: "relative/dir".into(),
        recipients: vec!["not-an-address".into()],
        ..input()
    };
    let e = bad.validate().expect_err("invalid");
    let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "formats", "folder", "site", "topN", "recipients", "recipients"]);
    let none = ScheduleInput { formats: vec![], folder: String::new(), ..input() };
    let fields: Vec<String> = none.validate().expect_err("x").fields().iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, ["formats", "folder"]);
    let mail = ScheduleInput { channel: Some("ops".into()), recipients: vec!["a@b.example".into()], ..input() };
    assert!(mail.validate().is_ok());
    let twice = ScheduleInput { formats: vec![ReportFormat::Csv, ReportFormat::Csv], ..input() };
    assert!(twice.validate().is_err());

    let good = input();
    assert!(good.validate().is_ok());
    let p = Period { from: t("2026-12-03T00:00:00Z"), to: t("2026-12-04T00:00:00Z") };
    assert_eq!(good.file_name(&p, ReportFormat::Csv), "daily-hq-2026-12-03.csv");
    assert_eq!(good.file_name(&p, ReportFormat::Pdf), "daily-hq-2026-12-03.pdf");
    assert_eq!((good.request(&p).from, good.request(&p).site.as_deref()), (p.from, Some("HQ")));
    let json = r#"{"name":"x","cadence":"weekly","kind":"top","formats":["pdf"],"folder":"/tmp","bogus":1}"#;
    assert!(serde_json::from_str::<ScheduleInput>(json).is_err(), "unknown fields are refused");
    let json = r#"{"name":"x","cadence":"weekly","kind":"top","formats":["pdf"],"folder":"/tmp"}"#;
    assert!(serde_json::from_str::<ScheduleInput>(json).expect("defaults").enabled);
}

#[test]
fn the_runner_runs_once_per_period_catches_up_once_and_retries_at_the_next_due_time() {
    let mut s = ReportSchedule::new(input(), t("2026-11-01T09:00:00Z"));
    assert_eq!(s.next_due, t("2026-11-02T00:00:00Z"));
    assert_eq!(run_due(&s, t("2026-11-01T23:59:00Z")), None);
    let first = run_due(&s, t("2026-11-02T00:01:00Z")).expect("due");
    assert_eq!((first.from, first.to), (t("2026-11-01T00:00:00Z"), t("2026-11-02T00:00:00Z")));
    s.ran(t("2026-11-02T00:01:00Z"), &first, None);
    assert_eq!(run_due(&s, t("2026-11-02T00:02:00Z")), None, "a second tick does not run it again");
    assert_eq!(s.next_due, t("2026-11-03T00:00:00Z"));

    // Down for five days: one run, for the latest whole day.
    let back = t("2026-11-07T10:00:00Z");
    let p = run_due(&s, back).expect("catch up");
    assert_eq!(p.from, t("2026-11-06T00:00:00Z"));
    // It fails (say the folder is gone): recorded, not retried until the next period ends.
    s.ran(back, &p, Some("folder missing".into()));
    assert_eq!((s.last_ok, s.last_error.as_deref()), (Some(false), Some("folder missing")));
    assert_eq!(s.last_period_to, Some(t("2026-11-02T00:00:00Z")));
    assert_eq!(run_due(&s, t("2026-11-07T10:01:00Z")), None);
    let retry = run_due(&s, t("2026-11-08T00:00:30Z")).expect("retried at the next due time");
    assert_eq!(retry.from, t("2026-11-07T00:00:00Z"));
    s.ran(t("2026-11-08T00:00:30Z"), &retry, None);
    assert_eq!((s.last_ok, s.last_error.clone()), (Some(true), None));

    s.input.enabled = false;
    assert_eq!(run_due(&s, t("2026-11-20T00:00:00Z")), None, "a disabled schedule never runs");
}

#[test]
fn an_edit_keeps_the_run_state_and_a_new_cadence_waits_for_its_period_end() {
    // Made Monday 30 November; wrote 2 December at 00:01 on 3 December.
    let mut s = ReportSchedule::new(input(), t("2026-11-30T09:00:00Z"));
    let day = run_due(&s, t("2026-12-03T00:01:00Z")).expect("due");
    s.ran(t("2026-12-03T00:01:00Z"), &day, None);
    let edit_at = t("2026-12-03T10:00:00Z");

    // Same cadence, new name and folder: nothing of the state moves, so the
    // day already written is not written again.
    let renamed = s.edited(ScheduleInput { name: "daily-hq2".into(), folder: "/srv/other".into(), ..input() }, edit_at);
    assert_eq!(renamed.input.name, "daily-hq2");
    assert_eq!(
        (renamed.created_at, renamed.last_period_to, renamed.last_run_at, renamed.next_due, renamed.last_ok),
        (s.created_at, s.last_period_to, s.last_run_at, s.next_due, s.last_ok)
    );
    assert_eq!(run_due(&renamed, t("2026-12-03T10:01:00Z")), None);

    // Weekly from Thursday: the first run is when that week ends (Monday
    // 7 December), for the whole week; nothing runs before.
    let weekly = s.edited(ScheduleInput { cadence: Cadence::Weekly, ..input() }, edit_at);
    assert_eq!(weekly.next_due, t("2026-12-07T00:00:00Z"));
    assert_eq!(weekly.last_period_to, Some(t("2026-12-03T00:00:00Z")));
    assert_eq!(run_due(&weekly, t("2026-12-06T23:59:00Z")), None);
    let week = run_due(&weekly, t("2026-12-07T00:01:00Z")).expect("the week is due");
    assert_eq!((week.from, week.to), (t("2026-11-30T00:00:00Z"), t("2026-12-07T00:00:00Z")));

    // A failure stays on the schedule until a run succeeds.
    s.ran(t("2026-12-04T00:01:00Z"), &day, Some("folder missing".into()));
    let monthly = s.edited(ScheduleInput { cadence: Cadence::Monthly, ..input() }, edit_at);
    assert_eq!((monthly.last_ok, monthly.last_error.as_deref()), (Some(false), Some("folder missing")));
    assert_eq!(monthly.next_due, t("2027-01-01T00:00:00Z"));
}
