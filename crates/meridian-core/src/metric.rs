//! The metric vocabulary: what a series measures and which instance of it.
//!
//! Every consumer (the poller's interpretation, the store's queries, the
//! history read side, later the rules engine, and the UI through generated
//! TypeScript) names a metric through these types, so a misspelt metric is a
//! compile error rather than an empty chart.
//!
//! Metrics of Meridian's own poll are a closed enum, [`Builtin`]; metrics a
//! poll template adds (UPS battery, vendor CPU, ...) are data, named by the
//! template. Both become one [`MetricKey`].
//!
//! The store keeps a series as (device, interface, metric text, unit). The
//! text encodes the metric and a named row (`storage_used_pct:/var`,
//! `temperature.1006`); [`SeriesKey::stored_metric`] and
//! [`SeriesKey::from_stored`] are the only code that writes or reads it, so
//! series written before these types existed read back unchanged.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The metrics Meridian's built-in poll produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BuiltinMetric")]
pub enum Builtin {
    /// Mean echo round trip of one ICMP poll, in milliseconds.
    RttMs,
    /// Mean difference between successive round trips, in milliseconds.
    JitterMs,
    /// Echoes without a reply in one ICMP poll, in percent.
    LossPct,
    /// Interface traffic in, bit/s (HC octets when the agent has them).
    IfInBps,
    IfOutBps,
    /// Interface traffic as a share of its speed (ifHighSpeed, else ifSpeed),
    /// percent; only for interfaces that report a speed. Not clamped: a
    /// reading past 100 says the agent's speed is wrong, which is worth seeing.
    IfInUtilPct,
    IfOutUtilPct,
    /// Interface errors and discards, per second.
    IfInErrors,
    IfOutErrors,
    IfInDiscards,
    IfOutDiscards,
    /// hrProcessorLoad averaged over the device's processors, percent.
    CpuPct,
    /// UCD laLoad 1-minute load average.
    Load1,
    /// hrStorage used/size per storage area (the row is its description).
    StorageUsedPct,
    /// An NTP server's clock minus ours, milliseconds.
    NtpOffsetMs,
    /// NTP round trip less the server's processing, milliseconds.
    NtpDelayMs,
    /// The NTP server's stratum (16: unsynchronised).
    NtpStratum,
    /// The 8-bit reach register after each poll (RFC 5905 13; 255 = the
    /// last eight answered), written whether or not the poll was answered.
    NtpReach,
    /// A PTP clock's offsetFromMaster (CURRENT_DATA_SET), nanoseconds.
    PtpOffsetNs,
    /// A PTP clock's meanPathDelay to its master, nanoseconds.
    PtpPathDelayNs,
    /// Boundary clocks between a PTP clock and its grandmaster, plus one.
    PtpStepsRemoved,
    /// The clockClass its grandmaster announces (6: locked to a primary reference).
    PtpGmClockClass,
    /// A SyncE clock source's quality level (per source name, a row),
    /// numbered as CISCO-NETSYNC-MIB does (`clock::synce::QualityLevel`).
    SynceQl,
}

/// Where a metric's instances live, which decides the [`Instance`] it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Device,
    Interface,
    /// One series per row of a table (storage areas, template table rows).
    Row,
}

impl Builtin {
    pub const ALL: [Builtin; 23] = [
        Self::RttMs,
        Self::JitterMs,
        Self::LossPct,
        Self::IfInBps,
        Self::IfOutBps,
        Self::IfInUtilPct,
        Self::IfOutUtilPct,
        Self::IfInErrors,
        Self::IfOutErrors,
        Self::IfInDiscards,
        Self::IfOutDiscards,
        Self::CpuPct,
        Self::Load1,
        Self::StorageUsedPct,
        Self::NtpOffsetMs,
        Self::NtpDelayMs,
        Self::NtpStratum,
        Self::NtpReach,
        Self::PtpOffsetNs,
        Self::PtpPathDelayNs,
        Self::PtpStepsRemoved,
        Self::PtpGmClockClass,
        Self::SynceQl,
    ];

