//! The rules engine: thresholds with hysteresis and hold-downs, levels,
//! scope, overrides, no data, and the rule checks.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::Severity;
use meridian_core::inventory::DeviceKind;
use meridian_core::metric::{Builtin, MetricKey, NamedSample, SeriesKey};
use meridian_core::rules::{
    glob_match, Comparison, DeviceFacts, Hold, Level, Override, Rule, RuleAction, RuleEngine, RuleScope,
};
use meridian_core::{CoreError, DeviceId};
use uuid::Uuid;

fn t(i: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).single().expect("time") + Duration::seconds(60 * i)
}

fn device(n: u128, name: &str, tags: &[&str]) -> DeviceFacts {
    DeviceFacts {
        id: DeviceId::from_uuid(Uuid::from_u128(n)),
        name: name.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        site: Some("HQ".into()),
        kind: DeviceKind::Router,
        template: None,
    }
}

fn level(severity: Severity, raise: f64, clear: f64) -> Level {
    Level { severity, raise, clear: Some(clear) }
}

/// The issue's example: "CPU > 80 major, clear < 70, for 2 polls".
fn cpu_rule() -> Rule {
    Rule {
        name: "CPU high".into(),
        enabled: true,
        metric: Builtin::CpuPct.into(),
        instance: None,
        comparison: Comparison::Above,
        levels: vec![level(Severity::Major, 80.0, 70.0)],
        raise_after: Hold { samples: 2 },
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope: RuleScope { all: true, ..RuleScope::default() },
        overrides: Vec::new(),
    }
}

fn cpu(v: f64) -> NamedSample {
    NamedSample::builtin(SeriesKey::device(Builtin::CpuPct), v)
}

fn raises(a: &[RuleAction]) -> Vec<Severity> {
    a.iter()
        .filter_map(|x| match x {
            RuleAction::Raise { spec, .. } => Some(spec.perceived_severity),
            RuleAction::Clear { .. } => None,
        })
        .collect()
}

fn clears(a: &[RuleAction]) -> usize {
    a.iter().filter(|x| matches!(x, RuleAction::Clear { .. })).count()
}

#[test]
fn cpu_rule_raises_once_holds_through_swings_and_clears_below_the_clear_value() {
    let mut e = RuleEngine::new(vec![("r1".into(), cpu_rule())]);
    let d = device(1, "core-1", &[]);
    let id = d.id;
    e.set_device(d);
    assert!(e.observe(id, &cpu(85.0), None, t(0)).is_empty(), "one poll is not yet 2");
    let a = e.observe(id, &cpu(85.0), None, t(1));
    assert_eq!(raises(&a), [Severity::Major]);
    let RuleAction::Raise { spec, .. } = &a[0] else { panic!("a raise") };
    assert_eq!(spec.probable_cause, "thresholdCrossed");
    assert_eq!(spec.specific_problem, "rule:r1");
    assert!(
        spec.additional_text.contains("CPU high") && spec.additional_text.contains("85"),
        "{}",
        spec.additional_text
    );
    assert!(spec.additional_text.contains("80"), "names the threshold: {}", spec.additional_text);
    for (i, v) in [79.0, 81.0, 79.0, 81.0, 71.0].into_iter().enumerate() {
        assert!(e.observe(id, &cpu(v), None, t(2 + i as i64)).is_empty(), "{v} raises or clears nothing");
    }
    let a = e.observe(id, &cpu(65.0), None, t(10));
    assert_eq!((raises(&a).len(), clears(&a)), (0, 1));
}

#[test]
fn an_interrupted_breach_restarts_the_hold_down() {
    let mut e = RuleEngine::new(vec![("r1".into(), cpu_rule())]);
    let d = device(1, "core-1", &[]);
    let id = d.id;
    e.set_device(d);
    e.observe(id, &cpu(85.0), None, t(0));
    e.observe(id, &cpu(50.0), None, t(1));
    assert!(e.observe(id, &cpu(85.0), None, t(2)).is_empty());
    assert_eq!(raises(&e.observe(id, &cpu(85.0), None, t(3))), [Severity::Major]);
}

#[test]
fn levels_escalate_and_step_down_with_a_clear_then_a_raise() {
    let mut rule = cpu_rule();
    rule.levels = vec![
        level(Severity::Warning, 80.0, 75.0),
        level(Severity::Major, 90.0, 85.0),
        level(Severity::Critical, 95.0, 92.0),
    ];
    rule.raise_after = Hold::default();
    let mut e = RuleEngine::new(vec![("r".into(), rule)]);
    let d = device(1, "core-1", &[]);
    let id = d.id;
    e.set_device(d);
    assert_eq!(raises(&e.observe(id, &cpu(82.0), None, t(0))), [Severity::Warning]);
    let a = e.observe(id, &cpu(97.0), None, t(1));
    assert_eq!((raises(&a), clears(&a)), (vec![Severity::Critical], 1));
    assert!(e.observe(id, &cpu(93.0), None, t(2)).is_empty(), "above critical's clear value");
    let a = e.observe(id, &cpu(88.0), None, t(3));
    assert_eq!((raises(&a), clears(&a)), (vec![Severity::Major], 1));
    let a = e.observe(id, &cpu(10.0), None, t(4));
    assert_eq!((raises(&a).len(), clears(&a)), (0, 1));
}

