//! Application settings: one JSON value per key (`settings` table). The
//! store keeps the value as given; the service owns each key's shape, so a
//! new setting needs no migration.

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// The value stored under `key`, if any.
    pub async fn get_setting(&self, key: &str) -> Result<Option<serde_json::Value>, StoreError> {
        let value: Option<serde_json::Value> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        Ok(value)
    }

    /// Stores `value` under `key`, replacing what was there, in one statement
    /// so two writers cannot interleave a read and a write.
    pub async fn set_setting(&self, key: &str, value: &serde_json::Value, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// Removes `key`; says whether it was there.
    pub async fn delete_setting(&self, key: &str) -> Result<bool, StoreError> {
        let done =
            sqlx::query("DELETE FROM settings WHERE key = $1").bind(key).execute(&mut *self.conn().await?).await?;
        Ok(done.rows_affected() > 0)
    }
}
