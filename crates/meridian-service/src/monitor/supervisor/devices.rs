//! The supervisor's side of the inventory: devices loaded, added, changed
//! and removed while the monitor runs, with their schedules, monitors and
//! per-device watches (NTP, PTP).

use super::*;

impl Supervisor {
    pub(super) async fn reload_all(&mut self, now: DateTime<Utc>) -> Result<(), ApiError> {
        let devices = self.store.list_devices().await?;
        let keep: BTreeSet<DeviceId> = devices.iter().map(|d| d.id).collect();
        let gone: Vec<DeviceId> = self.devices.keys().filter(|id| !keep.contains(id)).copied().collect();
        for id in gone {
            self.remove_device(id, now).await;
        }
        let counts = crate::counts::load(&self.store).await;
        let ntp = crate::ntp::load(&self.store).await;
        let mut ptp = crate::ptp::load(&self.store).await;
        let roles = timing_roles(&self.store).await;
        for d in devices {
            let own = Own {
                counts: counts.get(&d.id).copied().unwrap_or_default(),
                ntp_port: ntp.get(&d.id).copied(),
                ptp: ptp.remove(&d.id),
                role: roles.get(&d.id).copied(),
            };
            self.upsert_device(d, own, now).await;
        }
        self.fault.reload_topology(&self.store).await;
        Ok(())
    }

    pub(super) async fn reload_device(&mut self, id: &str, now: DateTime<Utc>) {
        match self.store.get_device(&id.into()).await {
            Ok(d) => {
                let own = Own {
                    counts: crate::counts::load(&self.store).await.get(&d.id).copied().unwrap_or_default(),
                    ntp_port: crate::ntp::load(&self.store).await.get(&d.id).copied(),
                    ptp: crate::ptp::load(&self.store).await.remove(&d.id),
                    role: timing_roles(&self.store).await.get(&d.id).copied(),
                };
                self.upsert_device(d, own, now).await
            }
            Err(StoreError::NotFound { .. }) => {
                if let Ok(uuid) = id.parse::<Uuid>() {
                    self.remove_device(DeviceId(uuid), now).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, "reloading device"),
        }
    }

    /// Starts or updates a device's monitoring with its own settings.
    pub(super) async fn upsert_device(&mut self, d: Device, own: Own, now: DateTime<Utc>) {
        if !d.enabled {
            self.remove_device(d.id, now).await;
            return;
        }
        let cred = match &d.credential_name {
            Some(name) => match load_credential(&self.store, &self.vaults, name).await {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::warn!(device = %d.name, error = %e, "credential unusable; polling ICMP only");
                    None
                }
            },
            None => None,
        };
        let thresholds =
            meridian_core::state::MonitorConfig { snmp: cred.is_some(), ..own.counts.apply(self.cfg.thresholds) };
        let (template, extras) =
            if cred.is_some() { extras::for_device(&self.store, d.id).await } else { (None, Vec::new()) };
        self.rules.set_device(rules::facts(&d, template.clone()));
        if let Err(e) = self.sched.sync_device(d.id, true, cred.is_some(), &self.cfg.intervals, now) {
            tracing::warn!(device = %d.name, error = %e, "scheduling");
        }
        let ntp_every = own.ntp_port.map(|_| self.cfg.intervals.ntp);
        if let Err(e) = self.sched.sync_job(d.id, PollKind::Ntp, ntp_every, now) {
            tracing::warn!(device = %d.name, error = %e, "scheduling NTP");
        }
        let ptp_every = own.ptp.as_ref().map(|_| self.cfg.intervals.ptp);
        if let Err(e) = self.sched.sync_job(d.id, PollKind::Ptp, ptp_every, now) {
            tracing::warn!(device = %d.name, error = %e, "scheduling PTP");
        }
        let id = d.id;
        let actions = match self.devices.get_mut(&id) {
            Some(e) => {
                e.device = d;
                e.cred = cred;
                e.extras = Arc::new(extras);
                e.template = template;
                e.monitor.set_config(thresholds, now)
            }
            None => {
                let mut monitor = DeviceMonitor::new(id, thresholds);
                let mut restored = Vec::new();
                let mut synce = SynceWatch::new(id);
                match self.store.active_alarms_for_device(id).await {
                    Ok(active) => {
                        monitor.restore(&active);
                        synce.restore(&active);
                        self.fault.flaps.restore(id, &active, now);
                        restored = self.rules.restore(id, &active, now);
                    }
                    Err(e) => tracing::warn!(error = %e, "loading active alarms"),
                }
                let entry = Entry {
                    device: d,
                    monitor,
                    cred,
                    interp: Interpreter::new(),
                    series: HashMap::new(),
                    if_ids: HashMap::new(),
                    extras: Arc::new(extras),
                    template,
                    if_names: HashMap::new(),
                    ntp: None,
                    ptp: None,
                    synce,
                    items: Default::default(),
                };
                self.devices.insert(id, entry);
                self.apply_rules(restored, now).await;
                Vec::new()
            }
        };
        self.apply(id, actions, now).await;
        self.sync_items(id, now);
        let mut retired = self.watch_ntp(id, own.ntp_port, own.role).await;
        if let Some(e) = self.devices.get_mut(&id) {
            retired.extend(ptp::rewatch(&self.store, &mut e.ptp, id, own.ptp, own.role).await);
        }
        self.apply(id, retired, now).await;
    }

