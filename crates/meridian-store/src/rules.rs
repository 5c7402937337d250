//! Alarm rules, kept as named JSON definitions (see [`crate::definitions`]).

use chrono::{DateTime, Utc};
use meridian_core::rules::Rule;
use uuid::Uuid;

use crate::definitions::{Kind, Stored};
use crate::error::StoreError;
use crate::store::Store;

const RULES: Kind = Kind { table: "rules", entity: "rule" };

/// A stored rule and its id (the `rule:<id>` of its alarms).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub id: Uuid,
    pub rule: Rule,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Every rule, by name.
    pub async fn list_rules(&self) -> Result<Vec<StoredRule>, StoreError> {
        let stored: Vec<Stored<Rule>> = self.list_definitions(RULES).await?;
        Ok(stored.into_iter().map(|s| StoredRule { id: s.id, rule: s.def, updated_at: s.updated_at }).collect())
    }

    /// Stores `rule` under its name: a new row, or the named rule replaced
    /// (its id, and so its alarms, kept). Says which, with the id.
    pub async fn put_rule(&self, rule: &Rule, now: DateTime<Utc>, actor: &str) -> Result<(Uuid, bool), StoreError> {
        self.put_definition(RULES, &rule.name, rule, now, actor).await
    }

    /// Removes the rule with this name or id; says whether there was one.
    pub async fn delete_rule(&self, key: &str, now: DateTime<Utc>, actor: &str) -> Result<Option<Uuid>, StoreError> {
        Ok(self.delete_definition::<Rule>(RULES, key, now, actor).await?.map(|s| s.id))
    }
}
