use chrono::{DateTime, Utc};

use super::*;
use crate::alarm::Severity;

fn t(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + s, 0).expect("time")
}

fn settings() -> SelfWatchSettings {
    SelfWatchSettings {
        store_cap_bytes: Some(1_000_000),
        raise_after_secs: 10,
        clear_after_secs: 30,
        window_secs: 60,
        late_min_polls: 10,
        ..Default::default()
    }
}

fn store(bytes: u64) -> SelfReadings {
    SelfReadings { store_bytes: Some(bytes), ..Default::default() }
}

fn severities(a: &[SelfAction]) -> Vec<(String, Option<Severity>)> {
    a.iter()
        .map(|a| match a {
            SelfAction::Raise(s) => (s.specific_problem.clone(), Some(s.perceived_severity)),
            SelfAction::Clear(k) => (k.specific_problem.clone(), None),
        })
        .collect()
}

#[test]
fn the_store_cap_raises_after_the_hold_down_regrades_and_clears_below_the_margin() {
    let mut w = SelfWatch::new(settings(), t(0));
    // 85%: a warning, but only once it has lasted 10 s.
    assert!(w.tick(&store(850_000), t(0)).is_empty());
    assert!(w.tick(&store(850_000), t(9)).is_empty());
    let a = w.tick(&store(850_000), t(10));
    assert_eq!(severities(&a), vec![(problem::STORE_NEAR_CAP.to_owned(), Some(Severity::Warning))]);
    let SelfAction::Raise(spec) = &a[0] else { panic!("{a:?}") };
    assert_eq!(spec.additional_text, "the store uses 0.8 MB (85% of its 1.0 MB cap)");
    assert_eq!(spec.managed_object, crate::alarm::SELF_OBJECT);
    // 96%: major, again after the hold-down.
    assert!(w.tick(&store(960_000), t(11)).is_empty());
    let a = w.tick(&store(960_000), t(21));
    assert_eq!(severities(&a), vec![(problem::STORE_NEAR_CAP.to_owned(), Some(Severity::Major))]);
    // 92% is within the 5-point margin below 95: stays major however long.
    assert!(w.tick(&store(920_000), t(30)).is_empty());
    assert!(w.tick(&store(920_000), t(100)).is_empty());
    // 89%: below 95 - 5, down to a warning after 30 s (not sooner).
    assert!(w.tick(&store(890_000), t(101)).is_empty());
    assert!(w.tick(&store(890_000), t(130)).is_empty());
    assert_eq!(severities(&w.tick(&store(890_000), t(131))), vec![("storeNearCap".into(), Some(Severity::Warning))]);
    // 76% is within the margin below 80: the warning holds; 74% clears it.
    assert!(w.tick(&store(760_000), t(140)).is_empty());
    assert!(w.tick(&store(760_000), t(200)).is_empty());
    assert!(w.tick(&store(740_000), t(201)).is_empty());
    assert_eq!(severities(&w.tick(&store(740_000), t(231))), vec![("storeNearCap".into(), None)]);
    assert!(w.active().is_empty());
}

#[test]
fn a_figure_that_hovers_at_the_threshold_raises_nothing_until_it_stays() {
    let mut w = SelfWatch::new(settings(), t(0));
    // Above for 5 s, below for 1 s, above again: the hold-down restarts.
    for (s, bytes) in [(0, 810_000), (5, 810_000), (6, 700_000), (7, 810_000), (12, 810_000)] {
        assert!(w.tick(&store(bytes), t(s)).is_empty(), "at {s}");
    }
    assert_eq!(w.tick(&store(810_000), t(17)).len(), 1);
    // Unreadable size: no change either way.
    assert!(w.tick(&SelfReadings::default(), t(100)).is_empty());
    assert_eq!(w.active().len(), 1);
}

#[test]
fn removing_the_cap_clears_its_alarm_and_no_cap_never_raises() {
    let mut s = settings();
    s.raise_after_secs = 0;
    s.clear_after_secs = 0;
    let mut w = SelfWatch::new(s.clone(), t(0));
    assert_eq!(w.tick(&store(990_000), t(0)).len(), 1);
    s.store_cap_bytes = None;
    w.set_settings(s);
    assert_eq!(severities(&w.tick(&store(990_000), t(1))), vec![("storeNearCap".into(), None)]);
    assert!(w.tick(&store(u64::MAX), t(2)).is_empty());
}

