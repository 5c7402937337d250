//! Reports against numbers worked out by hand.

use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::alarms::{alarms_report, handling};
use super::availability::*;
use super::top::{top_report, SeriesSummary};
use super::*;
use crate::alarm::{AlarmSpec, EventType, Severity};
use crate::alarm_record::{Alarm, AlarmId};
use crate::fault::{Day, MaintenanceWindow, WindowSchedule};
use crate::metric::Builtin;
use crate::rollup::state::StateTime;
use crate::rollup::{Tier, Watermarks};
use crate::rules::RuleScope;
use crate::state::DeviceState::{Down, Up};

/// Midnight, a Monday.
fn day0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).single().expect("valid")
}

fn h(hours: i64) -> DateTime<Utc> {
    day0() + Duration::hours(hours)
}

fn request(kind: ReportKind) -> ValidReport {
    ValidReport { kind, from: h(0), to: h(24), scope: Scope::All, top_n: 10 }
}

fn blank(kind: ReportKind) -> Report {
    Report::new(&request(kind), "all devices".into(), h(48))
}

fn down_10_to_11() -> Timeline {
    Timeline { before: Some(Up), changes: vec![(h(10), Down), (h(11), Up)] }
}

#[test]
fn an_hour_down_in_a_day_is_95_833_percent() {
    let day = (h(0), h(24));
    let plan = plan(day.0, day.1, &Watermarks::default());
    assert_eq!(plan, AvailabilityPlan { raw: vec![day], rollup: None });
    let (t, maint) = device_time(&plan, &down_10_to_11(), StateTime::default(), &[], day);
    assert_eq!(t, StateTime { up_secs: 23 * 3600, known_secs: 24 * 3600 });
    assert_eq!(maint, 0);
    assert_eq!(percent(t.up_fraction().expect("known")), "95.833");
    // 30 minutes down: 1410 / 1440.
    let half = Timeline { before: Some(Up), changes: vec![(h(10), Down), (h(10) + Duration::minutes(30), Up)] };
    let (t, _) = device_time(&plan, &half, StateTime::default(), &[], day);
    assert_eq!(percent(t.up_fraction().expect("known")), "97.917");
}

#[test]
fn maintenance_leaves_the_denominator() {
    let day = (h(0), h(24));
    let plan = plan(day.0, day.1, &Watermarks::default());
    // The window covers the outage and an hour more (09:30 to 11:30).
    let m = [(h(9) + Duration::minutes(30), h(11) + Duration::minutes(30))];
    let (t, maint) = device_time(&plan, &down_10_to_11(), StateTime::default(), &m, day);
    assert_eq!(t, StateTime { up_secs: 22 * 3600, known_secs: 22 * 3600 });
    assert_eq!(maint, 2 * 3600);
    // Half the outage inside a window (10:30 to 12:00): 30 min down of 22.5 h.
    let m = [(h(10) + Duration::minutes(30), h(12))];
    let (t, _) = device_time(&plan, &down_10_to_11(), StateTime::default(), &m, day);
    assert_eq!(t, StateTime { up_secs: 22 * 3600, known_secs: 22 * 3600 + 1800 });
}

#[test]
fn no_state_is_no_data_not_100_percent() {
    let day = (h(0), h(24));
    let plan = plan(day.0, day.1, &Watermarks::default());
    let (t, _) = device_time(&plan, &Timeline::default(), StateTime::default(), &[], day);
    assert_eq!(t.up_fraction(), None);
    let rows = vec![
        DeviceAvailability { device: "quiet".into(), site: None, time: t, maintenance_secs: 0 },
        DeviceAvailability {
            device: "r1".into(),
            site: Some("HQ".into()),
            time: StateTime { up_secs: 23 * 3600, known_secs: 24 * 3600 },
            maintenance_secs: 0,
        },
    ];
    let r = availability_report(blank(ReportKind::Availability), rows);
    let t = &r.tables[0];
    assert_eq!(t.rows[0][..3], ["r1", "HQ", "95.833"]);
    assert_eq!(t.rows[1][..3], ["quiet", "", "no data"]);
    assert_eq!(r.chart.labels, ["r1"]);
    assert!(r.notes[0].contains("95.833%"), "{:?}", r.notes);
    let none = availability_report(
        blank(ReportKind::Availability),
        vec![DeviceAvailability { device: "q".into(), site: None, time: StateTime::default(), maintenance_secs: 0 }],
    );
    assert!(none.notes[0].starts_with("No data"), "{:?}", none.notes);
}

