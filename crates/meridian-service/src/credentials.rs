//! Credential use cases. The secret goes to the vault first and the
//! reference row second; if the row cannot be written the secret is removed
//! again, so neither half is left alone.

use chrono::Utc;
use meridian_core::credential::{
    validate_community, validate_usm, CredentialSummary, Secret, SnmpCredential, SnmpVersion, UsmInput, UsmUser,
};
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::CredentialId;
use meridian_store::vault::{self, KeySource, Protection, Vaults};
use meridian_store::StoreError;
use meridian_store::{NewCredential, Store};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// Which vault new secrets go to.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct VaultInfo {
    pub backend: String,
    pub location: String,
}

/// The vault payload. Only ever serialised into the vault, never logged;
/// zeroed when dropped.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(rename_all = "camelCase")]
struct SecretBlob {
    community: Option<String>,
    auth_pass: Option<String>,
    priv_pass: Option<String>,
}

impl App {
    pub fn credential_backend(&self) -> VaultInfo {
        VaultInfo { backend: self.vault.backend().to_owned(), location: self.vault.describe() }
    }

    pub async fn add_community_credential(
        &self,
        name: &str,
        version: SnmpVersion,
        community: &str,
    ) -> Result<CredentialSummary, ApiError> {
        let (name, cred) = validate_community(name, version, community)?;
        self.save_credential(name, cred).await
    }

    pub async fn add_usm_credential(&self, input: UsmInput) -> Result<CredentialSummary, ApiError> {
        let (name, cred) = validate_usm(&input)?;
        self.save_credential(name, cred).await
    }

    pub(crate) async fn save_credential(
        &self,
        name: String,
        cred: SnmpCredential,
    ) -> Result<CredentialSummary, ApiError> {
        // Checked first so a duplicate never touches the vault.
        if self.store.credential_name_taken(&name).await? {
            return Err(ApiError::field("name", format!("credential name '{name}' already exists")));
        }
        let id = CredentialId(Uuid::now_v7());
        let (user, auth, privacy) = match &cred {
            SnmpCredential::Community { .. } => (None, None, None),
            SnmpCredential::Usm(u) => {
                (Some(u.user.clone()), u.auth.as_ref().map(|(p, _)| *p), u.privacy.as_ref().map(|(p, _)| *p))
            }
        };
        let bytes = secret_bytes(&cred)?;
        let v = self.vault.clone();
        let key = id.to_string();
        tokio::task::spawn_blocking(move || v.put(&key, &bytes)).await??;

        let row = NewCredential {
            id,
            name,
            version: cred.version(),
            user,
            auth_proto: auth,
            priv_proto: privacy,
            backend: self.vault.backend().to_owned(),
        };
        match self.store.insert_credential(&row, Utc::now(), &self.cfg.actor).await {
            Ok(summary) => {
                tracing::info!(credential = %summary.name, version = summary.version.as_str(), backend = %summary.backend, "credential added");
                Ok(summary)
            }
            Err(e) => {
                let v = self.vault.clone();
                let key = id.to_string();
                let _ = tokio::task::spawn_blocking(move || v.delete(&key)).await;
                Err(e.into())
            }
        }
    }

    pub async fn list_credentials(&self) -> Result<Vec<CredentialSummary>, ApiError> {
        Ok(self.store.list_credentials().await?)
    }

    pub async fn remove_credential(&self, key: &str) -> Result<CredentialSummary, ApiError> {
        let c = self.store.delete_credential(key, Utc::now(), &self.cfg.actor).await?;
        let v = self.vaults.named(&c.backend)?;
        let id = c.id.to_string();
        // The row is gone; a secret left behind is unreachable, so a failure
        // here is logged, not returned.
        if let Err(e) = tokio::task::spawn_blocking(move || v.delete(&id)).await? {
            tracing::warn!(credential = %c.name, error = %e, "secret not removed from vault");
        }
        Ok(c)
    }

    /// The full credential with its secrets, for the pollers. Never serialised.
    pub async fn credential_secret(&self, key: &str) -> Result<SnmpCredential, ApiError> {
        load_credential(&self.store, &self.vaults, key).await
    }
}

