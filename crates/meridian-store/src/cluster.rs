//! PostgreSQL LISTEN/NOTIFY, which carries core events between every
//! process on one database (server replicas, a headless monitor, a desktop
//! pointed at it). Only an external PostgreSQL has it: the embedded store
//! serves one process.

use sqlx::postgres::PgListener;

use crate::db::Db;
use crate::error::StoreError;
use crate::store::Store;

/// The channel core events travel on.
pub const EVENTS_CHANNEL: &str = "meridian_events";
/// PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.
pub const MAX_NOTIFY_PAYLOAD: usize = 7999;

impl Store {
    /// Sends `payload` to every listener of `channel` (at commit, inside a
    /// transaction scope).
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), StoreError> {
        if payload.len() > MAX_NOTIFY_PAYLOAD {
            return Err(StoreError::Config(format!(
                "a NOTIFY payload is at most {MAX_NOTIFY_PAYLOAD} bytes, this one {}",
                payload.len()
            )));
        }
        sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(&mut *self.conn().await?).await?;
        Ok(())
    }

    /// A dedicated connection listening on `channel`. After a lost
    /// connection its next `recv` reconnects (what was sent meanwhile is lost).
    pub async fn listen(&self, channel: &str) -> Result<Listener, StoreError> {
        let Db::Pool(pool) = &self.db else {
            return Err(StoreError::Config("LISTEN/NOTIFY needs an external PostgreSQL".into()));
        };
        let mut l = PgListener::connect_with(pool).await?;
        l.listen(channel).await?;
        Ok(Listener(l))
    }
}

/// A LISTENing connection.
pub struct Listener(PgListener);

impl Listener {
    /// The next notification's payload.
    pub async fn recv(&mut self) -> Result<String, StoreError> {
        Ok(self.0.recv().await?.payload().to_owned())
    }
}
