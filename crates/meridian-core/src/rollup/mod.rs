//! History tiers: raw samples and their 5-minute, 1-hour and 1-day rollups.
//!
//! A rollup bucket keeps count, sum, min, max and the last value of one
//! series over one epoch-aligned interval, so coarser buckets and chart
//! buckets are exact merges of finer ones (avg = sum / count). Each tier is
//! built from the next finer one (5 min from raw, 1 h from 5 min, 1 day from
//! 1 h) up to a watermark: every bucket before it is final, every bucket at
//! or after it may still change. Rebuilding a bucket replaces it whole, so a
//! rollup run cut short and run again gives the same rows.
//!
//! This module is the arithmetic: alignment, merging, which interval the job
//! does next, what retention may delete ([`retention`]) and which tier a
//! chart reads ([`plan`]). The store runs it in SQL; the service drives it.

pub mod plan;
pub mod retention;
pub mod state;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where history is read from or rolled into, finest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "HistoryTier")]
pub enum Tier {
    Raw,
    FiveMin,
    Hour,
    Day,
}

impl Tier {
    /// The rollup tiers, finest first.
    pub const ROLLUPS: [Tier; 3] = [Tier::FiveMin, Tier::Hour, Tier::Day];
    pub const ALL: [Tier; 4] = [Tier::Raw, Tier::FiveMin, Tier::Hour, Tier::Day];

    /// Bucket width in seconds; raw samples have none.
    pub const fn width_secs(self) -> Option<i64> {
        match self {
            Self::Raw => None,
            Self::FiveMin => Some(300),
            Self::Hour => Some(3600),
            Self::Day => Some(86_400),
        }
    }

    /// The name the store and `meridian status` use.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Raw => "raw",
            Self::FiveMin => "5m",
            Self::Hour => "1h",
            Self::Day => "1d",
        }
    }

    /// The tier this one is built from.
    pub const fn source(self) -> Option<Tier> {
        match self {
            Self::Raw => None,
            Self::FiveMin => Some(Self::Raw),
            Self::Hour => Some(Self::FiveMin),
            Self::Day => Some(Self::Hour),
        }
    }

    /// The next finer tier (the one a read falls back to past this tier's
    /// watermark).
    pub const fn finer(self) -> Option<Tier> {
        self.source()
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Each rollup tier's watermark: buckets starting before it are final.
/// `None` means the tier has never been built.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Watermarks([Option<DateTime<Utc>>; 4]);

impl Watermarks {
    pub fn get(&self, tier: Tier) -> Option<DateTime<Utc>> {
        self.0[tier.index()]
    }

    pub fn set(&mut self, tier: Tier, at: Option<DateTime<Utc>>) {
        if tier != Tier::Raw {
            self.0[tier.index()] = at;
        }
    }
}

/// `t` rounded down to a multiple of `width_secs` since the unix epoch.
pub fn align_down(t: DateTime<Utc>, width_secs: i64) -> DateTime<Utc> {
    let w = width_secs.max(1);
    let s = t.timestamp();
    // Sub-second parts are dropped: buckets start on whole seconds.
    let aligned = s - s.rem_euclid(w);
    DateTime::from_timestamp(aligned, 0).unwrap_or(t)
}

/// `t` rounded up to a multiple of `width_secs` (unchanged when aligned).
pub fn align_up(t: DateTime<Utc>, width_secs: i64) -> DateTime<Utc> {
    let down = align_down(t, width_secs);
    if down == t {
        t
    } else {
        down + Duration::seconds(width_secs.max(1))
    }
}

/// Count, sum, min and max of some samples: what merges exactly.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agg {
    pub count: i64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
}

impl Agg {
    pub fn of(value: f64) -> Self {
        Self { count: 1, sum: value, min: value, max: value }
    }

    pub fn merge(self, o: Agg) -> Agg {
        Agg { count: self.count + o.count, sum: self.sum + o.sum, min: self.min.min(o.min), max: self.max.max(o.max) }
    }

    pub fn avg(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }
}

/// One aggregate of one series in one bucket (`t` = bucket start, unix s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesAgg {
    pub series_id: i64,
    pub t: i64,
    pub agg: Agg,
}

/// Merges aggregates read from several tiers into one per (series, bucket),
/// ordered by series then time. A chart bucket cut by a watermark arrives in
/// two parts (coarse tier before it, finer tier after); this joins them.
pub fn merge_buckets(mut parts: Vec<SeriesAgg>) -> Vec<SeriesAgg> {
    parts.sort_by_key(|p| (p.series_id, p.t));
    let mut out: Vec<SeriesAgg> = Vec::with_capacity(parts.len());
    for p in parts {
        match out.last_mut() {
            Some(l) if l.series_id == p.series_id && l.t == p.t => l.agg = l.agg.merge(p.agg),
            _ => out.push(p),
        }
    }
    out
}

/// How far the rollup job may build `tier` at `now`: up to the last whole
/// bucket that ended at least `grace` ago (5 min, from raw samples, which
/// may arrive late by the writer's queue delay), or up to what the finer
/// tier has finished (1 h, 1 day).
pub fn rollup_target(tier: Tier, now: DateTime<Utc>, grace: Duration, marks: &Watermarks) -> Option<DateTime<Utc>> {
    let width = tier.width_secs()?;
    match tier.source()? {
        Tier::Raw => Some(align_down(now - grace, width)),
        finer => marks.get(finer).map(|w| align_down(w, width)),
    }
}

/// The next interval the job rebuilds for a tier whose watermark is `mark`
/// (where it starts when `None`: `first`, the oldest source data, aligned),
/// at most `max_span` long and ending on a bucket edge no later than
/// `target`. `None` when the tier is up to date.
pub fn next_batch(
    tier: Tier,
    mark: Option<DateTime<Utc>>,
    first: Option<DateTime<Utc>>,
    target: DateTime<Utc>,
    max_span: Duration,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let width = tier.width_secs()?;
    let start = match (mark, first) {
        (Some(m), _) => m,
        (None, Some(f)) => align_down(f, width),
        // Nothing rolled up and nothing to roll up: start at the target.
        (None, None) => return None,
    };
    let target = align_down(target, width);
    if start >= target {
        return None;
    }
    // At least one bucket per batch, however small the span asked.
    let span = max_span.num_seconds().max(width);
    let end = align_down(start + Duration::seconds(span), width).min(target);
    let end = if end <= start { start + Duration::seconds(width) } else { end };
    Some((start, end.min(target)))
}

#[cfg(test)]
mod tests;
