//! PostgreSQL LISTEN/NOTIFY, which carries core events between every
//! process on one database (server replicas, a headless monitor, a desktop
//! pointed at it). Only an external PostgreSQL has it: the embedded store
//! serves one process.
//!
//! Events go through the outbox of migration 0026 (`event_outbox`): each is
//! a row with an increasing id, committed in id order, and its NOTIFY carries
//! the id (plus the event when it fits). A listener thus reads back an event
//! too large for NOTIFY, and after a reconnect everything it missed.

use sqlx::postgres::PgListener;
use sqlx::PgPool;

use crate::db::Db;
use crate::error::StoreError;
use crate::store::Store;

/// The channel core events travel on.
pub const EVENTS_CHANNEL: &str = "meridian_events";
/// PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more.
pub const MAX_NOTIFY_PAYLOAD: usize = 7999;
/// How many outbox rows one read returns at most (a catch-up reads pages).
pub const OUTBOX_PAGE: i64 = 1000;

/// One event of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEvent {
    pub id: i64,
    /// Who may see it, as the publisher wrote it (`*`, `-` or a site id).
    pub audience: String,
    pub json: String,
}

/// What a [`Listener`] heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Heard {
    /// A notification's payload: `id\naudience\njson`, or `id` alone for an
    /// event too large to travel whole (read it with [`Store::outbox_after`]).
    Notification(String),
    /// The connection was (re-)established and is LISTENing: whatever was
    /// published while it was down is in the outbox only.
    Connected,
}

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

    /// Writes an event to the outbox and NOTIFYs `channel` of it, in one
    /// transaction (see `event_outbox_publish` in migration 0026). Returns
    /// its id.
    pub async fn publish_event(&self, channel: &str, audience: &str, json: &str) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT event_outbox_publish($1, $2, $3)")
            .bind(channel)
            .bind(audience)
            .bind(json)
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    /// The newest outbox id (0 when it is empty): a listener starting now
    /// begins after it.
    pub async fn last_outbox_id(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM event_outbox")
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    /// The outbox events with `after < id <= upto` (any id above `after`
    /// without `upto`), oldest first, at most [`OUTBOX_PAGE`] of them.
    pub async fn outbox_after(&self, after: i64, upto: Option<i64>) -> Result<Vec<OutboxEvent>, StoreError> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT id, audience, json FROM event_outbox WHERE id > $1 AND ($2::bigint IS NULL OR id <= $2)
             ORDER BY id LIMIT $3",
        )
        .bind(after)
        .bind(upto)
        .bind(OUTBOX_PAGE)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(rows.into_iter().map(|(id, audience, json)| OutboxEvent { id, audience, json }).collect())
    }

    /// A dedicated connection listening on `channel`. Its first `recv` is
    /// [`Heard::Connected`]; after a lost connection the next `recv`s
    /// reconnect and say so again.
    pub async fn listen(&self, channel: &str) -> Result<Listener, StoreError> {
        let Db::Pool(pool) = &self.db else {
            return Err(StoreError::Config("LISTEN/NOTIFY needs an external PostgreSQL".into()));
        };
        let mut l = Listener { pool: pool.clone(), channel: channel.to_owned(), conn: None };
        l.connect().await?;
        Ok(l)
    }
}

/// A LISTENing connection that reports its reconnections.
pub struct Listener {
    pool: PgPool,
    channel: String,
    /// `None` after a lost connection; `Some((l, false))` until the
    /// connection has been reported.
    conn: Option<(PgListener, bool)>,
}

impl Listener {
    async fn connect(&mut self) -> Result<(), StoreError> {
        let mut l = PgListener::connect_with(&self.pool).await?;
        // Reconnect here, not inside sqlx, so the caller learns of it.
        l.eager_reconnect(false);
        l.listen(&self.channel).await?;
        self.conn = Some((l, false));
        Ok(())
    }

    /// The next thing heard. An error means the connection is gone (or
    /// could not be made again); the next call reconnects.
    pub async fn recv(&mut self) -> Result<Heard, StoreError> {
        loop {
            let Some((l, reported)) = &mut self.conn else {
                self.connect().await?;
                continue;
            };
            if !*reported {
                *reported = true;
                return Ok(Heard::Connected);
            }
            match l.try_recv().await {
                Ok(Some(n)) => return Ok(Heard::Notification(n.payload().to_owned())),
                Ok(None) => {
                    self.conn = None;
                    // An error, so the caller pauses before the reconnect.
                    return Err(StoreError::Database(sqlx::Error::Io(std::io::ErrorKind::UnexpectedEof.into())));
                }
                Err(e) => {
                    self.conn = None;
                    return Err(e.into());
                }
            }
        }
    }
}
