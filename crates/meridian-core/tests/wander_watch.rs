//! The live wander check of one clock: a phase step fails G.8261 EEC option
//! 1 network wander and raises one alarm per failing metric naming the
//! first failing tau; a clean window clears them; no data changes nothing.

use meridian_core::alarm_record::{Alarm, AlarmId};
use meridian_core::clock::wander_watch::{ptp_offset_object, WanderWatch};
use meridian_core::state::Action;
use meridian_core::timing::mask::judge;
use meridian_core::timing::{find_mask, mtie, tdev, Metric, PhaseSeries};
use meridian_core::DeviceId;
use uuid::Uuid;

const MASK: &str = "g8261-eec1-network";

fn device() -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(11))
}

/// 600 s at 1 s of +-1 ns alternating noise, with a `step` (s) from sample 300 on.
fn series(step: f64) -> PhaseSeries {
    let phase = (0..600).map(|i| if i % 2 == 0 { 1e-9 } else { -1e-9 } + if i >= 300 { step } else { 0.0 }).collect();
    PhaseSeries::new(phase, 1.0).expect("series")
}

fn verdicts(s: &PhaseSeries) -> Vec<meridian_core::timing::MaskVerdict> {
    let m = judge(find_mask(MASK, Metric::Mtie).expect("mask"), &mtie(s).expect("mtie"));
    let t = judge(find_mask(MASK, Metric::Tdev).expect("mask"), &tdev(s).expect("tdev"));
    vec![m, t]
}

fn raised(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::RaiseAlarm(s) => Some(s.specific_problem.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_phase_step_raises_the_mask_alarm_and_a_clean_window_clears_it() {
    let mut w = WanderWatch::new(device());
    let stepped = verdicts(&series(1e-6));
    let mtie_verdict = &stepped[0];
    assert!(!mtie_verdict.pass);
    assert_eq!(mtie_verdict.first_failing_tau, Some(1.0), "a 1 us step is over 250 ns from the first tau");
    let actions = w.check(Some(&stepped));
    let problems = raised(&actions);
    assert!(problems.contains(&format!("wanderMask:{MASK}:mtie")), "{problems:?}");
    let Some(Action::RaiseAlarm(spec)) = actions.first() else { panic!("{actions:?}") };
    assert_eq!(spec.managed_object, ptp_offset_object(device()));
    assert!(spec.additional_text.contains("from tau 1 s"), "{}", spec.additional_text);
    // Raised once: the same verdicts again change nothing.
    assert!(w.check(Some(&stepped)).is_empty());
    // No usable window: nothing known, nothing changes.
    assert!(w.check(None).is_empty());

    let clean = verdicts(&series(0.0));
    assert!(clean.iter().all(|v| v.pass), "{clean:#?}");
    let cleared = w.check(Some(&clean));
    assert_eq!(cleared.len(), problems.len());
    assert!(cleared.iter().all(|a| matches!(a, Action::ClearAlarm(_))), "{cleared:?}");
}

#[test]
fn restore_adopts_only_the_offset_objects_alarms_and_retire_clears_them() {
    let mut w = WanderWatch::new(device());
    let stepped = verdicts(&series(1e-6));
    let specs: Vec<_> = w
        .check(Some(&stepped))
        .into_iter()
        .filter_map(|a| match a {
            Action::RaiseAlarm(s) => Some(s),
            _ => None,
        })
        .collect();
    let at = chrono::Utc::now();
    let mut stored: Vec<Alarm> =
        specs.iter().map(|s| Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), Some(device()), s.clone(), at)).collect();
    let mut other = specs[0].clone();
    other.managed_object = format!("device={},ptp", device());
    stored.push(Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), Some(device()), other, at));
    let mut after = WanderWatch::new(device());
    after.restore(&stored);
    assert_eq!(after.retire().len(), specs.len(), "only the offset object's alarms are adopted");
}
