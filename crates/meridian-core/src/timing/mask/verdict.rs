//! A measured curve against a mask: pass/fail, the first failing tau and
//! the worst margin.

use serde::Serialize;
use ts_rs::TS;

use super::{Mask, Metric};
use crate::timing::TauValue;

/// One judged tau: the measured value and the mask's limit there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaskPoint {
    pub tau: f64,
    pub value: f64,
    pub limit: f64,
    pub pass: bool,
}

/// The verdict of one curve against one mask.
///
/// - `pass`: every tau inside the mask's range is at or below the limit,
///   and there was at least one such tau (a curve the mask does not cover
///   is not a pass: nothing was checked).
/// - `first_failing_tau`: the smallest tau over the limit.
/// - `worst_margin`: the smallest `(limit - value) / limit` over the judged
///   taus, at `worst_tau`; 0.25 means 25 % headroom, -1.0 means twice the
///   limit.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaskVerdict {
    pub mask: String,
    pub metric: Metric,
    pub title: String,
    pub pass: bool,
    pub first_failing_tau: Option<f64>,
    pub worst_margin: Option<f64>,
    pub worst_tau: Option<f64>,
    pub points: Vec<MaskPoint>,
}

impl MaskVerdict {
    /// The failing point at the first failing tau.
    pub fn first_failure(&self) -> Option<&MaskPoint> {
        self.points.iter().find(|p| !p.pass)
    }
}

/// Judge `curve` (ascending taus, as the metrics return them) against `mask`.
pub fn judge(mask: &Mask, curve: &[TauValue]) -> MaskVerdict {
    let points: Vec<MaskPoint> = curve
        .iter()
        .filter_map(|p| {
            let limit = mask.limit(p.tau)?;
            Some(MaskPoint { tau: p.tau, value: p.value, limit, pass: p.value <= limit })
        })
        .collect();
    let worst = points.iter().map(|p| (p.tau, (p.limit - p.value) / p.limit)).min_by(|a, b| a.1.total_cmp(&b.1));
    MaskVerdict {
        mask: mask.id.to_owned(),
        metric: mask.metric,
        title: mask.title.to_owned(),
        pass: !points.is_empty() && points.iter().all(|p| p.pass),
        first_failing_tau: points.iter().find(|p| !p.pass).map(|p| p.tau),
        worst_margin: worst.map(|w| w.1),
        worst_tau: worst.map(|w| w.0),
        points,
    }
}
