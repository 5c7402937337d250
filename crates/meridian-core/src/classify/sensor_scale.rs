//! ENTITY-SENSOR-MIB (RFC 3433) readings in the sensor's base unit.
//!
//! `entPhySensorValue` is an integer; the agent says what it counts in with
//! `entPhySensorScale` (an SI prefix: milli means the value is in thousandths)
//! and `entPhySensorPrecision` (decimal places in the integer: 245 with
//! precision 1 is 24.5). A sensor reporting 24500 milli-degrees is 24.5 °C,
//! and a rule "above 40" must see 24.5, not 24500.

use std::collections::HashMap;

use crate::metric::{MetricKey, NamedSample};

/// The sensor template's metric names (`data/templates/sensor.toml`).
pub const SENSOR_VALUE: &str = "sensor_value";
pub const SENSOR_SCALE: &str = "sensor_scale";
pub const SENSOR_PRECISION: &str = "sensor_precision";

/// `entPhySensorScale` (EntitySensorDataScale) as a power of ten. RFC 3433
/// numbers exa (14) before peta (15); `None` for a number it does not define.
pub fn scale_exponent(scale: i64) -> Option<i32> {
    Some(match scale {
        1 => -24,
        2 => -21,
        3 => -18,
        4 => -15,
        5 => -12,
        6 => -9,
        7 => -6,
        8 => -3,
        9 => 0,
        10 => 3,
        11 => 6,
        12 => 9,
        13 => 12,
        14 => 18,
        15 => 15,
        16 => 21,
        17 => 24,
        _ => return None,
    })
}

/// `raw` in the sensor's base unit. A scale the MIB does not define, or a
/// precision outside -8..=9, is `None` (the reading is not guessed at). A
/// negative precision counts accurate digits of the integer part and does
/// not move the decimal point.
pub fn sensor_value(raw: f64, scale: i64, precision: i64) -> Option<f64> {
    let exp = scale_exponent(scale)?;
    if !(-8..=9).contains(&precision) {
        return None;
    }
    let places = i32::try_from(precision.max(0)).ok()?;
    Some(raw * 10f64.powi(exp - places))
}

/// Rewrites the `sensor_value` rows of one poll with their row's scale and
/// precision (read in the same poll). A row without a scale reading is left
/// as read (units, no decimals: what an agent without those columns means);
/// a row whose scale or precision is not one the MIB defines is dropped.
pub fn apply(samples: &mut Vec<NamedSample>) {
    // One pass to index the scale and precision rows, one to rewrite: linear
    // in the poll's samples however many sensors a chassis has.
    let mut columns: HashMap<(&str, String), i64> = HashMap::new();
    for s in samples.iter() {
        if let (MetricKey::Template(t), Some(row)) = (&s.key.metric, row_of(s)) {
            if t == SENSOR_SCALE || t == SENSOR_PRECISION {
                let name = if t == SENSOR_SCALE { SENSOR_SCALE } else { SENSOR_PRECISION };
                columns.insert((name, row.to_owned()), s.value as i64);
            }
        }
    }
    if columns.is_empty() {
        return;
    }
    samples.retain_mut(|s| {
        let row = match (&s.key.metric, row_of(s)) {
            (MetricKey::Template(t), Some(row)) if t == SENSOR_VALUE => row.to_owned(),
            _ => return true,
        };
        let Some(scale) = columns.get(&(SENSOR_SCALE, row.clone())) else { return true };
        let precision = columns.get(&(SENSOR_PRECISION, row)).copied().unwrap_or(0);
        match sensor_value(s.value, *scale, precision) {
            Some(v) => {
                s.value = v;
                true
            }
            None => false,
        }
    });
}

fn row_of(s: &NamedSample) -> Option<&str> {
    match &s.key.instance {
        crate::metric::Instance::Row(r) => Some(r),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::SeriesKey;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9 * b.abs().max(1.0))
    }

    #[test]
    fn scale_and_precision_give_the_base_unit() {
        assert!(close(sensor_value(24_500.0, 8, 0), 24.5), "milli");
        assert!(close(sensor_value(245.0, 9, 1), 24.5), "units, precision 1");
        assert!(close(sensor_value(2450.0, 8, 2), 0.0245), "milli and two places");
        assert!(close(sensor_value(12.0, 10, 0), 12_000.0), "kilo");
        assert!(close(sensor_value(3.0, 14, 0), 3e18), "exa is 10^18 (numbered before peta)");
        assert!(close(sensor_value(3.0, 15, 0), 3e15), "peta is 10^15");
        assert!(close(sensor_value(1200.0, 9, -2), 1200.0), "negative precision keeps the point");
        assert_eq!(sensor_value(1.0, 0, 0), None, "no scale 0");
        assert_eq!(sensor_value(1.0, 18, 0), None);
        assert_eq!(sensor_value(1.0, 9, 10), None);
        assert_eq!(sensor_value(1.0, 9, -9), None);
    }

    fn s(name: &str, row: &str, v: f64) -> NamedSample {
        NamedSample { key: SeriesKey::row(MetricKey::Template(name.into()), row), unit: String::new(), value: v }
    }

    #[test]
    fn each_row_takes_its_own_scale_and_a_bad_one_is_dropped() {
        let mut samples = vec![
            s(SENSOR_VALUE, "1", 24_500.0),
            s(SENSOR_SCALE, "1", 8.0),
            s(SENSOR_VALUE, "2", 455.0),
            s(SENSOR_SCALE, "2", 9.0),
            s(SENSOR_PRECISION, "2", 1.0),
            s(SENSOR_VALUE, "3", 7.0),
            s(SENSOR_VALUE, "4", 9.0),
            s(SENSOR_SCALE, "4", 99.0),
            s("probe_temperature", "1", 30.0),
        ];
        apply(&mut samples);
        let get = |n: &str, r: &str| samples.iter().find(|x| x.key == s(n, r, 0.0).key).map(|x| x.value);
        assert!(close(get(SENSOR_VALUE, "1"), 24.5));
        assert!(close(get(SENSOR_VALUE, "2"), 45.5));
        assert_eq!(get(SENSOR_VALUE, "3"), Some(7.0), "no scale column: as read");
        assert_eq!(get(SENSOR_VALUE, "4"), None, "an undefined scale is not guessed at");
        assert_eq!(get("probe_temperature", "1"), Some(30.0));
        assert_eq!(samples.len(), 8);
    }
}
