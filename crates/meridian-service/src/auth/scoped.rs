//! The inventory and alarm use cases as a [`Caller`] sees them: the check
//! first, then the same use case the desktop runs (under the caller's
//! name) and its audit row in one transaction. Listings keep only the
//! caller's sites.

use std::collections::HashMap;

use meridian_core::access::{require, Action, Target};
use meridian_core::alarm::{Alarm, AlarmComment};
use meridian_core::inventory::{Device, DeviceInput, DevicePatch, Site};
use meridian_core::{DeviceId, DeviceKey, SiteId};

use super::audit::{Subject, NONE};
use super::Caller;
use crate::app::App;
use crate::error::{reference_error, ApiError};

/// `GET /alarms` parameters: active only (default true), at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, ts_rs::TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AlarmQuery {
    pub active: Option<bool>,
    #[ts(type = "number | null")]
    pub limit: Option<i64>,
}

/// An acknowledgement's optional comment.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, ts_rs::TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AckInput {
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, ts_rs::TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CommentInput {
    pub text: String,
}

fn device_subject(d: &Device) -> Subject<'static> {
    Subject { entity: "device", id: d.id.to_string(), site: d.site_id }
}

fn alarm_subject(a: &Alarm, site: Option<SiteId>) -> Subject<'static> {
    Subject { entity: "alarm", id: a.id.to_string(), site }
}

impl App {
    pub async fn devices_for(&self, caller: &Caller) -> Result<Vec<Device>, ApiError> {
        require(&caller.actor, Action::Read, Target::Global)?;
        let mut all = self.store.list_devices().await?;
        all.retain(|d| caller.actor.sites.covers(d.site_id));
        Ok(all)
    }

    pub async fn device_for(&self, caller: &Caller, key: &DeviceKey) -> Result<Device, ApiError> {
        let d = self.store.get_device(key).await?;
        require(&caller.actor, Action::Read, Target::Site(d.site_id))?;
        Ok(d)
    }

    pub async fn add_device_for(&self, caller: &Caller, input: DeviceInput) -> Result<Device, ApiError> {
        let site = self.site_of_key(input.site.as_deref()).await?;
        require(&caller.actor, Action::EditInventory, Target::Site(site))?;
        self.atomically(async {
            let d = self.add_device_by(&caller.actor.name, input).await?;
            self.audit(caller, "device.add", device_subject(&d), NONE, Some(&d)).await?;
            Ok(d)
        })
        .await
    }

    /// Needs the right on the device's site and, when the edit moves it, on
    /// the new site too.
    pub async fn update_device_for(
        &self,
        caller: &Caller,
        key: &DeviceKey,
        patch: DevicePatch,
    ) -> Result<Device, ApiError> {
        let before = self.store.get_device(key).await?;
        require(&caller.actor, Action::EditInventory, Target::Site(before.site_id))?;
        if let Some(to) = patch.site.as_deref() {
            let site = self.site_of_key(Some(to).filter(|s| !s.trim().is_empty())).await?;
            require(&caller.actor, Action::EditInventory, Target::Site(site))?;
        }
        self.atomically(async {
            let after = self.update_device_by(&caller.actor.name, &DeviceKey::Id(before.id), patch).await?;
            self.audit(caller, "device.edit", device_subject(&after), Some(&before), Some(&after)).await?;
            Ok(after)
        })
        .await
    }

    pub async fn remove_device_for(&self, caller: &Caller, key: &DeviceKey) -> Result<Device, ApiError> {
        let d = self.store.get_device(key).await?;
        require(&caller.actor, Action::EditInventory, Target::Site(d.site_id))?;
        self.atomically(async {
            let gone = self.remove_device_by(&caller.actor.name, &DeviceKey::Id(d.id)).await?;
            self.audit(caller, "device.remove", device_subject(&gone), Some(&gone), NONE).await?;
            Ok(gone)
        })
        .await
    }

    pub async fn sites_for(&self, caller: &Caller) -> Result<Vec<Site>, ApiError> {
        require(&caller.actor, Action::Read, Target::Global)?;
        let mut all = self.store.list_sites().await?;
        all.retain(|s| caller.actor.sites.covers(Some(s.id)));
        Ok(all)
    }

    /// Alarms on devices of the caller's sites (an alarm with no device
    /// needs every site), newest first.
    pub async fn alarms_for(&self, caller: &Caller, q: AlarmQuery) -> Result<Vec<Alarm>, ApiError> {
        require(&caller.actor, Action::Read, Target::Global)?;
        let (active_only, limit) = (q.active.unwrap_or(true), q.limit.unwrap_or(1000));
        let sites: HashMap<DeviceId, Option<SiteId>> =
            self.store.list_devices().await?.into_iter().map(|d| (d.id, d.site_id)).collect();
        let mut all = self.store.list_alarms(active_only, limit.clamp(1, 100_000)).await?;
        all.retain(|a| caller.actor.sites.covers(a.device_id.and_then(|d| sites.get(&d).copied().flatten())));
        Ok(all)
    }

    pub async fn ack_alarm_for(&self, caller: &Caller, id: &str, input: AckInput) -> Result<Alarm, ApiError> {
        let comment = input.comment.as_deref();
        let (before, site) = self.alarm_and_site(id).await?;
        require(&caller.actor, Action::AckAlarm, Target::Site(site))?;
        self.atomically(async {
            let after = self.ack_alarm_by(&caller.actor.name, &before.id.to_string(), comment).await?;
            self.audit(caller, "alarm.ack", alarm_subject(&after, site), Some(&before), Some(&after)).await?;
            Ok(after)
        })
        .await
    }

    pub async fn clear_alarm_for(&self, caller: &Caller, id: &str) -> Result<Alarm, ApiError> {
        let (before, site) = self.alarm_and_site(id).await?;
        require(&caller.actor, Action::ClearAlarm, Target::Site(site))?;
        self.atomically(async {
            let after = self.clear_alarm_by(&caller.actor.name, &before.id.to_string()).await?;
            self.audit(caller, "alarm.clear", alarm_subject(&after, site), Some(&before), Some(&after)).await?;
            Ok(after)
        })
        .await
    }

    pub async fn comment_alarm_for(
        &self,
        caller: &Caller,
        id: &str,
        input: CommentInput,
    ) -> Result<AlarmComment, ApiError> {
        let text = input.text.as_str();
        let (a, site) = self.alarm_and_site(id).await?;
        require(&caller.actor, Action::CommentAlarm, Target::Site(site))?;
        self.atomically(async {
            let note = self.comment_alarm_by(&caller.actor.name, &a.id.to_string(), text).await?;
            self.audit(caller, "alarm.comment", alarm_subject(&a, site), NONE, Some(&note)).await?;
            Ok(note)
        })
        .await
    }

    async fn alarm_and_site(&self, id: &str) -> Result<(Alarm, Option<SiteId>), ApiError> {
        let a = self.store.get_alarm(id).await?;
        let site = match a.device_id {
            Some(d) => self.store.get_device(&DeviceKey::Id(d)).await.ok().and_then(|d| d.site_id),
            None => None,
        };
        Ok((a, site))
    }

    /// A device request's site (name or id) to its id; unknown is a `site`
    /// field error, as the add itself would say.
    async fn site_of_key(&self, key: Option<&str>) -> Result<Option<SiteId>, ApiError> {
        match key {
            None => Ok(None),
            Some(k) => Ok(Some(self.store.get_site(k).await.map_err(reference_error)?.id)),
        }
    }
}
