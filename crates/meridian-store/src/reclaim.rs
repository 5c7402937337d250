//! Giving purged tables' space back: `VACUUM` after retention deleted rows
//! (when, is `meridian_core::reclaim`; why, too: PGlite has no autovacuum).

use sqlx::Executor;

use crate::error::StoreError;
use crate::store::Store;

/// The tables retention purges, by what purges them. Raw samples are not
/// here: their retention drops whole daily partitions, which frees the
/// space at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reclaimable {
    /// The 5-minute, 1-hour and 1-day tiers and their availability rows.
    Rollups,
    SyslogMessages,
    TrapEvents,
}

impl Reclaimable {
    fn vacuum(self) -> &'static str {
        match self {
            Self::Rollups => "VACUUM rollup_5m, rollup_1h, rollup_1d, state_rollups",
            Self::SyslogMessages => "VACUUM syslog_messages",
            Self::TrapEvents => "VACUUM trap_events",
        }
    }
}

impl Store {
    /// Marks the space of deleted rows free for new ones (not returned to
    /// the filesystem: the table stops growing rather than shrinking).
    /// Takes the connection for one scan of the tables' changed pages and,
    /// when enough rows went, of their indexes; the embedded store's writer
    /// waits meanwhile, so callers keep to `Reclaim`'s cadence.
    pub async fn reclaim(&self, what: Reclaimable) -> Result<(), StoreError> {
        // A bare string with no arguments goes over the simple protocol:
        // VACUUM cannot run in the implicit transaction a prepared
        // statement may get.
        let mut conn = self.conn().await?;
        (&mut *conn).execute(what.vacuum()).await?;
        tracing::debug!(?what, "purged space reclaimed");
        Ok(())
    }
}
