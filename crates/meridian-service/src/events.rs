use meridian_core::alarm::Alarm;
use meridian_core::discovery::{DiscoveryProgress, DiscoveryRun, FoundDevice};
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::state::DeviceState;
use meridian_core::DeviceId;
use serde::Serialize;
use ts_rs::TS;

/// What the service announces. The desktop forwards these as Tauri events
/// and the team server as WebSocket messages (their schema in the OpenAPI
/// document, down to a discovery's progress, found devices with their
/// classification, and finished run).
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CoreEvent {
    #[serde(rename_all = "camelCase")]
    InventoryChanged {
        entity: InventoryEntity,
        id: String,
        action: ChangeAction,
    },
    #[serde(rename_all = "camelCase")]
    DeviceStateChanged {
        device_id: DeviceId,
        name: String,
        from: DeviceState,
        to: DeviceState,
        #[ts(type = "string")]
        #[schema(value_type = String, format = DateTime)]
        at: chrono::DateTime<chrono::Utc>,
    },
    AlarmRaised {
        alarm: Alarm,
    },
    AlarmCleared {
        alarm: Alarm,
    },
    #[serde(rename_all = "camelCase")]
    AlarmAcknowledged {
        alarm: Alarm,
    },
    /// A few times a second while a discovery runs.
    DiscoveryProgress {
        progress: DiscoveryProgress,
    },
    /// A responder was identified (or found alive).
    DiscoveryFound {
        // Boxed: a classification with its evidence dwarfs the other events.
        device: Box<FoundDevice>,
    },
    DiscoveryFinished {
        run: DiscoveryRun,
    },
    /// Alarm rules were added, changed or removed: the monitor rebuilds its
    /// rules engine, a rule list reloads.
    RulesChanged,
    /// Maintenance windows were added, changed or removed: the monitor
    /// reloads them.
    MaintenanceChanged,
    /// Someone asked for a device to be polled now (`App::poll_device_now`):
    /// the monitor polls it at once.
    #[serde(rename_all = "camelCase")]
    PollRequested {
        device_id: DeviceId,
    },
    /// A watched PTP clock follows another grandmaster (a timing topology
    /// change), or its grandmaster announces another clock class.
    #[serde(rename_all = "camelCase")]
    PtpChanged {
        device_id: DeviceId,
        name: String,
        change: PtpChange,
        #[ts(type = "string")]
        #[schema(value_type = String, format = DateTime)]
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Sent to one subscriber, never published: events it should have had
    /// are gone (it fell behind the bus, or the outbox pruned them before
    /// its replica read them back), so whatever it shows may be stale and
    /// should be reloaded. `count` is how many, at least.
    #[serde(rename_all = "camelCase")]
    EventsMissed {
        count: u64,
    },
}

/// What changed at a PTP clock; identities print as `pmc` does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PtpChange {
    GrandmasterChanged { from: String, to: String },
    ClockClassChanged { grandmaster: String, from: u8, to: u8 },
}

impl PtpChange {
    /// The event log's action for it.
    pub fn action(&self) -> &'static str {
        match self {
            Self::GrandmasterChanged { .. } => "ptp.grandmaster",
            Self::ClockClassChanged { .. } => "ptp.clockClass",
        }
    }
}
