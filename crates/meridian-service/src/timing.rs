//! Wander analysis of phase series: the offline use case behind
//! `meridian timing mtie|tdev|adev|mdev FILE` (and, later, the timing
//! view's chosen window of a live series).
//!
//! Like the diagnostics it needs no data directory and no [`crate::App`]:
//! it reads a file, parses it with core's phase-file parser, computes one
//! metric at every octave tau, and optionally judges the curve against an
//! ITU-T mask. A mask with a prefilter (G.8273.2's dTE_L: 0.1 Hz low-pass)
//! is judged on the filtered series, and the curve returned is that one.

use std::path::Path;

use meridian_core::timing::{self, filter, mask::judge, PhaseSeries};
use serde::Serialize;
use ts_rs::TS;

pub use meridian_core::timing::alarm::{describe as describe_verdict, mask_alarm};
pub use meridian_core::timing::mask::MaskPoint;
pub use meridian_core::timing::{MaskInfo, MaskVerdict, Metric, TauValue};

use crate::error::ApiError;

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyseOptions {
    pub metric: Metric,
    /// Sample interval in seconds; the file's time column gives it
    /// otherwise, and 1 s when the file has one column.
    pub tau0: Option<f64>,
    /// Mask id (`g8262-eec1`); its limit in `metric` is used.
    pub mask: Option<String>,
}

/// One metric at every octave tau, and its verdict against a mask.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WanderAnalysis {
    pub metric: Metric,
    pub tau0: f64,
    pub samples: usize,
    /// The low-pass corner (Hz) applied before the metric, when the mask asks
    /// for one.
    pub prefilter_hz: Option<f64>,
    pub points: Vec<TauValue>,
    pub verdict: Option<MaskVerdict>,
}

/// Read a phase file and analyse it. Every refusal is a field error
/// (`file`, `tau0`, `mask`) whose message names the line when a line is at
/// fault.
pub fn analyse_file(path: &Path, opts: &AnalyseOptions) -> Result<WanderAnalysis, ApiError> {
    let bytes =
        std::fs::read(path).map_err(|e| ApiError::field("file", format!("cannot read {}: {e}", path.display())))?;
    let parsed = timing::parse_phase(&bytes)?;
    let tau0 = match (opts.tau0, parsed.tau0) {
        (Some(given), Some(file)) if ((given - file) / file).abs() > timing::STEP_TOLERANCE => {
            return Err(ApiError::field(
                "tau0",
                format!("--tau0 {given} s disagrees with the file's time column, whose step is {file} s"),
            ));
        }
        (Some(given), _) => given,
        (None, Some(file)) => file,
        (None, None) => 1.0,
    };
    let series = PhaseSeries::new(parsed.phase, tau0)?;
    analyse(&series, opts.metric, opts.mask.as_deref())
}

/// Analyse a series already in memory.
pub fn analyse(series: &PhaseSeries, metric: Metric, mask: Option<&str>) -> Result<WanderAnalysis, ApiError> {
    let mask = match mask {
        Some(_) if !matches!(metric, Metric::Mtie | Metric::Tdev) => {
            return Err(ApiError::field("mask", format!("masks limit MTIE or TDEV, not {}", metric.label())));
        }
        Some(id) => Some(timing::find_mask(id, metric)?),
        None => None,
    };
    let prefilter_hz = mask.and_then(|m| m.prefilter_hz);
    let filtered;
    let input = match prefilter_hz {
        Some(hz) => {
            filtered = filter::low_pass(series, hz)?;
            &filtered
        }
        None => series,
    };
    let points = timing::compute(metric, input)?;
    let verdict = mask.map(|m| judge(m, &points));
    Ok(WanderAnalysis { metric, tau0: series.tau0(), samples: series.len(), prefilter_hz, points, verdict })
}

/// Every mask of the library, for a picker.
pub fn masks() -> Vec<MaskInfo> {
    timing::masks().iter().map(|m| m.info()).collect()
}
