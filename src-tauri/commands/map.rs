//! Map commands: topology links drawn on the map, site floor plans and the
//! devices placed on them, and the opt-in tile server. Plan images cross IPC
//! as base64; the service decodes and checks them.

use chrono::Utc;
use meridian_service::{ApiError, DeviceKey, FloorPlan, FloorPlanInfo, LinkView, MapTiles, PlanPosition};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn list_links(app: State<'_, Service>) -> Result<Vec<LinkView>, ApiError> {
    app.get().await?.list_links().await
}

#[tauri::command]
pub async fn floor_plan(app: State<'_, Service>, site: String) -> Result<Option<FloorPlan>, ApiError> {
    app.get().await?.floor_plan(&site).await
}

#[tauri::command]
pub async fn set_floor_plan(app: State<'_, Service>, site: String, data: String) -> Result<FloorPlanInfo, ApiError> {
    app.get().await?.set_floor_plan_base64(&site, &data).await
}

#[tauri::command]
pub async fn remove_floor_plan(app: State<'_, Service>, site: String) -> Result<bool, ApiError> {
    app.get().await?.remove_floor_plan(&site).await
}

#[tauri::command]
pub async fn place_device(
    app: State<'_, Service>,
    device: DeviceKey,
    site: String,
    x: f64,
    y: f64,
) -> Result<PlanPosition, ApiError> {
    app.get().await?.place_device(&device, &site, x, y).await
}

#[tauri::command]
pub async fn unplace_device(app: State<'_, Service>, device: DeviceKey) -> Result<bool, ApiError> {
    app.get().await?.unplace_device(&device).await
}

#[tauri::command]
pub async fn plan_positions(app: State<'_, Service>, site: String) -> Result<Vec<PlanPosition>, ApiError> {
    app.get().await?.plan_positions(&site).await
}

#[tauri::command]
pub async fn map_tiles(app: State<'_, Service>) -> Result<MapTiles, ApiError> {
    app.get().await?.map_tiles().await
}

#[tauri::command]
pub async fn set_map_tiles(app: State<'_, Service>, settings: MapTiles) -> Result<MapTiles, ApiError> {
    app.get().await?.set_map_tiles(settings, Utc::now()).await
}
