//! Alarm rules: each command is one call into `meridian_service::App`.

use meridian_service::{ApiError, PreviewHit, Rule, RuleView};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn list_rules(app: State<'_, Service>) -> Result<Vec<RuleView>, ApiError> {
    app.get().await?.list_rules().await
}

/// Adds the rule, or replaces the one with its name; field errors refuse it.
#[tauri::command]
pub async fn put_rule(app: State<'_, Service>, rule: Rule) -> Result<RuleView, ApiError> {
    app.get().await?.put_rule(rule).await
}

#[tauri::command]
pub async fn remove_rule(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_rule(&key).await
}

/// A TOML rules file: checked whole, written only when `dry_run` is false.
#[tauri::command]
pub async fn import_rules(app: State<'_, Service>, text: String, dry_run: bool) -> Result<Vec<String>, ApiError> {
    app.get().await?.import_rules(&text, dry_run).await
}

#[tauri::command]
pub async fn export_rules(app: State<'_, Service>) -> Result<String, ApiError> {
    app.get().await?.export_rules().await
}

/// Which devices a draft rule would fire on now (newest samples); field errors refuse it.
#[tauri::command]
pub async fn preview_rule(app: State<'_, Service>, rule: Rule) -> Result<Vec<PreviewHit>, ApiError> {
    app.get().await?.preview_rule(rule).await
}
