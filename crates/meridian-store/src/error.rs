use std::path::PathBuf;

/// Everything the store can fail with. Variants carry what a person needs to
/// act on the error; database internals stay in `Database`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("data directory {path} is in use by pid {pid}; close that Meridian first")]
    InUse { path: PathBuf, pid: u32 },

    #[error(
        "the store at {location} was written by a newer Meridian (schema version {found}, this build knows up to \
         {supported}); upgrade Meridian to open it (it will not downgrade your data), or choose another --data-dir"
    )]
    NewerSchema { found: i64, supported: i64, location: String },

    #[error(
        "the store file {path} is damaged ({detail}); restore {data_dir} from a backup, or move {data_dir}/pglite \
         and {data_dir}/store-initialized aside to start with an empty store"
    )]
    Damaged { path: PathBuf, data_dir: PathBuf, detail: String },

    #[error("the disk holding {path} is full ({detail}); free space there and try again")]
    DiskFull { path: PathBuf, detail: String },

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

    /// The file vault has no key yet: the message says how to give one.
    #[error("secret vault: {0}")]
    VaultLocked(String),

    #[error("configuration: {0}")]
    Config(String),

    #[error("cannot encode {what}: {detail}")]
    Encode { what: &'static str, detail: String },
}

impl StoreError {
    /// Whether the store failed for want of disk space. PGlite reports a
    /// full disk as `could not extend file ...: I/O error` with the hint
    /// "Check free disk space."; PostgreSQL says "No space left on device".
    pub fn is_disk_full(&self) -> bool {
        match self {
            Self::DiskFull { .. } => true,
            Self::Database(sqlx::Error::Database(d)) => {
                let hint = d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().and_then(|p| p.hint()).unwrap_or("");
                let m = d.message();
                m.contains("No space left") || m.contains("could not extend file") || hint.contains("disk space")
            }
            other => other.to_string().contains("No space left on device"),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}
