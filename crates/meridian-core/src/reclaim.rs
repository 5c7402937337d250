//! When a purged table's space is given back (`VACUUM`).
//!
//! A deleted row's space is reused only after a vacuum has recorded it as
//! free. PGlite runs no autovacuum, so without this a table that retention
//! purges still grows by every row ever written (measured in
//! `history_size`: a 21-day 5-minute tier as large as a 90-day one). On
//! PostgreSQL autovacuum would get there on its own; vacuuming there too
//! keeps one behaviour and makes the bound hold on both.
//!
//! Vacuum cost follows the table's size, not the rows freed, so it runs at
//! most once per `every` and only after a purge removed something. The
//! first purge after a start is reclaimed at once: a desktop that is closed
//! every evening still gets its vacuum, which a row counter reset by each
//! start would never reach.

use chrono::{DateTime, Duration, Utc};

/// Rows purged since the last vacuum, and when that was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reclaim {
    every: Duration,
    pending: u64,
    last: Option<DateTime<Utc>>,
}

impl Reclaim {
    /// The background jobs' cadence.
    pub fn hourly() -> Self {
        Self::every(Duration::hours(1))
    }

    pub fn every(every: Duration) -> Self {
        Self { every, pending: 0, last: None }
    }

    /// A purge deleted `rows`.
    pub fn purged(&mut self, rows: u64) {
        self.pending = self.pending.saturating_add(rows);
    }

    /// Rows were purged and the last vacuum is at least `every` old.
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.pending > 0 && self.last.is_none_or(|l| now - l >= self.every)
    }

    /// The vacuum succeeded at `now`. A failed one is not recorded, so the
    /// next check asks again.
    pub fn done(&mut self, now: DateTime<Utc>) {
        self.pending = 0;
        self.last = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("time") + Duration::minutes(min)
    }

    #[test]
    fn nothing_purged_is_never_due() {
        let r = Reclaim::hourly();
        assert!(!r.due(t(0)) && !r.due(t(10_000)));
    }

    #[test]
    fn the_first_purge_is_reclaimed_at_once_then_at_most_hourly() {
        let mut r = Reclaim::hourly();
        r.purged(5);
        assert!(r.due(t(0)), "first purge after a start");
        r.done(t(0));
        assert!(!r.due(t(1)), "nothing pending");
        r.purged(3);
        assert!(!r.due(t(59)), "within the hour");
        assert!(r.due(t(60)), "an hour on, the pending rows are reclaimed");
        r.done(t(60));
        assert!(!r.due(t(200)), "done cleared the pending rows");
    }

    #[test]
    fn a_failed_vacuum_leaves_the_rows_pending() {
        let mut r = Reclaim::hourly();
        r.purged(1);
        assert!(r.due(t(0)));
        // No done(): the vacuum failed.
        assert!(r.due(t(1)), "asked again on the next pass");
        r.purged(u64::MAX);
        assert!(r.due(t(2)), "saturates rather than wrapping to zero");
    }
}
