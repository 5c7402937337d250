//! The monitor's periodic wander check: every `every` (10 min by default)
//! the offset series of each watched clock that follows a master is read
//! for the last `window` (1 h) and judged against the chosen masks
//! (`crate::wander`); each clock's `WanderWatch` turns the verdicts into
//! raises and clears of its wander alarms. A device with its own settings
//! (`crate::wander_settings`) is judged with its masks over its window.
//!
//! The reads and the maths run in one task off the supervisor's loop; the
//! verdicts come back over a channel. A check still running when the next
//! is due is not doubled: the next waits for it.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use meridian_core::timing::MaskVerdict;
use meridian_core::DeviceId;
use meridian_store::Store;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use meridian_core::timing::live;

use crate::error::ApiError;
use crate::wander::{mask_ids, offset_points, report, WanderCheckConfig};

/// One clock's verdicts; `None` when its window gave no usable series.
pub(super) type Checked = (DeviceId, Option<Vec<MaskVerdict>>);

pub(super) struct WanderChecker {
    cfg: WanderCheckConfig,
    masks: Vec<String>,
    last: Option<Instant>,
    running: Option<JoinHandle<()>>,
    tx: mpsc::Sender<Checked>,
}

impl WanderChecker {
    /// A checker and the receiver of its verdicts. Unknown masks are logged
    /// and left out, so a bad setting never stops the monitor.
    pub fn new(cfg: WanderCheckConfig) -> (Self, mpsc::Receiver<Checked>) {
        let masks = mask_ids(&cfg.masks)
            .into_iter()
            .filter(|m| match crate::wander::check_masks(std::slice::from_ref(m)) {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(mask = m, error = %e, "wander check: unknown mask left out");
                    false
                }
            })
            .collect();
        let (tx, rx) = mpsc::channel(256);
        (Self { cfg, masks, last: None, running: None, tx }, rx)
    }

    /// Starts a check of `devices` when one is due and none is running;
    /// `tau0` is the PTP poll interval (seconds), the series' grid step.
    pub fn tick(&mut self, store: &Arc<Store>, devices: Vec<(DeviceId, String)>, tau0: f64, now: DateTime<Utc>) {
        if self.running.as_ref().is_some_and(|t| !t.is_finished()) {
            return;
        }
        if self.last.is_some_and(|l| l.elapsed() < self.cfg.every) || devices.is_empty() {
            return;
        }
        self.last = Some(Instant::now());
        let window = chrono::Duration::from_std(self.cfg.window).unwrap_or(chrono::Duration::hours(1));
        let (store, default_masks, tx) = (store.clone(), self.masks.clone(), self.tx.clone());
        self.running = Some(tokio::spawn(async move {
            // Read at every check, so a device's new settings apply from the next one.
            let own = crate::wander_settings::load(&store).await;
            for (device, name) in devices {
                let (masks, from) = match own.get(&device) {
                    Some(s) => (s.masks.clone(), now - chrono::Duration::seconds(i64::from(s.window_secs))),
                    None => (default_masks.clone(), now - window),
                };
                let verdicts = match offset_points(&store, device, from, now).await {
                    Ok(points) => match live::regular_series(&points, 1e-9, Some(tau0))
                        .map_err(ApiError::from)
                        .and_then(|series| report(name.clone(), from, now, points.len(), series, &masks))
                    {
                        Ok(r) => Some(r.verdicts),
                        Err(e) => {
                            tracing::debug!(device = name, error = %e, "wander check: no usable series");
                            None
                        }
                    },
                    Err(e) => {
                        tracing::warn!(device = name, error = %e, "wander check: reading offsets");
                        None
                    }
                };
                if tx.send((device, verdicts)).await.is_err() {
                    return;
                }
            }
        }));
    }
}
