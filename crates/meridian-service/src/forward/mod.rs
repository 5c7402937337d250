//! Northbound forwarding as use cases (targets: list, put, remove) and the
//! worker that sends every alarm change to them while the monitor runs.
//! What is sent is `meridian-core::forward`'s; each attempt is written to
//! the notifications' delivery log as channel `forward:<name>`.
//!
//! Every change is first written to the forwarding outbox in the store
//! (`outbox.rs`), then sent from there with retries, so a collector that is
//! down, or a restart of Meridian, loses nothing; `send.rs` puts one change
//! on the wire.

mod outbox;
mod send;

pub(crate) use outbox::start as start_forwarder;
pub(crate) use send::SendContext;

use std::sync::Arc;

use chrono::Utc;
use meridian_core::credential::SnmpVersion;
use meridian_core::forward::{ForwardKind, ForwardTarget};
use meridian_store::vault::SecretVault;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

const ACTOR: &str = "local";

/// A stored target as front ends show it (the community never).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForwardTargetView {
    pub id: String,
    #[serde(flatten)]
    pub target: ForwardTarget,
}

impl App {
    pub async fn list_forward_targets(&self) -> Result<Vec<ForwardTargetView>, ApiError> {
        let list = self.store.list_forward_targets().await?;
        Ok(list.into_iter().map(|s| ForwardTargetView { id: s.id.to_string(), target: s.def }).collect())
    }

    /// Adds or replaces a target. A trap target's `community` goes to the
    /// vault (absent: keeps the one it has, else "public").
    pub async fn put_forward_target(
        &self,
        mut target: ForwardTarget,
        community: Option<String>,
    ) -> Result<ForwardTargetView, ApiError> {
        target.name = target.name.trim().to_owned();
        target.validate()?;
        if community.as_deref().is_some_and(|c| c.is_empty() || c.len() > 255 || c.chars().any(char::is_control)) {
            return Err(ApiError::field("community", "must be 1 to 255 characters, no control characters"));
        }
        if let ForwardKind::SnmpTrap { user: Some(name), .. } = &target.kind {
            let usm = self.store.get_credential(name.trim()).await.ok().filter(|c| c.version == SnmpVersion::V3);
            if usm.is_none() {
                return Err(ApiError::field("kind.user", format!("'{name}' is not a stored SNMPv3 credential")));
            }
        }
        let existing = self.store.list_forward_targets().await?.into_iter().find(|s| s.def.name == target.name);
        let old_ref = existing.and_then(|s| s.def.community_ref().map(str::to_owned));
        if let ForwardKind::SnmpTrap { community_ref: r, .. } = &mut target.kind {
            *r = match community {
                Some(c) => {
                    let key = format!("forward-community:{}", Uuid::now_v7());
                    let (v, k) = (self.vault.clone(), key.clone());
                    tokio::task::spawn_blocking(move || v.put(&k, c.as_bytes())).await??;
                    Some(key)
                }
                None => old_ref.clone(),
            };
        }
        self.store.put_forward_target(&target, Utc::now(), ACTOR).await?;
        if let Some(old) = old_ref.filter(|o| Some(o.as_str()) != target.community_ref()) {
            forget(&self.vault, old).await;
        }
        let list = self.list_forward_targets().await?;
        list.into_iter()
            .find(|v| v.target.name == target.name)
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the target vanished as it was written"))
    }

    /// Meridian's SNMP engine id (hex): v3 traps are sent as this engine,
    /// so a receiver keys their user to it (`createUser -e 0x<id> ...`).
    pub async fn snmp_engine_id(&self) -> Result<String, ApiError> {
        crate::traps::stored_engine_id(self).await
    }

    pub async fn remove_forward_target(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_forward_target(key, Utc::now(), ACTOR).await? {
            Some(s) => {
                if let Some(r) = s.def.community_ref() {
                    forget(&self.vault, r.to_owned()).await;
                }
                Ok(())
            }
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("forwarding target '{key}' not found"))),
        }
    }
}

async fn forget(vault: &Arc<dyn SecretVault>, key: String) {
    let (v, k) = (vault.clone(), key.clone());
    match tokio::task::spawn_blocking(move || v.delete(&k)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(key = %key, error = %e, "forwarding community not removed from the vault"),
        Err(e) => tracing::warn!(key = %key, error = %e, "forwarding community not removed from the vault"),
    }
}
