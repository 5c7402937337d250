//! Watching a device's NTP server: which UDP port to query. The monitor
//! polls it (`PollKind::Ntp`), stores offset, delay and stratum, and raises
//! the `core::clock::ntp_alarms` (unreachable, unsynchronised, offset, leap).

use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::{CoreError, DeviceKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::App;
use crate::devicemap;
use crate::error::ApiError;

const SETTINGS_KEY: &str = "ntp_watch";
pub const NTP_PORT: u16 = 123;

/// How a device's NTP service is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NtpWatchConfig {
    pub port: u16,
}

impl App {
    /// The device's NTP watch, if it has one.
    pub async fn ntp_watch(&self, key: &DeviceKey) -> Result<Option<NtpWatchConfig>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(devicemap::load::<NtpWatchConfig>(&self.store, SETTINGS_KEY).await.remove(&d.id))
    }

    /// Starts (`Some`) or stops (`None`) watching the device's NTP server.
    pub async fn set_ntp_watch(&self, key: &DeviceKey, watch: Option<NtpWatchConfig>) -> Result<(), ApiError> {
        if watch.is_some_and(|w| w.port == 0) {
            return Err(CoreError::field("port", "must be 1 to 65535").into());
        }
        let d = self.store.get_device(key).await?;
        devicemap::put(&self.store, SETTINGS_KEY, d.id, watch).await?;
        tracing::info!(device = %d.name, ?watch, "NTP watch set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(())
    }
}

/// Every device's NTP port.
pub(crate) async fn load(store: &meridian_store::Store) -> std::collections::BTreeMap<meridian_core::DeviceId, u16> {
    devicemap::load::<NtpWatchConfig>(store, SETTINGS_KEY).await.into_iter().map(|(d, w)| (d, w.port)).collect()
}

/// A watched NTP server as the timing view lists it: its newest stored
/// reading and the NTP alarms active on it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NtpServerView {
    pub device: String,
    pub address: String,
    pub port: u16,
    /// When the newest reading was taken; null before the first answer.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    pub offset_ms: Option<f64>,
    pub delay_ms: Option<f64>,
    pub stratum: Option<f64>,
    /// The reach register after the newest poll, in octal as `ntpq -p`
    /// shows it ("377": the last eight polls answered; "0": none).
    pub reach: Option<String>,
    /// Specific problems of its active NTP alarms (`ntpUnreachable` ...).
    pub alarms: Vec<String>,
}

/// The NTP watch's alarms (`core::clock::ntp_alarms`).
const NTP_PROBLEMS: [&str; 4] = [
    meridian_core::clock::problem::NTP_UNREACHABLE,
    meridian_core::clock::problem::NTP_UNSYNCHRONISED,
    meridian_core::clock::problem::NTP_OFFSET_EXCEEDED,
    meridian_core::clock::problem::NTP_LEAP_ANNOUNCED,
];

impl App {
    /// Every watched NTP server with its newest offset, delay and stratum.
    pub async fn ntp_servers(&self) -> Result<Vec<NtpServerView>, ApiError> {
        use meridian_core::metric::{Builtin, SeriesKey};
        use meridian_core::ntp::Reach;
        let ports = load(&self.store).await;
        let mut latest = std::collections::BTreeMap::new();
        for b in [Builtin::NtpOffsetMs, Builtin::NtpDelayMs, Builtin::NtpStratum, Builtin::NtpReach] {
            for s in self.store.latest_samples(&SeriesKey::device(b).stored_metric()).await? {
                latest.insert((s.device, b), (s.at, s.value));
            }
        }
        let mut out = Vec::new();
        for d in self.store.list_devices().await? {
            let Some(port) = ports.get(&d.id).copied() else { continue };
            let get = |b| latest.get(&(d.id, b)).copied();
            let alarms = self
                .store
                .active_alarms_for_device(d.id)
                .await?
                .into_iter()
                .map(|a| a.specific_problem)
                .filter(|p| NTP_PROBLEMS.contains(&p.as_str()))
                .collect();
            out.push(NtpServerView {
                at: get(Builtin::NtpOffsetMs).map(|v| v.0),
                offset_ms: get(Builtin::NtpOffsetMs).map(|v| v.1),
                delay_ms: get(Builtin::NtpDelayMs).map(|v| v.1),
                stratum: get(Builtin::NtpStratum).map(|v| v.1),
                reach: get(Builtin::NtpReach).map(|v| Reach(v.1.clamp(0.0, 255.0) as u8).octal()),
                device: d.name,
                address: d.address,
                port,
                alarms,
            });
        }
        Ok(out)
    }
}
