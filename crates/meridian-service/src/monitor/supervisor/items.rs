//! The supervisor's side of custom items: which items each device polls,
//! their job (at the shortest item interval), the poll of the due ones and
//! their samples, fed to the rules and the writer like any other.

use meridian_core::items::{self, CustomItem, ItemClock};
use meridian_core::mib::MibRow;

use super::*;

/// One device's items and when each was last polled.
#[derive(Debug, Default)]
pub(super) struct DeviceItems {
    pub items: Vec<CustomItem>,
    pub clock: ItemClock,
}

/// Every stored item, or none if the store cannot say (logged): a broken
/// items table must not stop polling.
pub(super) async fn load(store: &Store) -> Vec<CustomItem> {
    match store.list_items().await {
        Ok(items) => items.into_iter().map(|s| s.item).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the custom items; none are polled");
            Vec::new()
        }
    }
}

impl Supervisor {
    /// Points a device's item job at its current items (none without SNMP).
    pub(super) fn sync_items(&mut self, id: DeviceId, now: DateTime<Utc>) {
        let Some(e) = self.devices.get_mut(&id) else { return };
        let mine: Vec<CustomItem> = if e.cred.is_some() {
            items::for_device(&self.items, id, e.template.as_deref()).into_iter().cloned().collect()
        } else {
            Vec::new()
        };
        let every = ItemClock::job_interval(&mine);
        e.items.items = mine;
        if let Err(err) = self.sched.sync_job(id, PollKind::Items, every, now) {
            tracing::warn!(device = %e.device.name, error = %err, "scheduling custom items");
        }
    }

    /// The items were edited: reload them and every device's job.
    pub(super) async fn reload_items(&mut self, now: DateTime<Utc>) {
        self.items = load(&self.store).await;
        let ids: Vec<DeviceId> = self.devices.keys().copied().collect();
        for id in ids {
            self.sync_items(id, now);
        }
    }

    /// Polls the device's items that are due; false when none is (the job
    /// then completes at once).
    pub(super) fn spawn_items(&mut self, key: JobKey) -> bool {
        let Some(e) = self.devices.get_mut(&key.device) else { return false };
        let due = e.items.clock.due(&e.items.items, Utc::now());
        let Some(cred) = e.cred.clone().filter(|_| !due.is_empty()) else { return false };
        let (engine, device, permits, tx) =
            (self.snmp.clone(), e.device.clone(), self.permits.clone(), self.done_tx.clone());
        let (timeout, retries) = (self.cfg.snmp_timeout, self.cfg.snmp_retries);
        tokio::spawn(async move {
            let _permit = permits.acquire_owned().await;
            let out = match target::snmp_addr(&device).await {
                Ok(addr) => poll::items(&engine, addr, cred, timeout, retries, &due).await.map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            };
            let out = out.map(|(uptime, rows)| (uptime, rows, due));
            let _ = tx.send(Done::Items { key, at: Utc::now(), out }).await;
        });
        true
    }

    /// A poll of items: samples to the rules and the writer. An agent that
    /// does not answer is the SNMP poll's to judge, not the items'.
    pub(super) async fn on_items(&mut self, key: JobKey, at: DateTime<Utc>, out: ItemsOut) {
        let Some(e) = self.devices.get_mut(&key.device) else { return };
        let (uptime, rows, metrics) = match out {
            Ok(r) => r,
            Err(err) => {
                tracing::debug!(device = %e.device.name, error = %err, "custom items");
                return;
            }
        };
        let samples = e.interp.items(at, &rows, uptime, &metrics);
        let actions: Vec<RuleAction> =
            samples.iter().flat_map(|s| self.rules.observe(key.device, s, None, at)).collect();
        self.write_samples(key.device, at, samples).await;
        self.apply_rules(actions, at).await;
    }
}

/// What an item poll returns: sysUpTime, the rows, and the items asked.
pub(super) type ItemsOut = Result<(Option<u64>, Vec<MibRow>, Vec<Metric>), String>;
