//! Site floor plans and device positions on them. The image header is
//! checked by meridian-core before anything is stored, so the UI only ever
//! shows a PNG, JPEG or WebP of bounded size; the image travels as base64
//! because it crosses JSON (Tauri IPC, later HTTP).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::Utc;
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::floorplan::{parse_image_header, validate_position, ImageMime, PlanPosition, MAX_IMAGE_BYTES};
use meridian_core::{CoreError, DeviceKey, SiteId};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;
use crate::events::CoreEvent;

/// A site's plan as the UI shows it: `data:<mime>;base64,<data>`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FloorPlan {
    pub site_id: SiteId,
    pub mime: ImageMime,
    pub width: u32,
    pub height: u32,
    /// The image, base64 (standard alphabet, padded).
    pub data: String,
    #[ts(type = "string")]
    pub updated_at: chrono::DateTime<Utc>,
}

/// What storing a plan accepted (the caller already has the bytes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FloorPlanInfo {
    pub site_id: SiteId,
    pub mime: ImageMime,
    pub width: u32,
    pub height: u32,
}

/// Decodes the image a front end sent as base64, refusing an over-long
/// string before decoding it.
pub fn decode_image_base64(data: &str) -> Result<Vec<u8>, ApiError> {
    let data = data.trim();
    if data.len() > MAX_IMAGE_BYTES.div_ceil(3) * 4 {
        return Err(ApiError::field(
            "image",
            format!("the image is over the {} MiB limit", MAX_IMAGE_BYTES / (1024 * 1024)),
        ));
    }
    STANDARD.decode(data).map_err(|e| ApiError::field("image", format!("is not valid base64 ({e})")))
}

impl App {
    /// Stores or replaces a site's (by name or id) plan image.
    pub async fn set_floor_plan(&self, site_key: &str, image: &[u8]) -> Result<FloorPlanInfo, ApiError> {
        let info = parse_image_header(image).map_err(CoreError::from)?;
        let site = self.store.get_site(site_key).await?;
        self.store.put_floor_plan(site.id, &info, image, Utc::now(), &self.cfg.actor).await?;
        tracing::info!(site = %site.name, mime = info.mime.as_str(), width = info.width, height = info.height,
            bytes = image.len(), "floor plan set");
        self.plan_changed(InventoryEntity::Site, &site.id.to_string());
        Ok(FloorPlanInfo { site_id: site.id, mime: info.mime, width: info.width, height: info.height })
    }

    /// [`App::set_floor_plan`] with the image as base64, as the UI sends it.
    pub async fn set_floor_plan_base64(&self, site_key: &str, data: &str) -> Result<FloorPlanInfo, ApiError> {
        self.set_floor_plan(site_key, &decode_image_base64(data)?).await
    }

    /// The site's plan with its image, or `None` when it has none.
    pub async fn floor_plan(&self, site_key: &str) -> Result<Option<FloorPlan>, ApiError> {
        let site = self.store.get_site(site_key).await?;
        Ok(self.store.floor_plan(site.id, true).await?.map(|p| FloorPlan {
            site_id: site.id,
            mime: p.mime,
            width: p.width,
            height: p.height,
            data: STANDARD.encode(&p.image),
            updated_at: p.updated_at,
        }))
    }

    /// Removes the site's plan and every device position on it; false when
    /// there was no plan.
    pub async fn remove_floor_plan(&self, site_key: &str) -> Result<bool, ApiError> {
        let site = self.store.get_site(site_key).await?;
        let removed = self.store.delete_floor_plan(site.id, Utc::now(), &self.cfg.actor).await?;
        if removed {
            tracing::info!(site = %site.name, "floor plan removed");
            self.plan_changed(InventoryEntity::Site, &site.id.to_string());
        }
        Ok(removed)
    }

    /// Puts a device on its site's plan at `x`, `y` image
    /// pixels, or moves it there. The device must belong to that site.
    pub async fn place_device(
        &self,
        device_key: &DeviceKey,
        site_key: &str,
        x: f64,
        y: f64,
    ) -> Result<PlanPosition, ApiError> {
        let device = self.store.get_device(device_key).await?;
        let site = self.store.get_site(site_key).await?;
        let Some(plan) = self.store.floor_plan(site.id, false).await? else {
            return Err(ApiError::field("site", format!("site '{}' has no floor plan; add one first", site.name)));
        };
        if device.site_id != Some(site.id) {
            return Err(ApiError::field(
                "device",
                format!("device '{}' is not at site '{}'; set its site first", device.name, site.name),
            ));
        }
        let at = validate_position(x, y, plan.width, plan.height)?;
        self.store.place_device(device.id, site.id, at, Utc::now(), &self.cfg.actor).await?;
        self.plan_changed(InventoryEntity::Device, &device.id.to_string());
        Ok(PlanPosition { device_id: device.id, x: at.x, y: at.y })
    }

    /// Takes a device off its plan; false when it was on none.
    pub async fn unplace_device(&self, device_key: &DeviceKey) -> Result<bool, ApiError> {
        let device = self.store.get_device(device_key).await?;
        let removed = self.store.unplace_device(device.id, Utc::now(), &self.cfg.actor).await?;
        if removed {
            self.plan_changed(InventoryEntity::Device, &device.id.to_string());
        }
        Ok(removed)
    }

    /// The devices placed on the site's plan (those still at the site).
    pub async fn plan_positions(&self, site_key: &str) -> Result<Vec<PlanPosition>, ApiError> {
        let site = self.store.get_site(site_key).await?;
        Ok(self.store.plan_positions(site.id).await?)
    }

    /// Announced as an update of the site or device, as other inventory
    /// edits are: front ends reload, and the monitor's reload of one device
    /// (not of everything) is all a frequent drag on the plan costs it.
    fn plan_changed(&self, entity: InventoryEntity, id: &str) {
        self.publish(CoreEvent::InventoryChanged { entity, id: id.into(), action: ChangeAction::FloorPlanChanged });
    }
}
