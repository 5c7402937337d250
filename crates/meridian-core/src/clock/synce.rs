//! SyncE quality levels (ITU-T G.781 5.4) of a device's clock sources, and
//! the judgement "this source's quality level has degraded".
//!
//! The levels are numbered as CISCO-NETSYNC-MIB's `CiscoNetsyncQualityLevel`
//! textual convention (1.3.6.1.4.1.9.9.761, revision 2010-10-15: NULL 1,
//! DNU 2, DUS 3, FAILED 4, INV0..INV15 5..20, NSUPP 21, PRC 22, PROV 23,
//! PRS 24, SEC 25, SMC 26, SSU-A 27, SSU-B 28, ST2 29, ST3 30, ST3E 31,
//! ST4 32, STU 33, TNC 34, UNC 35, UNK 36). That is the one MIB polled
//! today, and the stored `synce_ql` series keeps the same numbers.
//!
//! "Degraded" is relative: a source is alarmed when its level is worse than
//! the best it has announced while watched. An absolute rule would be
//! wrong, because G.781 has a node send QL-DNU back on the port it is locked
//! from (to prevent timing loops), so a standby input that always reads DNU
//! is healthy. The expected level is written into the alarm's text, so a
//! restarted monitor that adopts the alarm keeps judging against it.

use std::collections::BTreeMap;

use super::raised::Raised;
use super::{cause, problem};
use crate::alarm::{device_object, AlarmSpec, EventType, Severity};
use crate::ids::DeviceId;
use crate::metric::{Builtin, NamedSample, SeriesKey};
use crate::state::Action;

/// A quality level as G.781 names it (options I, II and III).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QualityLevel {
    Null,
    Dnu,
    Dus,
    Failed,
    /// An unallocated SSM value (the number received, 0 to 15).
    Inv(u8),
    Nsupp,
    Prc,
    Prov,
    Prs,
    Sec,
    Smc,
    SsuA,
    SsuB,
    St2,
    St3,
    St3e,
    St4,
    Stu,
    Tnc,
    Unc,
    Unk,
}

impl QualityLevel {
    /// From the CISCO-NETSYNC-MIB number; None for a number it does not define.
    pub fn from_netsync(v: i64) -> Option<Self> {
        use QualityLevel::*;
        Some(match v {
            1 => Null,
            2 => Dnu,
            3 => Dus,
            4 => Failed,
            5..=20 => Inv(u8::try_from(v - 5).ok()?),
            21 => Nsupp,
            22 => Prc,
            23 => Prov,
            24 => Prs,
            25 => Sec,
            26 => Smc,
            27 => SsuA,
            28 => SsuB,
            29 => St2,
            30 => St3,
            31 => St3e,
            32 => St4,
            33 => Stu,
            34 => Tnc,
            35 => Unc,
            36 => Unk,
            _ => return None,
        })
    }

    /// The CISCO-NETSYNC-MIB number, which the `synce_ql` series stores.
    pub fn netsync(self) -> i64 {
        use QualityLevel::*;
        match self {
            Null => 1,
            Dnu => 2,
            Dus => 3,
            Failed => 4,
            Inv(x) => 5 + i64::from(x.min(15)),
            Nsupp => 21,
            Prc => 22,
            Prov => 23,
            Prs => 24,
            Sec => 25,
            Smc => 26,
            SsuA => 27,
            SsuB => 28,
            St2 => 29,
            St3 => 30,
            St3e => 31,
            St4 => 32,
            Stu => 33,
            Tnc => 34,
            Unc => 35,
            Unk => 36,
        }
    }