#[test]
fn below_rules_and_instance_patterns() {
    let rule = Rule {
        name: "Uplink errors".into(),
        metric: Builtin::IfInErrors.into(),
        instance: Some("Gi0/*".into()),
        comparison: Comparison::Above,
        levels: vec![level(Severity::Minor, 1.0, 0.5)],
        raise_after: Hold::default(),
        ..cpu_rule()
    };
    let battery = Rule {
        name: "Battery runtime".into(),
        metric: MetricKey::Template("runtime_remaining".into()),
        comparison: Comparison::Below,
        levels: vec![level(Severity::Critical, 5.0, 10.0)],
        raise_after: Hold::default(),
        ..cpu_rule()
    };
    let mut e = RuleEngine::new(vec![("errs".into(), rule), ("bat".into(), battery)]);
    let d = device(1, "sw-1", &[]);
    let id = d.id;
    e.set_device(d);
    let errs = |i| NamedSample::builtin(SeriesKey::interface(Builtin::IfInErrors, i), 3.0);
    assert_eq!(raises(&e.observe(id, &errs(1), Some("gi0/1"), t(0))), [Severity::Minor], "case-insensitive");
    assert!(e.observe(id, &errs(2), Some("Te1/1"), t(0)).is_empty(), "not an uplink");
    let rt = |v| NamedSample {
        key: SeriesKey::device(MetricKey::Template("runtime_remaining".into())),
        unit: "minutes".into(),
        value: v,
    };
    assert!(e.observe(id, &rt(30.0), None, t(0)).is_empty());
    let a = e.observe(id, &rt(4.0), None, t(1));
    assert_eq!(raises(&a), [Severity::Critical]);
    let RuleAction::Raise { spec, .. } = &a[0] else { panic!("raise") };
    assert!(spec.additional_text.contains('<'), "{}", spec.additional_text);
    assert!(e.observe(id, &rt(8.0), None, t(2)).is_empty(), "below the clear value of 10");
    assert_eq!(clears(&e.observe(id, &rt(12.0), None, t(3))), 1);
}

#[test]
fn scope_and_overrides_pick_devices() {
    let mut rule = cpu_rule();
    rule.raise_after = Hold::default();
    rule.scope = RuleScope { tags: vec!["core".into()], ..RuleScope::default() };
    rule.overrides = vec![
        Override { device: "core-2".into(), enabled: None, levels: Some(vec![level(Severity::Major, 95.0, 90.0)]) },
        Override { device: "core-3".into(), enabled: Some(false), levels: None },
    ];
    let mut e = RuleEngine::new(vec![("r".into(), rule)]);
    let (c1, c2, c3, edge) = (
        device(1, "core-1", &["core"]),
        device(2, "core-2", &["core"]),
        device(3, "core-3", &["core"]),
        device(4, "edge", &[]),
    );
    let ids = [c1.id, c2.id, c3.id, edge.id];
    for d in [c1, c2, c3, edge] {
        e.set_device(d);
    }
    let fired: Vec<bool> = ids.iter().map(|id| !e.observe(*id, &cpu(90.0), None, t(0)).is_empty()).collect();
    assert_eq!(
        fired,
        [true, false, false, false],
        "tag in scope; override raises the bar; override disables; not tagged"
    );
    // A device leaving the scope is updated in place, and removing one clears what it raised.
    assert_eq!(clears(&e.remove_device(ids[0])), 1);
}

#[test]
fn silence_beyond_n_intervals_raises_no_data_and_a_sample_ends_it() {
    let mut rule = cpu_rule();
    rule.no_data_intervals = Some(3);
    let mut e = RuleEngine::new(vec![("r".into(), rule)]);
    let d = device(1, "core-1", &[]);
    let id = d.id;
    e.set_device(d);
    e.observe(id, &cpu(10.0), None, t(0));
    e.observe(id, &cpu(10.0), None, t(1));
    assert!(e.tick(t(4)).is_empty(), "three intervals is not more than three");
    let a = e.tick(t(4) + Duration::seconds(1));
    assert_eq!(raises(&a), [Severity::Major]);
    assert!(e.tick(t(6)).is_empty(), "raised once");
    let a = e.observe(id, &cpu(10.0), None, t(7));
    assert_eq!((raises(&a).len(), clears(&a)), (0, 1));
}

