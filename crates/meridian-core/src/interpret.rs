//! The step from what a poll read to what Meridian knows: observations for
//! the device's state machine and named samples for the store, with
//! counters turned into rates.
//!
//! Pure and per device: an [`Interpreter`] keeps only what the next poll's
//! reading needs (previous counter values, the interfaces seen last time),
//! and time is passed in. The monitor, the benchmarks and the tests all run
//! this same code, so a series is named and scaled in one place.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use crate::classify::{readings, sensor_scale, Metric, ReadingValue};
use crate::counter::{CounterKind, RateOutcome, RateTracker};
use crate::metric::{Builtin, NamedSample, SeriesKey};
use crate::mib::MibRow;
use crate::observation::{IcmpResult, InterfaceStatus, Observation, SnmpResult};
use crate::poll::{status_up, IcmpReading, IfReading, SnmpReading};

/// What one poll means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interpretation {
    /// For the device's state machine, in the order they happened.
    pub observations: Vec<Observation>,
    /// Finite values only; a counter's first reading gives no sample.
    pub samples: Vec<NamedSample>,
}

impl Interpretation {
    fn sample(&mut self, key: SeriesKey, value: f64) {
        if value.is_finite() {
            self.samples.push(NamedSample::builtin(key, value));
        }
    }
}

/// An interface's traffic (bit/s) as a percentage of its speed, for the
/// traffic metrics of an interface that reports a speed (0 is "unknown").
pub fn utilisation(metric: Builtin, bps: f64, speed_bps: Option<u64>) -> Option<(Builtin, f64)> {
    let util = match metric {
        Builtin::IfInBps => Builtin::IfInUtilPct,
        Builtin::IfOutBps => Builtin::IfOutUtilPct,
        _ => return None,
    };
    let speed = speed_bps.filter(|s| *s > 0)? as f64;
    Some((util, bps / speed * 100.0))
}

/// The per-device memory between polls.
#[derive(Debug, Default)]
pub struct Interpreter {
    /// Counter trackers per (ifIndex, metric) and per template series.
    if_rates: HashMap<(u32, Builtin), RateTracker>,
    template_rates: HashMap<SeriesKey, RateTracker>,
    /// The ifIndexes the last answered poll listed.
    known_ifs: BTreeSet<u32>,
}