    /// "QL-PRC", as G.781 and the devices' CLIs write it.
    pub fn name(self) -> String {
        use QualityLevel::*;
        let s = match self {
            Null => "NULL",
            Dnu => "DNU",
            Dus => "DUS",
            Failed => "FAILED",
            Inv(x) => return format!("QL-INV{x}"),
            Nsupp => "NSUPP",
            Prc => "PRC",
            Prov => "PROV",
            Prs => "PRS",
            Sec => "SEC",
            Smc => "SMC",
            SsuA => "SSU-A",
            SsuB => "SSU-B",
            St2 => "ST2",
            St3 => "ST3",
            St3e => "ST3E",
            St4 => "ST4",
            Stu => "STU",
            Tnc => "TNC",
            Unc => "UNC",
            Unk => "UNK",
        };
        format!("QL-{s}")
    }

    /// Reads back [`Self::name`].
    pub fn from_name(s: &str) -> Option<Self> {
        (1..=36).filter_map(Self::from_netsync).find(|q| q.name() == s)
    }

    /// Position in G.781's quality order (1 best); None where the level says
    /// nothing about quality (no SSM, unconnected, invalid, provisioned).
    ///
    /// Option I: PRC > SSU-A > SSU-B > SEC > DNU. Option II: PRS > STU > ST2 >
    /// TNC > ST3E > ST3 > SMC > ST4 > DUS (the same order as the DS1 rows of
    /// Symmetricom's "priority quality level" table). Option III: UNK > SEC.
    /// The options share one scale so that the usual steps (PRC/PRS to
    /// SEC/SSU or DNU) compare; one source never changes option.
    pub fn rank(self) -> Option<u8> {
        use QualityLevel::*;
        Some(match self {
            Prc | Prs => 1,
            Stu | Unk => 2,
            St2 => 3,
            SsuA | Tnc => 4,
            St3e => 5,
            SsuB => 6,
            St3 => 7,
            Sec => 8,
            Smc => 9,
            St4 => 10,
            Dnu | Dus | Failed => 11,
            Null | Inv(_) | Nsupp | Prov | Unc => return None,
        })
    }

    /// Do not use for synchronisation (or no signal at all).
    pub fn unusable(self) -> bool {
        matches!(self, Self::Dnu | Self::Dus | Self::Failed)
    }
}

/// One clock source (an input of the node's selection process) as polled.
#[derive(Debug, Clone, PartialEq)]
pub struct SynceSource {
    /// The source's name on the device (an interface name, "GigabitEthernet0/0/1").
    pub name: String,
    pub ql: QualityLevel,
    /// The selection process has chosen it.
    pub selected: bool,
}

/// The managed object of one SyncE source of a device.
pub fn synce_object(device: DeviceId, source: &str) -> String {
    format!("{},synce={source}", device_object(device))
}

/// The stored series of one source's quality level.
pub fn synce_samples(sources: &[SynceSource]) -> Vec<NamedSample> {
    sources
        .iter()
        .map(|s| NamedSample::builtin(SeriesKey::row(Builtin::SynceQl, s.name.clone()), s.ql.netsync() as f64))
        .collect()
}

/// Every degradation alarm that holds: a source whose level ranks worse
/// than `expected[name]`. Major when the node is using it (or it became
/// unusable), minor for a standby input.
pub fn synce_alarms(
    device: DeviceId,
    sources: &[SynceSource],
    expected: &BTreeMap<String, QualityLevel>,
) -> Vec<AlarmSpec> {
    let mut out = Vec::new();
    for s in sources {
        let Some(want) = expected.get(&s.name).copied() else { continue };
        let (Some(now), Some(best)) = (s.ql.rank(), want.rank()) else { continue };
        if now <= best {
            continue;
        }
        let severity = if s.selected || s.ql.unusable() { Severity::Major } else { Severity::Minor };
        let used = if s.selected { " (the selected source)" } else { "" };
        out.push(super::alarm(
            &synce_object(device, &s.name),
            EventType::QualityOfService,
            cause::TIMING_PROBLEM,
            problem::SYNCE_QL_DEGRADED,
            severity,
            format!("{}{used}: {}, {EXPECTED}{}", s.name, s.ql.name(), want.name()),
        ));
    }
    out
}

/// Where the alarm text names the expected level (read back on restore).
const EXPECTED: &str = "expected ";

