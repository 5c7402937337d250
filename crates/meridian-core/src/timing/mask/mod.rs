//! ITU-T masks for MTIE and TDEV, and the verdict of a measured curve
//! against one.
//!
//! A mask is a piecewise limit `L(tau) = sum_k c_k tau^p_k` over contiguous
//! segments `(from, to]` (the first segment is closed at `from`), written in
//! the unit its Recommendation's table uses. Outside the segments the mask
//! says nothing, and a tau there is not judged. The catalogue, with the
//! table each mask comes from and what quantity it applies to, is in
//! [`itu`].

pub mod itu;
mod verdict;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::timing::TauValue;
use crate::CoreError;

pub use verdict::{judge, MaskPoint, MaskVerdict};

/// The wander metric a mask (or a computed curve) is in. `WanderMetric` in
/// TypeScript, where `Metric` would read as a poll metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(rename = "WanderMetric")]
pub enum Metric {
    Mtie,
    Tdev,
    Adev,
    Mdev,
}

impl Metric {
    pub fn label(self) -> &'static str {
        match self {
            Self::Mtie => "MTIE",
            Self::Tdev => "TDEV",
            Self::Adev => "ADEV",
            Self::Mdev => "MDEV",
        }
    }
}

/// `c * tau^p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Term {
    pub coef: f64,
    pub pow: f64,
}

/// The limit over `(from, to]` (`to` may be infinite).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub from: f64,
    pub to: f64,
    pub terms: &'static [Term],
}

pub const NS: f64 = 1e-9;
pub const US: f64 = 1e-6;

/// One limit curve of one Recommendation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mask {
    /// Short name, the same for a clock's MTIE and TDEV masks
    /// (`g8262-eec1`): what `--mask` takes.
    pub id: &'static str,
    pub metric: Metric,
    /// "G.8262 EEC option 1 wander generation".
    pub title: &'static str,
    /// Recommendation, edition and table.
    pub source: &'static str,
    /// What the measured series must be for this mask to apply.
    pub applies_to: &'static str,
    /// A low-pass filter (corner in Hz) the Recommendation applies to the
    /// phase before the metric, as G.8273.2 does for dTE_L.
    pub prefilter_hz: Option<f64>,
    /// Seconds per unit of the coefficients: [`NS`] or [`US`].
    pub unit: f64,
    pub segments: &'static [Segment],
}

impl Mask {
    /// The limit in seconds at `tau`, or `None` outside the mask's range.
    pub fn limit(&self, tau: f64) -> Option<f64> {
        let first = self.segments.first()?;
        if !tau.is_finite() || tau < first.from {
            return None;
        }
        let seg = self.segments.iter().find(|s| tau <= s.to)?;
        Some(self.unit * seg.terms.iter().map(|t| t.coef * tau.powf(t.pow)).sum::<f64>())
    }

    /// Smallest and largest tau the mask covers (`to` is `None` when open).
    pub fn range(&self) -> (f64, Option<f64>) {
        let from = self.segments.first().map_or(0.0, |s| s.from);
        let to = self.segments.last().map(|s| s.to).filter(|t| t.is_finite());
        (from, to)
    }

    /// The limit at `per_decade` log-spaced taus over `[from, to]` clipped
    /// to the mask's range, plus each segment edge inside it (so a corner is
    /// drawn where it is), ascending: a curve to draw over a plot.
    pub fn curve(&self, from: f64, to: f64, per_decade: usize) -> Vec<TauValue> {
        let (lo, hi) = self.range();
        let (from, to) = (from.max(lo), hi.map_or(to, |h| to.min(h)));
        if !(from.is_finite() && to.is_finite() && from > 0.0 && to >= from) || per_decade == 0 {
            return Vec::new();
        }
        let steps = ((to / from).log10() * per_decade as f64).ceil() as usize;
        let mut taus: Vec<f64> = (0..=steps).map(|k| from * 10f64.powf(k as f64 / per_decade as f64)).collect();
        taus.retain(|t| *t <= to);
        taus.push(to);
        taus.extend(self.segments.iter().map(|s| s.to).filter(|t| *t > from && *t < to));
        taus.sort_by(f64::total_cmp);
        taus.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs());
        taus.into_iter().filter_map(|tau| Some(TauValue { tau, value: self.limit(tau)? })).collect()
    }

    pub fn info(&self) -> MaskInfo {
        let (from, to) = self.range();
        MaskInfo {
            id: self.id.to_owned(),
            metric: self.metric,
            title: self.title.to_owned(),
            source: self.source.to_owned(),
            applies_to: self.applies_to.to_owned(),
            prefilter_hz: self.prefilter_hz,
            tau_from: from,
            tau_to: to,
        }
    }
}

/// A mask as a UI lists it; [`Mask::limit`] gives its curve.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaskInfo {
    pub id: String,
    pub metric: Metric,
    pub title: String,
    pub source: String,
    pub applies_to: String,
    pub prefilter_hz: Option<f64>,
    pub tau_from: f64,
    pub tau_to: Option<f64>,
}

/// Every mask in the library.
pub fn masks() -> &'static [Mask] {
    itu::MASKS
}

/// The `metric` mask of the clock or limit named `id` (case-insensitive).
pub fn find_mask(id: &str, metric: Metric) -> Result<&'static Mask, CoreError> {
    let id = id.trim();
    let same_id = |m: &&Mask| m.id.eq_ignore_ascii_case(id);
    if let Some(m) = masks().iter().filter(same_id).find(|m| m.metric == metric) {
        return Ok(m);
    }
    let message = match masks().iter().find(same_id) {
        Some(_) => format!("mask '{id}' has no {} limit", metric.label()),
        None => {
            let mut names: Vec<&str> = masks().iter().filter(|m| m.metric == metric).map(|m| m.id).collect();
            names.dedup();
            format!("unknown mask '{id}'; {} masks: {}", metric.label(), names.join(", "))
        }
    };
    Err(CoreError::field("mask", message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_follows_the_limit_with_its_corners_inside_the_asked_range() {
        let m = find_mask("g8261-eec1-network", Metric::Mtie).expect("mask");
        let c = m.curve(0.01, 100.0, 10);
        assert_eq!(c.first().map(|p| p.tau), Some(0.1), "clipped to the mask's first tau");
        assert_eq!(c.last().map(|p| p.tau), Some(100.0));
        assert!(c.windows(2).all(|w| w[0].tau < w[1].tau));
        for corner in [2.5, 20.0] {
            let p = c.iter().find(|p| p.tau == corner).expect("corner drawn");
            assert_eq!(Some(p.value), m.limit(corner));
        }
        assert!(c.iter().all(|p| Some(p.value) == m.limit(p.tau)));
        assert!(m.curve(200.0, 100.0, 10).is_empty() && m.curve(1.0, 10.0, 0).is_empty());
    }
}
