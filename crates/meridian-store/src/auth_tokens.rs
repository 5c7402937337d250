//! API tokens and browser sessions. Both are looked up by the SHA-256 of
//! their secret; the secret never reaches the database.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::Row;
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;
use crate::users::{user_from, StoredUser, USER_SELECT};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub name: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub struct NewToken<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: &'a str,
    pub secret_hash: &'a [u8],
    pub role: &'a str,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub id: Uuid,
    pub csrf_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
}

const TOKEN_SELECT: &str = "SELECT t.id, t.user_id, u.name AS user_name, t.name, t.role, t.created_at, \
     t.expires_at, t.revoked_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id";

fn token_from(r: &PgRow) -> Result<StoredToken, sqlx::Error> {
    Ok(StoredToken {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        user_name: r.try_get("user_name")?,
        name: r.try_get("name")?,
        role: r.try_get("role")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
    })
}

impl Store {
    pub async fn insert_token(&self, t: &NewToken<'_>, now: DateTime<Utc>) -> Result<StoredToken, StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, secret_hash, role, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id)
        .bind(t.user_id)
        .bind(t.name)
        .bind(t.secret_hash)
        .bind(t.role)
        .bind(now)
        .bind(t.expires_at)
        .execute(&mut *conn)
        .await?;
        let row = sqlx::query(&format!("{TOKEN_SELECT} WHERE t.id = $1")).bind(t.id).fetch_one(&mut *conn).await?;
        Ok(token_from(&row)?)
    }

    /// The token with this secret hash and its owner, revoked or not.
    pub async fn token_by_hash(&self, hash: &[u8]) -> Result<Option<(StoredToken, StoredUser)>, StoreError> {
        let mut conn = self.conn().await?;
        let Some(row) = sqlx::query(&format!("{TOKEN_SELECT} WHERE t.secret_hash = $1"))
            .bind(hash)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(None);
        };
        let token = token_from(&row)?;
        let user =
            sqlx::query(&format!("{USER_SELECT} WHERE u.id = $1")).bind(token.user_id).fetch_one(&mut *conn).await?;
        Ok(Some((token, user_from(&user)?)))
    }

    /// One user's tokens, or everyone's (`None`), newest first.
    pub async fn list_tokens(&self, user: Option<Uuid>) -> Result<Vec<StoredToken>, StoreError> {
        let rows = sqlx::query(&format!(
            "{TOKEN_SELECT} WHERE ($1::uuid IS NULL OR t.user_id = $1) ORDER BY t.created_at DESC, t.id DESC"
        ))
        .bind(user)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(rows.iter().map(token_from).collect::<Result<_, _>>()?)
    }

    pub async fn token_by_id(&self, id: Uuid) -> Result<StoredToken, StoreError> {
        let row = sqlx::query(&format!("{TOKEN_SELECT} WHERE t.id = $1"))
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref()
            .map(token_from)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound { what: "token", key: id.to_string() })
    }

    /// Marks it revoked (the first revocation's time is kept).
    pub async fn revoke_token(&self, id: Uuid, now: DateTime<Utc>) -> Result<StoredToken, StoreError> {
        sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *self.conn().await?)
            .await?;
        self.token_by_id(id).await
    }

    pub async fn touch_token(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    pub async fn insert_session(
        &self,
        id: Uuid,
        user: Uuid,
        secret_hash: &[u8],
        csrf_hash: &[u8],
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id, user_id, secret_hash, csrf_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(user)
        .bind(secret_hash)
        .bind(csrf_hash)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    pub async fn session_by_hash(&self, hash: &[u8]) -> Result<Option<(StoredSession, StoredUser)>, StoreError> {
        let mut conn = self.conn().await?;
        let Some(row) = sqlx::query("SELECT id, user_id, csrf_hash, expires_at FROM sessions WHERE secret_hash = $1")
            .bind(hash)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(None);
        };
        let user_id: Uuid = row.try_get("user_id")?;
        let s = StoredSession {
            id: row.try_get("id")?,
            csrf_hash: row.try_get("csrf_hash")?,
            expires_at: row.try_get("expires_at")?,
        };
        let user = sqlx::query(&format!("{USER_SELECT} WHERE u.id = $1")).bind(user_id).fetch_one(&mut *conn).await?;
        Ok(Some((s, user_from(&user)?)))
    }

    /// A session's expiry and its user's id, if the session still exists.
    pub async fn session_by_id(&self, id: Uuid) -> Result<Option<(DateTime<Utc>, Uuid)>, StoreError> {
        let row = sqlx::query("SELECT expires_at, user_id FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.map(|r| Ok((r.try_get("expires_at")?, r.try_get("user_id")?))).transpose()
    }

    pub async fn delete_session(&self, id: Uuid) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *self.conn().await?).await?;
        Ok(())
    }

    /// Ends every session of a user (password or role change, lock, delete).
    pub async fn delete_sessions_of(&self, user: Uuid) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut *self.conn().await?).await?;
        Ok(())
    }
}
