//! Between the monitor and the operator: flapping, maintenance windows and
//! root-cause suppression.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec};
use meridian_core::fault::{
    judge, open_window, Day, FlapConfig, FlapDetector, MaintenanceWindow, Reach, Verdict, WindowSchedule,
    FLAPPING_PREFIX,
};
use meridian_core::inventory::DeviceKind;
use meridian_core::rules::{DeviceFacts, RuleScope};
use meridian_core::state::Action;
use meridian_core::DeviceId;
use uuid::Uuid;

/// 2026-12-03 09:00 UTC, a Thursday, plus `m` minutes.
fn t(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).single().expect("time") + Duration::minutes(m)
}

fn id(n: u128) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(n))
}

fn link_down() -> AlarmSpec {
    AlarmSpec::interface_down(id(1), 3, "eth3")
}

fn raises(actions: &[Action]) -> Vec<&AlarmSpec> {
    actions.iter().filter_map(|a| if let Action::RaiseAlarm(s) = a { Some(s) } else { None }).collect()
}

/// Five bounces (ten changes) in ten minutes: the first changes pass, the
/// sixth raises one flapping alarm, the rest are held, and after ten quiet
/// minutes the flapping alarm clears and the link's alarm follows the link.
#[test]
fn five_bounces_give_one_flapping_alarm_and_release_after_quiet() {
    let mut f = FlapDetector::new(FlapConfig { changes: 6, ..FlapConfig::default() });
    let key = link_down().key();
    let mut out = Vec::new();
    for i in 0..5 {
        out.push(f.filter(id(1), Action::RaiseAlarm(link_down()), t(2 * i)));
        out.push(f.filter(id(1), Action::ClearAlarm(key.clone()), t(2 * i + 1)));
    }
    let passed: Vec<&Vec<Action>> = out.iter().take(5).collect();
    assert!(passed.iter().all(|a| a.len() == 1), "the first five changes pass: {passed:?}");
    let flapping: Vec<&AlarmSpec> =
        out.iter().flat_map(|a| raises(a)).filter(|s| s.specific_problem != key.specific_problem).collect();
    assert_eq!(flapping.len(), 1, "one flapping alarm: {out:?}");
    assert_eq!(flapping[0].specific_problem, format!("{FLAPPING_PREFIX}linkDown"));
    assert_eq!(flapping[0].perceived_severity, link_down().perceived_severity);
    assert!(out[5].len() == 1 && out.iter().skip(6).all(Vec::is_empty), "held after the sixth: {out:?}");
    assert!(f.is_flapping(&key));
    // The fifth change was a raise, passed; the store has the link alarm active.
    // Still noisy: nothing is released.
    assert!(f.tick(t(15)).is_empty());
    // Quiet ten minutes after the last change (a clear at 9): release.
    let released = f.tick(t(19));
    assert_eq!(released.len(), 2, "{released:?}");
    assert!(matches!(&released[0].1, Action::ClearAlarm(k) if k.specific_problem.starts_with(FLAPPING_PREFIX)));
    assert!(matches!(&released[1].1, Action::ClearAlarm(k) if *k == key), "the link is up: its alarm clears");
    assert!(!f.is_flapping(&key));
    // Afterwards changes pass again.
    assert_eq!(f.filter(id(1), Action::RaiseAlarm(link_down()), t(30)).len(), 1);
}

#[test]
fn a_condition_still_present_after_flapping_is_raised() {
    let mut f = FlapDetector::new(FlapConfig { changes: 3, ..FlapConfig::default() });
    let key = link_down().key();
    assert_eq!(f.filter(id(1), Action::RaiseAlarm(link_down()), t(0)).len(), 1);
    assert_eq!(f.filter(id(1), Action::ClearAlarm(key.clone()), t(1)).len(), 1);
    // The third change tips it: the link went down again, but the store keeps it cleared.
    let tipped = f.filter(id(1), Action::RaiseAlarm(link_down()), t(2));
    assert_eq!(raises(&tipped).len(), 1);
    assert!(raises(&tipped)[0].specific_problem.starts_with(FLAPPING_PREFIX));
    let released = f.tick(t(12));
    assert!(matches!(&released[1].1, Action::RaiseAlarm(s) if s.key() == key), "{released:?}");
}