#[test]
fn bad_rules_get_field_errors_all_at_once() {
    let known = |m: &MetricKey| m.builtin().is_some();
    assert!(cpu_rule().validate(known).is_ok());
    let bad = Rule {
        name: " ".into(),
        metric: MetricKey::Template("no_such_metric".into()),
        levels: vec![level(Severity::Major, 80.0, 90.0), level(Severity::Critical, 70.0, 60.0)],
        raise_after: Hold { samples: 0 },
        no_data_intervals: Some(0),
        scope: RuleScope::default(),
        ..cpu_rule()
    };
    let Err(CoreError::Validation(errors)) = bad.validate(known) else { panic!("refused") };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for f in ["name", "metric", "levels[0].clear", "levels", "raiseAfter", "noDataIntervals", "scope"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let nan = Rule { levels: vec![Level { severity: Severity::Major, raise: f64::NAN, clear: None }], ..cpu_rule() };
    assert!(nan.validate(known).is_err());
    let twice =
        Rule { levels: vec![level(Severity::Major, 80.0, 70.0), level(Severity::Major, 90.0, 85.0)], ..cpu_rule() };
    assert!(twice.validate(known).is_err());
}

#[test]
fn rules_read_from_toml_with_defaults_and_refuse_unknown_keys() {
    let rule: Rule = toml::from_str(
        r#"
        name = "CPU high"
        metric = "cpu_pct"
        comparison = "above"
        levels = [{ severity = "major", raise = 80, clear = 70 }]
        raiseAfter = { samples = 2 }
        scope = { all = true }
        "#,
    )
    .expect("parses");
    assert_eq!(rule, cpu_rule());
    assert!(toml::from_str::<Rule>("name = \"x\"\nmetric = \"cpu_pct\"\nthreshold = 3").is_err());
}

#[test]
fn globs() {
    assert!(glob_match("Gi0/*", "gi0/12"));
    assert!(glob_match("*uplink*", "Te1/1 uplink to core"));
    assert!(glob_match("eth?", "eth0"));
    assert!(!glob_match("eth?", "eth10"));
    assert!(glob_match("*", ""));
    assert!(!glob_match("a*b", "acd"));
}

#[test]
fn alarms_from_before_a_restart_are_taken_over_not_raised_twice() {
    use meridian_core::alarm::{Alarm, AlarmId};
    let mut rule = cpu_rule();
    rule.raise_after = Hold::default();
    let d = device(1, "core-1", &[]);
    let id = d.id;
    // The first run raises; its alarm is what the store hands the next run.
    let mut first = RuleEngine::new(vec![("r1".into(), rule.clone())]);
    first.set_device(d.clone());
    let a = first.observe(id, &cpu(90.0), None, t(0));
    let RuleAction::Raise { spec, .. } = &a[0] else { panic!("raise") };
    let stored = Alarm::raise(AlarmId(Uuid::from_u128(7)), Some(id), spec.clone(), t(0));
    let gone = Alarm::raise(
        AlarmId(Uuid::from_u128(8)),
        Some(id),
        meridian_core::alarm::AlarmSpec { specific_problem: "rule:deleted".into(), ..spec.clone() },
        t(0),
    );

    let mut next = RuleEngine::new(vec![("r1".into(), rule)]);
    next.set_device(d);
    let a = next.restore(id, &[stored, gone], t(5));
    assert_eq!((raises(&a).len(), clears(&a)), (0, 1), "the deleted rule's alarm is cleared");
    assert!(next.observe(id, &cpu(90.0), None, t(6)).is_empty(), "still high: already raised");
    assert_eq!(clears(&next.observe(id, &cpu(10.0), None, t(7))), 1, "and it clears normally");
}

#[test]
fn a_restored_alarm_whose_series_never_returns_is_cleared_after_the_grace() {
    use meridian_core::alarm::{Alarm, AlarmId};
    use meridian_core::rules::engine::RESTORE_GRACE;
    let rule = cpu_rule();
    let d = device(1, "core-1", &[]);
    let id = d.id;
    let mut e = RuleEngine::new(vec![("r1".into(), rule)]);
    e.set_device(d);
    let spec = meridian_core::alarm::AlarmSpec {
        managed_object: meridian_core::alarm::interface_object(id, 9),
        event_type: meridian_core::alarm::EventType::QualityOfService,
        probable_cause: "thresholdCrossed".into(),
        specific_problem: "rule:r1".into(),
        perceived_severity: Severity::Major,
        additional_text: "x".into(),
    };
    let alarm = Alarm::raise(AlarmId(Uuid::from_u128(9)), Some(id), spec, t(0));
    assert!(e.restore(id, &[alarm], t(0)).is_empty());
    assert!(e.tick(t(0) + RESTORE_GRACE - Duration::seconds(1)).is_empty());
    assert_eq!(clears(&e.tick(t(0) + RESTORE_GRACE)), 1);
}
