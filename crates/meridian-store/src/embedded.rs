//! The embedded PGlite server.
//!
//! PGlite has no authentication, so it is served only on a Unix socket in a
//! 0700 directory inside the data directory: no other local user can reach it,
//! which a loopback TCP port could not promise. Full durability stays on.

use std::path::{Path, PathBuf};

use pglite_oxide::PgliteServer;
use sqlx::postgres::PgConnectOptions;

use crate::error::StoreError;

/// sqlx cannot parse the socket URL pglite-oxide prints (`EmptyHost`), so the
/// connect options are built by hand; the file must be named `.s.PGSQL.<port>`.
const SOCKET_PORT: u16 = 5432;

/// Longest Unix socket path on Linux (`sun_path` is 108 bytes with the NUL).
const SUN_PATH_MAX: usize = 107;

/// PostgreSQL settings for the embedded backend, applied after
/// pglite-oxide's own defaults (which start it with `shared_buffers=128MB`).
///
/// PGlite's shared memory lives in its WASM linear memory, which is resident
/// as a whole and never shrinks: 128 MB of buffers made up most of the
/// monitor's RSS (measured in docs/PERFORMANCE.md, "Engine alone"). A
/// desktop store's working set (recent samples, the inventory) fits in far
/// less, and the host's page cache still holds what the pool evicts.
/// `maintenance_work_mem` caps what an index build or VACUUM can add to that
/// memory for good (PostgreSQL's default is 64 MB).
const POSTGRES_SETTINGS: &[(&str, &str)] = &[("shared_buffers", "16MB"), ("maintenance_work_mem", "16MB")];

pub(crate) struct Embedded {
    server: Option<PgliteServer>,
    socket_dir: PathBuf,
}

impl Embedded {
    /// Blocking: installs the runtime on first use and starts the backend.
    /// Call from `spawn_blocking`.
    pub(crate) fn start(data_dir: &Path) -> Result<Self, StoreError> {
        let root = data_dir.join("pglite");
        let socket_dir = data_dir.join("run");
        make_private_dir(&socket_dir)?;
        let socket = socket_dir.join(format!(".s.PGSQL.{SOCKET_PORT}"));
        if socket.as_os_str().len() > SUN_PATH_MAX {
            return Err(StoreError::Config(format!(
                "data directory path is too long for a Unix socket ({} > {SUN_PATH_MAX} bytes); choose a shorter --data-dir",
                socket.as_os_str().len()
            )));
        }
        crate::overlay::repair_runtime_manifest(&root.join("tmp/pglite"))?;
        let copied = crate::overlay::materialize(&crate::damage::pgdata(data_dir))?;
        if copied > 0 {
            tracing::info!(files = copied, "copied the store's remaining template files into the data directory");
        }
        let server = PgliteServer::builder()
            .path(&root)
            .unix(&socket)
            .postgres_configs(POSTGRES_SETTINGS.iter().copied())
            .start()
            .map_err(|e| StoreError::Embedded(format!("{e:#}")))?;
        tracing::info!(root = %root.display(), "embedded PGlite started");
        Ok(Self { server: Some(server), socket_dir })
    }

    pub(crate) fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new().socket(&self.socket_dir).port(SOCKET_PORT).username("postgres").database("template1")
    }

    /// Blocking. Clients must be closed first: the proxy serves one client at
    /// a time and would otherwise wait for it.
    pub(crate) fn shutdown(&mut self) -> Result<(), StoreError> {
        match self.server.take() {
            Some(s) => s.shutdown().map_err(|e| StoreError::Embedded(format!("shutdown: {e:#}"))),
            None => Ok(()),
        }
    }
}

pub(crate) fn make_private_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| StoreError::io(dir, e))?;
    }
    Ok(())
}
