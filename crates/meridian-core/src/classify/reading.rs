//! What a poll template's metrics read from an agent: one reading per scalar
//! and one per table row, named for the series they feed.
//!
//! Pure: the service GETs the scalars and walks the columns, turns varbinds
//! into [`MibRow`]s and hands them here. Counters come back raw, because a rate
//! needs the previous value and the uptime, which the monitor keeps.

use crate::metric::{MetricKey, SeriesKey};
use crate::mib::{parse_oid, MibRow, RawValue};

use super::template::{Metric, Template, GENERIC};
use super::Tables;

/// A reading's value: a gauge already scaled, or a raw counter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReadingValue {
    Gauge(f64),
    /// Raw counter value and its width (32 or 64 bits) for wrap handling.
    Counter {
        raw: u64,
        bits: u8,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The template's metric, with the row index for a table column
    /// (`temperature` row `1006`).
    pub key: SeriesKey,
    /// The unit after scaling; a counter's rate is this per second.
    pub unit: String,
    /// Applied to a counter's rate (gauges are scaled already).
    pub scale: f64,
    pub value: ReadingValue,
}

/// The metrics a template adds to the monitor's built-in poll. Everything in
/// `generic` (uptime, IF-MIB counters) is what the monitor polls anyway, so
/// polling it again would double the requests and the series.
pub fn extra_metrics(t: &Template) -> Vec<Metric> {
    let generic: Vec<&str> = Tables::shipped()
        .templates
        .iter()
        .find(|g| g.name == GENERIC)
        .map(|g| g.metrics.iter().map(|m| m.name.as_str()).collect())
        .unwrap_or_default();
    t.metrics.iter().filter(|m| !generic.contains(&m.name.as_str())).cloned().collect()
}

/// Readings from the rows an agent returned for `metrics` (scalar instances
/// and column walks mixed, any order). Rows that are not numbers (an agent's
/// "noSuchObject", text that is not a decimal) are skipped, not guessed.
pub fn readings(metrics: &[Metric], rows: &[MibRow]) -> Vec<Reading> {
    let parsed: Vec<(Vec<u32>, &Metric)> = metrics.iter().filter_map(|m| parse_oid(&m.oid).map(|o| (o, m))).collect();
    let mut out = Vec::new();
    for row in rows {
        for (oid, m) in &parsed {
            let metric = MetricKey::Template(m.name.clone());
            let key = if m.table {
                match row.oid.strip_prefix(oid.as_slice()) {
                    Some(index) if !index.is_empty() => {
                        let index: Vec<String> = index.iter().map(u32::to_string).collect();
                        SeriesKey::row(metric, index.join("."))
                    }
                    _ => continue,
                }
            } else if row.oid == *oid {
                SeriesKey::device(metric)
            } else {
                continue;
            };
            let value = match (m.counter, &row.value) {
                (Some(bits), RawValue::Uint(raw)) => ReadingValue::Counter { raw: *raw, bits },
                (Some(_), _) => continue,
                (None, v) => match number(v) {
                    Some(x) => ReadingValue::Gauge(x * m.scale),
                    None => continue,
                },
            };
            out.push(Reading { key, unit: m.unit.clone(), scale: m.scale, value });
        }
    }
    out
}

/// A numeric value; UCD-SNMP sends load averages as text ("0.15").
fn number(v: &RawValue) -> Option<f64> {
    match v {
        RawValue::Int(i) => Some(*i as f64),
        RawValue::Uint(u) => Some(*u as f64),
        RawValue::Octets(b) => std::str::from_utf8(b).ok()?.trim().parse::<f64>().ok().filter(|x| x.is_finite()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::template_by_name;

    fn row(oid: &str, value: RawValue) -> MibRow {
        MibRow::new(parse_oid(oid).expect("oid"), value)
    }

    #[test]
    fn ups_extras_skip_generic_and_read_scalars_and_rows() {
        let ups = template_by_name("ups").expect("shipped");
        let extra = extra_metrics(ups);
        assert!(extra.iter().all(|m| m.name != "sys_uptime" && !m.name.starts_with("if_")));
        assert!(extra.iter().any(|m| m.name == "battery_voltage"));
        let rows = [
            row(".1.3.6.1.2.1.33.1.2.5.0", RawValue::Int(545)),
            row(".1.3.6.1.2.1.33.1.4.4.1.5.1", RawValue::Int(37)),
            row(".1.3.6.1.2.1.33.1.4.4.1.5.2", RawValue::Octets(b"n/a".to_vec())),
            row(".1.3.6.1.2.1.33.1.4.4.1.5", RawValue::Int(1)),
            row(".1.3.6.1.2.1.1.3.0", RawValue::Uint(5)),
        ];
        let r = readings(&extra, &rows);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].key.stored_metric(), "battery_voltage");
        assert!(matches!(r[0].value, ReadingValue::Gauge(v) if (v - 54.5).abs() < 1e-9));
        assert_eq!(r[1].key, SeriesKey::row(MetricKey::Template("output_load".into()), "1"));
        assert_eq!(r[1].value, ReadingValue::Gauge(37.0));
    }

    /// `SeriesKey::from_stored` relies on both: a template metric is never
    /// taken for a built-in one, and its name ends at the first dot.
    #[test]
    fn shipped_template_metric_names_are_distinct_from_builtins_and_dotless() {
        for t in &Tables::shipped().templates {
            for m in extra_metrics(t) {
                assert!(crate::metric::Builtin::from_name(&m.name).is_none(), "{}: {} is built in", t.name, m.name);
                assert!(!m.name.contains(['.', ':']), "{}: {} holds a separator", t.name, m.name);
            }
        }
    }

    #[test]
    fn linux_counters_stay_raw_and_text_loads_parse() {
        let linux = template_by_name("linux-net-snmp").expect("shipped");
        let extra = extra_metrics(linux);
        let rows = [
            row(".1.3.6.1.4.1.2021.11.50.0", RawValue::Uint(123_456)),
            row(".1.3.6.1.4.1.2021.11.52.0", RawValue::Octets(b"7".to_vec())),
            row(".1.3.6.1.4.1.2021.10.1.3.1", RawValue::Octets(b" 0.15 ".to_vec())),
            row(".1.3.6.1.4.1.2021.10.1.3.2", RawValue::Octets(b"NaN".to_vec())),
        ];
        let r = readings(&extra, &rows);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].value, ReadingValue::Counter { raw: 123_456, bits: 32 });
        assert_eq!((r[1].key.stored_metric().as_str(), r[1].value), ("load.1", ReadingValue::Gauge(0.15)));
    }
}
