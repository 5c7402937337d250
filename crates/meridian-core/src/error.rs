use serde::Serialize;
use ts_rs::TS;

/// One rejected field of a request, named as the request names it, so a form
/// can put the message next to the right input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// The one error type of the domain crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// The request broke one or more field rules. Never empty.
    #[error("{}", summary(.0))]
    Validation(Vec<FieldError>),
    /// The request is well formed but the record's state forbids it, e.g.
    /// acknowledging an alarm someone already acknowledged. A UI reloads.
    #[error("{0}")]
    Conflict(String),
    /// The caller's role or sites do not allow the request (`access::require`).
    #[error("{0}")]
    Forbidden(String),
}

impl CoreError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Validation(f) => f,
            Self::Conflict(_) | Self::Forbidden(_) => &[],
        }
    }
}

fn summary(fields: &[FieldError]) -> String {
    fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
}
