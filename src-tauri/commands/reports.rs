//! Reports for the desktop: the report itself (the preview's tables) and the
//! same report as a file's bytes (PDF, PNG) or text (CSV, SVG, JSON), which
//! the UI saves where the user picks.

use meridian_service::{ApiError, Report, ReportFormat, ReportRequest};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn report(app: State<'_, Service>, request: ReportRequest) -> Result<Report, ApiError> {
    app.get().await?.report(request).await
}

#[tauri::command]
pub async fn report_file(
    app: State<'_, Service>,
    request: ReportRequest,
    format: ReportFormat,
) -> Result<Vec<u8>, ApiError> {
    app.get().await?.report_file(request, format).await
}
