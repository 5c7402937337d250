//! The alarms one watched clock has raised, kept so each poll's "desired
//! state" becomes raises and clears (each once) and a retired or restarted
//! watch clears or adopts exactly its own.

use std::collections::BTreeMap;

use crate::alarm::{AlarmKey, AlarmSpec};
use crate::state::Action;

#[derive(Debug, Clone, Default)]
pub(crate) struct Raised(BTreeMap<AlarmKey, AlarmSpec>);

impl Raised {
    /// Clears first (active but not wanted), then raises (wanted, not yet active).
    pub(crate) fn reconcile(&mut self, wanted: Vec<AlarmSpec>) -> Vec<Action> {
        let wanted: BTreeMap<AlarmKey, AlarmSpec> = wanted.into_iter().map(|s| (s.key(), s)).collect();
        let gone: Vec<AlarmKey> = self.0.keys().filter(|k| !wanted.contains_key(*k)).cloned().collect();
        let mut actions: Vec<Action> = Vec::new();
        for k in gone {
            self.0.remove(&k);
            actions.push(Action::ClearAlarm(k));
        }
        for (k, spec) in wanted {
            if let std::collections::btree_map::Entry::Vacant(slot) = self.0.entry(k) {
                slot.insert(spec.clone());
                actions.push(Action::RaiseAlarm(spec));
            }
        }
        actions
    }

    /// The active alarms' specs, to keep them raised while nothing new is known.
    pub(crate) fn specs(&self) -> impl Iterator<Item = &AlarmSpec> {
        self.0.values()
    }

    /// Clears everything raised.
    pub(crate) fn retire(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.0).into_keys().map(Action::ClearAlarm).collect()
    }

    /// Adopts the store's active alarms whose managed object `mine` accepts.
    pub(crate) fn restore(&mut self, active: &[crate::alarm_record::Alarm], mine: impl Fn(&str) -> bool) {
        for a in active.iter().filter(|a| a.is_active() && mine(&a.managed_object)) {
            self.0.insert(a.key(), a.spec());
        }
    }
}