#[test]
fn low_disk_space_grades_by_the_free_percentage() {
    let mut s = settings();
    s.raise_after_secs = 0;
    let mut w = SelfWatch::new(s, t(0));
    let disk = |free: u64| SelfReadings {
        disk: Some(DiskSpace { free_bytes: free, total_bytes: 64_000_000 }),
        ..Default::default()
    };
    assert!(w.tick(&disk(32_000_000), t(0)).is_empty());
    let a = w.tick(&disk(4_800_000), t(1)); // 7.5% free
    assert_eq!(severities(&a), vec![("diskSpaceLow".into(), Some(Severity::Warning))]);
    let SelfAction::Raise(spec) = &a[0] else { panic!() };
    assert_eq!(spec.additional_text, "7.5% free (4.8 MB of 64.0 MB) on the data directory's filesystem");
    assert_eq!(spec.probable_cause, crate::alarm::cause::STORAGE_CAPACITY_PROBLEM);
    assert_eq!(severities(&w.tick(&disk(1_280_000), t(2))), vec![("diskSpaceLow".into(), Some(Severity::Major))]);
    // 12% free is within the margin (10 + 5): stays graded warning, not cleared.
    assert!(w.tick(&disk(7_680_000), t(3)).is_empty());
    assert_eq!(severities(&w.tick(&disk(7_680_000), t(33))), vec![("diskSpaceLow".into(), Some(Severity::Warning))]);
    assert!(w.tick(&disk(16_000_000), t(34)).is_empty());
    assert_eq!(severities(&w.tick(&disk(16_000_000), t(64))), vec![("diskSpaceLow".into(), None)]);
}

#[test]
fn a_big_disk_with_a_small_share_free_but_many_bytes_is_no_alarm() {
    let mut s = settings();
    s.raise_after_secs = 0;
    let mut w = SelfWatch::new(s, t(0));
    // 9.2% of 270 GB free: 24.9 GB, above the 5 GiB floor.
    let big = SelfReadings {
        disk: Some(DiskSpace { free_bytes: 24_882_900_000, total_bytes: 270_553_200_000 }),
        ..Default::default()
    };
    assert!(w.tick(&big, t(1)).is_empty());
    // 1% of it free: 2.7 GB, under the floor: major.
    let low = SelfReadings {
        disk: Some(DiskSpace { free_bytes: 2_705_532_000, total_bytes: 270_553_200_000 }),
        ..Default::default()
    };
    assert_eq!(severities(&w.tick(&low, t(2))), vec![("diskSpaceLow".into(), Some(Severity::Major))]);
}

#[test]
fn late_polls_count_over_the_window_and_need_enough_polls() {
    let mut s = settings();
    s.raise_after_secs = 0;
    let mut w = SelfWatch::new(s, t(0));
    let polls =
        |started: u64, late: u64| SelfReadings { polls_started: started, polls_late: late, ..Default::default() };
    // 5 of 8 late: too few polls to judge.
    assert!(w.tick(&polls(8, 5), t(10)).is_empty());
    // 30 of 40 late (75%): major.
    let a = w.tick(&polls(40, 30), t(20));
    assert_eq!(severities(&a), vec![("pollsBehindSchedule".into(), Some(Severity::Major))]);
    let SelfAction::Raise(spec) = &a[0] else { panic!() };
    assert_eq!(spec.additional_text, "30 of 40 polls (75%) in the last 60 s started more than one interval late");
    // The scheduler catches up: 200 more polls, none late. The window keeps
    // the late ones (12.5%, then 5.8%: a warning, within the margin) until
    // the mark of t=20 is its baseline; better since t=50, held 30 s.
    assert!(w.tick(&polls(240, 30), t(50)).is_empty());
    assert!(w.tick(&polls(440, 30), t(79)).is_empty());
    assert_eq!(severities(&w.tick(&polls(640, 30), t(81))), vec![("pollsBehindSchedule".into(), None)]);
    assert!(w.tick(&polls(840, 30), t(111)).is_empty());
}

#[test]
fn dropped_samples_raise_a_major_alarm_that_clears_once_none_drop_for_the_window() {
    let mut s = settings();
    s.raise_after_secs = 0;
    s.clear_after_secs = 0;
    let mut w = SelfWatch::new(s, t(0));
    let drops = |n: u64| SelfReadings { samples_dropped: n, ..Default::default() };
    assert!(w.tick(&drops(0), t(1)).is_empty());
    let a = w.tick(&drops(17), t(2));
    assert_eq!(severities(&a), vec![("samplesDropped".into(), Some(Severity::Major))]);
    let SelfAction::Raise(spec) = &a[0] else { panic!() };
    assert_eq!(spec.additional_text, "17 samples dropped in the last 60 s");
    assert!(w.tick(&drops(17), t(30)).is_empty());
    assert_eq!(severities(&w.tick(&drops(17), t(63))), vec![("samplesDropped".into(), None)]);
}

#[test]
fn bad_settings_name_every_field() {
    let s = SelfWatchSettings {
        store_cap_bytes: Some(0),
        store_warn_pct: 90.0,
        store_major_pct: 80.0,
        disk_free_warn_pct: f64::NAN,
        late_major_pct: 150.0,
        window_secs: 0,
        clear_after_secs: MAX_SECS + 1,
        hysteresis_pct: -1.0,
        disk_free_floor_bytes: 0,
        ..Default::default()
    };
    let e = s.validate().expect_err("invalid");
    let mut fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "clearAfterSecs",
            "diskFreeFloorBytes",
            "diskFreeWarnPct",
            "hysteresisPct",
            "lateMajorPct",
            "storeCapBytes",
            "storeMajorPct",
            "windowSecs"
        ]
    );
    assert!(SelfWatchSettings::default().validate().is_ok());
    let parsed: Result<SelfWatchSettings, _> = serde_json::from_str(r#"{"storeCapPct": 3}"#);
    assert!(parsed.is_err(), "unknown keys are refused");
}
