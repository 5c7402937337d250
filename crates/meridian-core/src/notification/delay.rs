//! The notification delay: how long an alarm below critical must last
//! before anyone is told. A link that bounces, an agent that misses one
//! poll, or a condition that a flapping alarm is about to take over clears
//! within the delay and interrupts nobody; the console shows it at once all
//! the same. Critical alarms (a device lost to the network) go at once.
//!
//! The default of a minute is what LibreNMS rules and PRTG state triggers
//! use. Pure: the service keeps the pending set and the clock.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::alarm::{Alarm, AlarmId, Severity};
use crate::error::CoreError;

pub const DELAY_SECS_DEFAULT: u32 = 60;
/// An hour: a longer delay means alarms nobody hears about in time.
pub const DELAY_SECS_MAX: u32 = 3600;

/// Checks a delay given by a person (seconds, `0..=DELAY_SECS_MAX`).
pub fn validate_delay(secs: i64) -> Result<u32, CoreError> {
    u32::try_from(secs)
        .ok()
        .filter(|s| *s <= DELAY_SECS_MAX)
        .ok_or_else(|| CoreError::field("delaySecs", format!("must be between 0 and {DELAY_SECS_MAX} seconds")))
}

/// The earliest time anyone may be told about `alarm`: its raise time for
/// a critical alarm, `delay_secs` later for the rest.
pub fn notify_due(alarm: &Alarm, delay_secs: u32) -> DateTime<Utc> {
    if alarm.perceived_severity == Severity::Critical {
        alarm.raised_at
    } else {
        alarm.raised_at + Duration::seconds(i64::from(delay_secs))
    }
}

/// Alarms waiting out their delay, by id. The owner re-reads each alarm
/// when it falls due and puts it through the gate again
/// ([`crate::notify::may_notify`]): what cleared, was acknowledged or was
/// taken over (flapping, a root cause, maintenance) meanwhile is dropped
/// there, so this set only has to forget what it is told has gone.
#[derive(Debug, Default)]
pub struct Pending {
    due: HashMap<AlarmId, DateTime<Utc>>,
}

impl Pending {
    /// Remembers `alarm` until `due`. A second raise of the same alarm (a
    /// release after a hold) keeps the earlier due time.
    pub fn add(&mut self, alarm: AlarmId, due: DateTime<Utc>) {
        self.due.entry(alarm).or_insert(due);
    }

    /// The alarm cleared or was acknowledged: nothing to tell.
    pub fn forget(&mut self, alarm: &AlarmId) {
        self.due.remove(alarm);
    }

    /// When the next alarm falls due, if any is waiting.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.due.values().min().copied()
    }

    /// Removes and returns the alarms due by `now`, earliest first.
    pub fn take_due(&mut self, now: DateTime<Utc>) -> Vec<AlarmId> {
        let mut due: Vec<(DateTime<Utc>, AlarmId)> =
            self.due.iter().filter(|(_, t)| **t <= now).map(|(id, t)| (*t, *id)).collect();
        due.sort();
        for (_, id) in &due {
            self.due.remove(id);
        }
        due.into_iter().map(|(_, id)| id).collect()
    }

    pub fn len(&self) -> usize {
        self.due.len()
    }

    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }
}
