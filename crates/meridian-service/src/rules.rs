//! Alarm rules as use cases: list, add or replace, remove, import and export
//! as TOML. The rules' meaning is `meridian-core::rules`; the monitor
//! rebuilds its engine when `RulesChanged` is announced, so edits take effect
//! while it runs.

use chrono::{DateTime, Utc};
use meridian_core::classify::Tables;
use meridian_core::metric::MetricKey;
use meridian_core::rule_preview::{preview, LatestValue, PreviewHit};
use meridian_core::rules::Rule;
use meridian_core::{CoreError, FieldError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

const ACTOR: &str = "local";

/// A stored rule as front ends show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    /// The id its alarms name (`rule:<id>`).
    pub id: String,
    pub rule: Rule,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// A rules file: `[[rule]]` tables, nothing else.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<Rule>,
}

/// Whether a metric exists: built in, or named by a shipped poll template.
/// Custom items are known too where a rule is checked (`App::metric_check`).
pub fn known_metric(m: &MetricKey) -> bool {
    match m {
        MetricKey::Builtin(_) => true,
        MetricKey::Template(name) => {
            Tables::shipped().templates.iter().any(|t| t.metrics.iter().any(|x| &x.name == name))
        }
    }
}

impl App {
    pub async fn list_rules(&self) -> Result<Vec<RuleView>, ApiError> {
        let rules = self.store.list_rules().await?;
        Ok(rules
            .into_iter()
            .map(|r| RuleView { id: r.id.to_string(), rule: r.rule, updated_at: r.updated_at })
            .collect())
    }

    /// Adds `rule`, or replaces the rule of the same name. Refused with
    /// field errors (and nothing written) when it does not check out.
    pub async fn put_rule(&self, rule: Rule) -> Result<RuleView, ApiError> {
        rule.validate(self.metric_check().await?)?;
        let (id, _) = self.store.put_rule(&rule, Utc::now(), ACTOR).await?;
        self.publish(CoreEvent::RulesChanged);
        let views = self.list_rules().await?;
        views
            .into_iter()
            .find(|v| v.id == id.to_string())
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the rule vanished as it was written"))
    }

    /// Removes a rule by name or id; its active alarms clear when the
    /// monitor next rebuilds its engine.
    pub async fn remove_rule(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_rule(key, Utc::now(), ACTOR).await? {
            Some(_) => {
                self.publish(CoreEvent::RulesChanged);
                Ok(())
            }
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("rule '{key}' not found"))),
        }
    }

    /// Reads a TOML rules file. Every rule is checked before any is written,
    /// so a bad file changes nothing; errors name the rule by position
    /// (`rule[2].levels[0].clear`). With `dry_run`, only checks. Returns the
    /// names of the rules (to be) written.
    pub async fn import_rules(&self, text: &str, dry_run: bool) -> Result<Vec<String>, ApiError> {
        let file: RuleFile =
            toml::from_str(text).map_err(|e| ApiError::field("file", format!("not a rules file: {e}")))?;
        let mut errors = Vec::new();
        let known = self.metric_check().await?;
        for (i, rule) in file.rule.iter().enumerate() {
            if let Err(CoreError::Validation(fields)) = rule.validate(&known) {
                errors.extend(fields.into_iter().map(|f| FieldError::new(format!("rule[{i}].{}", f.field), f.message)));
            }
        }
        let mut names: Vec<&str> = file.rule.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            errors.push(FieldError::new("file", format!("rule '{}' is given twice", w[0])));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors).into());
        }
        if !dry_run {
            let now = Utc::now();
            for rule in &file.rule {
                self.store.put_rule(rule, now, ACTOR).await?;
            }
            if !file.rule.is_empty() {
                self.publish(CoreEvent::RulesChanged);
            }
        }
        Ok(file.rule.into_iter().map(|r| r.name).collect())
    }

    /// Every rule as a TOML rules file that `import_rules` reads back.
    pub async fn export_rules(&self) -> Result<String, ApiError> {
        let file = RuleFile { rule: self.store.list_rules().await?.into_iter().map(|r| r.rule).collect() };
        toml::to_string(&file).map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("cannot write TOML: {e}")))
    }
}

impl App {
    /// What `rule` (a draft: it need not be saved) would raise now, judged on
    /// the newest sample of each of its metric's series: device, instance,
    /// value and severity. Refused with the same field errors as `put_rule`.
    /// Only enabled devices count; the raise hold-down is not waited for.
    pub async fn preview_rule(&self, rule: Rule) -> Result<Vec<PreviewHit>, ApiError> {
        rule.validate(self.metric_check().await?)?;
        let samples = self.store.latest_samples(rule.metric.name()).await?;
        let with_samples: std::collections::HashSet<_> = samples.iter().map(|s| s.device).collect();
        let by_template = !rule.scope.templates.is_empty();
        let mut facts = Vec::new();
        for d in self.store.list_devices().await?.iter().filter(|d| d.enabled && with_samples.contains(&d.id)) {
            facts.push(crate::monitor::rule_facts(&self.store, d, by_template).await);
        }
        let latest: Vec<LatestValue> = samples
            .into_iter()
            .map(|s| LatestValue { device: s.device, key: s.key, label: s.interface, value: s.value, at: s.at })
            .collect();
        Ok(preview(&rule, facts, &latest, Utc::now()))
    }
}