    /// Starts, moves or stops watching a device's NTP server; returns the
    /// clears of a watch that ends.
    /// A changed port or role starts a fresh watch (which adopts the
    /// store's active NTP alarms, so its first poll keeps or clears them).
    pub(super) async fn watch_ntp(
        &mut self,
        id: DeviceId,
        port: Option<u16>,
        role: Option<meridian_core::clock::role::TimingRole>,
    ) -> Vec<Action> {
        let Some(e) = self.devices.get_mut(&id) else { return Vec::new() };
        if e.ntp.as_ref().map(|(p, w)| (*p, w.role())) == port.map(|p| (p, role)) {
            return Vec::new();
        }
        let retired = e.ntp.take().map(|(_, mut w)| w.retire()).unwrap_or_default();
        if let Some(port) = port {
            let mut watch = NtpWatch::new(id, NtpThresholds { role, ..NtpThresholds::default() });
            match self.store.active_alarms_for_device(id).await {
                Ok(active) => watch.restore(&active),
                Err(err) => tracing::warn!(error = %err, "loading active alarms"),
            }
            e.ntp = Some((port, watch));
            return Vec::new();
        }
        retired
    }

    pub(super) async fn remove_device(&mut self, id: DeviceId, now: DateTime<Utc>) {
        self.sched.remove(id);
        let cleared = self.rules.remove_device(id);
        self.apply_rules(cleared, now).await;
        self.shared.live.lock().map(|mut m| m.remove(&id)).ok();
        self.fault.waiting.remove(&id);
        self.fault.last_icmp.remove(&id);
        for a in self.fault.flaps.forget_device(id) {
            self.apply_one(id, a, now).await;
        }
        if let Some(mut e) = self.devices.remove(&id) {
            let mut actions = e.monitor.retire();
            if let Some((_, w)) = e.ntp.as_mut() {
                actions.extend(w.retire());
            }
            if let Some(p) = e.ptp.as_mut() {
                actions.extend(p.retire());
            }
            self.devices.insert(id, e);
            self.apply(id, actions, now).await;
            self.devices.remove(&id);
        }
    }
}

/// Every device's timing role; unreadable roles are logged and taken as none,
/// so a bad row never stops the monitor.
async fn timing_roles(store: &Store) -> std::collections::BTreeMap<DeviceId, meridian_core::clock::role::TimingRole> {
    store.timing_roles().await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "reading timing roles; judging every clock as a follower");
        Default::default()
    })
}
