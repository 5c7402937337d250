//! Credential references. The row says what kind of credential it is and
//! where its secret lives; the secret itself is in the vault under the id.

use chrono::{DateTime, Utc};
use meridian_core::credential::{AuthProtocol, CredentialSummary, PrivProtocol, SnmpVersion};
use meridian_core::CredentialId;
use serde_json::json;
use sqlx::postgres::PgRow;
use sqlx::Connection;
use sqlx::Row;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::inventory::map_unique;
use crate::store::Store;

/// The non-secret half of a credential.
#[derive(Debug, Clone)]
pub struct NewCredential {
    pub id: CredentialId,
    pub name: String,
    pub version: SnmpVersion,
    pub user: Option<String>,
    pub auth_proto: Option<AuthProtocol>,
    pub priv_proto: Option<PrivProtocol>,
    pub backend: String,
}

fn from_row(r: &PgRow) -> Result<CredentialSummary, StoreError> {
    let bad = |what: &str, v: &str| StoreError::Config(format!("stored {what} '{v}' is not known to this build"));
    let version: String = r.try_get("snmp_version")?;
    let auth: Option<String> = r.try_get("auth_proto")?;
    let privacy: Option<String> = r.try_get("priv_proto")?;
    Ok(CredentialSummary {
        id: CredentialId(r.try_get("id")?),
        name: r.try_get("name")?,
        version: version.parse().map_err(|_| bad("SNMP version", &version))?,
        user: r.try_get("usm_user")?,
        auth_proto: auth.as_deref().map(|a| a.parse().map_err(|_| bad("auth protocol", a))).transpose()?,
        priv_proto: privacy.as_deref().map(|p| p.parse().map_err(|_| bad("privacy protocol", p))).transpose()?,
        backend: r.try_get("vault_backend")?,
        created_at: r.try_get("created_at")?,
    })
}

async fn audit(
    conn: &mut sqlx::PgConnection,
    at: DateTime<Utc>,
    actor: &str,
    action: &'static str,
    id: CredentialId,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    let entry = AuditEntry { at, actor, action, entity: "credential", entity_id: id.to_string(), detail };
    Ok(record(conn, entry).await?)
}

const SELECT: &str =
    "SELECT id, name, snmp_version, usm_user, auth_proto, priv_proto, vault_backend, created_at FROM credentials";

impl Store {
    pub async fn insert_credential(
        &self,
        c: &NewCredential,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<CredentialSummary, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        sqlx::query(
            "INSERT INTO credentials (id, name, snmp_version, usm_user, auth_proto, priv_proto, vault_backend, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(c.id.0)
        .bind(&c.name)
        .bind(c.version.as_str())
        .bind(&c.user)
        .bind(c.auth_proto.map(AuthProtocol::as_str))
        .bind(c.priv_proto.map(PrivProtocol::as_str))
        .bind(&c.backend)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, |_| c.name.clone()))?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "credential.add",
            entity: "credential",
            entity_id: c.id.to_string(),
            detail: json!({ "name": c.name, "version": c.version.as_str(), "backend": c.backend }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        drop(conn);
        self.get_credential(&c.id.to_string()).await
    }

    pub async fn credential_name_taken(&self, name: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM credentials WHERE name = $1)")
            .bind(name)
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    pub async fn list_credentials(&self) -> Result<Vec<CredentialSummary>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY name")).fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn get_credential(&self, key: &str) -> Result<CredentialSummary, StoreError> {
        let row = sqlx::query(&format!("{SELECT} WHERE name = $1 OR id::text = $1"))
            .bind(key)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "credential", key: key.to_owned() })?;
        from_row(&row)
    }

    /// Changes the non-secret fields of a credential (its secret stays under
    /// the same id in the vault). A name another credential has is refused.
    pub async fn update_credential(
        &self,
        id: CredentialId,
        name: &str,
        version: SnmpVersion,
        user: Option<&str>,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<CredentialSummary, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let n = sqlx::query(
            "UPDATE credentials SET name = $2, snmp_version = $3, usm_user = $4, updated_at = $5, version = version + 1 \
             WHERE id = $1",
        )
        .bind(id.0)
        .bind(name)
        .bind(version.as_str())
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| map_unique(e, |_| name.to_owned()))?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound { what: "credential", key: id.to_string() });
        }
        let detail = json!({ "name": name, "version": version.as_str(), "user": user });
        audit(&mut tx, now, actor, "credential.edit", id, detail).await?;
        tx.commit().await?;
        drop(conn);
        self.get_credential(&id.to_string()).await
    }

    /// Records that a credential's secret was replaced in the vault.
    pub async fn credential_rotated(
        &self,
        id: CredentialId,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<CredentialSummary, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        sqlx::query("UPDATE credentials SET updated_at = $2, version = version + 1 WHERE id = $1")
            .bind(id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, now, actor, "credential.rotate", id, json!({})).await?;
        tx.commit().await?;
        drop(conn);
        self.get_credential(&id.to_string()).await
    }

    /// Refused while a device still uses the credential.
    pub async fn delete_credential(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<CredentialSummary, StoreError> {
        let cred = self.get_credential(key).await?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let users: i64 = sqlx::query_scalar("SELECT count(*) FROM devices WHERE credential_id = $1")
            .bind(cred.id.0)
            .fetch_one(&mut *tx)
            .await?;
        if users > 0 {
            return Err(StoreError::Referenced(format!(
                "credential '{}' is used by {users} device(s); change them first",
                cred.name
            )));
        }
        sqlx::query("DELETE FROM credentials WHERE id = $1").bind(cred.id.0).execute(&mut *tx).await?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "credential.remove",
            entity: "credential",
            entity_id: cred.id.to_string(),
            detail: json!({ "name": cred.name }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(cred)
    }
}
