//! Site floor plans and where devices sit on them. The caller (the service)
//! has checked the image header and the position with meridian-core; every
//! write runs in one transaction with its audit entry, like the inventory.

use chrono::{DateTime, Utc};
use meridian_core::floorplan::{ImageInfo, ImageMime, PlanPoint, PlanPosition};
use meridian_core::{DeviceId, SiteId};
use serde_json::json;
use sqlx::{Connection, Row};

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

/// A stored plan: its header facts and, when asked for, the image bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    pub mime: ImageMime,
    pub width: u32,
    pub height: u32,
    pub image: Vec<u8>,
    pub updated_at: DateTime<Utc>,
}

fn side(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl Store {
    /// Stores or replaces a site's plan. Devices already placed keep their
    /// spot relative to the image: a plan re-exported at another resolution
    /// scales their pixel positions with it.
    pub async fn put_floor_plan(
        &self,
        site: SiteId,
        info: &ImageInfo,
        image: &[u8],
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let old: Option<(i32, i32)> =
            sqlx::query_as("SELECT width, height FROM site_floor_plans WHERE site_id = $1 FOR UPDATE")
                .bind(site.0)
                .fetch_optional(&mut *tx)
                .await?;
        let (w, h) = (i32::try_from(info.width).unwrap_or(i32::MAX), i32::try_from(info.height).unwrap_or(i32::MAX));
        sqlx::query(
            "INSERT INTO site_floor_plans (site_id, image, mime, width, height, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (site_id) DO UPDATE SET image = $2, mime = $3, width = $4, height = $5, updated_at = $6",
        )
        .bind(site.0)
        .bind(image)
        .bind(info.mime.as_str())
        .bind(w)
        .bind(h)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| site_missing(e, site))?;
        if let Some((ow, oh)) = old.filter(|&(ow, oh)| (ow, oh) != (w, h) && ow > 0 && oh > 0) {
            sqlx::query(
                "UPDATE device_plan_positions SET x = LEAST(x * $2 / $3, $2), y = LEAST(y * $4 / $5, $4) \
                 WHERE site_id = $1",
            )
            .bind(site.0)
            .bind(f64::from(w))
            .bind(f64::from(ow))
            .bind(f64::from(h))
            .bind(f64::from(oh))
            .execute(&mut *tx)
            .await?;
        }
        let entry = AuditEntry {
            at: now,
            actor,
            action: "site.floor_plan.set",
            entity: "site",
            entity_id: site.to_string(),
            detail: json!({ "mime": info.mime.as_str(), "width": info.width, "height": info.height, "bytes": image.len() }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The site's plan; `with_image` false reads only its size (for checks).
    pub async fn floor_plan(&self, site: SiteId, with_image: bool) -> Result<Option<StoredPlan>, StoreError> {
        let sql = if with_image {
            "SELECT mime, width, height, image, updated_at FROM site_floor_plans WHERE site_id = $1"
        } else {
            "SELECT mime, width, height, ''::bytea AS image, updated_at FROM site_floor_plans WHERE site_id = $1"
        };
        let row = sqlx::query(sql).bind(site.0).fetch_optional(&mut *self.conn().await?).await?;
        let Some(r) = row else { return Ok(None) };
        let mime: String = r.try_get("mime")?;
        Ok(Some(StoredPlan {
            // The table's CHECK admits only these; anything else is a newer build's format.
            mime: ImageMime::from_mime(&mime)
                .ok_or_else(|| StoreError::Referenced(format!("floor plan has an unknown image type '{mime}'")))?,
            width: side(r.try_get("width")?),
            height: side(r.try_get("height")?),
            image: r.try_get("image")?,
            updated_at: r.try_get("updated_at")?,
        }))
    }

    /// Removes the plan and every position on it; false when there was none.
    pub async fn delete_floor_plan(&self, site: SiteId, now: DateTime<Utc>, actor: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let done =
            sqlx::query("DELETE FROM site_floor_plans WHERE site_id = $1").bind(site.0).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let entry = AuditEntry {
            at: now,
            actor,
            action: "site.floor_plan.remove",
            entity: "site",
            entity_id: site.to_string(),
            detail: json!({}),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Puts (or moves) a device on the site's plan. The bounds are checked
    /// again against the plan inside the transaction, so a plan replaced by
    /// a smaller one meanwhile cannot end up with a device off its edge.
    pub async fn place_device(
        &self,
        device: DeviceId,
        site: SiteId,
        at: PlanPoint,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let done = sqlx::query(
            "INSERT INTO device_plan_positions (device_id, site_id, x, y, updated_at) \
             SELECT $1, p.site_id, $3, $4, $5 FROM site_floor_plans p \
             WHERE p.site_id = $2 AND $3 <= p.width AND $4 <= p.height \
             ON CONFLICT (device_id) DO UPDATE SET site_id = $2, x = $3, y = $4, updated_at = $5",
        )
        .bind(device.0)
        .bind(site.0)
        .bind(at.x)
        .bind(at.y)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.code().as_deref() == Some("23503") => {
                StoreError::NotFound { what: "device", key: device.to_string() }
            }
            _ => e.into(),
        })?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Referenced(format!(
                "the floor plan of site {site} was removed or resized meanwhile; reload and try again"
            )));
        }
        let entry = AuditEntry {
            at: now,
            actor,
            action: "device.plan.place",
            entity: "device",
            entity_id: device.to_string(),
            detail: json!({ "site": site.to_string(), "x": at.x, "y": at.y }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a device off whatever plan it is on; false when it was on none.
    pub async fn unplace_device(&self, device: DeviceId, now: DateTime<Utc>, actor: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let done = sqlx::query("DELETE FROM device_plan_positions WHERE device_id = $1")
            .bind(device.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let entry = AuditEntry {
            at: now,
            actor,
            action: "device.plan.remove",
            entity: "device",
            entity_id: device.to_string(),
            detail: json!({}),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The devices placed on the site's plan that still belong to the site:
    /// a device moved to another site keeps its row (moving it back restores
    /// its spot) but is not drawn here.
    pub async fn plan_positions(&self, site: SiteId) -> Result<Vec<PlanPosition>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.device_id, p.x, p.y FROM device_plan_positions p \
             JOIN devices d ON d.id = p.device_id AND d.site_id = p.site_id \
             WHERE p.site_id = $1 ORDER BY d.name",
        )
        .bind(site.0)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PlanPosition {
                    device_id: DeviceId(r.try_get("device_id")?),
                    x: r.try_get("x")?,
                    y: r.try_get("y")?,
                })
            })
            .collect()
    }
}

/// A plan for a site that does not exist (foreign key) is the caller's
/// wrong site, not a database failure.
fn site_missing(e: sqlx::Error, site: SiteId) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23503") => {
            StoreError::NotFound { what: "site", key: site.to_string() }
        }
        _ => e.into(),
    }
}
