//! Custom items as use cases: add (or replace), list, remove, and the items a
//! device polls with their newest values. Their meaning is
//! `meridian-core::items`; the monitor reloads them when `RulesChanged` is
//! announced (what it watches changed), so edits take effect while it runs.

use chrono::{DateTime, Utc};
use meridian_core::items::{self, CustomItem, ItemKind, ItemTarget};
use meridian_core::metric::{MetricKey, SeriesKey};
use meridian_core::{CoreError, DeviceKey, FieldError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

const ACTOR: &str = "local";

/// An item as a front end gives it: on a device (name or id) or a template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemInput {
    pub device: Option<String>,
    pub template: Option<String>,
    pub name: String,
    pub oid: String,
    pub unit: String,
    /// 1 when absent.
    pub scale: Option<f64>,
    /// A gauge when absent.
    pub kind: Option<ItemKind>,
    pub interval_secs: u32,
    pub description: String,
}

/// A stored item as front ends show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemView {
    pub id: String,
    pub item: CustomItem,
    /// The device's name, for a device's item.
    pub device_name: Option<String>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// One item a device polls, with its newest sample.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceItemValue {
    pub id: String,
    pub item: CustomItem,
    /// Polled because the device's template has it.
    pub inherited: bool,
    pub value: Option<f64>,
    #[ts(type = "string | null")]
    pub at: Option<DateTime<Utc>>,
}

impl App {
    pub async fn list_items(&self) -> Result<Vec<ItemView>, ApiError> {
        let devices = self.store.list_devices().await?;
        let name_of = |t: &ItemTarget| match t {
            ItemTarget::Device(id) => devices.iter().find(|d| d.id == *id).map(|d| d.name.clone()),
            ItemTarget::Template(_) => None,
        };
        Ok(self
            .store
            .list_items()
            .await?
            .into_iter()
            .map(|s| ItemView {
                id: s.id.to_string(),
                device_name: name_of(&s.item.target),
                item: s.item,
                updated_at: s.updated_at,
            })
            .collect())
    }

    /// Adds an item, or replaces the target's item of that name. Refused
    /// with field errors (and nothing written) when it does not check out.
    pub async fn add_item(&self, input: ItemInput) -> Result<ItemView, ApiError> {
        let target = match (input.device.as_deref().map(str::trim), input.template.as_deref().map(str::trim)) {
            (Some(d), None) if !d.is_empty() => match self.store.get_device(&DeviceKey::from(d)).await {
                Ok(dev) => Some(ItemTarget::Device(dev.id)),
                Err(meridian_store::StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e.into()),
            },
            (None, Some(t)) if !t.is_empty() => Some(ItemTarget::Template(t.to_owned())),
            _ => return Err(ApiError::field("device", "name a device or a template (one of them)")),
        };
        let Some(target) = target else {
            let d = input.device.unwrap_or_default();
            return Err(ApiError::field("device", format!("unknown device '{d}'")));
        };
        // A MIB name (`IF-MIB::ifHCInOctets.2`) is stored as its numeric OID.
        let raw_oid = input.oid.trim();
        let oid = if raw_oid.is_empty() || raw_oid.trim_start_matches('.').starts_with(|c: char| c.is_ascii_digit()) {
            raw_oid.to_owned()
        } else {
            self.mibs().resolve("oid", raw_oid)?
        };
        let item = CustomItem {
            name: input.name.trim().to_owned(),
            target,
            oid,
            unit: input.unit.trim().to_owned(),
            scale: input.scale.unwrap_or(1.0),
            kind: input.kind.unwrap_or(ItemKind::Gauge),
            interval_secs: input.interval_secs,
            description: input.description.trim().to_owned(),
        };
        if let Err(CoreError::Validation(mut fields)) = item.validate() {
            // The target is given as `device` or `template`: name that field.
            for f in &mut fields {
                if f.field == "target" {
                    *f = FieldError::new("template", f.message.clone());
                }
            }
            return Err(CoreError::Validation(fields).into());
        }
        let (id, _) = self.store.put_item(&item, Utc::now(), ACTOR).await?;
        self.publish(CoreEvent::RulesChanged);
        self.list_items()
            .await?
            .into_iter()
            .find(|v| v.id == id.to_string())
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the item vanished as it was written"))
    }

    /// Removes an item by id or key (`device:<id>/name`, `template:ups/name`).
    pub async fn remove_item(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_item(key.trim(), Utc::now(), ACTOR).await? {
            Some(_) => {
                self.publish(CoreEvent::RulesChanged);
                Ok(())
            }
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("item '{key}' not found"))),
        }
    }

    /// The items a device polls (its own, then its template's), each with
    /// its newest sample.
    pub async fn device_items(&self, device: &str) -> Result<Vec<DeviceItemValue>, ApiError> {
        let dev = self.store.get_device(&DeviceKey::from(device)).await?;
        let template = crate::monitor::device_template(&self.store, dev.id).await;
        let stored = self.store.list_items().await?;
        let all: Vec<CustomItem> = stored.iter().map(|s| s.item.clone()).collect();
        let mut out = Vec::new();
        for item in items::for_device(&all, dev.id, template.as_deref()) {
            let id = stored.iter().find(|s| &s.item == item).map(|s| s.id.to_string()).unwrap_or_default();
            let latest = self.store.latest_samples(&item.name).await?;
            let newest = latest
                .into_iter()
                .find(|l| l.device == dev.id && l.key == SeriesKey::device(MetricKey::Template(item.name.clone())));
            out.push(DeviceItemValue {
                id,
                inherited: matches!(item.target, ItemTarget::Template(_)),
                item: item.clone(),
                value: newest.as_ref().map(|l| l.value),
                at: newest.map(|l| l.at),
            });
        }
        Ok(out)
    }

    /// What a rule may name: built-in metrics, shipped template metrics and
    /// custom items. A store that cannot list the items is an error, not an
    /// empty list (a valid rule must not be refused for it).
    pub(crate) async fn metric_check(&self) -> Result<impl Fn(&MetricKey) -> bool, ApiError> {
        let names: std::collections::HashSet<String> =
            self.store.list_items().await?.into_iter().map(|s| s.item.name).collect();
        Ok(move |m: &MetricKey| {
            crate::rules::known_metric(m) || matches!(m, MetricKey::Template(n) if names.contains(n))
        })
    }
}
