//! Live wander: MTIE and TDEV of a watched clock's stored offset series
//! (`ptp_offset_ns`) over a window, judged against chosen ITU-T masks. The
//! timing view's "analyse this range" and the monitor's periodic check
//! (`monitor::wander`) both come here.
//!
//! The stored points sit at poll times; `core::timing::live` puts them on an
//! even grid. Offset from master is the clock's time error against its
//! master, so its MTIE/TDEV is the wander of that link, which is what
//! G.8261's network limits are written for.

use chrono::{DateTime, Utc};
use meridian_core::metric::{Builtin, SeriesKey};
use meridian_core::timing::{self, live, Metric, PhaseSeries};
use meridian_core::DeviceKey;
use meridian_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;
use crate::timing::{analyse, MaskVerdict, TauValue};

/// The masks judged when none are chosen: G.8261 network wander at an EEC
/// option 1 interface, the limit issue 16 names for a live clock.
pub const DEFAULT_WANDER_MASKS: &[&str] = &["g8261-eec1-network"];

/// Most raw points one analysis reads (a week at 10 s is 60,480).
pub const MAX_WANDER_POINTS: i64 = 200_000;

/// MTIE and TDEV of a window of a clock's offset, and each mask's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WanderReport {
    pub device: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Stored points in the window.
    pub points: usize,
    /// The grid step the series was put on, seconds.
    pub tau0: f64,
    pub mtie: Vec<TauValue>,
    pub tdev: Vec<TauValue>,
    /// One per chosen mask and metric it has a limit in (MTIE, TDEV).
    pub verdicts: Vec<MaskVerdict>,
    /// Each verdict's mask as a curve over the report's taus, to draw.
    pub curves: Vec<MaskCurve>,
}

/// A mask's limit at log-spaced taus (`core::timing::Mask::curve`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaskCurve {
    pub mask: String,
    pub metric: Metric,
    pub points: Vec<TauValue>,
}

/// The monitor's periodic wander check of every watched PTP client.
#[derive(Debug, Clone, PartialEq)]
pub struct WanderCheckConfig {
    /// How often the check runs.
    pub every: std::time::Duration,
    /// How far back from now each check reads.
    pub window: std::time::Duration,
    /// Mask ids; empty takes [`DEFAULT_WANDER_MASKS`].
    pub masks: Vec<String>,
}

impl Default for WanderCheckConfig {
    fn default() -> Self {
        Self {
            every: std::time::Duration::from_secs(600),
            window: std::time::Duration::from_secs(3600),
            masks: Vec::new(),
        }
    }
}

impl WanderCheckConfig {
    /// Field errors for a period or window of zero and unknown masks (a
    /// monitor started with a bad one anyway leaves that mask out and logs it).
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.every.is_zero() {
            return Err(ApiError::field("wanderEvery", "the check period must be at least 1 s"));
        }
        if self.window.as_secs() < 4 {
            return Err(ApiError::field("wanderWindow", "the window must be at least 4 s (four samples)"));
        }
        check_masks(&self.masks)
    }
}

impl App {
    /// Every mask of the library, for the timing view's picker.
    pub fn wander_masks(&self) -> Vec<crate::timing::MaskInfo> {
        crate::timing::masks()
    }

    /// MTIE and TDEV of the device's offset series in `[from, to)` and the
    /// verdict of each of `masks` (none given: [`DEFAULT_WANDER_MASKS`]).
    /// Refusals are field errors: `to` (range), `mask`, `window` (too few
    /// points, a gap, too many).
    pub async fn wander(
        &self,
        key: &DeviceKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        masks: &[String],
    ) -> Result<WanderReport, ApiError> {
        if to <= from {
            return Err(ApiError::field("to", "the window must end after it starts"));
        }
        let masks = mask_ids(masks);
        check_masks(&masks)?;
        let d = self.store.get_device(key).await?;
        let points = offset_points(&self.store, d.id, from, to).await?;
        let series = live::regular_series_near(&points, 1e-9, self.monitor_config().intervals.ptp.as_secs_f64())?;
        report(d.name, from, to, points.len(), series, &masks)
    }
}

/// The chosen mask ids, or the defaults.
pub(crate) fn mask_ids(masks: &[String]) -> Vec<String> {
    if masks.is_empty() {
        DEFAULT_WANDER_MASKS.iter().map(|m| (*m).to_owned()).collect()
    } else {
        masks.to_vec()
    }
}

/// Every id names a mask with an MTIE or TDEV limit.
pub(crate) fn check_masks(masks: &[String]) -> Result<(), ApiError> {
    for id in masks {
        if timing::find_mask(id, Metric::Mtie).is_err() {
            timing::find_mask(id, Metric::Tdev)?;
        }
    }
    Ok(())
}

/// The stored offset points of a device in `[from, to)`.
pub(crate) async fn offset_points(
    store: &Store,
    device: meridian_core::DeviceId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, f64)>, ApiError> {
    let metric = SeriesKey::device(Builtin::PtpOffsetNs).stored_metric();
    let points = store.device_series_points(device, &metric, from, to, MAX_WANDER_POINTS + 1).await?;
    if points.len() as i64 > MAX_WANDER_POINTS {
        return Err(ApiError::field(
            "window",
            format!("more than {MAX_WANDER_POINTS} offset samples in the window; choose a shorter one"),
        ));
    }
    Ok(points)
}

/// The analysis of `series` (made of `points` stored offsets).
pub(crate) fn report(
    device: String,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    points: usize,
    series: PhaseSeries,
    masks: &[String],
) -> Result<WanderReport, ApiError> {
    let mtie = timing::mtie(&series)?;
    let tdev = timing::tdev(&series)?;
    let mut verdicts = Vec::new();
    let mut curves = Vec::new();
    // Curves span the taus computed, a decade either side of the first and last.
    let span = |c: &[TauValue]| (c.first().map_or(1.0, |p| p.tau / 10.0), c.last().map_or(10.0, |p| p.tau * 10.0));
    for id in masks {
        for (metric, computed) in [(Metric::Mtie, &mtie), (Metric::Tdev, &tdev)] {
            let Ok(mask) = timing::find_mask(id, metric) else { continue };
            // `analyse` applies a mask's prefilter before judging.
            if let Some(v) = analyse(&series, metric, Some(id))?.verdict {
                verdicts.push(v);
            }
            let (lo, hi) = span(computed);
            curves.push(MaskCurve { mask: mask.id.to_owned(), metric, points: mask.curve(lo, hi, 20) });
        }
    }
    Ok(WanderReport { device, from, to, points, tau0: series.tau0(), mtie, tdev, verdicts, curves })
}
