//! Scheduled reports on both backends: a schedule round-trips every field,
//! a second one of the same name is a duplicate, a run updates the state
//! and is logged (only the newest runs kept), and removing the schedule
//! takes its runs with it. An edit keeps the id, runs and run state.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::report::schedule::{Cadence, Period, ReportSchedule, ScheduleInput, ScheduleRun};
use meridian_core::report::{ReportFormat, ReportKind};
use meridian_store::StoreError;

mod common;
use common::{open, BOTH};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().expect("valid time")
}

fn input(name: &str) -> ScheduleInput {
    ScheduleInput {
        name: name.into(),
        cadence: Cadence::Weekly,
        kind: ReportKind::Top,
        site: None,
        tag: Some("core".into()),
        device: None,
        top_n: Some(5),
        formats: vec![ReportFormat::Pdf, ReportFormat::Csv],
        folder: "/srv/reports".into(),
        channel: Some("ops-mail".into()),
        recipients: vec!["boss@example.com".into(), "ops@example.com".into()],
        enabled: true,
    }
}

fn run(name: &str, at: DateTime<Utc>, ok: bool) -> ScheduleRun {
    ScheduleRun {
        schedule: name.into(),
        at,
        period: Period { from: at - Duration::days(7), to: at },
        ok,
        files: vec![format!("/srv/reports/{name}.pdf")],
        mailed: ok.then(|| "250".to_owned()),
        error: (!ok).then(|| "folder missing".to_owned()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn schedules_round_trip_and_log_their_runs() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let sched = ReportSchedule::new(input("weekly-core"), t0());
        let id = s.insert_report_schedule(&sched, "test").await.expect("insert");
        let dup = s.insert_report_schedule(&sched, "test").await.expect_err("duplicate");
        assert!(matches!(dup, StoreError::Duplicate { field: "name", .. }), "{kind:?}: {dup:?}");
        let mut other = ReportSchedule::new(input("daily-all"), t0());
        other.input.cadence = Cadence::Daily;
        other.input.channel = None;
        other.input.recipients.clear();
        other.input.tag = None;
        other.input.top_n = None;
        other.input.formats = vec![ReportFormat::Csv];
        s.insert_report_schedule(&other, "test").await.expect("second");

        let all = s.list_report_schedules().await.expect("list");
        assert_eq!(
            all.iter().map(|x| x.schedule.clone()).collect::<Vec<_>>(),
            [other.clone(), sched.clone()],
            "{kind:?}"
        );
        assert_eq!(all[1].id, id);
        assert_eq!(s.get_report_schedule("nope").await.expect("get"), None);

        // Three runs with a log kept at two: the oldest goes.
        let mut state = sched.clone();
        for (i, ok) in [true, false, true].into_iter().enumerate() {
            let at = t0() + Duration::days(7 * (i as i64 + 1));
            let r = run("weekly-core", at, ok);
            state.ran(at, &r.period, r.error.clone());
            assert!(s.record_report_run(id, &state, &r, 2).await.expect("record"));
        }
        let stored = s.get_report_schedule("weekly-core").await.expect("get").expect("there");
        assert_eq!(stored.schedule, state, "{kind:?}");
        assert_eq!(stored.schedule.last_ok, Some(true));
        let runs = s.report_runs(Some("weekly-core"), 10).await.expect("runs");
        assert_eq!(runs.iter().map(|r| r.ok).collect::<Vec<_>>(), [true, false], "{kind:?}: newest first, two kept");
        assert_eq!(runs[1].error.as_deref(), Some("folder missing"));
        assert_eq!(runs[0], run("weekly-core", t0() + Duration::days(21), true));
        assert!(s.report_runs(Some("daily-all"), 10).await.expect("none").is_empty());

        let gone = s.delete_report_schedule("weekly-core", t0(), "test").await.expect("delete").expect("was there");
        assert_eq!(gone.id, id);
        assert!(s.delete_report_schedule("weekly-core", t0(), "test").await.expect("again").is_none());
        assert!(s.report_runs(None, 10).await.expect("runs").is_empty(), "{kind:?}: the runs went with it");
        // A run of a removed schedule is not logged.
        assert!(!s.record_report_run(id, &state, &run("weekly-core", t0(), true), 2).await.expect("record"));
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_keeps_the_id_runs_and_run_state_and_refuses_a_name_in_use() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let weekly = ReportSchedule::new(input("weekly-core"), t0());
        let id = s.insert_report_schedule(&weekly, "test").await.expect("insert");
        s.insert_report_schedule(&ReportSchedule::new(input("taken"), t0()), "test").await.expect("second");
        let mut state = weekly.clone();
        let r = run("weekly-core", t0() + Duration::days(7), true);
        state.ran(r.at, &r.period, None);
        assert!(s.record_report_run(id, &state, &r, 10).await.expect("record"));
        let audited = s.audit_count().await.expect("audit");

        // Renamed, another folder, no mail, same cadence: the id, runs and
        // run state stay, and so does next_due whatever the caller says.
        let now = t0() + Duration::days(8);
        let mut edited = state.edited(
            ScheduleInput {
                name: "weekly-edge".into(),
                folder: "/srv/other".into(),
                channel: None,
                recipients: Vec::new(),
                ..input("x")
            },
            now,
        );
        edited.next_due = now;
        let stored = s.update_report_schedule(id, &edited, now, "test").await.expect("update").expect("there");
        assert_eq!(stored.id, id);
        assert_eq!(stored.schedule.input, edited.input, "{kind:?}");
        assert_eq!(stored.schedule, ReportSchedule { input: edited.input.clone(), ..state.clone() }, "{kind:?}");
        let moved = ScheduleRun { schedule: "weekly-edge".into(), ..r.clone() };
        assert_eq!(s.report_runs(Some("weekly-edge"), 10).await.expect("runs"), [moved], "{kind:?}: the log follows");
        assert_eq!(s.get_report_schedule("weekly-core").await.expect("get"), None);
        assert_eq!(s.audit_count().await.expect("audit"), audited + 1, "{kind:?}: the edit is audited");

        // A new cadence takes the next due time given.
        let daily = stored.schedule.edited(ScheduleInput { cadence: Cadence::Daily, ..edited.input.clone() }, now);
        let stored = s.update_report_schedule(id, &daily, now, "test").await.expect("update").expect("there");
        assert_eq!((stored.schedule.input.cadence, stored.schedule.next_due), (Cadence::Daily, daily.next_due));
        assert_ne!(daily.next_due, state.next_due);

        // Onto a name in use: refused, nothing changed, nothing audited.
        let before = s.list_report_schedules().await.expect("list");
        let clash = daily.edited(ScheduleInput { name: "taken".into(), ..daily.input.clone() }, now);
        let e = s.update_report_schedule(id, &clash, now, "test").await.expect_err("name in use");
        assert!(matches!(e, StoreError::Duplicate { field: "name", .. }), "{kind:?}: {e:?}");
        assert_eq!(s.list_report_schedules().await.expect("list"), before, "{kind:?}");
        assert_eq!(s.audit_count().await.expect("audit"), audited + 2);
        let nobody = uuid::Uuid::now_v7();
        assert_eq!(s.update_report_schedule(nobody, &daily, now, "test").await.expect("no such id"), None);
        s.close().await;
    }
}