/// One device's SyncE sources as the monitor keeps them: the best level
/// each has announced and the alarms raised.
#[derive(Debug, Clone)]
pub struct SynceWatch {
    device: DeviceId,
    expected: BTreeMap<String, QualityLevel>,
    active: Raised,
}

impl SynceWatch {
    pub fn new(device: DeviceId) -> Self {
        Self { device, expected: BTreeMap::new(), active: Raised::default() }
    }

    /// One answered poll: the samples to store and the alarm actions.
    /// A source no longer listed keeps its expectation but has its alarm
    /// cleared (it is no longer a candidate of the selection).
    pub fn poll(&mut self, sources: &[SynceSource]) -> (Vec<NamedSample>, Vec<Action>) {
        let wanted = synce_alarms(self.device, sources, &self.expected);
        for s in sources {
            let Some(rank) = s.ql.rank() else { continue };
            let better = self.expected.get(&s.name).and_then(|q| q.rank()).is_none_or(|best| rank < best);
            if better {
                self.expected.insert(s.name.clone(), s.ql);
            }
        }
        (synce_samples(sources), self.active.reconcile(wanted))
    }

    /// After a restart: adopt the store's SyncE alarms of this device and
    /// the expected level each one names.
    pub fn restore(&mut self, active: &[crate::alarm_record::Alarm]) {
        let prefix = format!("{},synce=", device_object(self.device));
        for a in active.iter().filter(|a| a.is_active()) {
            let Some(source) = a.managed_object.strip_prefix(&prefix) else { continue };
            let want = a.additional_text.rsplit_once(EXPECTED).and_then(|(_, q)| QualityLevel::from_name(q.trim()));
            if let Some(q) = want {
                self.expected.insert(source.to_owned(), q);
            }
        }
        self.active.restore(active, |o| o.starts_with(&prefix));
    }

