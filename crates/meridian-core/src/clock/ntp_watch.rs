//! One watched NTP server, as the monitor keeps it: the reach register,
//! the last answer, and the alarms raised for it. A poll in (answered or
//! not), samples and alarm actions out, like `state::DeviceMonitor`.

use super::ntp_alarms::{ntp_alarms, NtpStatus, NtpThresholds};
use super::raised::Raised;
use crate::ids::DeviceId;
use crate::metric::{Builtin, NamedSample, SeriesKey};
use crate::ntp::{NtpReading, Reach};
use crate::state::Action;

#[derive(Debug, Clone)]
pub struct NtpWatch {
    device: DeviceId,
    status: NtpStatus,
    thresholds: NtpThresholds,
    active: Raised,
}

impl NtpWatch {
    pub fn new(device: DeviceId, thresholds: NtpThresholds) -> Self {
        Self {
            device,
            status: NtpStatus { polls: 0, reach: Reach::default(), last: None },
            thresholds,
            active: Raised::default(),
        }
    }

    /// The role its server is judged in.
    pub fn role(&self) -> Option<super::role::TimingRole> {
        self.thresholds.role
    }

    pub fn reach(&self) -> Reach {
        self.status.reach
    }

    /// One poll: `answer` is the reading, or None when the server did not
    /// answer. Returns the samples to store and the alarm actions (clears
    /// first, then raises, each by key).
    pub fn poll(&mut self, answer: Option<NtpReading>) -> (Vec<NamedSample>, Vec<Action>) {
        self.status.polls = self.status.polls.saturating_add(1);
        self.status.reach = self.status.reach.after_poll(answer.is_some());
        let mut samples = answer.as_ref().map(samples).unwrap_or_default();
        samples.push(sample(Builtin::NtpReach, f64::from(self.status.reach.0)));
        if answer.is_some() {
            self.status.last = answer;
        }
        let actions = self.active.reconcile(ntp_alarms(self.device, &self.status, &self.thresholds));
        (samples, actions)
    }

    /// The server is no longer watched: clear what was raised.
    pub fn retire(&mut self) -> Vec<Action> {
        self.active.retire()
    }

    /// After a restart: adopt the alarms the store has for this server.
    pub fn restore(&mut self, active: &[crate::alarm_record::Alarm]) {
        let object = super::ntp_alarms::ntp_object(self.device);
        self.active.restore(active, |o| o == object);
    }
}

fn sample(b: Builtin, value: f64) -> NamedSample {
    NamedSample { key: SeriesKey::device(b), unit: b.unit().to_owned(), value }
}

fn samples(r: &NtpReading) -> Vec<NamedSample> {
    let s = sample;
    vec![
        s(Builtin::NtpOffsetMs, r.offset_s * 1000.0),
        s(Builtin::NtpDelayMs, r.delay_s * 1000.0),
        s(Builtin::NtpStratum, f64::from(r.stratum)),
    ]
}
