//! A failing mask verdict as an X.733 alarm, and the one-line wording of a
//! verdict that the CLI prints and the alarm carries.
//!
//! The running monitor does not judge live series against masks yet; when
//! it does, it raises [`mask_alarm`]'s spec for the clock's managed object
//! and clears it when a later verdict passes (same key).

use crate::alarm::{AlarmSpec, EventType, Severity};

use super::mask::MaskVerdict;

/// X.721's probable cause for a clock or timing signal out of tolerance.
pub const TIMING_PROBLEM: &str = "timingProblem";

/// The specific problem (part of the alarm key): one alarm per mask and
/// metric, e.g. `wanderMask:g8262-eec1:mtie`.
pub fn mask_problem(verdict: &MaskVerdict) -> String {
    format!("wanderMask:{}:{}", verdict.mask, verdict.metric.label().to_lowercase())
}

/// The alarm a failing verdict raises on `managed_object`; `None` when it
/// passes or judged nothing.
pub fn mask_alarm(managed_object: &str, verdict: &MaskVerdict) -> Option<AlarmSpec> {
    verdict.first_failure()?;
    Some(AlarmSpec {
        managed_object: managed_object.to_owned(),
        event_type: EventType::QualityOfService,
        probable_cause: TIMING_PROBLEM.to_owned(),
        specific_problem: mask_problem(verdict),
        perceived_severity: Severity::Major,
        additional_text: describe(verdict),
    })
}

/// "MTIE fails G.8262 EEC option 1 wander generation (g8262-eec1) from tau
/// 16 s: 212 ns > limit 52.5 ns; worst margin -304% at tau 64 s", or the
/// passing equivalent.
pub fn describe(v: &MaskVerdict) -> String {
    let (metric, name) = (v.metric.label(), format!("{} ({})", v.title, v.mask));
    let margin = match (v.worst_margin, v.worst_tau) {
        (Some(m), Some(t)) => format!("worst margin {:.0}% at tau {}", m * 100.0, seconds(t)),
        _ => String::new(),
    };
    if let Some(p) = v.first_failure() {
        let (tau, value, limit) = (seconds(p.tau), seconds(p.value), seconds(p.limit));
        return format!("{metric} fails {name} from tau {tau}: {value} > limit {limit}; {margin}");
    }
    if v.points.is_empty() {
        return format!("{metric} not judged against {name}: no tau of the series is inside the mask's range");
    }
    format!("{metric} passes {name} at all {} taus; {margin}", v.points.len())
}

/// A time in the unit that reads best: "212 ns", "1.5 µs", "16 s".
pub fn seconds(v: f64) -> String {
    let a = v.abs();
    let (scale, unit) = if a == 0.0 || a >= 1.0 {
        (1.0, "s")
    } else if a >= 1e-3 {
        (1e3, "ms")
    } else if a >= 1e-6 {
        (1e6, "µs")
    } else if a >= 1e-9 {
        (1e9, "ns")
    } else {
        (1e12, "ps")
    };
    let x = v * scale;
    let text = format!("{x:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}