    /// The level a source is judged against, if known.
    pub fn expected(&self, source: &str) -> Option<QualityLevel> {
        self.expected.get(source).copied()
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn src(name: &str, ql: QualityLevel, selected: bool) -> SynceSource {
        SynceSource { name: name.into(), ql, selected }
    }

    #[test]
    fn netsync_numbers_and_names_round_trip() {
        for v in 1..=36 {
            let q = QualityLevel::from_netsync(v).expect("defined");
            assert_eq!(q.netsync(), v);
            assert_eq!(QualityLevel::from_name(&q.name()), Some(q), "{}", q.name());
        }
        for bad in [0, 37, -1, i64::MAX] {
            assert_eq!(QualityLevel::from_netsync(bad), None);
        }
        assert_eq!(QualityLevel::from_netsync(22), Some(QualityLevel::Prc));
        assert_eq!(QualityLevel::from_netsync(5), Some(QualityLevel::Inv(0)));
        assert_eq!(QualityLevel::from_netsync(20).map(QualityLevel::name).as_deref(), Some("QL-INV15"));
        assert_eq!(QualityLevel::SsuA.name(), "QL-SSU-A");
    }

    #[test]
    fn g781_order_within_each_option() {
        use QualityLevel::*;
        let rank = |q: QualityLevel| q.rank().expect("ranked");
        for pair in [Prc, SsuA, SsuB, Sec, Dnu].windows(2) {
            assert!(rank(pair[0]) < rank(pair[1]), "{pair:?}");
        }
        for pair in [Prs, Stu, St2, Tnc, St3e, St3, Smc, St4, Dus].windows(2) {
            assert!(rank(pair[0]) < rank(pair[1]), "{pair:?}");
        }
        assert!(rank(Unk) < rank(Sec));
        for unranked in [Null, Inv(3), Nsupp, Prov, Unc] {
            assert_eq!(unranked.rank(), None);
        }
    }

    #[test]
    fn a_degraded_source_alarms_until_it_recovers() {
        let d = DeviceId::from_uuid(Uuid::from_u128(7));
        let mut w = SynceWatch::new(d);
        let raised = |a: &[Action]| a.iter().filter(|x| matches!(x, Action::RaiseAlarm(_))).count();
        let cleared = |a: &[Action]| a.iter().filter(|x| matches!(x, Action::ClearAlarm(_))).count();

        // First sight sets the expectation; a standby that always reads DNU is fine.
        let (samples, a) = w.poll(&[src("Gi0/0/1", QualityLevel::Prc, true), src("Gi0/0/2", QualityLevel::Dnu, false)]);
        assert!(a.is_empty());
        assert_eq!(samples.len(), 2);
        assert_eq!(samples[0].key, SeriesKey::row(Builtin::SynceQl, "Gi0/0/1"));
        assert_eq!(samples[0].value, 22.0);

        // PRC -> SEC on the selected source: one major alarm naming both levels.
        let (_, a) = w.poll(&[src("Gi0/0/1", QualityLevel::Sec, true), src("Gi0/0/2", QualityLevel::Dnu, false)]);
        assert_eq!((raised(&a), cleared(&a)), (1, 0));
        let Action::RaiseAlarm(spec) = &a[0] else { unreachable!() };
        assert_eq!(spec.specific_problem, problem::SYNCE_QL_DEGRADED);
        assert_eq!(spec.perceived_severity, Severity::Major);
        assert_eq!(spec.managed_object, synce_object(d, "Gi0/0/1"));
        assert!(spec.additional_text.contains("QL-SEC") && spec.additional_text.ends_with("expected QL-PRC"));
        // Still degraded: nothing new; the expectation stays PRC.
        let (_, a) = w.poll(&[src("Gi0/0/1", QualityLevel::SsuB, true)]);
        assert!(a.is_empty());
        assert_eq!(w.expected("Gi0/0/1"), Some(QualityLevel::Prc));
        // An unranked reading (no SSM) neither judges nor raises the bar: the alarm clears.
        let (_, a) = w.poll(&[src("Gi0/0/1", QualityLevel::Nsupp, true)]);
        assert_eq!(cleared(&a), 1);
        let (_, a) = w.poll(&[src("Gi0/0/1", QualityLevel::Dnu, false)]);
        assert_eq!(raised(&a), 1, "PRC -> DNU");
        let (_, a) = w.poll(&[src("Gi0/0/1", QualityLevel::Prc, true)]);
        assert_eq!((raised(&a), cleared(&a)), (0, 1), "recovered");

        // A standby degrading is minor.
        let (_, a) = w.poll(&[src("Gi0/0/3", QualityLevel::Prs, false)]);
        assert!(a.is_empty());
        let (_, a) = w.poll(&[src("Gi0/0/3", QualityLevel::St3, false)]);
        let Action::RaiseAlarm(spec) = &a[0] else { unreachable!() };
        assert_eq!(spec.perceived_severity, Severity::Minor);
    }

    #[test]
    fn a_restored_alarm_keeps_its_expected_level() {
        let d = DeviceId::from_uuid(Uuid::from_u128(8));
        let spec = synce_alarms(
            d,
            &[src("Te0/1", QualityLevel::Sec, true)],
            &BTreeMap::from([("Te0/1".to_owned(), QualityLevel::Prc)]),
        )
        .remove(0);
        let id = crate::alarm_record::AlarmId::from_uuid(Uuid::from_u128(1));
        let stored = crate::alarm_record::Alarm::raise(id, Some(d), spec, chrono::DateTime::UNIX_EPOCH);
        let mut w = SynceWatch::new(d);
        w.restore(&[stored]);
        assert_eq!(w.expected("Te0/1"), Some(QualityLevel::Prc));
        // Still SEC after the restart: the adopted alarm stays, nothing re-raised.
        let (_, a) = w.poll(&[src("Te0/1", QualityLevel::Sec, true)]);
        assert!(a.is_empty(), "{a:?}");
        let (_, a) = w.poll(&[src("Te0/1", QualityLevel::Prc, true)]);
        assert!(matches!(a.as_slice(), [Action::ClearAlarm(_)]));
    }
}
