//! Inventory and credential commands for the desktop forms. Secrets only ever
//! travel inwards: no command here returns a community or pass phrase.

use meridian_service::{
    ApiError, App, CredentialSummary, Device, DevicePatch, Site, SiteInput, SnmpVersion, UsmInput, VaultInfo,
};
use tauri::State;

#[tauri::command]
pub async fn update_device(app: State<'_, App>, key: String, patch: DevicePatch) -> Result<Device, ApiError> {
    app.update_device(&key, patch).await
}

#[tauri::command]
pub async fn add_site(app: State<'_, App>, input: SiteInput) -> Result<Site, ApiError> {
    app.add_site(input).await
}

#[tauri::command]
pub async fn update_site(app: State<'_, App>, key: String, input: SiteInput) -> Result<Site, ApiError> {
    app.update_site(&key, input).await
}

#[tauri::command]
pub async fn remove_site(app: State<'_, App>, key: String) -> Result<Site, ApiError> {
    app.remove_site(&key).await
}

#[tauri::command]
pub async fn list_credentials(app: State<'_, App>) -> Result<Vec<CredentialSummary>, ApiError> {
    app.list_credentials().await
}

#[tauri::command]
pub async fn add_community_credential(
    app: State<'_, App>,
    name: String,
    version: SnmpVersion,
    community: String,
) -> Result<CredentialSummary, ApiError> {
    app.add_community_credential(&name, version, &community).await
}

#[tauri::command]
pub async fn add_usm_credential(app: State<'_, App>, input: UsmInput) -> Result<CredentialSummary, ApiError> {
    app.add_usm_credential(input).await
}

#[tauri::command]
pub async fn remove_credential(app: State<'_, App>, key: String) -> Result<CredentialSummary, ApiError> {
    app.remove_credential(&key).await
}

#[tauri::command]
pub fn credential_backend(app: State<'_, App>) -> VaultInfo {
    app.credential_backend()
}
