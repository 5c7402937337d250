//! The monitor's bookkeeping between deciding an alarm and storing it:
//! flapping, maintenance windows and topology suppression
//! (`meridian-core::fault` decides; this keeps what is pending and loads
//! what the decisions need from the store). The supervisor does the I/O.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use meridian_core::alarm::{device_object, problem, AlarmId, AlarmKey, AlarmSpec};
use meridian_core::fault::{FlapConfig, FlapDetector, MaintenanceWindow};
use meridian_core::topology::Link;
use meridian_core::DeviceId;
use meridian_store::Store;

pub(super) struct Fault {
    pub flaps: FlapDetector,
    pub windows: Vec<MaintenanceWindow>,
    /// child → parent, from the stored links.
    pub parents: BTreeMap<DeviceId, DeviceId>,
    /// The stored links, for one alarm per failed link.
    pub links: Vec<Link>,
    /// Unreachable devices whose parent is failing but not yet down: the
    /// raise waits for the parent's verdict, until the deadline.
    /// (the raise, when the device was found down, the deadline).
    pub waiting: HashMap<DeviceId, (AlarmSpec, DateTime<Utc>, DateTime<Utc>)>,
    /// When each device's last ICMP poll finished: a parent not polled since
    /// its child went down has not yet said whether it is down too.
    pub last_icmp: HashMap<DeviceId, DateTime<Utc>>,
    /// Suppressed alarms whose root cleared: judged again at the deadline,
    /// once the child has had a poll to answer.
    pub releasing: HashMap<AlarmId, DateTime<Utc>>,
    /// Active alarms raised in a window, released when it closes.
    pub in_maintenance: HashMap<AlarmId, DeviceId>,
}

impl Fault {
    pub async fn load(store: &Store, flap: FlapConfig) -> Self {
        let mut f = Self {
            flaps: FlapDetector::new(flap),
            windows: load_windows(store).await,
            parents: BTreeMap::new(),
            links: Vec::new(),
            waiting: HashMap::new(),
            last_icmp: HashMap::new(),
            releasing: HashMap::new(),
            in_maintenance: HashMap::new(),
        };
        match store.active_held_alarms().await {
            Ok(held) => {
                for a in held {
                    match (a.device_id, &a.maintenance, a.suppressed_by) {
                        (Some(d), Some(_), _) => {
                            f.in_maintenance.insert(a.id, d);
                        }
                        // A root that cleared while the monitor was stopped
                        // leaves its symptoms held: judge them again soon.
                        (_, None, Some(_)) => {
                            f.releasing.insert(a.id, Utc::now());
                        }
                        _ => {}
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "loading held alarms"),
        }
        f.reload_topology(store).await;
        f
    }

    pub async fn reload_windows(&mut self, store: &Store) {
        self.windows = load_windows(store).await;
        tracing::info!(windows = self.windows.len(), "maintenance windows reloaded");
    }

    /// Links and the parents derived from them. A store that cannot say
    /// (logged) leaves none: no alarm is suppressed rather than the wrong one.
    pub async fn reload_topology(&mut self, store: &Store) {
        self.parents = match crate::topology::parents(store).await {
            Ok((_, parents)) => parents,
            Err(e) => {
                tracing::warn!(error = %e, "cannot derive device parents; no alarm is suppressed");
                BTreeMap::new()
            }
        };
        self.links = store.list_links().await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read links; interface alarms stand alone");
            Vec::new()
        });
    }
}

/// Whether an alarm is the device's own "unreachable": the one topology
/// suppression judges.
pub(super) fn is_unreachable(device: DeviceId, key: &AlarmKey) -> bool {
    key.specific_problem == problem::ICMP_NO_REPLY && key.managed_object == device_object(device)
}

/// The key of a device's "unreachable" alarm, to find a root's.
pub(super) fn unreachable_key(device: DeviceId) -> AlarmKey {
    AlarmSpec::device_unreachable(device, 0).key()
}

/// The enabled windows, or none if the store cannot say (logged): a broken
/// table must not stop alarms.
async fn load_windows(store: &Store) -> Vec<MaintenanceWindow> {
    match store.list_maintenance().await {
        Ok(ws) => ws.into_iter().map(|s| s.def).filter(|w| w.enabled).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read maintenance windows; none apply");
            Vec::new()
        }
    }
}
