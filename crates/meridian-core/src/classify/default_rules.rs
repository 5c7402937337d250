//! The alarm rules a poll template ships (`[[rule]]` tables in its data
//! file), as rules scoped to that template and to every template that
//! includes it (so `generic`'s rules reach every device). The service
//! installs each once, keyed by template and rule name; after that they are
//! the user's like any rule (edited, disabled or removed for good).

use serde::Deserialize;

use crate::alarm::Severity;
use crate::rules::{Comparison, Hold, Level, Rule, RuleScope};

use super::template::Template;

/// One default rule as a template file writes it (snake_case, like the rest
/// of the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub name: String,
    pub metric: String,
    #[serde(default)]
    pub instance: Option<String>,
    pub comparison: Comparison,
    pub levels: Vec<RawLevel>,
    /// Consecutive samples before raising / clearing (1 when absent).
    #[serde(default)]
    pub raise_after: Option<u32>,
    #[serde(default)]
    pub clear_after: Option<u32>,
    /// Every device rather than the template's (ICMP rules: RTT).
    #[serde(default)]
    pub all_devices: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    pub severity: Severity,
    pub raise: f64,
    #[serde(default)]
    pub clear: Option<f64>,
}

/// `raw`'s rule for `template`, scoped to it and its includers (`all`).
pub fn to_rule(raw: &RawRule, template: &str, all: &[Template]) -> Rule {
    let mut templates = vec![template.to_owned()];
    templates.extend(all.iter().filter(|t| t.include.iter().any(|i| i == template)).map(|t| t.name.clone()));
    let scope = if raw.all_devices {
        RuleScope { all: true, ..RuleScope::default() }
    } else {
        RuleScope { templates, ..RuleScope::default() }
    };
    Rule {
        name: raw.name.clone(),
        enabled: true,
        metric: crate::metric::MetricKey::parse(&raw.metric),
        instance: raw.instance.clone(),
        comparison: raw.comparison,
        levels: raw.levels.iter().map(|l| Level { severity: l.severity, raise: l.raise, clear: l.clear }).collect(),
        raise_after: Hold { samples: raw.raise_after.unwrap_or(1) },
        clear_after: Hold { samples: raw.clear_after.unwrap_or(1) },
        no_data_intervals: None,
        scope,
        overrides: Vec::new(),
    }
}

/// Every shipped template's default rules: (template, rule), by template.
pub fn shipped_default_rules() -> Vec<(String, Rule)> {
    let tables = super::Tables::shipped();
    tables.templates.iter().flat_map(|t| t.default_rules.iter().map(move |r| (t.name.clone(), r.clone()))).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::classify::Tables;
    use crate::metric::MetricKey;

    fn known(m: &MetricKey) -> bool {
        match m {
            MetricKey::Builtin(_) => true,
            MetricKey::Template(n) => {
                Tables::shipped().templates.iter().any(|t| t.metrics.iter().any(|x| &x.name == n))
            }
        }
    }

    #[test]
    fn every_default_rule_validates_and_names_are_unique() {
        let rules = shipped_default_rules();
        assert!(rules.len() >= 10, "{rules:#?}");
        let mut names = HashSet::new();
        for (t, r) in &rules {
            r.validate(known).unwrap_or_else(|e| panic!("{t}: {}: {e:?}", r.name));
            assert!(names.insert(r.name.clone()), "rule name '{}' shipped twice", r.name);
        }
    }

    #[test]
    fn generic_rules_reach_every_template_that_includes_it() {
        let rules = shipped_default_rules();
        let cpu = rules.iter().find(|(t, r)| t == "generic" && r.name == "CPU high").expect("generic CPU rule");
        for t in ["generic", "cisco-ios", "linux-net-snmp", "windows", "ups"] {
            assert!(cpu.1.scope.templates.iter().any(|x| x == t), "{t} not in {:?}", cpu.1.scope.templates);
        }
        let ups = rules.iter().find(|(_, r)| r.name == "UPS on battery").expect("UPS rule");
        assert_eq!(ups.1.scope.templates, ["ups"]);
        let rtt = rules.iter().find(|(_, r)| r.name == "Round trip high").expect("RTT rule");
        assert!(rtt.1.scope.all);
        // Each kind of default the issue names is shipped.
        for m in ["if_in_errors", "cpu_pct", "storage_used_pct", "rtt_ms", "seconds_on_battery", "runtime_remaining"] {
            assert!(rules.iter().any(|(_, r)| r.metric.name() == m), "no default rule on {m}");
        }
    }
}
