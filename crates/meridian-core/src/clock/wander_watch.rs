//! The live wander check of one clock: every check's mask verdicts over its
//! recent offset series in, raises and clears of one alarm per failing mask
//! and metric out (`timing::alarm::mask_alarm`, keyed
//! `wanderMask:<mask>:<metric>` on the clock's offset object).
//!
//! A check with too little data (`None`) changes nothing: not knowing is
//! not a pass. A verdict that judged no tau (the window is shorter than the
//! mask's first tau) keeps that mask's alarm as it is, for the same reason.

use super::raised::Raised;
use crate::alarm::{device_object, AlarmSpec};
use crate::ids::DeviceId;
use crate::state::Action;
use crate::timing::alarm::{mask_alarm, mask_problem};
use crate::timing::MaskVerdict;

/// The managed object of a clock's offset series: its wander alarms.
/// Apart from `ptp_watch::ptp_clock_object` ("...,ptp"), whose watch adopts
/// and clears that object's alarms on its own.
pub fn ptp_offset_object(device: DeviceId) -> String {
    format!("{},ptpOffset", device_object(device))
}

#[derive(Debug, Clone)]
pub struct WanderWatch {
    device: DeviceId,
    active: Raised,
}

impl WanderWatch {
    pub fn new(device: DeviceId) -> Self {
        Self { device, active: Raised::default() }
    }

    /// One check's verdicts (`None`: no usable series this time).
    pub fn check(&mut self, verdicts: Option<&[MaskVerdict]>) -> Vec<Action> {
        let Some(verdicts) = verdicts else { return Vec::new() };
        let object = ptp_offset_object(self.device);
        let mut wanted: Vec<AlarmSpec> = verdicts.iter().filter_map(|v| mask_alarm(&object, v)).collect();
        // Unjudged masks keep their alarm: carry the active spec over.
        for v in verdicts.iter().filter(|v| v.points.is_empty()) {
            let problem = mask_problem(v);
            wanted.extend(self.active.specs().filter(|s| s.specific_problem == problem).cloned());
        }
        self.active.reconcile(wanted)
    }

    /// The clock is no longer checked: clear what was raised.
    pub fn retire(&mut self) -> Vec<Action> {
        self.active.retire()
    }

    /// After a restart: adopt the store's active wander alarms of this clock.
    pub fn restore(&mut self, active: &[crate::alarm_record::Alarm]) {
        let object = ptp_offset_object(self.device);
        self.active.restore(active, |o| o == object);
    }
}
