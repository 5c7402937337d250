//! Meridian watching itself: the judgement behind its own alarms (the store
//! nearing its size cap, the data directory's disk running low, polls falling
//! behind their schedule, the sample writer dropping samples). The service
//! measures and feeds [`SelfReadings`] every status tick; [`SelfWatch`] says
//! which alarms to raise, re-grade or clear, with hysteresis (a raised alarm
//! clears only a margin below its threshold) and hold-down (a change must
//! last a while before it is acted on), so a figure hovering at a threshold
//! does not make a storm of raises and clears.

mod judge;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::{cause, AlarmKey, AlarmSpec, EventType, Severity, SELF_OBJECT};
use crate::error::{CoreError, FieldError};

pub use judge::{SelfAction, SelfWatch};

/// Specific problems of the self-watch alarms (stable: part of the key).
pub mod problem {
    pub const STORE_NEAR_CAP: &str = "storeNearCap";
    pub const DISK_SPACE_LOW: &str = "diskSpaceLow";
    pub const POLLS_BEHIND: &str = "pollsBehindSchedule";
    pub const SAMPLES_DROPPED: &str = "samplesDropped";
}

/// X.733 probable causes the self-watch uses beyond [`cause`].
pub mod self_cause {
    pub const RESOURCE_NEARING_CAPACITY: &str = "resourceAtOrNearingCapacity";
    pub const PERFORMANCE_DEGRADED: &str = "performanceDegraded";
    pub const QUEUE_SIZE_EXCEEDED: &str = "queueSizeExceeded";
}

/// The thresholds, stored as the `selfWatch` setting. Percentages are 0-100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SelfWatchSettings {
    /// The size budgeted for the store; `None` watches no cap.
    #[ts(type = "number | null")]
    pub store_cap_bytes: Option<u64>,
    /// Percent of the cap that raises a warning, and a major alarm.
    pub store_warn_pct: f64,
    pub store_major_pct: f64,
    /// Free space left on the data directory's filesystem, in percent,
    /// that raises a warning, and a major alarm.
    pub disk_free_warn_pct: f64,
    pub disk_free_major_pct: f64,
    /// The disk alarm is raised only while free space is also below this
    /// many bytes: a few percent of a large disk is still plenty.
    #[ts(type = "number")]
    pub disk_free_floor_bytes: u64,
    /// Percent of the polls started in the window that began more than one
    /// interval after their tick: a warning, and a major alarm.
    pub late_warn_pct: f64,
    pub late_major_pct: f64,
    /// Fewer polls than this in the window say nothing about lag.
    pub late_min_polls: u64,
    /// The window over which late polls and dropped samples are counted.
    pub window_secs: u64,
    /// A raised alarm clears (or lowers its grade) only this many points
    /// below its threshold.
    pub hysteresis_pct: f64,
    /// A worse condition must last this long before it is raised…
    pub raise_after_secs: u64,
    /// …and a better one this long before it is cleared.
    pub clear_after_secs: u64,
}

impl Default for SelfWatchSettings {
    fn default() -> Self {
        Self {
            store_cap_bytes: None,
            store_warn_pct: 80.0,
            store_major_pct: 95.0,
            disk_free_warn_pct: 10.0,
            disk_free_major_pct: 5.0,
            disk_free_floor_bytes: 5 << 30,
            late_warn_pct: 10.0,
            late_major_pct: 50.0,
            late_min_polls: 20,
            window_secs: 300,
            hysteresis_pct: 5.0,
            raise_after_secs: 30,
            clear_after_secs: 120,
        }
    }
}

/// Longest window or hold-down, in seconds (one day).
pub const MAX_SECS: u64 = 86_400;

