//! Where an app and a bare store of the same database open from: the
//! embedded store in a temp directory, or a fresh native PostgreSQL database.

use meridian_service::{App, AppConfig};
use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;
use tempfile::TempDir;

pub struct Backend {
    pub dir: TempDir,
    pub url: Option<String>,
}

impl Backend {
    pub fn new(native: bool) -> Self {
        let url = native.then(|| NativePostgres::shared().expect("native PostgreSQL").fresh_database().expect("db"));
        Self { dir: tempfile::tempdir().expect("tempdir"), url }
    }

    pub async fn app(&self) -> App {
        let mut cfg = AppConfig::with_data_dir(self.dir.path().to_path_buf());
        cfg.database_url = self.url.clone();
        cfg.vault = Some("file".into());
        cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
        App::open(cfg).await.expect("open app")
    }

    /// The store alone (the embedded one only while no app holds it).
    pub async fn store(&self) -> Store {
        let cfg = match &self.url {
            Some(u) => StoreConfig::external(self.dir.path(), u),
            None => StoreConfig::embedded(self.dir.path()),
        };
        Store::open(cfg).await.expect("open store")
    }
}
