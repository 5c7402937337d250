//! Map commands: topology links drawn on the map, site floor plans and the
//! devices placed on them. Plan images cross IPC as base64; the service
//! decodes and checks them.

use meridian_service::{ApiError, App, FloorPlan, FloorPlanInfo, LinkView, PlanPosition};
use tauri::State;

#[tauri::command]
pub async fn list_links(app: State<'_, App>) -> Result<Vec<LinkView>, ApiError> {
    app.list_links().await
}

#[tauri::command]
pub async fn floor_plan(app: State<'_, App>, site: String) -> Result<Option<FloorPlan>, ApiError> {
    app.floor_plan(&site).await
}

#[tauri::command]
pub async fn set_floor_plan(app: State<'_, App>, site: String, data: String) -> Result<FloorPlanInfo, ApiError> {
    app.set_floor_plan_base64(&site, &data).await
}

#[tauri::command]
pub async fn remove_floor_plan(app: State<'_, App>, site: String) -> Result<bool, ApiError> {
    app.remove_floor_plan(&site).await
}

#[tauri::command]
pub async fn place_device(
    app: State<'_, App>,
    device: String,
    site: String,
    x: f64,
    y: f64,
) -> Result<PlanPosition, ApiError> {
    app.place_device(&device, &site, x, y).await
}

#[tauri::command]
pub async fn unplace_device(app: State<'_, App>, device: String) -> Result<bool, ApiError> {
    app.unplace_device(&device).await
}

#[tauri::command]
pub async fn plan_positions(app: State<'_, App>, site: String) -> Result<Vec<PlanPosition>, ApiError> {
    app.plan_positions(&site).await
}
