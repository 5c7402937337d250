use meridian_core::{CoreError, FieldError};
use meridian_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What a front end can switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorKind {
    /// The request is wrong; `fields` says which inputs and why.
    Validation,
    NotFound,
    /// The record changed or is still referenced; reload and retry.
    Conflict,
    /// Another process holds the data directory.
    InUse,
    /// The store's schema is newer than this build.
    Schema,
    Store,
    Vault,
    /// A peer did not answer or answered wrongly (timeouts, agent errors).
    Network,
    /// The OS refused (e.g. ICMP sockets); `detail` names the fix.
    Permission,
    Internal,
}

/// The error every use case returns, serialised as `{kind, detail, fields}`.
/// `detail` is one line a person can read; `fields` is empty unless `kind`
/// is `validation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{detail}")]
pub struct ApiError {
    pub kind: ApiErrorKind,
    pub detail: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(kind: ApiErrorKind, detail: impl Into<String>) -> Self {
        Self { kind, detail: detail.into(), fields: Vec::new() }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        CoreError::field(field, message).into()
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        let kind = match e {
            CoreError::Validation(_) => ApiErrorKind::Validation,
            CoreError::Conflict(_) => ApiErrorKind::Conflict,
        };
        Self { kind, detail: e.to_string(), fields: e.fields().to_vec() }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let kind = match &e {
            StoreError::Duplicate { field, what, value } => {
                return Self::field(field, format!("{what} '{value}' already exists"));
            }
            StoreError::NotFound { .. } => ApiErrorKind::NotFound,
            StoreError::Referenced(_) => ApiErrorKind::Conflict,
            StoreError::InUse { .. } => ApiErrorKind::InUse,
            StoreError::NewerSchema { .. } => ApiErrorKind::Schema,
            StoreError::Vault(_) => ApiErrorKind::Vault,
            StoreError::Config(_) => ApiErrorKind::Validation,
            StoreError::Io { .. } | StoreError::Embedded(_) | StoreError::Database(_) | StoreError::Migrate(_) => {
                ApiErrorKind::Store
            }
        };
        Self::new(kind, e.to_string())
    }
}

/// A device write naming a site or credential that does not exist is the
/// caller's mistake in that field, not a missing device.
pub(crate) fn reference_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound { what: what @ ("site" | "credential"), key } => {
            ApiError::field(what, format!("{what} '{key}' does not exist"))
        }
        other => other.into(),
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::new(ApiErrorKind::Internal, format!("background task failed: {e}"))
    }
}
