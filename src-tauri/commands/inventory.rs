//! Inventory and credential commands for the desktop forms. Secrets only ever
//! travel inwards: no command here returns a community or pass phrase.

use meridian_service::{
    ApiError, CredentialPatch, CredentialSummary, CredentialTest, Device, DeviceKey, DevicePatch, ExportRequest,
    ImportReport, SecretInput, Site, SiteInput, SnmpVersion, UsmInput, VaultInfo, VaultStatus,
};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn update_device(app: State<'_, Service>, key: DeviceKey, patch: DevicePatch) -> Result<Device, ApiError> {
    app.get().await?.update_device(&key, patch).await
}

#[tauri::command]
pub async fn add_site(app: State<'_, Service>, input: SiteInput) -> Result<Site, ApiError> {
    app.get().await?.add_site(input).await
}

#[tauri::command]
pub async fn update_site(app: State<'_, Service>, key: String, input: SiteInput) -> Result<Site, ApiError> {
    app.get().await?.update_site(&key, input).await
}

#[tauri::command]
pub async fn remove_site(app: State<'_, Service>, key: String) -> Result<Site, ApiError> {
    app.get().await?.remove_site(&key).await
}

/// The UI reads the file (a string is UTF-8 by construction); the encoding
/// check matters for the CLI, which passes raw bytes.
#[tauri::command]
pub async fn import_devices(app: State<'_, Service>, csv: String, dry_run: bool) -> Result<ImportReport, ApiError> {
    app.get().await?.import_devices(csv.as_bytes(), dry_run).await
}

#[tauri::command]
pub async fn export_data(app: State<'_, Service>, request: ExportRequest) -> Result<String, ApiError> {
    app.get().await?.export(request).await
}

#[tauri::command]
pub async fn list_credentials(app: State<'_, Service>) -> Result<Vec<CredentialSummary>, ApiError> {
    app.get().await?.list_credentials().await
}

#[tauri::command]
pub async fn add_community_credential(
    app: State<'_, Service>,
    name: String,
    version: SnmpVersion,
    community: String,
) -> Result<CredentialSummary, ApiError> {
    app.get().await?.add_community_credential(&name, version, &community).await
}

#[tauri::command]
pub async fn add_usm_credential(app: State<'_, Service>, input: UsmInput) -> Result<CredentialSummary, ApiError> {
    app.get().await?.add_usm_credential(input).await
}

#[tauri::command]
pub async fn remove_credential(app: State<'_, Service>, key: String) -> Result<CredentialSummary, ApiError> {
    app.get().await?.remove_credential(&key).await
}

#[tauri::command]
pub async fn update_credential(
    app: State<'_, Service>,
    key: String,
    patch: CredentialPatch,
) -> Result<CredentialSummary, ApiError> {
    app.get().await?.update_credential(&key, patch).await
}

#[tauri::command]
pub async fn rotate_credential(
    app: State<'_, Service>,
    key: String,
    secret: SecretInput,
) -> Result<CredentialSummary, ApiError> {
    app.get().await?.rotate_credential(&key, secret).await
}

#[tauri::command]
pub async fn test_credential(
    app: State<'_, Service>,
    key: String,
    device: DeviceKey,
) -> Result<CredentialTest, ApiError> {
    app.get().await?.test_credential(&key, &device).await
}

#[tauri::command]
pub async fn credential_backend(app: State<'_, Service>) -> Result<VaultInfo, ApiError> {
    Ok(app.get().await?.credential_backend())
}

#[tauri::command]
pub async fn vault_status(app: State<'_, Service>) -> Result<VaultStatus, ApiError> {
    app.get().await?.vault_status().await
}

#[tauri::command]
pub async fn unlock_vault(app: State<'_, Service>, passphrase: String) -> Result<VaultStatus, ApiError> {
    app.get().await?.unlock_vault(passphrase).await
}
