//! Shared by the store tests that run on both real backends: embedded PGlite
//! and a native PostgreSQL from meridian-testkit (one fresh database each).
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Pglite,
    Native,
}

pub const BOTH: [Kind; 2] = [Kind::Pglite, Kind::Native];

/// A fresh store of `kind`, its config (to reopen it) and the directory it lives in.
pub async fn open_with_config(kind: Kind) -> (Store, StoreConfig, TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = match kind {
        Kind::Pglite => StoreConfig::embedded(dir.path()),
        Kind::Native => {
            let pg = NativePostgres::shared().expect("native PostgreSQL");
            StoreConfig::external(dir.path(), pg.fresh_database().expect("database"))
        }
    };
    let store = Store::open(cfg.clone()).await.unwrap_or_else(|e| panic!("{kind:?}: open: {e}"));
    (store, cfg, dir)
}

pub async fn open(kind: Kind) -> (Store, TempDir) {
    let (store, _, dir) = open_with_config(kind).await;
    (store, dir)
}