#[test]
fn slow_changes_and_severity_steps_are_not_flapping() {
    let mut f = FlapDetector::new(FlapConfig { changes: 6, ..FlapConfig::default() });
    let key = link_down().key();
    for i in 0..10 {
        // One change every three minutes: never six within ten minutes.
        let a = if i % 2 == 0 { Action::RaiseAlarm(link_down()) } else { Action::ClearAlarm(key.clone()) };
        assert_eq!(f.filter(id(1), a, t(3 * i)).len(), 1);
    }
    // A rule's severity step is a clear and a raise at one instant: one change.
    let mut f = FlapDetector::new(FlapConfig { changes: 3, ..FlapConfig::default() });
    assert_eq!(f.filter(id(1), Action::RaiseAlarm(link_down()), t(0)).len(), 1);
    assert_eq!(f.filter(id(1), Action::ClearAlarm(key.clone()), t(1)).len(), 1);
    assert_eq!(f.filter(id(1), Action::RaiseAlarm(link_down()), t(1)).len(), 1);
    assert!(!f.is_flapping(&key));
}

#[test]
fn a_restart_keeps_flapping_and_forgetting_a_device_clears_it() {
    let mut f = FlapDetector::new(FlapConfig { changes: 3, ..FlapConfig::default() });
    let key = link_down().key();
    f.filter(id(1), Action::RaiseAlarm(link_down()), t(0));
    f.filter(id(1), Action::ClearAlarm(key.clone()), t(1));
    let tipped = f.filter(id(1), Action::RaiseAlarm(link_down()), t(2));
    let flap = Alarm::raise(AlarmId(Uuid::from_u128(9)), Some(id(1)), raises(&tipped)[0].clone(), t(2));

    let mut again = FlapDetector::new(FlapConfig { changes: 3, ..FlapConfig::default() });
    again.restore(id(1), &[flap], t(5));
    assert!(again.is_flapping(&key));
    assert!(again.filter(id(1), Action::RaiseAlarm(link_down()), t(6)).is_empty(), "held after the restart");
    assert!(again.tick(t(15)).is_empty(), "quiet counts from the last change");
    let released = again.tick(t(16));
    assert!(matches!(&released[1].1, Action::RaiseAlarm(s) if s.key() == key));

    let cleared = f.forget_device(id(1));
    assert!(matches!(&cleared[..], [Action::ClearAlarm(k)] if k.specific_problem.starts_with(FLAPPING_PREFIX)));
    assert!(!f.is_flapping(&key));
}

fn facts(n: u128, name: &str, tags: &[&str], site: &str) -> DeviceFacts {
    DeviceFacts {
        id: id(n),
        name: name.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        site: Some(site.into()),
        kind: DeviceKind::Switch,
        template: None,
    }
}

fn window(name: &str, scope: RuleScope, schedule: WindowSchedule) -> MaintenanceWindow {
    MaintenanceWindow { name: name.into(), comment: String::new(), enabled: true, scope, schedule }
}

#[test]
fn windows_open_once_weekly_and_by_cron_for_their_scope() {
    let core = facts(1, "core", &["dc"], "HQ");
    let edge = facts(2, "edge", &[], "Branch");
    let once = window(
        "swap core",
        RuleScope { devices: vec!["core".into()], ..RuleScope::default() },
        WindowSchedule::Once { start: t(0), end: t(60) },
    );
    assert_eq!(open_window(std::slice::from_ref(&once), &core, t(0)), Some("swap core"));
    assert_eq!(open_window(std::slice::from_ref(&once), &core, t(60)), None, "the end is exclusive");
    assert_eq!(open_window(std::slice::from_ref(&once), &edge, t(30)), None, "out of scope");

    // Thursdays and Saturdays 08:30 for 90 minutes; 2026-12-03 is a Thursday.
    let weekly = window(
        "patching",
        RuleScope { tags: vec!["dc".into()], ..RuleScope::default() },
        WindowSchedule::Weekly { days: vec![Day::Thu, Day::Sat], start: "08:30".into(), minutes: 90 },
    );
    assert!(weekly.is_open(t(-30)) && weekly.is_open(t(59)));
    assert!(!weekly.is_open(t(-31)) && !weekly.is_open(t(60)));
    assert!(!weekly.is_open(t(24 * 60)), "Friday");
    assert!(weekly.is_open(t(2 * 24 * 60)), "Saturday");
    // Crossing midnight: Wednesday 23:00 for 3 hours still covers Thursday 01:30.
    let late = window(
        "late",
        RuleScope { all: true, ..RuleScope::default() },
        WindowSchedule::Weekly { days: vec![Day::Wed], start: "23:00".into(), minutes: 180 },
    );
    assert!(late.is_open(t(-450)) && !late.is_open(t(-420)));

    let cron = window(
        "backups",
        RuleScope { sites: vec!["Branch".into()], ..RuleScope::default() },
        WindowSchedule::Cron { expr: "45 8 * * thu".into(), minutes: 30 },
    );
    assert_eq!(open_window(std::slice::from_ref(&cron), &edge, t(0)), Some("backups"));
    assert_eq!(open_window(std::slice::from_ref(&cron), &edge, t(15)), None);
    assert_eq!(open_window(std::slice::from_ref(&cron), &core, t(0)), None);

    let mut off = once.clone();
    off.enabled = false;
    assert!(!off.is_open(t(10)));
}