    /// The name the store and the UI use (the serde name).
    pub const fn name(self) -> &'static str {
        match self {
            Self::RttMs => "rtt_ms",
            Self::JitterMs => "jitter_ms",
            Self::LossPct => "loss_pct",
            Self::IfInBps => "if_in_bps",
            Self::IfOutBps => "if_out_bps",
            Self::IfInUtilPct => "if_in_util_pct",
            Self::IfOutUtilPct => "if_out_util_pct",
            Self::IfInErrors => "if_in_errors",
            Self::IfOutErrors => "if_out_errors",
            Self::IfInDiscards => "if_in_discards",
            Self::IfOutDiscards => "if_out_discards",
            Self::CpuPct => "cpu_pct",
            Self::Load1 => "load1",
            Self::StorageUsedPct => "storage_used_pct",
            Self::NtpOffsetMs => "ntp_offset_ms",
            Self::NtpDelayMs => "ntp_delay_ms",
            Self::NtpStratum => "ntp_stratum",
            Self::NtpReach => "ntp_reach",
            Self::PtpOffsetNs => "ptp_offset_ns",
            Self::PtpPathDelayNs => "ptp_path_delay_ns",
            Self::PtpStepsRemoved => "ptp_steps_removed",
            Self::PtpGmClockClass => "ptp_gm_clock_class",
            Self::SynceQl => "synce_ql",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == s)
    }

    pub const fn unit(self) -> &'static str {
        match self {
            Self::RttMs | Self::JitterMs | Self::NtpOffsetMs | Self::NtpDelayMs => "ms",
            Self::LossPct | Self::CpuPct | Self::StorageUsedPct | Self::IfInUtilPct | Self::IfOutUtilPct => "%",
            Self::IfInBps | Self::IfOutBps => "bit/s",
            Self::IfInErrors | Self::IfOutErrors | Self::IfInDiscards | Self::IfOutDiscards => "1/s",
            Self::PtpOffsetNs | Self::PtpPathDelayNs => "ns",
            Self::Load1 | Self::NtpStratum | Self::NtpReach | Self::PtpStepsRemoved | Self::PtpGmClockClass => "",
            Self::SynceQl => "",
        }
    }

    pub const fn scope(self) -> Scope {
        match self {
            Self::IfInBps
            | Self::IfOutBps
            | Self::IfInUtilPct
            | Self::IfOutUtilPct
            | Self::IfInErrors
            | Self::IfOutErrors
            | Self::IfInDiscards
            | Self::IfOutDiscards => Scope::Interface,
            Self::StorageUsedPct | Self::SynceQl => Scope::Row,
            _ => Scope::Device,
        }
    }
}

impl fmt::Display for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A metric: one of the built-in poll's, or one a poll template names.
///
/// Serialised as its bare name. A shipped template never reuses a built-in
/// name (a core test checks), so the name alone says which it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum MetricKey {
    Builtin(Builtin),
    Template(String),
}

impl MetricKey {
    pub fn name(&self) -> &str {
        match self {
            Self::Builtin(b) => b.name(),
            Self::Template(t) => t,
        }
    }

    pub fn builtin(&self) -> Option<Builtin> {
        match self {
            Self::Builtin(b) => Some(*b),
            Self::Template(_) => None,
        }
    }

    /// A name as a user or a file gives it: a built-in name is the built-in.
    pub fn parse(name: &str) -> Self {
        Builtin::from_name(name).map_or_else(|| Self::Template(name.to_owned()), Self::Builtin)
    }
}

impl From<Builtin> for MetricKey {
    fn from(b: Builtin) -> Self {
        Self::Builtin(b)
    }
}

impl fmt::Display for MetricKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which instance of a metric a series is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum Instance {
    /// The device as a whole (RTT, CPU).
    Device,
    /// One interface, by ifIndex.
    Interface(u32),
    /// One row of a table: a storage area's description, a template row's index.
    Row(String),
}

/// One series of one device: a metric and its instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SeriesKey {
    pub metric: MetricKey,
    pub instance: Instance,
}

impl SeriesKey {
    pub fn device(metric: impl Into<MetricKey>) -> Self {
        Self { metric: metric.into(), instance: Instance::Device }
    }

    pub fn interface(metric: Builtin, if_index: u32) -> Self {
        Self { metric: metric.into(), instance: Instance::Interface(if_index) }
    }

    pub fn row(metric: impl Into<MetricKey>, row: impl Into<String>) -> Self {
        Self { metric: metric.into(), instance: Instance::Row(row.into()) }
    }

    pub fn if_index(&self) -> Option<u32> {
        match self.instance {
            Instance::Interface(i) => Some(i),
            _ => None,
        }
    }