/// The vault payload of a credential: only its secrets, zeroed when dropped.
pub(crate) fn secret_bytes(cred: &SnmpCredential) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    let blob = match cred {
        SnmpCredential::Community { community, .. } => {
            SecretBlob { community: Some(community.expose().into()), auth_pass: None, priv_pass: None }
        }
        SnmpCredential::Usm(u) => SecretBlob {
            community: None,
            auth_pass: u.auth.as_ref().map(|(_, s)| s.expose().into()),
            priv_pass: u.privacy.as_ref().map(|(_, s)| s.expose().into()),
        },
    };
    Ok(Zeroizing::new(serde_json::to_vec(&blob).map_err(|e| ApiError::new(ApiErrorKind::Internal, e.to_string()))?))
}

/// Reads a credential's reference row and its secret from the vault that
/// holds it.
pub(crate) async fn load_credential(store: &Store, vaults: &Vaults, key: &str) -> Result<SnmpCredential, ApiError> {
    let c = store.get_credential(key).await?;
    let v = vaults.named(&c.backend)?;
    let id = c.id.to_string();
    let bytes = tokio::task::spawn_blocking(move || v.get(&id)).await??.ok_or_else(|| {
        ApiError::new(ApiErrorKind::Vault, format!("the secret of credential '{}' is missing from the vault", c.name))
    })?;
    let mut blob: SecretBlob = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::new(ApiErrorKind::Vault, format!("the secret of credential '{}' is damaged", c.name)))?;
    let missing = || ApiError::new(ApiErrorKind::Vault, format!("credential '{}' lacks a secret", c.name));
    Ok(match c.version {
        SnmpVersion::V1 | SnmpVersion::V2c => SnmpCredential::Community {
            version: c.version,
            community: Secret::new(blob.community.take().ok_or_else(missing)?),
        },
        SnmpVersion::V3 => SnmpCredential::Usm(UsmUser {
            user: c.user.clone().unwrap_or_default(),
            auth: c.auth_proto.zip(blob.auth_pass.take().map(Secret::new)),
            privacy: c.priv_proto.zip(blob.priv_pass.take().map(Secret::new)),
        }),
    })
}

/// How the encrypted-file vault is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum VaultProtection {
    /// Not created yet: the first unlock sets its passphrase.
    New,
    Passphrase,
    KeyFile,
    /// Its key still sits in the data directory; the first unlock with a
    /// passphrase re-encrypts it and deletes that key.
    Legacy,
}

/// What the unlock dialog needs to know.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultStatus {
    /// Where new secrets go: "keyring" or "encrypted-file".
    pub backend: String,
    pub location: String,
    /// The file vault is locked and is (or holds) where secrets go: ask for
    /// the passphrase.
    pub locked: bool,
    pub protection: VaultProtection,
}

impl App {
    pub async fn vault_status(&self) -> Result<VaultStatus, ApiError> {
        let (vaults, default) = (self.vaults.clone(), self.vault.backend());
        let (protection, locked, location) = tokio::task::spawn_blocking(move || {
            vaults.file.protection().map(|p| (p, vaults.file.is_locked(), vaults.default.describe()))
        })
        .await??;
        let protection = match protection {
            Protection::New => VaultProtection::New,
            Protection::Passphrase => VaultProtection::Passphrase,
            Protection::KeyFile => VaultProtection::KeyFile,
            Protection::Legacy => VaultProtection::Legacy,
        };
        let needed = default == vault::ENCRYPTED_FILE || protection != VaultProtection::New;
        Ok(VaultStatus { backend: default.to_owned(), location, locked: locked && needed, protection })
    }

    /// Unlocks the file vault for this session (the desktop asks once). A
    /// new vault takes this passphrase; an old one with its key in the data
    /// directory is re-encrypted under it. A wrong passphrase changes nothing.
    pub async fn unlock_vault(&self, passphrase: String) -> Result<VaultStatus, ApiError> {
        let passphrase = Zeroizing::new(passphrase);
        if passphrase.is_empty() {
            return Err(ApiError::field("passphrase", "enter the vault passphrase"));
        }
        let file = self.vaults.file.clone();
        let was_locked = file.is_locked();
        tokio::task::spawn_blocking(move || file.unlock(&KeySource::Passphrase(passphrase))).await?.map_err(
            |e| match e {
                StoreError::Vault(m) => ApiError { kind: ApiErrorKind::Vault, ..ApiError::field("passphrase", m) },
                other => other.into(),
            },
        )?;
        tracing::info!("file vault unlocked");
        if was_locked {
            // Devices whose credential could not be read were left to ICMP:
            // the monitor reloads them now their secrets are readable.
            for d in self.store.list_devices().await?.iter().filter(|d| d.credential_id.is_some()) {
                self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
            }
        }
        self.vault_status().await
    }
}
