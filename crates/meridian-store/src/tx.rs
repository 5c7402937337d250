//! Transaction scopes. [`Store::atomically`] runs a future with every store
//! call that the same task makes on this store going to one connection
//! inside one transaction, committed when the future returns `Ok` and rolled
//! back otherwise (or when it is dropped half way). Repositories need no
//! change: `Store::conn` hands out the scope's connection, and their own
//! `begin()` becomes a savepoint in it. This is how a change and its audit
//! row land together or not at all.
//!
//! Work spawned onto another task inside a scope is outside it; on the
//! embedded store it would wait for the one connection until the scope
//! ends, so a scope must never await such work.

use std::future::Future;
use std::sync::Arc;

use sqlx::postgres::PgTransactionManager;
use sqlx::TransactionManager;
use tokio::sync::Mutex;

use crate::db::{Conn, Owned};
use crate::error::StoreError;
use crate::store::Store;

#[derive(Clone)]
struct Scope {
    /// Which store's database (`Db::key`) the transaction is on.
    key: usize,
    conn: Arc<Mutex<Owned>>,
}

tokio::task_local! {
    static SCOPE: Scope;
}

/// The current task's transaction connection on the database `key`, if any.
pub(crate) async fn current<'a>(key: usize) -> Option<Conn<'a>> {
    let conn = SCOPE.try_with(|s| (s.key == key).then(|| s.conn.clone())).ok().flatten()?;
    Some(Conn::Tx(conn.lock_owned().await))
}

/// Rolls back a transaction whose scope was dropped before it finished.
struct Open(Option<Arc<Mutex<Owned>>>);

impl Drop for Open {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            if let Ok(mut g) = conn.try_lock() {
                // Queued; sent before the connection's next statement.
                PgTransactionManager::start_rollback(g.conn());
            }
        }
    }
}

impl Store {
    /// Runs `f` in one transaction (see the module notes). Inside a scope
    /// of the same store it joins the outer transaction.
    pub async fn atomically<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        E: From<StoreError>,
    {
        let key = self.db.key();
        if SCOPE.try_with(|s| s.key == key).unwrap_or(false) {
            return f.await;
        }
        let mut owned = self.db.acquire_owned().await?;
        PgTransactionManager::begin(owned.conn(), None).await.map_err(StoreError::from)?;
        let conn = Arc::new(Mutex::new(owned));
        let mut open = Open(Some(conn.clone()));
        let out = SCOPE.scope(Scope { key, conn: conn.clone() }, f).await;
        // Every guard handed out inside the scope is gone with it.
        let mut g = conn.lock().await;
        open.0 = None;
        match out {
            Ok(v) => {
                PgTransactionManager::commit(g.conn()).await.map_err(StoreError::from)?;
                Ok(v)
            }
            Err(e) => {
                if let Err(r) = PgTransactionManager::rollback(g.conn()).await {
                    tracing::warn!(error = %r, "rollback failed");
                }
                Err(e)
            }
        }
    }
}
