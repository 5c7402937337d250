//! Sites and devices. Every write runs in one transaction with its audit
//! entry; a unique-key clash rolls the whole request back and comes out as a
//! `Duplicate` naming the field, so a rejected request writes nothing.

use chrono::{DateTime, Utc};
use meridian_core::inventory::{Device, DeviceKind, Site, ValidDevice, ValidSite};
use meridian_core::{CredentialId, DeviceId, DeviceKey, SiteId};
use serde_json::json;
use sqlx::postgres::PgRow;
use sqlx::Connection;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

const DEVICE_SELECT: &str = "SELECT d.id, d.name, d.address, d.kind, d.vendor, d.model, d.os, d.site_id, \
     s.name AS site_name, d.lat, d.lon, d.tags, d.credential_id, c.name AS credential_name, d.snmp_port, d.enabled, \
     d.created_at, d.updated_at, d.version \
     FROM devices d LEFT JOIN sites s ON s.id = d.site_id LEFT JOIN credentials c ON c.id = d.credential_id";

const SITE_SELECT: &str = "SELECT s.id, s.name, s.lat, s.lon, \
     EXISTS (SELECT 1 FROM site_floor_plans f WHERE f.site_id = s.id) AS has_floor_plan, \
     (SELECT count(*) FROM devices d WHERE d.site_id = s.id) AS device_count, s.created_at, s.updated_at, s.version \
     FROM sites s";

