//! Installing the poll templates' default rules (`[[rule]]` in their data
//! files): each (template, rule name) once, ever. A default whose name a
//! user rule already has is not written over; one the user edited,
//! disabled or removed stays as the user left it, because it is never
//! installed twice.

use chrono::Utc;
use meridian_core::classify::shipped_default_rules;

use crate::app::App;
use crate::error::ApiError;
use crate::events::CoreEvent;

const ACTOR: &str = "defaults";

impl App {
    /// Installs the default rules not installed before; returns their names.
    pub async fn seed_default_rules(&self) -> Result<Vec<String>, ApiError> {
        let seeded = self.store.seeded_default_rules().await?;
        let defaults: Vec<_> = shipped_default_rules()
            .into_iter()
            .filter(|(t, r)| !seeded.iter().any(|(st, sr)| st == t && *sr == r.name))
            .collect();
        if defaults.is_empty() {
            return Ok(Vec::new());
        }
        let existing = self.store.list_rules().await?;
        let now = Utc::now();
        let mut installed = Vec::new();
        for (template, rule) in defaults {
            // Written before it is marked: a crash between the two finds the
            // rule by name next time and only marks it.
            if !existing.iter().any(|r| r.rule.name == rule.name) {
                self.store.put_rule(&rule, now, ACTOR).await?;
                installed.push(rule.name.clone());
            }
            self.store.mark_default_rule_seeded(&template, &rule.name, now).await?;
        }
        if !installed.is_empty() {
            tracing::info!(rules = installed.len(), "default alarm rules installed");
            self.publish(CoreEvent::RulesChanged);
        }
        Ok(installed)
    }
}
