//! The supervisor's side of received events: a linkDown/linkUp is the
//! observation an ifTable poll would make, and every event is checked
//! against the event rules. Both take the one alarm path (`apply`).

use meridian_core::fault::EventRef;
use meridian_core::trap::link_observation;
use meridian_core::DeviceId;

use super::Supervisor;
use crate::monitor::received::Received;
use crate::monitor::rules;

impl Supervisor {
    pub(super) async fn on_received(&mut self, device: DeviceId, r: Received) {
        let Some(e) = self.devices.get_mut(&device) else { return };
        let (at, actions) = match &r {
            Received::Trap(t) => {
                let at = t.received_at;
                let link = t.trap_oid.as_deref().and_then(|oid| link_observation(oid, &t.varbinds, at));
                let mut actions = Vec::new();
                if let Some(mut s) = link {
                    if s.name.is_empty() {
                        s.name = e.if_names.get(&s.if_index).cloned().unwrap_or_default();
                    }
                    actions = e.monitor.observe(s);
                }
                (at, actions)
            }
            Received::Syslog(s) => (s.received_at, Vec::new()),
        };
        self.apply(device, actions, at).await;
        if self.event_rules.is_empty() {
            return;
        }
        let Some(e) = self.devices.get(&device) else { return };
        let facts = rules::facts(&e.device, e.template.clone());
        let ev = match &r {
            Received::Trap(t) => EventRef::Trap(t),
            Received::Syslog(s) => EventRef::Syslog(s),
        };
        let actions = self.event_rules.evaluate(&facts, ev, at);
        self.apply(device, actions, at).await;
    }
}
