//! Event rules (traps and syslog to alarms), kept as named JSON
//! definitions (see [`crate::definitions`]).

use chrono::{DateTime, Utc};
use meridian_core::fault::EventRule;
use uuid::Uuid;

use crate::definitions::{Kind, Stored};
use crate::error::StoreError;
use crate::store::Store;

const EVENT_RULES: Kind = Kind { table: "event_rules", entity: "event_rule" };

impl Store {
    /// Every event rule, by name.
    pub async fn list_event_rules(&self) -> Result<Vec<Stored<EventRule>>, StoreError> {
        self.list_definitions(EVENT_RULES).await
    }

    /// Stores `rule` under its name, new or replacing; says which, with the id.
    pub async fn put_event_rule(
        &self,
        rule: &EventRule,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(Uuid, bool), StoreError> {
        self.put_definition(EVENT_RULES, &rule.name, rule, now, actor).await
    }

    /// Removes the event rule with this name or id; says whether there was one.
    pub async fn delete_event_rule(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<Uuid>, StoreError> {
        Ok(self.delete_definition::<EventRule>(EVENT_RULES, key, now, actor).await?.map(|s| s.id))
    }
}