#[test]
fn bad_windows_name_every_field() {
    let bad =
        window(" ", RuleScope::default(), WindowSchedule::Weekly { days: vec![], start: "25:00".into(), minutes: 0 });
    let e = bad.validate().expect_err("refused");
    let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "scope", "schedule.days", "schedule.start", "schedule.minutes"]);
    let reversed =
        window("x", RuleScope { all: true, ..RuleScope::default() }, WindowSchedule::Once { start: t(5), end: t(5) });
    assert_eq!(reversed.validate().expect_err("refused").fields()[0].field, "schedule.end");
    let cron = window(
        "x",
        RuleScope { all: true, ..RuleScope::default() },
        WindowSchedule::Cron { expr: "61 * * * *".into(), minutes: 10 },
    );
    let e = cron.validate().expect_err("refused").to_string();
    assert!(e.contains("schedule.expr: minute: 61 is outside 0-59"), "{e}");
    // TOML as users write it.
    let w: MaintenanceWindow =
        toml_like(r#"{"name":"n","scope":{"all":true},"schedule":{"kind":"cron","expr":"0 2 * * sat","minutes":120}}"#);
    assert!(w.validate().is_ok() && w.enabled);
}

fn toml_like(json: &str) -> MaintenanceWindow {
    serde_json::from_str(json).expect("parses")
}

/// A chain root → a → b, and c beside it under root.
fn chain() -> BTreeMap<DeviceId, DeviceId> {
    BTreeMap::from([(id(2), id(1)), (id(3), id(2)), (id(4), id(1))])
}

#[test]
fn unreachable_devices_behind_a_down_parent_are_symptoms_of_the_topmost() {
    let parents = chain();
    let down =
        |ds: &'static [u128]| move |d: DeviceId| if ds.iter().any(|n| id(*n) == d) { Reach::Down } else { Reach::Up };
    assert_eq!(judge(id(3), &parents, down(&[1, 2])), Verdict::Behind(id(1)));
    assert_eq!(judge(id(2), &parents, down(&[1])), Verdict::Behind(id(1)));
    assert_eq!(judge(id(3), &parents, down(&[2])), Verdict::Behind(id(2)), "a down middle is the root cause");
    assert_eq!(judge(id(3), &parents, down(&[])), Verdict::Own);
    assert_eq!(judge(id(1), &parents, down(&[1, 2])), Verdict::Own, "the root has no parent");
    let failing = |d: DeviceId| if d == id(2) { Reach::Failing } else { Reach::Up };
    assert_eq!(judge(id(3), &parents, failing), Verdict::Wait);
    // A cycle in a hand-made map ends.
    let cycle = BTreeMap::from([(id(1), id(2)), (id(2), id(1))]);
    assert_eq!(judge(id(1), &cycle, |_| Reach::Down), Verdict::Behind(id(2)));
}

fn link(local: u128, port: u32, name: &str, remote: Option<u128>) -> meridian_core::topology::Link {
    meridian_core::topology::Link {
        protocol: meridian_core::topology::NeighbourProtocol::Lldp,
        local_device: id(local),
        local_port_num: port,
        local_port: name.into(),
        remote_device: remote.map(id),
        remote_port: "Gi0/1".into(),
        remote_sys_name: "peer".into(),
        remote_chassis_id: "00:00:5e:00:53:01".into(),
        remote_mgmt_addr: None,
        matched_by: None,
    }
}

#[test]
fn a_link_is_found_by_port_number_or_name_and_named_the_same_from_both_ends() {
    use meridian_core::fault::{is_link_object, link_down, link_object, link_on};
    let links = vec![link(1, 7, "ge-0/0/7", Some(2)), link(1, 8, "ge-0/0/8", None), link(2, 3, "Gi0/1", Some(1))];
    assert_eq!(link_on(&links, id(1), 7, "").map(|l| l.local_port_num), Some(7));
    assert_eq!(link_on(&links, id(1), 99, "ge-0/0/7").map(|l| l.local_port_num), Some(7), "by name");
    assert!(link_on(&links, id(1), 8, "ge-0/0/8").is_none(), "a neighbour that is not managed has no link alarm");
    let mut back = link(2, 3, "Gi0/1", Some(1));
    back.remote_port = "ge-0/0/7".into();
    let mut there = links[0].clone();
    there.remote_port = "Gi0/1".into();
    assert_eq!(link_object(&there), link_object(&back), "one object from either end");
    assert!(is_link_object(&link_object(&there)));
    let spec = link_down(&there, "core", "access");
    assert_eq!(spec.specific_problem, "neighbourLinkDown");
    assert!(spec.additional_text.contains("core ge-0/0/7 — access Gi0/1") && spec.additional_text.contains("LLDP"));
}
