//! The MIB browser: names, search, an object's description and the tree,
//! each one call into `App` (its MIB set is loaded once per process).

use meridian_service::mib::{MibObject, MibReport, MibTranslation, MibTreeNode};
use meridian_service::ApiError;
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn mib_translate(app: State<'_, Service>, query: String) -> Result<MibTranslation, ApiError> {
    app.get().await?.mib_translate(&query)
}

#[tauri::command]
pub async fn mib_search(app: State<'_, Service>, text: String, limit: usize) -> Result<Vec<MibTreeNode>, ApiError> {
    app.get().await?.mib_search(&text, limit)
}

#[tauri::command]
pub async fn mib_show(app: State<'_, Service>, query: String) -> Result<MibObject, ApiError> {
    app.get().await?.mib_show(&query)
}

/// The children of `oid` (numeric or a name); `null` for the top of the tree.
#[tauri::command]
pub async fn mib_children(app: State<'_, Service>, oid: Option<String>) -> Result<Vec<MibTreeNode>, ApiError> {
    app.get().await?.mib_children(oid.as_deref())
}

#[tauri::command]
pub async fn mib_list(app: State<'_, Service>) -> Result<MibReport, ApiError> {
    Ok(app.get().await?.mib_list())
}
