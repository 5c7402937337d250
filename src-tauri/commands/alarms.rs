//! One alarm's detail and its comment thread: each command is one call into
//! `meridian_service::App`.

use meridian_service::{Alarm, AlarmComment, ApiError, TimelineEntry};
use tauri::State;

use crate::service::Service;

/// The alarm and its comments, oldest first.
#[tauri::command]
pub async fn show_alarm(app: State<'_, Service>, id: String) -> Result<(Alarm, Vec<AlarmComment>), ApiError> {
    app.get().await?.show_alarm(&id).await
}

#[tauri::command]
pub async fn comment_alarm(app: State<'_, Service>, id: String, text: String) -> Result<AlarmComment, ApiError> {
    app.get().await?.comment_alarm(&id, &text).await
}

/// The alarm's life, oldest first.
#[tauri::command]
pub async fn alarm_timeline(app: State<'_, Service>, id: String) -> Result<Vec<TimelineEntry>, ApiError> {
    app.get().await?.alarm_timeline(&id).await
}
