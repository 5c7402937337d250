//! SyncE quality levels as the Timing tab lists them: every clock source
//! the monitor has read (CISCO-NETSYNC-MIB, `monitor::synce`), its newest
//! level, and its degradation alarm (`core::clock::synce`).

use meridian_core::clock::problem::SYNCE_QL_DEGRADED;
use meridian_core::clock::synce::{synce_object, QualityLevel};
use meridian_core::metric::{Builtin, Instance, SeriesKey};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;

/// One SyncE clock source of a device.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SynceSourceView {
    pub device: String,
    /// The source's name on the device (its interface).
    pub source: String,
    /// "QL-PRC", or "unknown (N)" for a stored number no level has.
    pub quality_level: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The active degradation alarm's text ("Gi0/0/1: QL-SEC, expected QL-PRC").
    pub alarm: Option<String>,
}

impl App {
    /// Every SyncE source with a stored quality level, by device and source.
    pub async fn synce_sources(&self) -> Result<Vec<SynceSourceView>, ApiError> {
        let names: std::collections::HashMap<_, _> =
            self.store.list_devices().await?.into_iter().map(|d| (d.id, d.name)).collect();
        let mut out = Vec::new();
        for s in self.store.latest_samples(Builtin::SynceQl.name()).await? {
            let SeriesKey { instance: Instance::Row(source), .. } = s.key else { continue };
            let Some(device) = names.get(&s.device) else { continue };
            let object = synce_object(s.device, &source);
            let alarm = self
                .store
                .active_alarms_for_device(s.device)
                .await?
                .into_iter()
                .find(|a| a.managed_object == object && a.specific_problem == SYNCE_QL_DEGRADED)
                .map(|a| a.additional_text);
            let quality_level = QualityLevel::from_netsync(s.value as i64)
                .map_or_else(|| format!("unknown ({})", s.value), QualityLevel::name);
            out.push(SynceSourceView { device: device.clone(), source, quality_level, at: s.at, alarm });
        }
        out.sort_by(|a, b| (&a.device, &a.source).cmp(&(&b.device, &b.source)));
        Ok(out)
    }
}
