//! The monitor's side of the rules engine: loading it from the store, the
//! facts its scopes match on, and its actions in the state machine's terms,
//! so the supervisor applies rule alarms exactly as it applies its own.

use meridian_core::inventory::Device;
use meridian_core::rules::{DeviceFacts, RuleAction, RuleEngine};
use meridian_core::state::Action;
use meridian_core::DeviceId;
use meridian_store::Store;

/// The enabled rules, or none if the store cannot say (logged): a broken
/// rules table must not stop polling.
pub async fn load(store: &Store) -> RuleEngine {
    match store.list_rules().await {
        Ok(rules) => RuleEngine::new(rules.into_iter().map(|r| (r.id.to_string(), r.rule)).collect()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the alarm rules; none are evaluated");
            RuleEngine::new(Vec::new())
        }
    }
}

pub fn facts(d: &Device, template: Option<String>) -> DeviceFacts {
    DeviceFacts {
        id: d.id,
        name: d.name.clone(),
        tags: d.tags.clone(),
        site: d.site_name.clone(),
        kind: d.kind,
        template,
    }
}

/// Rule actions grouped for `Supervisor::apply`, in their order.
pub fn as_actions(actions: Vec<RuleAction>) -> Vec<(DeviceId, Action)> {
    actions
        .into_iter()
        .map(|a| match a {
            RuleAction::Raise { device, spec } => (device, Action::RaiseAlarm(spec)),
            RuleAction::Clear { device, key } => (device, Action::ClearAlarm(key)),
        })
        .collect()
}
