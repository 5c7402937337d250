use serde::Serialize;
use ts_rs::TS;

/// What the service announces. The desktop forwards these as Tauri events
/// and the team server as WebSocket messages; pollers and alarms add
/// variants as they land.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CoreEvent {
    #[serde(rename_all = "camelCase")]
    InventoryChanged { entity: String, id: String, action: String },
}
