//! Forwards the service's `CoreEvent`s to the webview as the Tauri event
//! `core-events`, whose payload is an array of the `CoreEvent` JSON the UI's
//! generated types describe. If the task falls behind the bus, it emits
//! `core-event-lagged` so the UI reloads its model instead of drifting.
//!
//! Why arrays: each emit is a script evaluation in the web view. The
//! monitor's first round brings one state change per device (1,000 spread
//! over 30 s), and one evaluation each kept WebKit at 2.4-3 % of a core
//! (docs/PERFORMANCE.md). An event after a quiet spell still goes at once;
//! during a burst, what arrives is held until `SPACING` after the last emit,
//! so the web view evaluates at most ten times a second
//! (`meridian_service::spaced_batches`).

use std::time::Duration;

use meridian_service::{spaced_batches, CoreEvent, Spaced};
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::Receiver;

pub const CORE_EVENTS: &str = "core-events";
pub const CORE_EVENT_LAGGED: &str = "core-event-lagged";

/// The shortest time between two emits during a burst. The UI draws a burst
/// at most every 250 ms (ui/src/batch.ts), so this adds no visible delay.
const SPACING: Duration = Duration::from_millis(100);

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
pub fn spawn_forwarder(handle: AppHandle, events: Receiver<CoreEvent>) {
    tauri::async_runtime::spawn(spaced_batches(events, SPACING, move |out| match out {
        Spaced::Items(batch) => match handle.emit(CORE_EVENTS, &batch) {
            // One line per event, as before batching: the desktop smoke test
            // reads them to see which events reached the web view.
            Ok(()) => {
                for event in &batch {
                    tracing::debug!(r#type = event_type(event), batch = batch.len(), "forwarded core event");
                }
            }
            Err(e) => tracing::warn!(count = batch.len(), error = %e, "cannot forward core events"),
        },
        Spaced::Lagged(skipped) => {
            tracing::warn!(skipped, "the UI event forwarder fell behind; asking the UI to reload");
            if let Err(e) = handle.emit(CORE_EVENT_LAGGED, skipped) {
                tracing::warn!(error = %e, "cannot emit core-event-lagged");
            }
        }
    }));
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
