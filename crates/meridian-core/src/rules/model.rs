//! A threshold rule as users write it (TOML or the rule editor), and its
//! checks. Everything a Zabbix trigger sets except rate-of-change and
//! baselines: severity levels on one rule, a separate clear value per level
//! (hysteresis), hold-downs for raising and for clearing, "no data for N
//! intervals", scope by device, tag, site, kind or template, and per-device
//! overrides.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::Severity;
use crate::error::{CoreError, FieldError};
use crate::ids::DeviceId;
use crate::inventory::DeviceKind;
use crate::metric::MetricKey;

/// Which way a value is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// High is bad (CPU, loss, RTT).
    Above,
    /// Low is bad (battery runtime, free memory).
    Below,
}

/// One severity of a rule: raised past `raise`, cleared back past `clear`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Level {
    pub severity: Severity,
    pub raise: f64,
    /// Defaults to `raise` (no hysteresis). Must lie on the good side of it.
    #[serde(default)]
    pub clear: Option<f64>,
}

impl Level {
    pub fn clear_value(&self) -> f64 {
        self.clear.unwrap_or(self.raise)
    }
}

/// How long a condition must hold before it counts: a number of
/// consecutive samples (one poll each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hold {
    pub samples: u32,
}

impl Default for Hold {
    fn default() -> Self {
        Self { samples: 1 }
    }
}

/// Which devices a rule watches. Nothing named and `all` unset is refused:
/// a rule that silently watches nothing is a rule nobody notices is broken.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RuleScope {
    pub all: bool,
    /// Device names.
    pub devices: Vec<String>,
    pub tags: Vec<String>,
    /// Site names.
    pub sites: Vec<String>,
    pub kinds: Vec<DeviceKind>,
    /// Poll template names.
    pub templates: Vec<String>,
}

impl RuleScope {
    /// Whether the scope names nothing and is not `all`: such a scope is
    /// refused, by rules and maintenance windows alike.
    pub fn names_nothing(&self) -> bool {
        !self.all
            && self.devices.is_empty()
            && self.tags.is_empty()
            && self.sites.is_empty()
            && self.kinds.is_empty()
            && self.templates.is_empty()
    }

    /// Whether the device is in scope: any one named fact is enough.
    pub fn matches(&self, d: &DeviceFacts) -> bool {
        self.all
            || self.devices.iter().any(|n| *n == d.name || *n == d.id.to_string())
            || self.tags.iter().any(|t| d.tags.contains(t))
            || d.site.as_ref().is_some_and(|site| self.sites.contains(site))
            || self.kinds.contains(&d.kind)
            || d.template.as_ref().is_some_and(|t| self.templates.contains(t))
    }
}

/// What scope matching needs to know of a device.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFacts {
    pub id: DeviceId,
    pub name: String,
    pub tags: Vec<String>,
    pub site: Option<String>,
    pub kind: DeviceKind,
    pub template: Option<String>,
}

/// A per-device change to a rule: other levels, or off for that device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Override {
    pub device: String,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub levels: Option<Vec<Level>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub metric: MetricKey,
    /// A glob (`*`, `?`) on the instance's name: an interface's name, a
    /// storage area, a template row. Absent: every instance.
    #[serde(default)]
    pub instance: Option<String>,
    pub comparison: Comparison,
    pub levels: Vec<Level>,
    #[serde(default)]
    pub raise_after: Hold,
    #[serde(default)]
    pub clear_after: Hold,
    /// Raise (at the rule's lowest severity) when a series that reported
    /// before has been silent for this many of its own intervals.
    #[serde(default)]
    pub no_data_intervals: Option<u32>,
    pub scope: RuleScope,
    #[serde(default)]
    pub overrides: Vec<Override>,
}

fn yes() -> bool {
    true
}

/// Longest rule name; it is shown in the console and in notifications.
pub const NAME_MAX: usize = 120;

impl Rule {
    /// Checks every field at once. `known_metric` says whether a metric name
    /// exists (built in, or in a shipped or custom template).
    pub fn validate(&self, known_metric: impl Fn(&MetricKey) -> bool) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.len() > NAME_MAX {
            errors.push(FieldError::new("name", format!("must be 1 to {NAME_MAX} characters")));
        }
        if !known_metric(&self.metric) {
            errors.push(FieldError::new("metric", format!("unknown metric '{}'", self.metric)));
        }
        if self.instance.as_deref().is_some_and(|p| p.trim().is_empty()) {
            errors.push(FieldError::new("instance", "leave it out to match every instance"));
        }
        check_levels("levels", &self.levels, self.comparison, &mut errors);
        if self.raise_after.samples == 0 || self.clear_after.samples == 0 {
            errors.push(FieldError::new("raiseAfter", "hold-downs count at least 1 sample"));
        }
        if self.no_data_intervals == Some(0) {
            errors.push(FieldError::new("noDataIntervals", "must be at least 1"));
        }
        if self.scope.names_nothing() {
            errors.push(FieldError::new(
                "scope",
                "name at least one device, tag, site, kind or template, or set all = true",
            ));
        }
        for (i, o) in self.overrides.iter().enumerate() {
            if o.device.trim().is_empty() {
                errors.push(FieldError::new(format!("overrides[{i}].device"), "must name a device"));
            }
            if let Some(levels) = &o.levels {
                check_levels(&format!("overrides[{i}].levels"), levels, self.comparison, &mut errors);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }
}

/// Finite values, one level per severity, worse severities further out, and
/// each clear value on the good side of its raise value.
fn check_levels(field: &str, levels: &[Level], cmp: Comparison, errors: &mut Vec<FieldError>) {
    if levels.is_empty() {
        errors.push(FieldError::new(field, "give at least one severity level"));
        return;
    }
    for (i, l) in levels.iter().enumerate() {
        let f = format!("{field}[{i}]");
        if !l.raise.is_finite() || !l.clear_value().is_finite() {
            errors.push(FieldError::new(&f, "thresholds must be numbers"));
            continue;
        }
        if matches!(l.severity, Severity::Cleared | Severity::Indeterminate) {
            errors.push(FieldError::new(&f, "severity must be critical, major, minor or warning"));
        }
        let wrong_side = match cmp {
            Comparison::Above => l.clear_value() > l.raise,
            Comparison::Below => l.clear_value() < l.raise,
        };
        if wrong_side {
            let side = if cmp == Comparison::Above { "at or below" } else { "at or above" };
            errors.push(FieldError::new(format!("{f}.clear"), format!("must be {side} the raise value {}", l.raise)));
        }
    }
    let mut sorted: Vec<&Level> = levels.iter().collect();
    sorted.sort_by_key(|l| std::cmp::Reverse(l.severity));
    for pair in sorted.windows(2) {
        let (lower, higher) = (pair[0], pair[1]);
        if lower.severity == higher.severity {
            errors.push(FieldError::new(field, format!("{:?} is given twice", lower.severity).to_lowercase()));
        } else {
            let ordered = match cmp {
                Comparison::Above => higher.raise > lower.raise,
                Comparison::Below => higher.raise < lower.raise,
            };
            if !ordered {
                errors.push(FieldError::new(field, "a worse severity needs a threshold further out"));
            }
        }
    }
}

/// `*` any run, `?` one character; case-insensitive, as interface names are
/// typed by people (`Gi0/1`, `gi0/1`).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}
