//! Which tier a chart reads.
//!
//! The chart's bucket width comes from [`crate::history::bucket_secs`] as
//! before. Every tier whose width divides that bucket gives the same chart
//! (count, sum, min and max merge exactly), so the read takes the coarsest
//! of them that still holds the start of the range: a 1-hour chart reads raw
//! samples, 30 days the 1-hour tier, a year the 1-day tier. When no tier fine
//! enough holds the start any more (raw samples of last month are gone), the
//! finest tier that does is read and the buckets widen to its width.
//!
//! A tier is complete only up to its watermark; the rest of the range is read
//! from the finer tiers down to raw samples (see [`ReadPlan::segments`]).

use chrono::{DateTime, Utc};

use super::retention::Retention;
use super::{align_down, Tier, Watermarks};

/// One part of a read: `source` over `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub source: Tier,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadPlan {
    /// The chart's bucket width, a multiple of `tier`'s.
    pub bucket_secs: i64,
    /// The coarsest tier read.
    pub tier: Tier,
    /// Disjoint, in time order, covering the range.
    pub segments: Vec<Segment>,
}

/// Picks the tier and splits `[from, to)` at the watermarks. `wanted` is the
/// bucket width the point budget allows.
pub fn plan_read(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    wanted: i64,
    now: DateTime<Utc>,
    keep: &Retention,
    marks: &Watermarks,
) -> ReadPlan {
    let holds = |t: Tier| keep.horizon(t, now).is_none_or(|h| from >= h);
    let fits = |t: Tier| t.width_secs().is_none_or(|w| w <= wanted && wanted % w == 0);
    let tier = Tier::ALL
        .into_iter()
        .rev()
        .find(|&t| fits(t) && holds(t))
        .or_else(|| Tier::ALL.into_iter().find(|&t| holds(t)))
        .unwrap_or(Tier::Day);
    let bucket_secs = match tier.width_secs() {
        // Round up to a multiple of the tier's width.
        Some(w) => ((wanted.max(w) + w - 1) / w) * w,
        None => wanted,
    };
    ReadPlan { bucket_secs, tier, segments: segments(tier, from, to, marks) }
}

/// `tier` up to its watermark, then each finer tier up to its own, then raw
/// samples to the end. A rollup segment starts at the bucket holding `from`,
/// so the first chart bucket is whole rather than cut at the range start.
fn segments(tier: Tier, from: DateTime<Utc>, to: DateTime<Utc>, marks: &Watermarks) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = from;
    let mut t = Some(tier);
    while let Some(source) = t {
        let end = match source {
            Tier::Raw => Some(to),
            _ => marks.get(source).map(|m| m.min(to)),
        };
        if let Some(end) = end.filter(|&e| e > at) {
            let start = match source.width_secs() {
                Some(w) if at == from => align_down(from, w),
                _ => at,
            };
            out.push(Segment { source, from: start, to: end });
            at = end;
        }
        t = source.finer();
    }
    out
}
