use std::path::PathBuf;

/// Everything the store can fail with. Variants carry what a person needs to
/// act on the error; database internals stay in `Database`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("data directory {path} is in use by pid {pid}; close that Meridian first")]
    InUse { path: PathBuf, pid: u32 },

    #[error(
        "the store was written by a newer Meridian (schema version {found}, this build knows up to {supported}); \
         upgrade Meridian, it will not downgrade your data"
    )]
    NewerSchema { found: i64, supported: i64 },

    #[error("{what} '{value}' already exists")]
    Duplicate { field: &'static str, what: &'static str, value: String },

    #[error("{what} '{key}' not found")]
    NotFound { what: &'static str, key: String },

    #[error("{0}")]
    Referenced(String),

    #[error("data directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("embedded database: {0}")]
    Embedded(String),

    #[error("database: {0}")]
    Database(#[from] sqlx::Error),

    #[error("schema migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("secret vault: {0}")]
    Vault(String),

    #[error("configuration: {0}")]
    Config(String),

    #[error("cannot encode {what}: {detail}")]
    Encode { what: &'static str, detail: String },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}
