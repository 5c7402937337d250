//! History tiers: the store's size for the status view and each tier's
//! retention; one call into `App` each.

use meridian_service::{ApiError, Retention, StoreStatus};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn store_status(app: State<'_, Service>) -> Result<StoreStatus, ApiError> {
    app.get().await?.store_status().await
}

#[tauri::command]
pub async fn retention(app: State<'_, Service>) -> Result<Retention, ApiError> {
    app.get().await?.retention().await
}

#[tauri::command]
pub async fn set_retention(app: State<'_, Service>, keep: Retention) -> Result<Retention, ApiError> {
    app.get().await?.set_retention(keep, chrono::Utc::now()).await
}