#[test]
fn long_periods_read_rollups_with_raw_edges() {
    let mut marks = Watermarks::default();
    let (from, to) = (h(0), h(30 * 24));
    // Not built: all raw.
    assert_eq!(plan(from, to, &marks).rollup, None);
    for t in Tier::ROLLUPS {
        marks.set(t, Some(to));
    }
    // Day-aligned and built: the day tier, nothing raw.
    assert_eq!(plan(from, to, &marks), AvailabilityPlan { raw: vec![], rollup: Some((Tier::Day, (from, to))) });
    // A ragged start, and the 5-minute tier done only up to 12:02 on the last day.
    let ragged = from + Duration::seconds(150);
    let done = to - Duration::hours(12) + Duration::minutes(2);
    marks.set(Tier::FiveMin, Some(done));
    marks.set(Tier::Hour, Some(to - Duration::days(1)));
    let p = plan(ragged, to, &marks);
    let cut = to - Duration::hours(12);
    assert_eq!(p.raw, vec![(ragged, from + Duration::minutes(5)), (cut, to)]);
    assert_eq!(p.rollup, Some((Tier::FiveMin, (from + Duration::minutes(5), cut))));
    // Rollup time less the raw time of a window inside it: the outage
    // (10:00-11:00 on day 0) sits in maintenance 09:00-12:00.
    let p = plan(from, to, &{
        let mut m = Watermarks::default();
        for t in Tier::ROLLUPS {
            m.set(t, Some(to));
        }
        m
    });
    let rolled = StateTime { up_secs: 30 * 86_400 - 3600, known_secs: 30 * 86_400 };
    let (t, maint) = device_time(&p, &down_10_to_11(), rolled, &[(h(9), h(12))], (from, to));
    assert_eq!(t, StateTime { up_secs: 30 * 86_400 - 3 * 3600, known_secs: 30 * 86_400 - 3 * 3600 });
    assert_eq!(maint, 3 * 3600);
}

#[test]
fn timelines_read_in_parts_join() {
    let first = Timeline { before: Some(Up), changes: vec![(h(1), Down)] };
    let second = Timeline { before: None, changes: vec![(h(22), Up)] };
    let t = splice(vec![(h(0), first), (h(20), second)]);
    assert_eq!(t.before, Some(Up));
    assert_eq!(t.changes, vec![(h(1), Down), (h(20), crate::state::DeviceState::Unknown), (h(22), Up)]);
    // Read over its parts' ranges only: 0-2 h (1 h up) and 20-24 h (2 h up, 2 h known).
    assert_eq!(raw_time(&t, (h(0), h(2))), StateTime { up_secs: 3600, known_secs: 7200 });
    assert_eq!(raw_time(&t, (h(20), h(24))), StateTime { up_secs: 7200, known_secs: 7200 });
    assert_eq!(splice(Vec::new()), Timeline::default());
}

#[test]
fn intervals_merge_and_cut() {
    let v = merge_intervals(vec![(h(5), h(6)), (h(1), h(2)), (h(2), h(3)), (h(4), h(4)), (h(5), h(7))]);
    assert_eq!(v, vec![(h(1), h(3)), (h(5), h(7))]);
    assert_eq!(subtract((h(0), h(8)), &v), vec![(h(0), h(1)), (h(3), h(5)), (h(7), h(8))]);
    assert_eq!(intersect((h(2), h(6)), &v), vec![(h(2), h(3)), (h(5), h(6))]);
}

