//! Poll templates: which OIDs to poll for a device, chosen from its classification.
//! Each template is a data file under `data/templates/`; `include` pulls in another
//! template's metrics (everything includes `generic`, the interface counters).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::data::{DataError, Tables};
use super::default_rules::{to_rule, RawRule};
use super::Classification;
use crate::inventory::DeviceKind;

/// (file name, contents); order is the tie-break order for selection.
const FILES: [(&str, &str); 9] = [
    ("generic.toml", include_str!("../../data/templates/generic.toml")),
    ("cisco.toml", include_str!("../../data/templates/cisco.toml")),
    ("juniper.toml", include_str!("../../data/templates/juniper.toml")),
    ("linux-net-snmp.toml", include_str!("../../data/templates/linux-net-snmp.toml")),
    ("windows.toml", include_str!("../../data/templates/windows.toml")),
    ("ups.toml", include_str!("../../data/templates/ups.toml")),
    ("sensor.toml", include_str!("../../data/templates/sensor.toml")),
    ("pdu.toml", include_str!("../../data/templates/pdu.toml")),
    ("chassis.toml", include_str!("../../data/templates/chassis.toml")),
];

/// The template every device falls back to.
pub const GENERIC: &str = "generic";

/// One value to poll: a scalar instance (`.0`) or a table column walked per row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    /// Dotted OID: the full instance for a scalar, the column for a table.
    pub oid: String,
    #[serde(default)]
    pub table: bool,
    /// Unit after `scale` is applied ("octets", "percent", "celsius", "seconds", ...).
    pub unit: String,
    /// Multiply the raw value by this (UPS-MIB battery voltage is in 0.1 V).
    #[serde(default = "one")]
    pub scale: f64,
    /// A counter of this many bits (32 or 64): polled values become a rate per
    /// second, with wraps and agent restarts handled. Absent for gauges.
    #[serde(default)]
    pub counter: Option<u8>,
    #[serde(default)]
    pub description: String,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Template {
    pub name: String,
    pub description: String,
    /// Selected when the classified OS is one of these (strongest match).
    #[serde(default)]
    pub match_os: Vec<String>,
    #[serde(default)]
    pub match_vendors: Vec<String>,
    #[serde(default)]
    pub match_kinds: Vec<DeviceKind>,
    /// Templates whose metrics come first; resolved at load.
    #[serde(default)]
    pub include: Vec<String>,
    /// Included templates' metrics first, then its own, resolved at load.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// The alarm rules it ships (its own, not its includes'), scoped at load
    /// to it and the templates that include it.
    #[serde(default)]
    pub default_rules: Vec<crate::rules::Rule>,
}

/// A template file as written: snake_case TOML, one `[[metric]]` table per metric
/// (the public type stays camelCase for JSON/TS like every core type).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    name: String,
    description: String,
    #[serde(default)]
    match_os: Vec<String>,
    #[serde(default)]
    match_vendors: Vec<String>,
    #[serde(default)]
    match_kinds: Vec<DeviceKind>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    metric: Vec<Metric>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

impl From<RawTemplate> for Template {
    fn from(r: RawTemplate) -> Self {
        let RawTemplate { name, description, match_os, match_vendors, match_kinds, include, metric, rule: _ } = r;
        Template {
            name,
            description,
            match_os,
            match_vendors,
            match_kinds,
            include,
            metrics: metric,
            default_rules: Vec::new(),
        }
    }
}

pub fn parse_shipped() -> Result<Vec<Template>, DataError> {
    let mut raw = Vec::new();
    let mut rules = Vec::new();
    for (file, text) in FILES {
        let mut t: RawTemplate =
            toml::from_str(text).map_err(|e| DataError::new("templates/*.toml", 0, format!("{file}: {e}")))?;
        rules.push((t.name.clone(), std::mem::take(&mut t.rule)));
        raw.push(Template::from(t));
    }
    let mut resolved = resolve(raw)?;
    // Scoped once every template's includes are known.
    let scoped: Vec<Vec<crate::rules::Rule>> =
        rules.iter().map(|(name, rs)| rs.iter().map(|r| to_rule(r, name, &resolved)).collect()).collect();
    for (t, rs) in resolved.iter_mut().zip(scoped) {
        t.default_rules = rs;
    }
    Ok(resolved)
}

/// Expand `include` one level deep (templates include `generic`, not each other's includes).
pub fn resolve(raw: Vec<Template>) -> Result<Vec<Template>, DataError> {
    let err = |m: String| DataError::new("templates/*.toml", 0, m);
    if !raw.iter().any(|t| t.name == GENERIC) {
        return Err(err(format!("no '{GENERIC}' template")));
    }
    let mut out = Vec::with_capacity(raw.len());
    for t in &raw {
        let mut metrics = Vec::new();
        for inc in &t.include {
            let base = raw
                .iter()
                .find(|b| &b.name == inc)
                .ok_or_else(|| err(format!("{}: unknown include '{inc}'", t.name)))?;
            metrics.extend(base.metrics.iter().cloned());
        }
        metrics.extend(t.metrics.iter().cloned());
        if let Some(bad) = metrics.iter().find(|m| m.counter.is_some_and(|b| b != 32 && b != 64)) {
            return Err(err(format!("{}: metric '{}': counter must be 32 or 64", t.name, bad.name)));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = metrics.iter().find(|m| !seen.insert(m.name.as_str())) {
            return Err(err(format!("{}: metric '{}' defined twice", t.name, dup.name)));
        }
        out.push(Template { metrics, ..t.clone() });
    }
    Ok(out)
}

/// A shipped template by name.
pub fn template_by_name(name: &str) -> Option<&'static Template> {
    Tables::shipped().templates.iter().find(|t| t.name == name)
}

/// Names of the shipped templates, for a per-device override picker.
pub fn template_names() -> Vec<&'static str> {
    Tables::shipped().templates.iter().map(|t| t.name.as_str()).collect()
}

/// The template to poll with: the override when it names a template, else the best
/// match for the classification (OS beats vendor beats kind), else `generic`.
/// An unknown override falls back to automatic selection; validate names with
/// `template_names` where the override is set.
pub fn select_template(c: &Classification, override_name: Option<&str>) -> &'static Template {
    select_in(&Tables::shipped().templates, c, override_name)
}

pub(crate) fn select_in<'t>(ts: &'t [Template], c: &Classification, override_name: Option<&str>) -> &'t Template {
    if let Some(t) = override_name.and_then(|n| ts.iter().find(|t| t.name == n)) {
        return t;
    }
    let eq = |list: &[String], v: Option<&str>| v.is_some_and(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v)));
    let score = |t: &Template| {
        let mut s = 0;
        if eq(&t.match_os, c.os_name()) {
            s += 4;
        }
        if eq(&t.match_vendors, c.vendor_name()) {
            s += 2;
        }
        if t.match_kinds.contains(&c.kind.value) {
            s += 1;
        }
        s
    };
    let mut best: Option<(&Template, i32)> = None;
    for t in ts {
        let s = score(t);
        if s > 0 && best.is_none_or(|(_, b)| s > b) {
            best = Some((t, s));
        }
    }
    match best {
        Some((t, _)) => t,
        // parse_shipped guarantees generic exists; the first template is a safe last resort.
        None => ts.iter().find(|t| t.name == GENERIC).unwrap_or(&ts[0]),
    }
}