impl Interpreter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn icmp(&mut self, at: DateTime<Utc>, r: &IcmpReading) -> Interpretation {
        let mut out = Interpretation { observations: vec![IcmpResult { at, ok: r.ok }.into()], samples: Vec::new() };
        // A poll without replies has no round trip: no stale RTT beside 100 % loss.
        if let Some(rtt) = r.rtt_ms.filter(|_| r.ok) {
            out.sample(SeriesKey::device(Builtin::RttMs), rtt);
        }
        if let Some(j) = r.jitter_ms.filter(|_| r.ok) {
            out.sample(SeriesKey::device(Builtin::JitterMs), j);
        }
        if let Some(loss) = r.loss_pct {
            out.sample(SeriesKey::device(Builtin::LossPct), loss);
        }
        out
    }

    /// The agent did not answer (after the engine's retries).
    pub fn snmp_failed(&mut self, at: DateTime<Utc>) -> Interpretation {
        Interpretation {
            observations: vec![SnmpResult { at, ok: false, sys_uptime: None }.into()],
            samples: Vec::new(),
        }
    }

    /// An answered poll; `template` is the device's template metrics beyond
    /// the built-in poll, which `r.template_rows` answers.
    pub fn snmp(&mut self, at: DateTime<Utc>, r: &SnmpReading, template: &[Metric]) -> Interpretation {
        let mut out = Interpretation {
            observations: vec![SnmpResult { at, ok: true, sys_uptime: r.sys_uptime }.into()],
            samples: Vec::new(),
        };
        let seen: BTreeSet<u32> = r.interfaces.iter().map(|i| i.if_index).collect();
        for gone in self.known_ifs.difference(&seen) {
            out.observations.push(Observation::InterfaceRemoved { at, if_index: *gone });
        }
        self.known_ifs = seen;
        for i in &r.interfaces {
            if i.admin_status.is_some() && i.oper_status.is_some() {
                out.observations.push(
                    InterfaceStatus {
                        at,
                        if_index: i.if_index,
                        name: i.label(),
                        admin_up: status_up(i.admin_status),
                        oper_up: status_up(i.oper_status),
                    }
                    .into(),
                );
            }
            self.interface_rates(at, i, r.sys_uptime, &mut out);
        }
        if !r.cpu_loads.is_empty() {
            let avg = r.cpu_loads.iter().sum::<f64>() / r.cpu_loads.len() as f64;
            out.sample(SeriesKey::device(Builtin::CpuPct), avg);
        }
        for s in &r.storage {
            out.sample(SeriesKey::row(Builtin::StorageUsedPct, s.descr.clone()), s.used_pct);
        }
        if let Some(l1) = r.load_avg.first() {
            out.sample(SeriesKey::device(Builtin::Load1), *l1);
        }
        self.template_samples(at, &r.template_rows, r.sys_uptime, template, &mut out);
        out
    }

    /// A poll of custom items ([`crate::items`]): `rows` answer `items`, read
    /// like template metrics (counters become rates per series).
    pub fn items(
        &mut self,
        at: DateTime<Utc>,
        rows: &[MibRow],
        uptime: Option<u64>,
        items: &[Metric],
    ) -> Vec<NamedSample> {
        let mut out = Interpretation::default();
        self.template_samples(at, rows, uptime, items, &mut out);
        out.samples
    }

    fn interface_rates(&mut self, at: DateTime<Utc>, i: &IfReading, uptime: Option<u64>, out: &mut Interpretation) {
        let plain = |v: Option<u64>| v.map(|v| (v, false));
        // (metric, counter value and whether it is 64-bit, scale to the unit).
        let counters = [
            (Builtin::IfInBps, i.in_octets, 8.0),
            (Builtin::IfOutBps, i.out_octets, 8.0),
            (Builtin::IfInErrors, plain(i.in_errors), 1.0),
            (Builtin::IfOutErrors, plain(i.out_errors), 1.0),
            (Builtin::IfInDiscards, plain(i.in_discards), 1.0),
            (Builtin::IfOutDiscards, plain(i.out_discards), 1.0),
        ];
        for (metric, value, scale) in counters {
            let Some((v, hc)) = value else { continue };
            let kind = if hc { CounterKind::C64 } else { CounterKind::C32 };
            let tracker = self.if_rates.entry((i.if_index, metric)).or_insert_with(|| RateTracker::new(kind));
            // An agent that gained or lost ifXTable changed the counter's width.
            if tracker.kind() != kind {
                *tracker = RateTracker::new(kind);
            }
            if let RateOutcome::Rate(rate) = tracker.observe(at, v, uptime) {
                out.sample(SeriesKey::interface(metric, i.if_index), rate * scale);
                if let Some(util) = utilisation(metric, rate * scale, i.speed_bps) {
                    out.sample(SeriesKey::interface(util.0, i.if_index), util.1);
                }
            }
        }
    }

    /// Gauges as read, counters as rates once a previous value exists (a
    /// tracker per series, so a wrap or an agent restart gives no spike).
    fn template_samples(
        &mut self,
        at: DateTime<Utc>,
        rows: &[MibRow],
        uptime: Option<u64>,
        template: &[Metric],
        out: &mut Interpretation,
    ) {
        let first = out.samples.len();
        for reading in readings(template, rows) {
            let (unit, value) = match reading.value {
                ReadingValue::Gauge(v) => (reading.unit, v),
                ReadingValue::Counter { raw, bits } => {
                    let kind = if bits == 64 { CounterKind::C64 } else { CounterKind::C32 };
                    let tracker =
                        self.template_rates.entry(reading.key.clone()).or_insert_with(|| RateTracker::new(kind));
                    match tracker.observe(at, raw, uptime) {
                        RateOutcome::Rate(rate) => (format!("{}/s", reading.unit), rate * reading.scale),
                        _ => continue,
                    }
                }
            };
            if value.is_finite() {
                out.samples.push(NamedSample { key: reading.key, unit, value });
            }
        }
        // ENTITY-SENSOR values in their base unit (milli-degrees to degrees).
        let mut polled = out.samples.split_off(first);
        sensor_scale::apply(&mut polled);
        out.samples.append(&mut polled);
    }
}
