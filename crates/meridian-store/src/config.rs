use std::path::PathBuf;

use crate::error::StoreError;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// PGlite under `<data_dir>/pglite`, served on `<data_dir>/run/.s.PGSQL.5432`.
    Embedded,
    /// A real PostgreSQL. The URL may carry a password, so it is never logged
    /// or shown whole (see [`crate::DbInfo`]).
    External { url: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// Holds the embedded database, the lock file and the vault file. With an
    /// external database it still holds the vault and lock.
    pub data_dir: PathBuf,
    pub backend: Backend,
}

impl StoreConfig {
    pub fn embedded(data_dir: impl Into<PathBuf>) -> Self {
        Self { data_dir: data_dir.into(), backend: Backend::Embedded }
    }

    pub fn external(data_dir: impl Into<PathBuf>, url: impl Into<String>) -> Self {
        Self { data_dir: data_dir.into(), backend: Backend::External { url: url.into() } }
    }
}

/// The platform data directory: `~/.local/share/meridian` on Linux,
/// `~/Library/Application Support/net.meridian.Meridian` on macOS,
/// `%APPDATA%\meridian\Meridian\data` on Windows.
pub fn default_data_dir() -> Result<PathBuf, StoreError> {
    directories::ProjectDirs::from("net", "meridian", "Meridian")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| StoreError::Config("no home directory: pass --data-dir or set MERIDIAN_DATA_DIR".into()))
}
