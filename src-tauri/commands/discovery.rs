//! Discovery commands for the desktop dialog. Ad-hoc communities travel in
//! with a request and are held by the UI only for the run it started; the
//! service keeps them in memory, never in the run record or the logs.

use meridian_service::{ApiError, App, Device, DiscoveryRequest, DiscoveryRun, FoundDevice};
use tauri::State;

use crate::service::Service;

/// Starts a run and answers at once with its first record; the run goes on
/// in the background (dropping the handle detaches it) and reports through
/// `core-events`.
#[tauri::command]
pub async fn start_discovery(
    app: State<'_, Service>,
    request: DiscoveryRequest,
    communities: Vec<String>,
) -> Result<DiscoveryRun, ApiError> {
    app.get().await?.start_discovery(request, &App::community_inputs(&communities)).await.map(|handle| handle.run)
}

/// Asks a running run to stop; it ends as `cancelled` with what it found.
#[tauri::command]
pub async fn cancel_discovery(app: State<'_, Service>, id: String) -> Result<(), ApiError> {
    app.get().await?.cancel_discovery_run(&id).await
}

#[tauri::command]
pub async fn discovery_runs(app: State<'_, Service>, limit: i64) -> Result<Vec<DiscoveryRun>, ApiError> {
    app.get().await?.discovery_runs(limit).await
}

#[tauri::command]
pub async fn discovery_results(app: State<'_, Service>, run: String) -> Result<Vec<FoundDevice>, ApiError> {
    app.get().await?.discovery_results(&run).await
}

/// `communities` are the run's ad-hoc ones, when the UI still has them: a
/// device that answered with one gets it saved as a named credential.
#[tauri::command]
pub async fn add_discovered(
    app: State<'_, Service>,
    run: String,
    addresses: Vec<String>,
    credential: Option<String>,
    communities: Vec<String>,
) -> Result<Vec<Device>, ApiError> {
    app.get().await?.add_discovered(&run, &addresses, credential.as_deref(), &App::community_inputs(&communities)).await
}
