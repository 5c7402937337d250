use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Row};

use crate::config::{Backend, StoreConfig};
use crate::damage;
use crate::db::{Conn, Db};
use crate::embedded::{make_private_dir, Embedded};
use crate::error::StoreError;
use crate::lock::DataDirLock;

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// An open store. Field order matters: the connection must drop before the
/// embedded server, whose shutdown waits for its client to hang up.
pub struct Store {
    pub(crate) db: Db,
    embedded: Mutex<Option<Embedded>>,
    backend: Backend,
    data_dir: PathBuf,
    // Released by `close`, so the same process may reopen the directory.
    lock: Mutex<Option<DataDirLock>>,
}

/// What `meridian db info` prints.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DbInfo {
    pub backend: String,
    /// The data directory, or the URL without its password.
    pub location: String,
    pub schema_version: i64,
    pub size_bytes: i64,
    pub server_version: String,
}

impl Store {
    /// Opens (creating if needed) the store and brings its schema up to date.
    /// Refuses a data directory another process holds, and a schema newer
    /// than this build, before changing anything.
    pub async fn open(cfg: StoreConfig) -> Result<Self, StoreError> {
        make_private_dir(&cfg.data_dir)?;
        // The lock guards PGlite's files. With an external PostgreSQL the
        // directory holds no database, so server replicas may share it.
        let lock = match cfg.backend {
            Backend::Embedded => Some(DataDirLock::acquire(&cfg.data_dir)?),
            Backend::External { .. } => None,
        };
        let (pool, embedded) = match &cfg.backend {
            Backend::Embedded => {
                let dir = cfg.data_dir.clone();
                let emb = tokio::task::spawn_blocking(move || Embedded::start(&dir))
                    .await
                    .map_err(|e| StoreError::Embedded(format!("start task: {e}")))?
                    .map_err(|e| damage::classify(&cfg.data_dir, e))?;
                match emb.connect_options().connect().await {
                    Ok(c) => (Db::Single(std::sync::Arc::new(tokio::sync::Mutex::new(Some(c)))), Some(emb)),
                    Err(e) => {
                        stop_blocking(emb).await;
                        return Err(damage::classify(&cfg.data_dir, e.into()));
                    }
                }
            }
            Backend::External { url } => {
                let opts: PgConnectOptions =
                    url.parse().map_err(|e| StoreError::Config(format!("MERIDIAN_DATABASE_URL: {e}")))?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await?;
                (Db::Pool(pool), None)
            }
        };
        let store = Self {
            db: pool,
            embedded: Mutex::new(embedded),
            backend: cfg.backend,
            data_dir: cfg.data_dir,
            lock: Mutex::new(lock),
        };
        if let Err(e) = store.migrate().await {
            store.close().await;
            return Err(if store.is_embedded() { damage::classify(&store.data_dir, e) } else { e });
        }
        // A fresh store's first day gets its partition before the first
        // sample; the rollup job keeps days ahead from then on. Not fatal:
        // without it samples go to the DEFAULT partition.
        if let Err(e) = store.ensure_sample_partitions(chrono::Utc::now()).await {
            tracing::warn!(error = %e, "creating sample partitions");
        }
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let supported = supported_schema_version();
        let found = self.schema_version().await?;
        if self.is_embedded() {
            damage::check_marker(&self.data_dir, found)?;
        }
        if found > supported {
            return Err(StoreError::NewerSchema { found, supported, location: self.location() });
        }
        MIGRATOR.run(&mut *self.conn().await?).await?;
        if self.is_embedded() {
            damage::check_marker(&self.data_dir, supported)?;
        }
        tracing::info!(from = found, to = supported, "schema up to date");
        Ok(())
    }

    /// Highest applied migration, 0 for an empty database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        if !exists {
            return Ok(0);
        }
        let v: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// The embedded store's directory, or the URL without its password.
    pub fn location(&self) -> String {
        match &self.backend {
            Backend::Embedded => self.data_dir.join("pglite").display().to_string(),
            Backend::External { url } => redact_url(url),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn is_embedded(&self) -> bool {
        self.backend == Backend::Embedded
    }

    pub async fn info(&self) -> Result<DbInfo, StoreError> {
        let row = sqlx::query("SELECT pg_database_size(current_database()) AS size, version() AS v")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        let backend = match &self.backend {
            Backend::Embedded => "embedded (PGlite)",
            Backend::External { .. } => "postgresql",
        };
        Ok(DbInfo {
            backend: backend.to_owned(),
            location: self.location(),
            schema_version: self.schema_version().await?,
            size_bytes: row.try_get("size")?,
            server_version: row.try_get("v")?,
        })
    }

    /// Bytes the database takes on disk. Not cheap on the embedded store:
    /// PostgreSQL stats every file of the database, and PGlite's WASI layer
    /// turns that into some twenty host `statx` calls per file (about 4,000
    /// for a fresh store), so callers polling it should do so rarely.
    pub async fn size_bytes(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    /// Closes the connection, then stops the embedded server. Idempotent.
    pub async fn close(&self) {
        self.db.close().await;
        let emb = self.embedded.lock().map(|mut g| g.take()).unwrap_or(None);
        if let Some(emb) = emb {
            stop_blocking(emb).await;
        }
        drop(self.lock.lock().map(|mut g| g.take()));
    }

    /// A connection, held until the guard drops. For the store's own
    /// repositories, and for tests and benchmarks that need raw SQL.
    pub async fn conn(&self) -> Result<Conn<'_>, StoreError> {
        self.db.acquire().await
    }
}

pub fn supported_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

async fn stop_blocking(mut emb: Embedded) {
    match tokio::task::spawn_blocking(move || emb.shutdown()).await {
        Ok(Ok(())) => tracing::info!("embedded PGlite stopped"),
        Ok(Err(e)) => tracing::warn!(error = %e, "embedded PGlite shutdown"),
        Err(e) => tracing::warn!(error = %e, "embedded PGlite shutdown task"),
    }
}

/// `postgres://user@host:port/db` — never the password.
fn redact_url(url: &str) -> String {
    match url.parse::<PgConnectOptions>() {
        Ok(o) => format!(
            "postgres://{}@{}:{}/{}",
            o.get_username(),
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or("")
        ),
        Err(_) => "<unparseable URL>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::Store;
    use crate::config::StoreConfig;

    /// The embedded store starts with this crate's PostgreSQL settings, not
    /// pglite-oxide's defaults, and reports its size either way it is asked.
    #[tokio::test(flavor = "multi_thread")]
    async fn embedded_store_uses_the_small_buffer_pool_and_reports_its_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(StoreConfig::embedded(dir.path().join("data"))).await.expect("open");
        assert_eq!(setting(&store, "shared_buffers").await, "16MB");
        assert_eq!(setting(&store, "maintenance_work_mem").await, "16MB");
        let size = store.size_bytes().await.expect("size");
        assert!(size > 1_000_000, "a migrated database takes megabytes, got {size} bytes");
        assert_eq!(store.info().await.expect("info").size_bytes, size);
        store.close().await;
    }

    async fn setting(store: &Store, name: &str) -> String {
        sqlx::query_scalar("SELECT current_setting($1)")
            .bind(name)
            .fetch_one(&mut *store.conn().await.expect("conn"))
            .await
            .expect(name)
    }

    #[test]
    fn redacts_password() {
        let r = super::redact_url("postgres://meridian:hunter22@db.example:5433/nms");
        assert!(!r.contains("hunter22"));
        assert!(r.contains("db.example:5433/nms"));
    }
}