#[test]
fn maintenance_windows_as_intervals() {
    let w = |schedule| MaintenanceWindow {
        name: "w".into(),
        comment: String::new(),
        enabled: true,
        scope: RuleScope { all: true, ..Default::default() },
        schedule,
    };
    // Mondays 23:00 for 2 hours: the one of the Monday before reaches 01:00 today (Monday),
    // today's runs past the period's end.
    let weekly = w(WindowSchedule::Weekly { days: vec![Day::Sun, Day::Mon], start: "23:00".into(), minutes: 120 });
    assert_eq!(weekly.open_intervals(h(0), h(24)), vec![(h(0), h(1)), (h(23), h(24))]);
    let once = w(WindowSchedule::Once { start: h(-5), end: h(2) });
    assert_eq!(once.open_intervals(h(0), h(24)), vec![(h(0), h(2))]);
    let cron = w(WindowSchedule::Cron { expr: "0 6 * * *".into(), minutes: 30 });
    assert_eq!(
        cron.open_intervals(h(0), h(48)),
        vec![(h(6), h(6) + Duration::minutes(30)), (h(30), h(30) + Duration::minutes(30))]
    );
    let mut off = once.clone();
    off.enabled = false;
    assert!(off.open_intervals(h(0), h(24)).is_empty());
}

fn alarm(n: u128, s: Severity, raised: DateTime<Utc>, ack: Option<i64>, clear: Option<i64>) -> Alarm {
    let spec = AlarmSpec {
        managed_object: format!("device=d{n}"),
        event_type: EventType::Communications,
        probable_cause: "x".into(),
        specific_problem: String::new(),
        perceived_severity: s,
        additional_text: String::new(),
    };
    let mut a = Alarm::raise(AlarmId::from_uuid(Uuid::from_u128(n)), None, spec, raised);
    a.acked_at = ack.map(|s| raised + Duration::seconds(s));
    a.cleared_at = clear.map(|s| raised + Duration::seconds(s));
    a
}

#[test]
fn alarm_handling_counts_and_means() {
    let alarms = vec![
        alarm(1, Severity::Critical, h(1), Some(60), Some(600)),
        alarm(2, Severity::Major, h(2), Some(180), None),
        alarm(3, Severity::Critical, h(3), None, Some(1200)),
        // Raised before the period: not counted.
        alarm(4, Severity::Minor, h(-1), Some(5), Some(5)),
    ];
    let all = handling(&alarms, h(0), h(24));
    assert_eq!((all.raised, all.acked, all.cleared), (3, 2, 2));
    assert_eq!(all.mean_ack_secs, Some(120.0));
    assert_eq!(all.mean_clear_secs, Some(900.0));
    let r = alarms_report(blank(ReportKind::Alarms), &alarms);
    let t = &r.tables[0];
    assert_eq!(t.rows[0], ["Critical", "2", "1", "2", "60", "900", "1m 00s", "15m 00s"]);
    assert_eq!(t.rows[1][..6], ["Major", "1", "1", "0", "180", ""]);
    assert_eq!(t.rows[2][..4], ["Minor", "0", "0", "0"]);
    assert_eq!(t.rows[5][..4], ["all", "3", "2", "2"]);
    assert_eq!(r.chart.values, [2.0, 1.0, 0.0, 0.0, 0.0]);
    assert!(r.notes.is_empty());
    assert!(alarms_report(blank(ReportKind::Alarms), &[]).notes[0].starts_with("No data"));
}

fn series(device: &str, iface: Option<&str>, metric: Builtin, avg: f64, max: f64) -> SeriesSummary {
    SeriesSummary {
        device: device.into(),
        interface: iface.map(str::to_owned),
        speed_bps: iface.map(|_| 100_000_000),
        metric,
        avg,
        max,
    }
}

