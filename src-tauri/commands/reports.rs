//! Reports for the desktop: the report itself (the preview's tables) and the
//! same report as a file's bytes (PDF, PNG) or text (CSV, SVG, JSON), which
//! the UI saves where the user picks. Scheduled reports: list, add, edit,
//! remove, run now, and the run log.

use meridian_service::{ApiError, Report, ReportFormat, ReportRequest, ReportSchedule, ScheduleInput, ScheduleRun};
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

#[tauri::command]
pub async fn list_report_schedules(app: State<'_, Service>) -> Result<Vec<ReportSchedule>, ApiError> {
    app.get().await?.list_report_schedules().await
}

#[tauri::command]
pub async fn add_report_schedule(app: State<'_, Service>, input: ScheduleInput) -> Result<ReportSchedule, ApiError> {
    app.get().await?.add_report_schedule(input).await
}

#[tauri::command]
pub async fn update_report_schedule(
    app: State<'_, Service>,
    name: String,
    input: ScheduleInput,
) -> Result<ReportSchedule, ApiError> {
    app.get().await?.update_report_schedule(&name, input).await
}

#[tauri::command]
pub async fn remove_report_schedule(app: State<'_, Service>, name: String) -> Result<(), ApiError> {
    app.get().await?.remove_report_schedule(&name).await
}

#[tauri::command]
pub async fn run_report_schedule(app: State<'_, Service>, name: String) -> Result<ScheduleRun, ApiError> {
    app.get().await?.run_report_schedule(&name).await
}

#[tauri::command]
pub async fn report_schedule_runs(
    app: State<'_, Service>,
    name: Option<String>,
    limit: u32,
) -> Result<Vec<ScheduleRun>, ApiError> {
    app.get().await?.report_schedule_runs(name, limit).await
}
