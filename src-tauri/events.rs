//! Forwards the service's `CoreEvent`s to the webview as the Tauri event
//! `core-event`, payload exactly the `CoreEvent` JSON the UI's generated
//! types describe. If the task falls behind the bus, it emits
//! `core-event-lagged` so the UI reloads its model instead of drifting.

use meridian_service::CoreEvent;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::{error::RecvError, Receiver};

pub const CORE_EVENT: &str = "core-event";
pub const CORE_EVENT_LAGGED: &str = "core-event-lagged";

/// The event's `type` tag as the UI sees it.
pub fn event_type(event: &CoreEvent) -> &'static str {
    match event {
        CoreEvent::InventoryChanged { .. } => "inventoryChanged",
        CoreEvent::DeviceStateChanged { .. } => "deviceStateChanged",
        CoreEvent::AlarmRaised { .. } => "alarmRaised",
        CoreEvent::AlarmCleared { .. } => "alarmCleared",
        CoreEvent::AlarmAcknowledged { .. } => "alarmAcknowledged",
        CoreEvent::DiscoveryProgress { .. } => "discoveryProgress",
        CoreEvent::DiscoveryFound { .. } => "discoveryFound",
        CoreEvent::DiscoveryFinished { .. } => "discoveryFinished",
        CoreEvent::RulesChanged => "rulesChanged",
        CoreEvent::MaintenanceChanged => "maintenanceChanged",
        CoreEvent::PollRequested { .. } => "pollRequested",
        CoreEvent::PtpChanged { .. } => "ptpChanged",
        CoreEvent::EventsMissed { .. } => "eventsMissed",
    }
}

/// Runs until the bus closes (the service is dropped).
pub fn spawn_forwarder(handle: AppHandle, mut events: Receiver<CoreEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    let kind = event_type(&event);
                    match handle.emit(CORE_EVENT, &event) {
                        Ok(()) => tracing::debug!(r#type = kind, "forwarded core event"),
                        Err(e) => tracing::warn!(r#type = kind, error = %e, "cannot forward core event"),
                    }
                }
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "the UI event forwarder fell behind; asking the UI to reload");
                    if let Err(e) = handle.emit(CORE_EVENT_LAGGED, skipped) {
                        tracing::warn!(error = %e, "cannot emit core-event-lagged");
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_service::{ChangeAction, InventoryEntity};

    #[test]
    fn event_type_matches_the_serde_tag() {
        let e = CoreEvent::InventoryChanged {
            entity: InventoryEntity::Device,
            id: "x".into(),
            action: ChangeAction::Added,
        };
        let json = serde_json::to_value(&e).expect("serialises");
        assert_eq!(json["type"], event_type(&e));
    }
}