#[test]
fn top_n_ranks_by_hand() {
    let s = vec![
        series("a", Some("eth0"), Builtin::IfInBps, 50e6, 90e6),
        series("a", Some("eth0"), Builtin::IfOutBps, 20e6, 95e6),
        series("b", Some("ge1"), Builtin::IfInBps, 70e6, 71e6),
        series("a", None, Builtin::RttMs, 3.5, 10.0),
        series("b", None, Builtin::RttMs, 12.25, 40.0),
        series("c", None, Builtin::RttMs, 1.0, 2.0),
        series("a", None, Builtin::LossPct, 0.0, 0.0),
        series("b", None, Builtin::LossPct, 2.5, 20.0),
    ];
    let alarms = vec![("a".to_owned(), 3), ("b".to_owned(), 7), ("c".to_owned(), 0)];
    let r = top_report(blank(ReportKind::Top), &s, &alarms, 2);
    assert_eq!(r.tables[0].rows, [["b", "ge1", "70", "71", "100000000"], ["a", "eth0", "50", "95", "100000000"]]);
    assert_eq!(r.tables[1].rows, [["b", "12.25", "40"], ["a", "3.5", "10"]]);
    assert_eq!(r.tables[2].rows, [["b", "2.5", "20"]]);
    assert_eq!(r.tables[3].rows, [["b", "7"], ["a", "3"]]);
    assert_eq!(r.chart.labels, ["b ge1", "a eth0"]);
    assert!(top_report(blank(ReportKind::Top), &[], &[], 5).notes[0].starts_with("No data"));
}

#[test]
fn requests_are_checked_field_by_field() {
    let now = h(48);
    let req = |from, to| ReportRequest {
        kind: ReportKind::Availability,
        from,
        to,
        site: None,
        tag: None,
        device: None,
        top_n: None,
    };
    let fields = |r: &ReportRequest| -> Vec<String> {
        validate_report(r, now).expect_err("refused").fields().iter().map(|f| f.field.clone()).collect()
    };
    assert_eq!(fields(&req(h(24), h(0))), ["to"]);
    assert_eq!(fields(&req(h(0), h(0))), ["to"]);
    assert_eq!(fields(&req(h(-24 * 500), h(0))), ["from"]);
    assert_eq!(fields(&req(h(49), h(50))), ["from"]);
    let mut two = req(h(0), h(24));
    two.site = Some("HQ".into());
    two.tag = Some("core".into());
    two.top_n = Some(0);
    assert_eq!(fields(&two), ["tag", "topN"]);
    let mut ok = req(h(0), h(24));
    ok.site = Some(" HQ ".into());
    ok.tag = Some(" ".into());
    let v = validate_report(&ok, now).expect("valid");
    assert_eq!((v.scope, v.top_n), (Scope::Site("HQ".into()), 10));
}

#[test]
fn csv_of_every_table_reads_back() {
    let r = top_report(
        blank(ReportKind::Top),
        &[series("a, \"quoted\"", None, Builtin::RttMs, 1.0, 2.0)],
        &[("a, \"quoted\"".to_owned(), 1)],
        5,
    );
    let text = r.csv();
    let back = crate::csv::read(text.as_bytes(), 100).expect("parses");
    let titles: Vec<&str> = back.iter().filter(|r| r.fields.len() == 1).map(|r| r.fields[0].as_str()).collect();
    assert_eq!(titles, ["# Busiest interfaces", "# Worst round-trip time", "# Worst loss", "# Most alarms"]);
    assert!(back.iter().any(|r| r.fields == ["a, \"quoted\"", "1", "2"]));
    let single = &r.tables[1];
    let back = crate::csv::read(single.csv().as_bytes(), 10).expect("parses");
    assert_eq!(back[0].fields, single.columns);
    assert_eq!(back[1].fields, single.rows[0]);
}

#[test]
fn durations_and_numbers_read_well() {
    assert_eq!(duration_text(59.6), "1m 00s");
    assert_eq!(duration_text(3723.0), "1h 02m 03s");
    assert_eq!(duration_text(90_000.0), "1d 01h 00m");
    assert_eq!(number(2.500, 3), "2.5");
    assert_eq!(number(100.0, 3), "100");
}
