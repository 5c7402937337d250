//! Received syslog messages (migration 0012): batched inserts that match
//! each message to a managed device, search by words, device, severity and
//! time, and purging by age and by row count.

use chrono::{DateTime, Utc};
use meridian_core::syslog::{
    SdElement, SyslogEntry, SyslogFormat, SyslogMessage, SyslogQuery, SyslogRecord, SyslogSeverity,
};
use meridian_core::DeviceId;
use sqlx::{Postgres, QueryBuilder, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::purge::{Purgeable, Purged};
use crate::store::Store;

const SYSLOG: Purgeable = Purgeable { table: "syslog_messages", time: "received_at", order: "id" };

impl Store {
    /// Inserts a batch in one statement. Each message is matched to a device
    /// by its source address, else by its host field equal to a device name
    /// (case-insensitive); neither leaves it unmatched. Returns each
    /// message's matched device, in batch order (ids are drawn in the order
    /// UNNEST yields the rows), so event rules see the store's match.
    pub async fn insert_syslog(&self, batch: &[SyslogRecord]) -> Result<Vec<Option<DeviceId>>, StoreError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, Option<Uuid>)> = sqlx::query_as(
            "WITH ins AS (INSERT INTO syslog_messages (received_at, device_time, facility, severity, host, app, procid, msgid, \
             structured_data, message, source, device_id, format, error, truncated) \
             SELECT u.at, u.dev_at, u.fac, u.sev, u.host, u.app, u.procid, u.msgid, u.sd::jsonb, u.msg, u.source, \
             COALESCE((SELECT d.id FROM devices d WHERE d.address = u.source), \
                      (SELECT d.id FROM devices d WHERE lower(d.name) = lower(u.host) LIMIT 1)), \
             u.format, u.error, u.truncated \
             FROM UNNEST($1::timestamptz[], $2::timestamptz[], $3::int2[], $4::int2[], $5::text[], $6::text[], \
             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bool[]) \
             AS u(at, dev_at, fac, sev, host, app, procid, msgid, sd, msg, source, format, error, truncated) \
             RETURNING id, device_id) SELECT id, device_id FROM ins ORDER BY id",
        )
        .bind(col(batch, |r| r.received_at))
        .bind(col(batch, |r| r.message.device_time))
        .bind(col(batch, |r| r.message.facility.map(i16::from)))
        .bind(col(batch, |r| r.message.severity.map(|s| i16::from(s.code()))))
        .bind(col(batch, |r| r.message.host.clone()))
        .bind(col(batch, |r| r.message.app.clone()))
        .bind(col(batch, |r| r.message.procid.clone()))
        .bind(col(batch, |r| r.message.msgid.clone()))
        .bind(col(batch, |r| serde_json::to_string(&r.message.structured_data).unwrap_or_else(|_| "[]".into())))
        .bind(col(batch, |r| r.message.message.clone()))
        .bind(col(batch, |r| r.source.to_string()))
        .bind(col(batch, |r| r.format.as_str()))
        .bind(col(batch, |r| r.error.clone()))
        .bind(col(batch, |r| r.truncated))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(rows.into_iter().map(|(_, d)| d.map(DeviceId)).collect())
    }

    /// Messages matching every filter given, newest first.
    pub async fn search_syslog(&self, q: &SyslogQuery) -> Result<Vec<SyslogEntry>, StoreError> {
        let mut b = QueryBuilder::<Postgres>::new(
            "SELECT s.id, s.received_at, s.device_time, s.facility, s.severity, s.host, s.app, s.procid, s.msgid, \
             s.structured_data::text AS sd, s.message, s.source, s.device_id, d.name AS device_name, s.format, \
             s.error, s.truncated FROM syslog_messages s LEFT JOIN devices d ON d.id = s.device_id WHERE true",
        );
        if let Some(text) = &q.text {
            // The same expression as the GIN index, so the index serves it.
            b.push(" AND to_tsvector('simple', s.message) @@ plainto_tsquery('simple', ").push_bind(text).push(")");
        }
        if let Some(dev) = q.device {
            b.push(" AND s.device_id = ").push_bind(dev.0);
        }
        if let Some(sev) = q.severity {
            b.push(" AND s.severity <= ").push_bind(i16::from(sev.code()));
        }
        if let Some(since) = q.since {
            b.push(" AND s.received_at >= ").push_bind(since);
        }
        if let Some(until) = q.until {
            b.push(" AND s.received_at <= ").push_bind(until);
        }
        b.push(" ORDER BY s.received_at DESC, s.id DESC LIMIT ").push_bind(i64::from(q.limit()));
        let rows = b.build().fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(entry).collect()
    }

    pub async fn count_syslog(&self) -> Result<i64, StoreError> {
        self.count_rows(SYSLOG).await
    }

    /// Removes messages received before `cutoff`, then the oldest beyond
    /// `max_rows`, `batch` rows per statement.
    pub async fn purge_syslog(&self, cutoff: DateTime<Utc>, max_rows: u64, batch: u32) -> Result<Purged, StoreError> {
        self.purge(SYSLOG, cutoff, max_rows, batch).await
    }
}

/// One UNNEST column.
fn col<T>(batch: &[SyslogRecord], f: impl Fn(&SyslogRecord) -> T) -> Vec<T> {
    batch.iter().map(f).collect()
}

fn entry(r: &sqlx::postgres::PgRow) -> Result<SyslogEntry, StoreError> {
    let sd: String = r.try_get("sd")?;
    let format: String = r.try_get("format")?;
    let msg = SyslogMessage {
        device_time: r.try_get("device_time")?,
        facility: r.try_get::<Option<i16>, _>("facility")?.and_then(|f| u8::try_from(f).ok()),
        severity: r
            .try_get::<Option<i16>, _>("severity")?
            .and_then(|s| u8::try_from(s).ok())
            .and_then(SyslogSeverity::from_code),
        host: r.try_get("host")?,
        app: r.try_get("app")?,
        procid: r.try_get("procid")?,
        msgid: r.try_get("msgid")?,
        structured_data: serde_json::from_str::<Vec<SdElement>>(&sd).unwrap_or_default(),
        message: r.try_get("message")?,
    };
    Ok(SyslogEntry {
        id: r.try_get("id")?,
        received_at: r.try_get("received_at")?,
        msg,
        source: r.try_get("source")?,
        device_id: r.try_get::<Option<Uuid>, _>("device_id")?.map(DeviceId),
        device_name: r.try_get("device_name")?,
        format: SyslogFormat::parse(&format).unwrap_or(SyslogFormat::Malformed),
        error: r.try_get("error")?,
        truncated: r.try_get("truncated")?,
    })
}
