//! Editing, rotating and testing a saved credential. A rotation writes the
//! new secret over the old one under the same id in the vault that holds
//! it, so the devices that use the credential keep it; the monitor reloads
//! them so its next poll asks with the new secret.

use std::time::Duration;

use chrono::Utc;
use meridian_core::credential::CredentialSummary;
use meridian_core::credential_edit::{validate_edit, validate_rotation, CredentialPatch, SecretInput};
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::validate::diag::SnmpOptions;
use meridian_core::DeviceKey;
use meridian_probe::snmp::{Oid, Target};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::credentials::secret_bytes;
use crate::diag::VarBindView;
use crate::error::{probe_error, ApiError, ApiErrorKind};
use crate::target::{snmp_addr, snmp_engine, EngineUse};

/// sysObjectID.0 and sysName.0: what every agent answers, and enough to
/// tell the right device answered.
const SYS_OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";

/// A credential test that got an answer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CredentialTest {
    pub credential: String,
    pub device: String,
    /// The agent asked, `ADDR:PORT`.
    pub agent: String,
    pub sys_name: String,
    pub sys_object_id: String,
}

impl App {
    /// Changes a credential's name or non-secret fields; the secret stays.
    pub async fn update_credential(&self, key: &str, patch: CredentialPatch) -> Result<CredentialSummary, ApiError> {
        let c = self.store.get_credential(key).await?;
        let e = validate_edit(&c, &patch)?;
        let s = self
            .store
            .update_credential(c.id, &e.name, e.version, e.user.as_deref(), Utc::now(), &self.cfg.actor)
            .await?;
        tracing::info!(credential = %s.name, "credential edited");
        if s.name != c.name {
            self.rename_in_trap_settings(&c.name, &s.name).await?;
        }
        self.reload_users(&s).await?;
        Ok(s)
    }

    /// Replaces a credential's secret; its id, kind and protocols stay.
    pub async fn rotate_credential(&self, key: &str, secret: SecretInput) -> Result<CredentialSummary, ApiError> {
        let c = self.store.get_credential(key).await?;
        let cred = validate_rotation(&c, &secret)?;
        let bytes = secret_bytes(&cred)?;
        let v = self.vaults.named(&c.backend)?;
        let id = c.id.to_string();
        tokio::task::spawn_blocking(move || v.put(&id, &bytes)).await??;
        let s = self.store.credential_rotated(c.id, Utc::now(), &self.cfg.actor).await?;
        tracing::info!(credential = %s.name, backend = %s.backend, "credential rotated");
        self.reload_users(&s).await?;
        Ok(s)
    }

    /// An SNMP GET of sysObjectID.0 and sysName.0 from `device`'s agent with
    /// credential `key` (not necessarily the device's own), through the
    /// pollers' engine. A timeout or a USM report comes back as the error.
    pub async fn test_credential(&self, key: &str, device: &DeviceKey) -> Result<CredentialTest, ApiError> {
        let cred = self.credential_secret(key).await?;
        let name = self.store.get_credential(key).await?.name;
        let d = self.store.get_device(device).await?;
        let addr = snmp_addr(&d).await?;
        let opts = SnmpOptions::default();
        let target =
            Target { addr, credential: cred, timeout: Duration::from_millis(opts.timeout_ms), retries: opts.retries };
        let oids = [SYS_OBJECT_ID, SYS_NAME]
            .iter()
            .map(|o| o.parse::<Oid>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, e.to_string()))?;
        let engine = snmp_engine(EngineUse::OneDevice).await?;
        let vbs = engine.get(&target, &oids).await.map_err(probe_error)?;
        let text = |i: usize| -> String {
            match vbs.get(i).map(VarBindView::from) {
                Some(v) => v.value.as_str().map(str::to_owned).unwrap_or(v.text),
                None => String::new(),
            }
        };
        Ok(CredentialTest {
            credential: name,
            device: d.name,
            agent: addr.to_string(),
            sys_object_id: text(0),
            sys_name: text(1),
        })
    }

    /// The trap receiver's accepted credentials are stored by name: a rename
    /// follows there, so the receiver keeps accepting them.
    async fn rename_in_trap_settings(&self, old: &str, new: &str) -> Result<(), ApiError> {
        let mut t = self.trap_settings().await?;
        let mut renamed = false;
        for tc in t.credentials.iter_mut().filter(|tc| tc.credential == old) {
            tc.credential = new.to_owned();
            renamed = true;
        }
        if renamed {
            self.set_trap_settings(t).await?;
        }
        Ok(())
    }

    /// The monitor reads a device's credential when the device is loaded:
    /// every device that uses `c` is reloaded after a change.
    async fn reload_users(&self, c: &CredentialSummary) -> Result<(), ApiError> {
        for d in self.store.list_devices().await?.iter().filter(|d| d.credential_id == Some(c.id)) {
            self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        }
        // The trap receiver accepts the same credentials; it must not keep the old secret.
        self.refresh_trap_auth().await
    }
}
