//! Custom items: each command is one call into `meridian_service::App`.

use meridian_service::{ApiError, DeviceItemValue, ItemInput, ItemView};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn list_items(app: State<'_, Service>) -> Result<Vec<ItemView>, ApiError> {
    app.get().await?.list_items().await
}

/// Adds the item, or replaces the target's item of its name; field errors refuse it.
#[tauri::command]
pub async fn add_item(app: State<'_, Service>, input: ItemInput) -> Result<ItemView, ApiError> {
    app.get().await?.add_item(input).await
}

#[tauri::command]
pub async fn remove_item(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_item(&key).await
}

/// The items a device polls, with their newest values (the device page).
#[tauri::command]
pub async fn device_items(app: State<'_, Service>, key: String) -> Result<Vec<DeviceItemValue>, ApiError> {
    app.get().await?.device_items(&key).await
}
