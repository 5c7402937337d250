//! Daily partitions of the raw samples table (migration 0013). Each UTC day
//! has its own partition, `samples_pYYYYMMDD`, created a few days ahead (at
//! open and by every rollup pass), so raw retention drops whole days instead
//! of deleting rows. Rows no daily partition takes (older than the first one,
//! or beyond the ones created if the job stopped) land in `samples_default`.
//!
//! Partition bounds are DDL and cannot be bind parameters; every name and
//! bound here is generated from a date, never taken from input.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use sqlx::PgConnection;

use crate::error::StoreError;
use crate::store::Store;

/// Days created beyond today, so a pass missed or a clock day turning over
/// never sends the day's rows to the DEFAULT partition.
pub const DAYS_AHEAD: i64 = 3;

const PREFIX: &str = "samples_p";
const DEFAULT: &str = "samples_default";

/// SQLSTATEs a creation may meet and shrug off: another Meridian on the same
/// PostgreSQL created it first (duplicate table), or a row for that day
/// reached the DEFAULT partition after we looked (check violation).
const RACES: [&str; 2] = ["42P07", "23514"];

fn name(day: NaiveDate) -> String {
    format!("{PREFIX}{}", day.format("%Y%m%d"))
}

/// The day a daily partition covers, from its name; `None` for any other
/// table (the DEFAULT partition, or one a person added by hand).
fn day_of(table: &str) -> Option<NaiveDate> {
    let digits = table.strip_prefix(PREFIX)?;
    (digits.len() == 8).then_some(())?;
    NaiveDate::parse_from_str(digits, "%Y%m%d").ok()
}

fn start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// Every partition of `samples`, by name.
async fn leaves(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'samples'::regclass ORDER BY 1",
    )
    .fetch_all(conn)
    .await?)
}

impl Store {
    /// The days that have their own partition, oldest first.
    pub async fn sample_partitions(&self) -> Result<Vec<NaiveDate>, StoreError> {
        let mut days: Vec<_> = leaves(&mut *self.conn().await?).await?.iter().filter_map(|t| day_of(t)).collect();
        days.sort();
        Ok(days)
    }

    /// Creates the partitions of `now`'s day and the [`DAYS_AHEAD`] after it
    /// that do not exist yet. A day the DEFAULT partition already holds rows
    /// for is skipped (PostgreSQL refuses the creation then); its rows stay
    /// in the DEFAULT. Returns the days created. Creating one scans the
    /// DEFAULT partition (PostgreSQL checks it holds nothing of the range),
    /// which is empty on a store that never ran without its partitions.
    pub async fn ensure_sample_partitions(&self, now: DateTime<Utc>) -> Result<Vec<NaiveDate>, StoreError> {
        let mut conn = self.conn().await?;
        let have = leaves(&mut conn).await?;
        let mut created = Vec::new();
        for ahead in 0..=DAYS_AHEAD {
            let day = now.date_naive() + Duration::days(ahead);
            let table = name(day);
            if have.contains(&table) {
                continue;
            }
            let (from, to) = (start(day), start(day) + Duration::days(1));
            let held: bool =
                sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE at >= $1 AND at < $2)"))
                    .bind(from)
                    .bind(to)
                    .fetch_one(&mut *conn)
                    .await?;
            if held {
                tracing::debug!(%day, "samples of this day are in the DEFAULT partition; no partition for it");
                continue;
            }
            let ddl = format!(
                "CREATE TABLE IF NOT EXISTS {table} PARTITION OF samples FOR VALUES FROM ('{}') TO ('{}')",
                from.format("%Y-%m-%d %H:%M:%S+00"),
                to.format("%Y-%m-%d %H:%M:%S+00"),
            );
            match sqlx::query(&ddl).execute(&mut *conn).await {
                Ok(_) => created.push(day),
                Err(sqlx::Error::Database(e)) if e.code().is_some_and(|c| RACES.contains(&c.as_ref())) => {
                    tracing::debug!(%day, error = %e, "partition not created");
                }
                Err(e) => return Err(e.into()),
            }
        }
        if !created.is_empty() {
            tracing::info!(?created, "sample partitions created");
        }
        Ok(created)
    }
}

/// Drops every daily partition that ends at or before `before`: raw
/// retention's whole days, gone without touching a row. Returns their days.
pub(crate) async fn drop_before(conn: &mut PgConnection, before: DateTime<Utc>) -> Result<Vec<NaiveDate>, StoreError> {
    let mut dropped = Vec::new();
    for table in leaves(conn).await? {
        let Some(day) = day_of(&table) else { continue };
        if start(day) + Duration::days(1) <= before {
            sqlx::query(&format!("DROP TABLE IF EXISTS {table}")).execute(&mut *conn).await?;
            dropped.push(day);
        }
    }
    if !dropped.is_empty() {
        tracing::info!(?dropped, "raw sample partitions past retention dropped");
    }
    Ok(dropped)
}

/// Deletes at most `limit` samples older than `before` from the partitions
/// that may still hold some (the DEFAULT and days starting before `before`),
/// leaf by leaf: `ctid` names a row only within one table. Returns rows
/// deleted; fewer than `limit` means none are left.
pub(crate) async fn delete_before(
    conn: &mut PgConnection,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<u64, StoreError> {
    let mut left = limit.max(1);
    let mut deleted = 0;
    for table in leaves(conn).await? {
        let holds_older = match day_of(&table) {
            Some(day) => start(day) < before,
            None => true,
        };
        if !holds_older || left == 0 {
            continue;
        }
        let sql = format!(
            "DELETE FROM \"{table}\" WHERE ctid = ANY(ARRAY(SELECT ctid FROM \"{table}\" WHERE at < $1 LIMIT $2))"
        );
        let n = sqlx::query(&sql).bind(before).bind(left).execute(&mut *conn).await?.rows_affected();
        deleted += n;
        left -= n as i64;
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_others_are_not_days() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4).expect("date");
        assert_eq!(name(d), "samples_p20261204");
        assert_eq!(day_of(&name(d)), Some(d));
        for other in ["samples_default", "samples_p2026120", "samples_p20261304", "samples_pabcdefgh", "x"] {
            assert_eq!(day_of(other), None, "{other}");
        }
    }
}
