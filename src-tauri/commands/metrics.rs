//! Prometheus `/metrics` and `/health` on loopback: off in the desktop
//! until the user turns it on.

use meridian_service::ApiError;
use tauri::State;

use crate::service::Service;

/// Starts serving at `addr` (loopback `IP:PORT`; default 127.0.0.1:9464) and
/// returns the address bound.
#[tauri::command]
pub async fn start_metrics(app: State<'_, Service>, addr: Option<String>) -> Result<String, ApiError> {
    app.get().await?.start_metrics(addr).await
}

#[tauri::command]
pub async fn stop_metrics(app: State<'_, Service>) -> Result<(), ApiError> {
    app.get().await.map(|a| a.stop_metrics())
}