    /// The store's metric text. The interface is a column of its own, so an
    /// interface series stores the bare name. Built-in rows join with `:`
    /// (storage descriptions hold dots: `/var/lib`), template rows with `.`
    /// (an OID index, as the template's table column gives it).
    pub fn stored_metric(&self) -> String {
        match (&self.metric, &self.instance) {
            (m, Instance::Device | Instance::Interface(_)) => m.name().to_owned(),
            (MetricKey::Builtin(b), Instance::Row(r)) => format!("{}:{r}", b.name()),
            (MetricKey::Template(t), Instance::Row(r)) => format!("{t}.{r}"),
        }
    }

    /// Reads back what [`Self::stored_metric`] wrote, with the series'
    /// interface. Template names hold no `.` (a core test checks the shipped
    /// ones), so the first dot ends the name.
    pub fn from_stored(metric: &str, if_index: Option<u32>) -> Self {
        if let Some(i) = if_index {
            return Self { metric: MetricKey::parse(metric), instance: Instance::Interface(i) };
        }
        if let Some(b) = Builtin::from_name(metric) {
            return Self::device(b);
        }
        if let Some((name, row)) = metric.split_once(':') {
            if let Some(b) = Builtin::from_name(name) {
                return Self::row(b, row);
            }
        }
        match metric.split_once('.') {
            Some((name, row)) if !name.is_empty() && !row.is_empty() => Self::row(MetricKey::parse(name), row),
            _ => Self::device(MetricKey::parse(metric)),
        }
    }
}

impl fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.instance {
            Instance::Device => write!(f, "{}", self.metric),
            Instance::Interface(i) => write!(f, "{}[if {i}]", self.metric),
            Instance::Row(r) => write!(f, "{}[{r}]", self.metric),
        }
    }
}

/// A value the interpretation of a poll produced, named but not yet given
/// the store's series id (the writer's [`crate::sample::Sample`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSample {
    pub key: SeriesKey,
    /// After scaling; a counter's rate carries `/s`.
    pub unit: String,
    pub value: f64,
}

impl NamedSample {
    pub fn builtin(key: SeriesKey, value: f64) -> Self {
        let unit = key.metric.builtin().map(Builtin::unit).unwrap_or_default().to_owned();
        Self { key, unit, value }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_round_trip_and_match_serde() {
        for b in Builtin::ALL {
            assert_eq!(Builtin::from_name(b.name()), Some(b));
            assert_eq!(serde_json::to_value(b).expect("json"), b.name());
            let key: MetricKey = serde_json::from_value(serde_json::json!(b.name())).expect("parse");
            assert_eq!(key, MetricKey::Builtin(b));
        }
        let t: MetricKey = serde_json::from_value(serde_json::json!("battery_voltage")).expect("parse");
        assert_eq!(t, MetricKey::Template("battery_voltage".into()));
    }

    /// Series written before the vocabulary existed read back as the keys
    /// that write them now.
    #[test]
    fn stored_metric_round_trips() {
        let keys = [
            (SeriesKey::device(Builtin::RttMs), None, "rtt_ms"),
            (SeriesKey::interface(Builtin::IfInBps, 3), Some(3), "if_in_bps"),
            (SeriesKey::row(Builtin::StorageUsedPct, "/var/lib.d"), None, "storage_used_pct:/var/lib.d"),
            (
                SeriesKey::row(Builtin::StorageUsedPct, "C:\\ Label:  Serial 1"),
                None,
                "storage_used_pct:C:\\ Label:  Serial 1",
            ),
            (SeriesKey::device(MetricKey::Template("mem_total".into())), None, "mem_total"),
            (SeriesKey::row(MetricKey::Template("load".into()), "1"), None, "load.1"),
            (SeriesKey::row(MetricKey::Template("temperature".into()), "1.6.2"), None, "temperature.1.6.2"),
            (SeriesKey::device(Builtin::Load1), None, "load1"),
        ];
        for (key, if_index, stored) in keys {
            assert_eq!(key.stored_metric(), stored);
            assert_eq!(SeriesKey::from_stored(stored, if_index), key, "{stored}");
        }
    }

    #[test]
    fn scopes_follow_the_instance_each_metric_takes() {
        assert_eq!(Builtin::IfOutDiscards.scope(), Scope::Interface);
        assert_eq!(Builtin::StorageUsedPct.scope(), Scope::Row);
        assert_eq!(Builtin::RttMs.scope(), Scope::Device);
        assert_eq!(NamedSample::builtin(SeriesKey::device(Builtin::LossPct), 5.0).unit, "%");
    }
}