fn device_from_row(r: &PgRow) -> Result<Device, sqlx::Error> {
    let kind: String = r.try_get("kind")?;
    Ok(Device {
        id: DeviceId(r.try_get("id")?),
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        // An unknown kind written by a newer build reads as Unknown, not an error.
        kind: kind.parse().unwrap_or(DeviceKind::Unknown),
        vendor: r.try_get("vendor")?,
        model: r.try_get("model")?,
        os: r.try_get("os")?,
        site_id: r.try_get::<Option<Uuid>, _>("site_id")?.map(SiteId),
        site_name: r.try_get("site_name")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        tags: r.try_get("tags")?,
        credential_id: r.try_get::<Option<Uuid>, _>("credential_id")?.map(CredentialId),
        credential_name: r.try_get("credential_name")?,
        snmp_port: r.try_get::<Option<i32>, _>("snmp_port")?.and_then(|p| u16::try_from(p).ok()),
        enabled: r.try_get("enabled")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

fn site_from_row(r: &PgRow) -> Result<Site, sqlx::Error> {
    Ok(Site {
        id: SiteId(r.try_get("id")?),
        name: r.try_get("name")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        has_floor_plan: r.try_get("has_floor_plan")?,
        device_count: r.try_get("device_count")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

/// Turns a unique-key violation into the field it concerns.
pub(crate) fn map_unique(e: sqlx::Error, value_of: impl Fn(&str) -> String) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.code().as_deref() == Some("23505") {
            let (field, what) = match db.constraint() {
                Some("devices_name_key") => ("name", "device name"),
                Some("devices_address_key") => ("address", "device address"),
                Some("sites_name_key") => ("name", "site name"),
                Some("credentials_name_key") => ("name", "credential name"),
                Some("users_name_key") => ("name", "user name"),
                Some("report_schedules_name_key") => ("name", "report schedule"),
                _ => ("", "value"),
            };
            return StoreError::Duplicate { field, what, value: value_of(field) };
        }
    }
    e.into()
}

async fn site_id_by_name(conn: &mut PgConnection, name: &Option<String>) -> Result<Option<Uuid>, StoreError> {
    let Some(name) = name else { return Ok(None) };
    sqlx::query_scalar("SELECT id FROM sites WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
        .map(Some)
        .ok_or_else(|| StoreError::NotFound { what: "site", key: name.clone() })
}

async fn credential_id_by_name(conn: &mut PgConnection, name: &Option<String>) -> Result<Option<Uuid>, StoreError> {
    let Some(name) = name else { return Ok(None) };
    sqlx::query_scalar("SELECT id FROM credentials WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
        .map(Some)
        .ok_or_else(|| StoreError::NotFound { what: "credential", key: name.clone() })
}

/// One device and its audit entry, inside the caller's transaction.
pub(crate) async fn insert_device_row(
    tx: &mut PgConnection,
    v: &ValidDevice,
    id: DeviceId,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), StoreError> {
    let site = site_id_by_name(tx, &v.site).await?;
    let cred = credential_id_by_name(tx, &v.credential).await?;
    sqlx::query(
        "INSERT INTO devices (id, name, address, kind, vendor, model, os, site_id, lat, lon, tags, credential_id, enabled, created_at, updated_at, snmp_port) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)",
    )
    .bind(id.0)
    .bind(&v.name)
    .bind(v.address.to_string())
    .bind(v.kind.as_str())
    .bind(&v.vendor)
    .bind(&v.model)
    .bind(&v.os)
    .bind(site)
    .bind(v.location.map(|p| p.lat))
    .bind(v.location.map(|p| p.lon))
    .bind(&v.tags)
    .bind(cred)
    .bind(v.enabled)
    .bind(now)
    .bind(v.snmp_port.map(i32::from))
    .execute(&mut *tx)
    .await
    .map_err(|e| map_unique(e, |f| if f == "address" { v.address.to_string() } else { v.name.clone() }))?;
    let entry = AuditEntry {
        at: now,
        actor,
        action: "device.add",
        entity: "device",
        entity_id: id.to_string(),
        detail: json!({ "name": v.name, "address": v.address.to_string() }),
    };
    Ok(record(tx, entry).await?)
}

/// One site and its audit entry, inside the caller's transaction.
pub(crate) async fn insert_site_row(
    tx: &mut PgConnection,
    v: &ValidSite,
    id: SiteId,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO sites (id, name, lat, lon, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
        .bind(id.0)
        .bind(&v.name)
        .bind(v.location.map(|p| p.lat))
        .bind(v.location.map(|p| p.lon))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, |_| v.name.clone()))?;
    let entry = AuditEntry {
        at: now,
        actor,
        action: "site.add",
        entity: "site",
        entity_id: id.to_string(),
        detail: json!({ "name": v.name }),
    };
    Ok(record(tx, entry).await?)
}

impl Store {
    pub async fn list_devices(&self) -> Result<Vec<Device>, StoreError> {
        let rows = sqlx::query(&format!("{DEVICE_SELECT} ORDER BY d.name")).fetch_all(&mut *self.conn().await?).await?;
        Ok(rows.iter().map(device_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn get_device(&self, key: &DeviceKey) -> Result<Device, StoreError> {
        let mut conn = self.conn().await?;
        let row = match key {
            DeviceKey::Id(id) => {
                sqlx::query(&format!("{DEVICE_SELECT} WHERE d.id = $1")).bind(id.0).fetch_optional(&mut *conn).await?
            }
            DeviceKey::Name(name) => {
                sqlx::query(&format!("{DEVICE_SELECT} WHERE d.name = $1")).bind(name).fetch_optional(&mut *conn).await?
            }
        };
        let row = row.ok_or_else(|| StoreError::NotFound { what: "device", key: key.to_string() })?;
        Ok(device_from_row(&row)?)
    }

    pub async fn insert_device(
        &self,
        v: &ValidDevice,
        id: DeviceId,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Device, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        insert_device_row(&mut tx, v, id, now, actor).await?;
        tx.commit().await?;
        drop(conn);
        self.get_device(&DeviceKey::Id(id)).await
    }

    /// Replaces every field; `expected_version` guards against a lost update.
    pub async fn update_device(
        &self,
        id: DeviceId,
        expected_version: i64,
        v: &ValidDevice,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Device, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let site = site_id_by_name(&mut tx, &v.site).await?;
        let cred = credential_id_by_name(&mut tx, &v.credential).await?;
        let done = sqlx::query(
            "UPDATE devices SET name = $3, address = $4, kind = $5, vendor = $6, model = $7, os = $8, site_id = $9, \
             lat = $10, lon = $11, tags = $12, credential_id = $13, enabled = $14, updated_at = $15, snmp_port = $16, \
             version = version + 1 \
             WHERE id = $1 AND version = $2",
        )
        .bind(id.0)
        .bind(expected_version)
        .bind(&v.name)
        .bind(v.address.to_string())
        .bind(v.kind.as_str())
        .bind(&v.vendor)
        .bind(&v.model)
        .bind(&v.os)
        .bind(site)
        .bind(v.location.map(|p| p.lat))
        .bind(v.location.map(|p| p.lon))
        .bind(&v.tags)
        .bind(cred)
        .bind(v.enabled)
        .bind(now)
        .bind(v.snmp_port.map(i32::from))
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, |f| if f == "address" { v.address.to_string() } else { v.name.clone() }))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Referenced(format!(
                "device {id} changed since it was read (or was removed); reload and try again"
            )));
        }
        let entry = AuditEntry {
            at: now,
            actor,
            action: "device.update",
            entity: "device",
            entity_id: id.to_string(),
            detail: json!({ "name": v.name, "address": v.address.to_string() }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        drop(conn);
        self.get_device(&DeviceKey::Id(id)).await
    }

    pub async fn delete_device(&self, key: &DeviceKey, now: DateTime<Utc>, actor: &str) -> Result<Device, StoreError> {
        let dev = self.get_device(key).await?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        sqlx::query("DELETE FROM devices WHERE id = $1").bind(dev.id.0).execute(&mut *tx).await?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "device.remove",
            entity: "device",
            entity_id: dev.id.to_string(),
            detail: json!({ "name": dev.name, "address": dev.address }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(dev)
    }

    pub async fn list_sites(&self) -> Result<Vec<Site>, StoreError> {
        let rows = sqlx::query(&format!("{SITE_SELECT} ORDER BY s.name")).fetch_all(&mut *self.conn().await?).await?;
        Ok(rows.iter().map(site_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn get_site(&self, key: &str) -> Result<Site, StoreError> {
        let row = sqlx::query(&format!("{SITE_SELECT} WHERE s.name = $1 OR s.id::text = $1"))
            .bind(key)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "site", key: key.to_owned() })?;
        Ok(site_from_row(&row)?)
    }

    pub async fn insert_site(
        &self,
        v: &ValidSite,
        id: SiteId,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Site, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        insert_site_row(&mut tx, v, id, now, actor).await?;
        tx.commit().await?;
        drop(conn);
        self.get_site(&id.to_string()).await
    }

    pub async fn update_site(
        &self,
        id: SiteId,
        v: &ValidSite,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Site, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        sqlx::query(
            "UPDATE sites SET name = $2, lat = $3, lon = $4, updated_at = $5, version = version + 1 WHERE id = $1",
        )
        .bind(id.0)
        .bind(&v.name)
        .bind(v.location.map(|p| p.lat))
        .bind(v.location.map(|p| p.lon))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, |_| v.name.clone()))?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "site.update",
            entity: "site",
            entity_id: id.to_string(),
            detail: json!({ "name": v.name }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        drop(conn);
        self.get_site(&id.to_string()).await
    }

    /// Devices at the site stay, with no site (ON DELETE SET NULL).
    pub async fn delete_site(&self, key: &str, now: DateTime<Utc>, actor: &str) -> Result<Site, StoreError> {
        let site = self.get_site(key).await?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        sqlx::query("DELETE FROM sites WHERE id = $1").bind(site.id.0).execute(&mut *tx).await?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "site.remove",
            entity: "site",
            entity_id: site.id.to_string(),
            detail: json!({ "name": site.name }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(site)
    }

    /// Rows in the audit log, newest first (for tests and `meridian db info`).
    pub async fn audit_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM event_log").fetch_one(&mut *self.conn().await?).await?)
    }
}
