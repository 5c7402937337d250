//! The connection layer. PGlite is one backend process, so the embedded
//! store holds exactly one `PgConnection` behind an async mutex: access is
//! serialised, and shutdown closes that connection explicitly before the
//! server stops (the server's shutdown waits for its client to hang up).
//! An external PostgreSQL gets an ordinary pool.

use std::ops::{Deref, DerefMut};

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::{Connection, Postgres};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::StoreError;

pub(crate) enum Db {
    Pool(PgPool),
    Single(Mutex<Option<PgConnection>>),
}

/// A borrowed connection from either kind of [`Db`].
pub enum Conn<'a> {
    Pooled(PoolConnection<Postgres>),
    Single(MutexGuard<'a, Option<PgConnection>>),
}

impl Db {
    pub(crate) async fn acquire(&self) -> Result<Conn<'_>, StoreError> {
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
        }
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            Self::Pooled(c) => c,
            Self::Single(g) => g.as_mut().unwrap_or_else(|| unreachable!("checked in acquire")),
        }
    }
}