impl SelfWatchSettings {
    /// Every broken rule at once, named as the setting names its fields.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        let pcts = [
            ("storeWarnPct", self.store_warn_pct),
            ("storeMajorPct", self.store_major_pct),
            ("diskFreeWarnPct", self.disk_free_warn_pct),
            ("diskFreeMajorPct", self.disk_free_major_pct),
            ("lateWarnPct", self.late_warn_pct),
            ("lateMajorPct", self.late_major_pct),
        ];
        for (name, v) in pcts {
            if !(v.is_finite() && v > 0.0 && v <= 100.0) {
                errors.push(FieldError::new(name, "must be a percentage above 0 and at most 100"));
            }
        }
        if self.store_major_pct < self.store_warn_pct {
            errors.push(FieldError::new("storeMajorPct", "must be at least storeWarnPct"));
        }
        if self.disk_free_major_pct > self.disk_free_warn_pct {
            errors.push(FieldError::new(
                "diskFreeMajorPct",
                "must be at most diskFreeWarnPct (less free space is worse)",
            ));
        }
        if self.late_major_pct < self.late_warn_pct {
            errors.push(FieldError::new("lateMajorPct", "must be at least lateWarnPct"));
        }
        if !(self.hysteresis_pct.is_finite() && (0.0..50.0).contains(&self.hysteresis_pct)) {
            errors.push(FieldError::new("hysteresisPct", "must be at least 0 and below 50"));
        }
        if self.disk_free_floor_bytes == 0 {
            errors.push(FieldError::new("diskFreeFloorBytes", "must be above 0"));
        }
        if self.store_cap_bytes == Some(0) {
            errors.push(FieldError::new("storeCapBytes", "must be above 0, or null for no cap"));
        }
        for (name, v) in [
            ("windowSecs", self.window_secs),
            ("raiseAfterSecs", self.raise_after_secs),
            ("clearAfterSecs", self.clear_after_secs),
        ] {
            if v > MAX_SECS {
                errors.push(FieldError::new(name, format!("must be at most {MAX_SECS} seconds")));
            }
        }
        if self.window_secs == 0 {
            errors.push(FieldError::new("windowSecs", "must be at least 1 second"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }
}

/// Free and total bytes of a filesystem (statvfs: blocks available to an
/// unprivileged writer, which is what the store gets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiskSpace {
    #[ts(type = "number")]
    pub free_bytes: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

impl DiskSpace {
    pub fn free_pct(&self) -> Option<f64> {
        (self.total_bytes > 0).then(|| self.free_bytes as f64 * 100.0 / self.total_bytes as f64)
    }
}

/// What the service measured at one tick. Counters are totals since the
/// monitor started; the watch takes differences over its window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SelfReadings {
    /// `None` when the size could not be read this tick.
    pub store_bytes: Option<u64>,
    /// `None` when statvfs failed.
    pub disk: Option<DiskSpace>,
    /// Polls that started (got their turn to send).
    pub polls_started: u64,
    /// Of those, the ones that started more than one interval after their tick.
    pub polls_late: u64,
    pub samples_dropped: u64,
}

/// The four things watched, in the order alarms are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Watched {
    StoreCap,
    Disk,
    Lag,
    Drops,
}

impl Watched {
    pub const ALL: [Watched; 4] = [Watched::StoreCap, Watched::Disk, Watched::Lag, Watched::Drops];

    fn cause_and_type(self) -> (&'static str, EventType) {
        match self {
            Self::StoreCap => (self_cause::RESOURCE_NEARING_CAPACITY, EventType::QualityOfService),
            Self::Disk => (cause::STORAGE_CAPACITY_PROBLEM, EventType::ProcessingError),
            Self::Lag => (self_cause::PERFORMANCE_DEGRADED, EventType::QualityOfService),
            Self::Drops => (self_cause::QUEUE_SIZE_EXCEEDED, EventType::QualityOfService),
        }
    }

    fn problem(self) -> &'static str {
        match self {
            Self::StoreCap => problem::STORE_NEAR_CAP,
            Self::Disk => problem::DISK_SPACE_LOW,
            Self::Lag => problem::POLLS_BEHIND,
            Self::Drops => problem::SAMPLES_DROPPED,
        }
    }

    pub fn key(self) -> AlarmKey {
        AlarmKey {
            managed_object: SELF_OBJECT.to_owned(),
            probable_cause: self.cause_and_type().0.to_owned(),
            specific_problem: self.problem().to_owned(),
        }
    }

    /// The alarm at `severity`, its text naming the figure that raised it.
    pub fn spec(self, severity: Severity, text: String) -> AlarmSpec {
        let (cause, event_type) = self.cause_and_type();
        AlarmSpec {
            managed_object: SELF_OBJECT.to_owned(),
            event_type,
            probable_cause: cause.to_owned(),
            specific_problem: self.problem().to_owned(),
            perceived_severity: severity,
            additional_text: text,
        }
    }
}
