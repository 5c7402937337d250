use std::path::PathBuf;

use meridian_store::{default_data_dir, StoreConfig};

use crate::error::{ApiError, ApiErrorKind};

/// How to open the app. Precedence: explicit values (CLI flags) over
/// environment variables over platform defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    /// `MERIDIAN_DATABASE_URL`: use this PostgreSQL instead of embedded PGlite.
    pub database_url: Option<String>,
    /// `MERIDIAN_VAULT`: force `keyring` or `file`.
    pub vault: Option<String>,
    /// Who the audit log names for changes made through this app.
    pub actor: String,
}

impl AppConfig {
    /// Environment and defaults. `MERIDIAN_DATA_DIR` moves the data directory.
    pub fn from_env() -> Result<Self, ApiError> {
        let data_dir = match non_empty_env("MERIDIAN_DATA_DIR") {
            Some(d) => PathBuf::from(d),
            None => default_data_dir().map_err(|e| ApiError::new(ApiErrorKind::Validation, e.to_string()))?,
        };
        Ok(Self::with_data_dir(data_dir))
    }

    /// `data_dir` as given, the rest from the environment.
    pub fn with_data_dir(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            database_url: non_empty_env("MERIDIAN_DATABASE_URL"),
            vault: non_empty_env("MERIDIAN_VAULT"),
            actor: non_empty_env("USER").or_else(|| non_empty_env("USERNAME")).unwrap_or_else(|| "local".into()),
        }
    }

    pub(crate) fn store_config(&self) -> StoreConfig {
        match &self.database_url {
            Some(url) => StoreConfig::external(&self.data_dir, url),
            None => StoreConfig::embedded(&self.data_dir),
        }
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}
