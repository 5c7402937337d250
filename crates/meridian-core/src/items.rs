//! Custom items: one numeric OID a user asks to poll on a device, or on every
//! device of a poll template, as a series of its own (name, unit, scale,
//! gauge or counter, own interval). A rule watches one like any metric: its
//! series is [`MetricKey::Template`] with the item's name, so charts, rules
//! and the store need nothing new.
//!
//! Pure: the checks, the item as a template [`Metric`] (so the template
//! reading code turns its rows into samples and its counters into rates), and
//! which of a device's items are due at a poll.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::classify::{Metric, Tables};
use crate::error::{CoreError, FieldError};
use crate::ids::DeviceId;
use crate::metric::Builtin;
use crate::mib::parse_oid;
use crate::schedule::{MAX_INTERVAL, MIN_INTERVAL};

/// Longest item name: it is a series name in charts and rule texts.
pub const NAME_MAX: usize = 64;
/// Longest unit text ("bit/s", "celsius", "volts").
pub const UNIT_MAX: usize = 32;
/// Longest OID, in arcs (SNMP allows 128).
const OID_ARCS_MAX: usize = 128;

/// How a polled value becomes a sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The value as read, times the scale.
    Gauge,
    /// A Counter32: a rate per second, wraps at 2^32.
    Counter32,
    /// A Counter64: a rate per second, wraps at 2^64.
    Counter64,
}

/// Where an item is polled: one device, or every device polled with a template.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
pub enum ItemTarget {
    Device(DeviceId),
    /// A poll template's name.
    Template(String),
}

