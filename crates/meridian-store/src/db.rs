//! The connection layer. PGlite is one backend process, so the embedded
//! store holds exactly one `PgConnection` behind an async mutex: access is
//! serialised, and shutdown closes that connection explicitly before the
//! server stops (the server's shutdown waits for its client to hang up).
//! An external PostgreSQL gets an ordinary pool.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::{Connection, Postgres};
use tokio::sync::{Mutex, MutexGuard, OwnedMutexGuard};

use crate::error::StoreError;

pub(crate) enum Db {
    Pool(PgPool),
    Single(Arc<Mutex<Option<PgConnection>>>),
}

/// A borrowed connection from either kind of [`Db`], or the connection of
/// the transaction the current task runs in (see `Store::atomically`).
pub enum Conn<'a> {
    Pooled(PoolConnection<Postgres>),
    Single(MutexGuard<'a, Option<PgConnection>>),
    Tx(OwnedMutexGuard<Owned>),
}

/// A connection held for the length of a transaction scope.
pub enum Owned {
    Pooled(PoolConnection<Postgres>),
    Single(OwnedMutexGuard<Option<PgConnection>>),
}

impl Owned {
    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        match self {
            Self::Pooled(c) => c,
            // Taken only after `acquire_owned` checked the option is filled.
            Self::Single(g) => g.as_mut().unwrap_or_else(|| unreachable!("checked in acquire_owned")),
        }
    }
}

impl Db {
    /// A connection that outlives this borrow, for a transaction scope.
    pub(crate) async fn acquire_owned(&self) -> Result<Owned, StoreError> {
        match self {
            Self::Pool(p) => Ok(Owned::Pooled(p.acquire().await?)),
            Self::Single(m) => {
                let g = m.clone().lock_owned().await;
                if g.is_none() {
                    return Err(StoreError::Embedded("the store is closed".into()));
                }
                Ok(Owned::Single(g))
            }
        }
    }

    /// Identifies this database within the process, so a transaction scope
    /// of one store is never used by another.
    pub(crate) fn key(&self) -> usize {
        self as *const Self as usize
    }

    pub(crate) async fn acquire(&self) -> Result<Conn<'_>, StoreError> {
        if let Some(c) = crate::tx::current(self.key()).await {
            return Ok(c);
        }
        match self {
            Self::Pool(p) => Ok(Conn::Pooled(p.acquire().await?)),
            Self::Single(m) => {
                let g = m.lock().await;
                if g.is_none() {
                    return Err(StoreError::Embedded("the store is closed".into()));
                }
                Ok(Conn::Single(g))
            }
        }
    }

    pub(crate) async fn close(&self) {
        match self {
            Self::Pool(p) => p.close().await,
            Self::Single(m) => {
                if let Some(mut c) = m.lock().await.take() {
                    // A transaction dropped on an error path leaves its
                    // ROLLBACK queued; one round trip flushes it so the
                    // server is not left answering a client that hung up.
                    let _ = sqlx::query("SELECT 1").execute(&mut c).await;
                    if let Err(e) = c.close().await {
                        tracing::warn!(error = %e, "closing the embedded connection");
                    }
                }
            }
        }
    }
}

impl Deref for Conn<'_> {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        match self {
            Self::Pooled(c) => c,
            // `acquire` checked the option is filled; the guard keeps it so.
            Self::Single(g) => g.as_ref().unwrap_or_else(|| unreachable!("checked in acquire")),
            Self::Tx(g) => match &**g {
                Owned::Pooled(c) => c,
                Owned::Single(g) => g.as_ref().unwrap_or_else(|| unreachable!("checked in acquire_owned")),
            },
        }
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            Self::Pooled(c) => c,
            Self::Single(g) => g.as_mut().unwrap_or_else(|| unreachable!("checked in acquire")),
            Self::Tx(g) => g.conn(),
        }
    }
}
