//! Event rules as use cases: list, add or replace, remove. The running
//! monitor reloads them on `RulesChanged`, as it does the alarm rules.

use chrono::{DateTime, Utc};
use meridian_core::fault::{event_rule, EventMatch, EventRule};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

const ACTOR: &str = "local";

/// A stored event rule.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EventRuleView {
    pub id: String,
    #[serde(flatten)]
    pub rule: EventRule,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

impl App {
    pub async fn list_event_rules(&self) -> Result<Vec<EventRuleView>, ApiError> {
        let stored = self.store.list_event_rules().await?;
        Ok(stored
            .into_iter()
            .map(|s| EventRuleView { id: s.id.to_string(), rule: s.def, updated_at: s.updated_at })
            .collect())
    }

    /// Adds `rule`, or replaces the one of the same name. Refused with
    /// every field error (and nothing written) when it does not check out.
    pub async fn put_event_rule(&self, mut rule: EventRule) -> Result<EventRuleView, ApiError> {
        rule.name = rule.name.trim().to_owned();
        self.resolve_trap_oids(&mut rule)?;
        event_rule::validate(&rule)?;
        let (id, _) = self.store.put_event_rule(&rule, Utc::now(), ACTOR).await?;
        self.publish(CoreEvent::RulesChanged);
        self.list_event_rules()
            .await?
            .into_iter()
            .find(|v| v.id == id.to_string())
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the event rule vanished as it was written"))
    }

    /// A trap match may name its notification by MIB name
    /// (`IF-MIB::linkDown`, `linkDown`): stored as the numeric OID, so the
    /// rule means the same whatever MIBs are loaded later. An unknown name
    /// is a field error on `raise.oid` / `clear.oid`.
    fn resolve_trap_oids(&self, rule: &mut EventRule) -> Result<(), ApiError> {
        let mibs = self.mibs();
        let matches = [("raise", Some(&mut rule.raise)), ("clear", rule.clear.as_mut())];
        for (field, m) in matches {
            let Some(EventMatch::Trap { oid, .. }) = m else { continue };
            let text = oid.trim();
            if text.is_empty() || text.trim_start_matches('.').starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            *oid = mibs.resolve(&format!("{field}.oid"), text)?;
        }
        Ok(())
    }

    /// One rule from TOML (`name`, `severity`, `[scope]`, `[raise]` with
    /// `kind = "syslog"` or `"trap"`, optional `[clear]`), then as `put_event_rule`.
    pub async fn put_event_rule_toml(&self, text: &str) -> Result<EventRuleView, ApiError> {
        let rule: EventRule =
            toml::from_str(text).map_err(|e| ApiError::field("file", format!("not an event rule: {e}")))?;
        self.put_event_rule(rule).await
    }

    /// Removes an event rule by name or id. Its active alarms stay until
    /// cleared by hand: no event will clear them any more.
    pub async fn remove_event_rule(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_event_rule(key, Utc::now(), ACTOR).await? {
            Some(_) => {
                self.publish(CoreEvent::RulesChanged);
                Ok(())
            }
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("event rule '{key}' not found"))),
        }
    }
}
