//! Time up per bucket, from a device's state changes.
//!
//! Device state is not a sample series: the monitor logs each change
//! (`device.state` in the event log). A bucket's figures are the seconds the
//! device spent in a known state and, of those, the seconds it was up (Up or
//! Degraded: it answered). Time in `Unknown` (just added, or before the first
//! verdict) counts neither way, so it does not read as an outage. Seconds
//! rather than a fraction, so coarser buckets and report periods are sums.

use chrono::{DateTime, Duration, Utc};

use super::{align_down, Tier};
use crate::state::DeviceState;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateTime {
    pub up_secs: i64,
    pub known_secs: i64,
}

impl StateTime {
    pub fn merge(self, o: StateTime) -> StateTime {
        StateTime { up_secs: self.up_secs + o.up_secs, known_secs: self.known_secs + o.known_secs }
    }

    /// Up over known time; `None` when no state was known.
    pub fn up_fraction(&self) -> Option<f64> {
        (self.known_secs > 0).then(|| self.up_secs as f64 / self.known_secs as f64)
    }
}

pub fn is_up(s: DeviceState) -> bool {
    matches!(s, DeviceState::Up | DeviceState::Degraded)
}

/// Seconds up and known per bucket of `width_secs` over `[from, to)` for one
/// device that was in `before` at `from` (`None`: no state logged yet) and
/// changed to each state of `changes` (sorted by time; entries outside the
/// range are ignored). Buckets with no known time are left out.
pub fn state_buckets(
    before: Option<DeviceState>,
    changes: &[(DateTime<Utc>, DeviceState)],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    width_secs: i64,
) -> Vec<(DateTime<Utc>, StateTime)> {
    let mut out: Vec<(DateTime<Utc>, StateTime)> = Vec::new();
    let mut state = before.unwrap_or_default();
    let mut add = |a: DateTime<Utc>, b: DateTime<Utc>, s: DeviceState| {
        // Split [a, b) at bucket edges.
        let mut at = a;
        while at < b {
            let bucket = align_down(at, width_secs);
            let end = (bucket + Duration::seconds(width_secs)).min(b);
            let secs = (end - at).num_seconds();
            if s != DeviceState::Unknown && secs > 0 {
                let t = StateTime { up_secs: if is_up(s) { secs } else { 0 }, known_secs: secs };
                match out.last_mut() {
                    Some((b, acc)) if *b == bucket => *acc = acc.merge(t),
                    _ => out.push((bucket, t)),
                }
            }
            at = end;
        }
    };
    let mut at = from;
    for &(when, next) in changes {
        if when < from {
            state = next;
            continue;
        }
        if when >= to {
            break;
        }
        add(at, when, state);
        (at, state) = (when, next);
    }
    add(at, to, state);
    out
}

/// The coarsest tier whose buckets tile `[from, to)` exactly (a day-aligned
/// period reads the 1-day tier); else the 5-minute tier, whose buckets
/// starting in the period are counted whole.
pub fn tier_for_period(from: DateTime<Utc>, to: DateTime<Utc>) -> Tier {
    Tier::ROLLUPS
        .into_iter()
        .rev()
        .find(|t| t.width_secs().is_some_and(|w| align_down(from, w) == from && align_down(to, w) == to))
        .unwrap_or(Tier::FiveMin)
}
