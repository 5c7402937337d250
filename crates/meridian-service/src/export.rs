//! Exports: inventory, alarms and raw samples as CSV or JSON text. The front
//! end decides where the text goes (the CLI writes it only on success).

use std::collections::HashMap;

use chrono::Utc;
use meridian_core::export::{
    alarms_csv, samples_csv, sites_csv, validate_export, ExportFormat, ExportRequest, ExportWhat, MAX_EXPORT_SAMPLES,
};
use meridian_core::inventory_csv::devices_csv;
use meridian_core::DeviceKey;
use meridian_store::StoreError;
use serde::Serialize;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

fn json<T: Serialize + ?Sized>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string_pretty(v).map_err(|e| ApiError::new(ApiErrorKind::Internal, e.to_string()))
}

impl App {
    /// Reversed or empty ranges, a range or device where none applies, an
    /// unknown device and a range with too many samples are field errors.
    pub async fn export(&self, req: ExportRequest) -> Result<String, ApiError> {
        let v = validate_export(&req, Utc::now())?;
        let device = match &v.device {
            None => None,
            Some(key) => Some(self.store.get_device(&DeviceKey::parse(key)).await.map_err(|e| match e {
                StoreError::NotFound { .. } => ApiError::field("device", format!("device '{key}' does not exist")),
                other => other.into(),
            })?),
        };
        let csv = v.format == ExportFormat::Csv;
        let (from, to) = v.range.unwrap_or_default();
        match v.what {
            ExportWhat::Devices => {
                let d = self.store.list_devices().await?;
                if csv {
                    Ok(devices_csv(&d))
                } else {
                    json(&d)
                }
            }
            ExportWhat::Sites => {
                let s = self.store.list_sites().await?;
                if csv {
                    Ok(sites_csv(&s))
                } else {
                    json(&s)
                }
            }
            ExportWhat::Alarms => {
                let alarms = self.store.alarms_between(from, to, device.map(|d| d.id)).await?;
                if !csv {
                    return json(&alarms);
                }
                let names: HashMap<_, _> =
                    self.store.list_devices().await?.into_iter().map(|d| (d.id, d.name)).collect();
                Ok(alarms_csv(&alarms, |a| a.device_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default()))
            }
            ExportWhat::Samples => {
                let limit = MAX_EXPORT_SAMPLES as i64 + 1;
                let rows = self.store.samples_between(from, to, device.map(|d| d.id), limit).await?;
                if rows.len() > MAX_EXPORT_SAMPLES {
                    return Err(ApiError::field(
                        "from",
                        format!("more than {MAX_EXPORT_SAMPLES} samples in the range; export a shorter one"),
                    ));
                }
                if csv {
                    Ok(samples_csv(&rows))
                } else {
                    json(&rows)
                }
            }
        }
    }
}
