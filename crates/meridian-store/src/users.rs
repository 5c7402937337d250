//! Team-server users and the sites each may see. Only argon2id hashes are
//! stored (the service hashes); nothing here sees a password.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::inventory::map_unique;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser {
    pub id: Uuid,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub all_sites: bool,
    pub sites: Vec<Uuid>,
    pub failed_logins: i32,
    pub locked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

pub struct NewUser<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub all_sites: bool,
    pub sites: &'a [Uuid],
}

/// An edit; `None` keeps the value. `unlock` also resets the failure count;
/// `lock` locks the account as failed logins would (kept if already locked).
#[derive(Debug, Default)]
pub struct UserChange<'a> {
    pub role: Option<&'a str>,
    pub all_sites: Option<bool>,
    pub sites: Option<&'a [Uuid]>,
    pub password_hash: Option<&'a str>,
    pub unlock: bool,
    pub lock: bool,
}

pub(crate) const USER_SELECT: &str = "SELECT u.id, u.name, u.password_hash, u.role, u.all_sites, u.failed_logins, u.locked_at, \
     u.created_at, u.updated_at, u.version, \
     COALESCE((SELECT array_agg(s.site_id ORDER BY s.site_id) FROM user_sites s WHERE s.user_id = u.id), '{}') AS sites \
     FROM users u";

pub(crate) fn user_from(r: &PgRow) -> Result<StoredUser, sqlx::Error> {
    Ok(StoredUser {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        all_sites: r.try_get("all_sites")?,
        sites: r.try_get("sites")?,
        failed_logins: r.try_get("failed_logins")?,
        locked_at: r.try_get("locked_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
    })
}

async fn fetch(conn: &mut PgConnection, id: Uuid) -> Result<StoredUser, StoreError> {
    let row = sqlx::query(&format!("{USER_SELECT} WHERE u.id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    let row = row.ok_or_else(|| StoreError::NotFound { what: "user", key: id.to_string() })?;
    Ok(user_from(&row)?)
}

async fn set_sites(conn: &mut PgConnection, id: Uuid, sites: &[Uuid]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM user_sites WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO user_sites (user_id, site_id) SELECT $1, s FROM UNNEST($2::uuid[]) AS s")
        .bind(id)
        .bind(sites)
        .execute(&mut *conn)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.code().as_deref() == Some("23503") => {
                StoreError::NotFound { what: "site", key: "one of the given sites".into() }
            }
            _ => e.into(),
        })?;
    Ok(())
}

impl Store {
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&mut *self.conn().await?).await?)
    }

    pub async fn insert_user(&self, u: &NewUser<'_>, now: DateTime<Utc>) -> Result<StoredUser, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO users (id, name, password_hash, role, all_sites, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(u.id)
        .bind(u.name)
        .bind(u.password_hash)
        .bind(u.role)
        .bind(u.all_sites)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, |_| u.name.to_owned()))?;
        set_sites(&mut tx, u.id, u.sites).await?;
        let saved = fetch(&mut tx, u.id).await?;
        tx.commit().await?;
        Ok(saved)
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<StoredUser>, StoreError> {
        let row = sqlx::query(&format!("{USER_SELECT} WHERE u.name = $1"))
            .bind(name)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        Ok(row.as_ref().map(user_from).transpose()?)
    }

    pub async fn user_by_id(&self, id: Uuid) -> Result<StoredUser, StoreError> {
        fetch(&mut *self.conn().await?, id).await
    }

    pub async fn list_users(&self) -> Result<Vec<StoredUser>, StoreError> {
        let rows = sqlx::query(&format!("{USER_SELECT} ORDER BY u.name")).fetch_all(&mut *self.conn().await?).await?;
        Ok(rows.iter().map(user_from).collect::<Result<_, _>>()?)
    }

    pub async fn update_user(
        &self,
        id: Uuid,
        c: &UserChange<'_>,
        now: DateTime<Utc>,
    ) -> Result<StoredUser, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let n = sqlx::query(
            "UPDATE users SET role = COALESCE($2, role), all_sites = COALESCE($3, all_sites), \
             password_hash = COALESCE($4, password_hash), \
             failed_logins = CASE WHEN $5 THEN 0 ELSE failed_logins END, \
             locked_at = CASE WHEN $7 THEN COALESCE(locked_at, $6) WHEN $5 THEN NULL ELSE locked_at END, \
             updated_at = $6, version = version + 1 WHERE id = $1",
        )
        .bind(id)
        .bind(c.role)
        .bind(c.all_sites)
        .bind(c.password_hash)
        .bind(c.unlock)
        .bind(now)
        .bind(c.lock)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound { what: "user", key: id.to_string() });
        }
        if let Some(sites) = c.sites {
            set_sites(&mut tx, id, sites).await?;
        }
        let saved = fetch(&mut tx, id).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Deletes the user with their tokens and sessions.
    pub async fn delete_user(&self, id: Uuid) -> Result<StoredUser, StoreError> {
        let mut conn = self.conn().await?;
        let u = fetch(&mut conn, id).await?;
        sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *conn).await?;
        Ok(u)
    }

    /// Counts one failed login and returns the new count.
    pub async fn count_failed_login(&self, id: Uuid) -> Result<i32, StoreError> {
        Ok(sqlx::query_scalar(
            "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
        )
        .bind(id)
        .fetch_one(&mut *self.conn().await?)
        .await?)
    }

    /// Locks the account (kept if already locked) and ends its sessions.
    pub async fn lock_user(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query("UPDATE users SET locked_at = COALESCE(locked_at, $2) WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
        Ok(())
    }

    pub async fn reset_failed_logins(&self, id: Uuid) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1 AND failed_logins <> 0")
            .bind(id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }
}