impl ItemTarget {
    /// The store's unique key of an item: target and name, so two devices
    /// may each have an item of one name.
    pub fn key(&self, name: &str) -> String {
        match self {
            Self::Device(d) => format!("device:{d}/{name}"),
            Self::Template(t) => format!("template:{t}/{name}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomItem {
    /// The series' metric name: lower-case letters, digits and `_`.
    pub name: String,
    pub target: ItemTarget,
    /// Numeric, dotted: the full instance (`.1.3.6.1.4.1.2021.11.11.0`).
    pub oid: String,
    /// The unit after scaling; a counter's rate is this per second.
    #[serde(default)]
    pub unit: String,
    /// The raw value (or a counter's rate) is multiplied by this.
    #[serde(default = "one")]
    pub scale: f64,
    pub kind: ItemKind,
    /// Seconds between polls of this item.
    pub interval_secs: u32,
    #[serde(default)]
    pub description: String,
}

fn one() -> f64 {
    1.0
}

/// Whether a name is taken by a metric Meridian polls itself: a built-in
/// one, or one of a shipped template (their series would collide).
pub fn reserved_name(name: &str) -> bool {
    Builtin::from_name(name).is_some()
        || Tables::shipped().templates.iter().any(|t| t.metrics.iter().any(|m| m.name == name))
}

impl CustomItem {
    /// Every field at once. Whether the device or template exists is the
    /// caller's to check (it needs the inventory).
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        let name = self.name.as_str();
        let well_formed = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if name.is_empty() || name.len() > NAME_MAX || !well_formed {
            errors.push(FieldError::new(
                "name",
                format!("1 to {NAME_MAX} characters: a lower-case letter, then letters, digits or _"),
            ));
        } else if reserved_name(name) {
            errors.push(FieldError::new("name", format!("'{name}' is a metric Meridian already polls")));
        }
        match parse_oid(&self.oid) {
            Some(arcs) if arcs.len() >= 2 && arcs.len() <= OID_ARCS_MAX && arcs[0] <= 2 => {}
            _ => errors.push(FieldError::new("oid", "a numeric OID such as .1.3.6.1.4.1.2021.11.11.0")),
        }
        if self.unit.len() > UNIT_MAX || self.unit.chars().any(char::is_control) {
            errors.push(FieldError::new("unit", format!("at most {UNIT_MAX} printable characters")));
        }
        if !self.scale.is_finite() || self.scale == 0.0 {
            errors.push(FieldError::new("scale", "a number other than 0"));
        }
        let (lo, hi) = (MIN_INTERVAL.as_secs(), MAX_INTERVAL.as_secs());
        if !(lo..=hi).contains(&u64::from(self.interval_secs)) {
            errors.push(FieldError::new("intervalSecs", format!("between {lo} and {hi} seconds")));
        }
        if let ItemTarget::Template(t) = &self.target {
            if !Tables::shipped().templates.iter().any(|x| &x.name == t) {
                errors.push(FieldError::new("target", format!("unknown template '{t}'")));
            }
        }
        if self.description.len() > 500 {
            errors.push(FieldError::new("description", "at most 500 characters"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }

    pub fn interval(&self) -> Duration {
        Duration::from_secs(u64::from(self.interval_secs))
    }

    /// The item as a template metric, which the template reading code polls
    /// and interprets (counters to rates included).
    pub fn metric(&self) -> Metric {
        Metric {
            name: self.name.clone(),
            oid: self.oid.clone(),
            table: false,
            unit: self.unit.clone(),
            scale: self.scale,
            counter: match self.kind {
                ItemKind::Gauge => None,
                ItemKind::Counter32 => Some(32),
                ItemKind::Counter64 => Some(64),
            },
            description: self.description.clone(),
        }
    }
}

/// The items one device polls: its own, then its template's whose names it
/// has not taken (a device's item overrides the template's of that name).
pub fn for_device<'a>(items: &'a [CustomItem], device: DeviceId, template: Option<&str>) -> Vec<&'a CustomItem> {
    let own: Vec<&CustomItem> = items.iter().filter(|i| i.target == ItemTarget::Device(device)).collect();
    let inherited = items.iter().filter(|i| {
        matches!(&i.target, ItemTarget::Template(t) if Some(t.as_str()) == template)
            && !own.iter().any(|o| o.name == i.name)
    });
    let mut out = own.clone();
    out.extend(inherited);
    out
}

/// When each of one device's items was last polled, deciding which are due.
/// The device's item job runs at its shortest item interval; a longer one is
/// polled on the first run at or after its own interval has passed (within
/// half the job's interval, so 60 s items on a 30 s job poll every 60 s,
/// not every 90 s).
#[derive(Debug, Default, Clone)]
pub struct ItemClock {
    last: HashMap<String, DateTime<Utc>>,
}

impl ItemClock {
    /// The job interval: the shortest of the items', none without items.
    pub fn job_interval(items: &[CustomItem]) -> Option<Duration> {
        items.iter().map(CustomItem::interval).min()
    }

    /// The items due at `now`, marked as polled.
    pub fn due(&mut self, items: &[CustomItem], now: DateTime<Utc>) -> Vec<Metric> {
        let slack = Self::job_interval(items).unwrap_or_default() / 2;
        let mut out = Vec::new();
        for i in items {
            let due = match self.last.get(&i.name) {
                None => true,
                Some(last) => {
                    let next = *last + chrono::Duration::from_std(i.interval()).unwrap_or_default();
                    next - chrono::Duration::from_std(slack).unwrap_or_default() <= now
                }
            };
            if due {
                self.last.insert(i.name.clone(), now);
                out.push(i.metric());
            }
        }
        self.last.retain(|name, _| items.iter().any(|i| &i.name == name));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::readings;
    use crate::mib::{MibRow, RawValue};

    fn item(name: &str, oid: &str, interval_secs: u32) -> CustomItem {
        CustomItem {
            name: name.into(),
            target: ItemTarget::Device(DeviceId(uuid::Uuid::nil())),
            oid: oid.into(),
            unit: "celsius".into(),
            scale: 1.0,
            kind: ItemKind::Gauge,
            interval_secs,
            description: String::new(),
        }
    }

    fn fields(r: Result<(), CoreError>) -> Vec<String> {
        match r {
            Err(CoreError::Validation(f)) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_good_item_passes_and_reads_as_a_template_metric() {
        let i = item("inlet_temp", ".1.3.6.1.4.1.8072.9999.1.0", 30);
        i.validate().expect("valid");
        let m = i.metric();
        let rows = [MibRow::new(parse_oid(&i.oid).expect("oid"), RawValue::Int(85))];
        let r = readings(std::slice::from_ref(&m), &rows);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].key.stored_metric(), "inlet_temp");
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(fields(item("", "1.3.6", 30).validate()), ["name"]);
        assert_eq!(fields(item("Temp.1", "1.3.6", 30).validate()), ["name"]);
        assert_eq!(fields(item("cpu_pct", "1.3.6", 30).validate()), ["name"], "a built-in name");
        assert_eq!(fields(item("battery_voltage", "1.3.6", 30).validate()), ["name"], "a template's metric");
        for oid in ["", "iso.3.6", "1", "1.3.x", "9.1.2", "1..3"] {
            assert_eq!(fields(item("t", oid, 30).validate()), ["oid"], "{oid}");
        }
        assert_eq!(fields(item("t", "1.3.6", 0).validate()), ["intervalSecs"]);
        assert_eq!(fields(item("t", "1.3.6", 86_401).validate()), ["intervalSecs"]);
        let mut bad = item("t", "1.3.6", 30);
        bad.scale = f64::NAN;
        bad.target = ItemTarget::Template("no-such".into());
        bad.unit = "x\n".into();
        assert_eq!(fields(bad.validate()), ["unit", "scale", "target"]);
    }

    #[test]
    fn a_device_item_overrides_its_templates_of_one_name() {
        let dev = DeviceId(uuid::Uuid::nil());
        let other = DeviceId(uuid::Uuid::from_u128(7));
        let mut t1 = item("temp", "1.3.6.1", 30);
        t1.target = ItemTarget::Template("ups".into());
        let mut t2 = item("load", "1.3.6.2", 30);
        t2.target = ItemTarget::Template("ups".into());
        let own = item("temp", "1.3.6.9", 30);
        let mut theirs = item("x", "1.3.6.3", 30);
        theirs.target = ItemTarget::Device(other);
        let all = [t1, t2, own, theirs];
        let got: Vec<&str> = for_device(&all, dev, Some("ups")).iter().map(|i| i.oid.as_str()).collect();
        assert_eq!(got, ["1.3.6.9", "1.3.6.2"]);
        assert!(for_device(&all, dev, Some("generic")).iter().all(|i| i.target == ItemTarget::Device(dev)));
    }

    #[test]
    fn each_item_keeps_its_own_interval_on_the_shortest_job() {
        let items = [item("fast", "1.3.1", 30), item("slow", "1.3.2", 60)];
        assert_eq!(ItemClock::job_interval(&items), Some(Duration::from_secs(30)));
        let mut clock = ItemClock::default();
        let t0: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().expect("time");
        let names = |ms: Vec<Metric>| ms.into_iter().map(|m| m.name).collect::<Vec<_>>();
        let at = |s: i64| t0 + chrono::Duration::seconds(s);
        assert_eq!(names(clock.due(&items, at(0))), ["fast", "slow"]);
        assert_eq!(names(clock.due(&items, at(30))), ["fast"]);
        assert_eq!(names(clock.due(&items, at(60))), ["fast", "slow"]);
        // A job run a little early (scheduler phase) still polls the slow one.
        assert_eq!(names(clock.due(&items, at(89))), ["fast"]);
        assert_eq!(names(clock.due(&items, at(119))), ["fast", "slow"]);
        // A removed item is forgotten.
        clock.due(&items[..1], at(150));
        assert_eq!(clock.last.len(), 1);
    }
}
