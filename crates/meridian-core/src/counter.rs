//! Counters to rates.
//!
//! SNMP counters (Counter32, Counter64) only ever count up and wrap to zero at
//! 2^32 or 2^64. A rate is the difference of two readings over the time
//! between them. The hard part is telling a wrap apart from a counter that
//! started over (reboot, agent restart, "clear counters"): a wrap must add
//! the counter's range, a restart must yield *no* rate, or the graph shows a
//! spike of petabytes per second. [`RateTracker`] makes that call for one
//! series and says why when it refuses to give a rate.

use chrono::{DateTime, Utc};
use std::time::Duration;

use crate::uptime::{check_uptime, UptimeCheck};

/// Width of an SNMP counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CounterKind {
    /// Counter32: wraps at 2^32.
    C32,
    /// Counter64: wraps at 2^64.
    C64,
}

impl CounterKind {
    /// Number of distinct values: the amount a wrap adds.
    pub fn modulus(self) -> u128 {
        match self {
            Self::C32 => 1 << 32,
            Self::C64 => 1 << 64,
        }
    }
}

/// Nothing SNMP counts moves faster than this many units per second (10^13 is
/// 80 Tbit/s in octets). It is the default ceiling so that a Counter64 that was
/// cleared, and so went back, is never mistaken for a wrap: that "wrap" would
/// imply ~10^17 units/s.
pub const DEFAULT_MAX_RATE: f64 = 1e13;

/// Past this gap between readings a 32-bit counter may have wrapped more than
/// once unseen, and any rate is an average over a span too long to be useful.
pub const DEFAULT_MAX_GAP: Duration = Duration::from_secs(600);

/// Plausibility limits for one series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Highest believable rate in units per second. For interface octet
    /// counters pass the interface speed in bytes/s (with some headroom);
    /// a computed rate above it is treated as a discontinuity.
    pub max_rate: f64,
    /// Longest believable gap between two readings.
    pub max_gap: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self { max_rate: DEFAULT_MAX_RATE, max_gap: DEFAULT_MAX_GAP }
    }
}

impl RateLimits {
    /// Limits for an octet counter on an interface of `bits_per_second`
    /// (ifSpeed, or ifHighSpeed × 10^6). The 10% headroom absorbs poll-time
    /// jitter: a reading stamped late makes a full-speed link look faster.
    /// A speed of 0 (unknown, which agents report) keeps the default.
    pub fn for_octets_at(bits_per_second: u64) -> Self {
        if bits_per_second == 0 {
            return Self::default();
        }
        Self { max_rate: bits_per_second as f64 / 8.0 * 1.1, ..Self::default() }
    }
}

/// Why no rate came out of a reading. After every discontinuity the tracker
/// starts over from the reading that caused it, so the next one gives a rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Discontinuity {
    /// sysUpTime says the agent restarted: counters restarted with it.
    AgentRestarted,
    /// The readings are further apart than `max_gap`.
    GapTooLong,
    /// The delta (with a wrap, if the counter went back) implies a rate
    /// above `max_rate`: in practice the counter was reset or cleared.
    ImplausibleRate,
    /// The reading is not later than the previous one (duplicate reading, or
    /// our clock stepped back): no rate can be computed over it.
    TimeNotAdvanced,
    /// A Counter32 reading above 2^32 - 1: a bug upstream. The reading is
    /// ignored and the previous one kept.
    OutOfRange,
}

/// What one reading produced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateOutcome {
    /// Units per second since the previous reading. Never negative.
    Rate(f64),
    /// The first reading of the series: a baseline, nothing to compare with.
    First,
    Discontinuity(Discontinuity),
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Reading {
    at: DateTime<Utc>,
    value: u64,
    uptime: Option<u64>,
}

/// Turns successive readings of one counter into rates.
#[derive(Debug, Clone, PartialEq)]
pub struct RateTracker {
    kind: CounterKind,
    limits: RateLimits,
    last: Option<Reading>,
}

impl RateTracker {
    pub fn new(kind: CounterKind) -> Self {
        Self::with_limits(kind, RateLimits::default())
    }

    pub fn with_limits(kind: CounterKind, limits: RateLimits) -> Self {
        Self { kind, limits, last: None }
    }

    pub fn kind(&self) -> CounterKind {
        self.kind
    }

    /// Changes the limits (e.g. the interface speed changed) without losing
    /// the baseline.
    pub fn set_limits(&mut self, limits: RateLimits) {
        self.limits = limits;
    }

    /// Feeds one reading: the counter `value` read at `at`, with the agent's
    /// sysUpTime (TimeTicks) from the same response when the caller has it.
    /// Without uptime a reset is still caught when it implies an impossible
    /// rate, but a counter that restarted and climbed past its old value
    /// within one interval is not: poll sysUpTime with the counters.
    pub fn observe(&mut self, at: DateTime<Utc>, value: u64, uptime_ticks: Option<u64>) -> RateOutcome {
        if u128::from(value) >= self.kind.modulus() {
            return RateOutcome::Discontinuity(Discontinuity::OutOfRange);
        }
        let now = Reading { at, value, uptime: uptime_ticks };
        let Some(prev) = self.last.replace(now) else {
            return RateOutcome::First;
        };
        match self.rate(&prev, &now) {
            Ok(rate) => RateOutcome::Rate(rate),
            Err(d) => RateOutcome::Discontinuity(d),
        }
    }

    fn rate(&self, prev: &Reading, now: &Reading) -> Result<f64, Discontinuity> {
        // Microseconds: fine enough for any poll, and an i64 of them spans
        // 292,000 years, so `None` (overflow) can only mean a bogus gap.
        let micros = (now.at - prev.at).num_microseconds().ok_or(Discontinuity::GapTooLong)?;
        if micros <= 0 {
            return Err(Discontinuity::TimeNotAdvanced);
        }
        if let (Some(p), Some(n)) = (prev.uptime, now.uptime) {
            if check_uptime(prev.at, p, now.at, n) == UptimeCheck::Restarted {
                return Err(Discontinuity::AgentRestarted);
            }
        }
        let max_gap_micros = i64::try_from(self.limits.max_gap.as_micros()).unwrap_or(i64::MAX);
        if micros > max_gap_micros {
            return Err(Discontinuity::GapTooLong);
        }
        let (p, n) = (u128::from(prev.value), u128::from(now.value));
        // A lower value is read as one wrap; the rate check below rejects it
        // when that wrap would be implausible (i.e. it was really a reset).
        let delta = if n >= p { n - p } else { self.kind.modulus() - p + n };
        let rate = delta as f64 / (micros as f64 / 1e6);
        if rate > self.limits.max_rate {
            return Err(Discontinuity::ImplausibleRate);
        }
        Ok(rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).single().expect("valid time")
    }

    fn rate(o: RateOutcome) -> f64 {
        match o {
            RateOutcome::Rate(r) => r,
            other => panic!("expected a rate, got {other:?}"),
        }
    }

    #[test]
    fn first_reading_is_a_baseline_then_rates_follow() {
        let mut tr = RateTracker::new(CounterKind::C64);
        assert_eq!(tr.observe(t(0), 1_000, None), RateOutcome::First);
        assert_eq!(rate(tr.observe(t(10), 3_000, None)), 200.0);
        assert_eq!(rate(tr.observe(t(20), 3_000, None)), 0.0);
    }

    #[test]
    fn c32_wrap_adds_two_to_the_32() {
        let mut tr = RateTracker::new(CounterKind::C32);
        tr.observe(t(0), u64::from(u32::MAX) - 99, Some(1_000));
        // 100 to reach 2^32 (i.e. 0), then 500 more.
        assert_eq!(rate(tr.observe(t(60), 500, Some(7_000))), 600.0 / 60.0);
    }

    #[test]
    fn c64_wrap_adds_two_to_the_64() {
        let mut tr = RateTracker::new(CounterKind::C64);
        tr.observe(t(0), u64::MAX - 9, None);
        assert_eq!(rate(tr.observe(t(2), 10, None)), 10.0);
    }

    #[test]
    fn cleared_c64_counter_is_not_a_wrap() {
        let mut tr = RateTracker::new(CounterKind::C64);
        tr.observe(t(0), 5_000_000_000, None);
        assert_eq!(tr.observe(t(60), 1_000, None), RateOutcome::Discontinuity(Discontinuity::ImplausibleRate));
        // It starts over from the cleared value.
        assert_eq!(rate(tr.observe(t(120), 7_000, None)), 100.0);
    }

    #[test]
    fn reboot_yields_no_rate_even_if_the_counter_grew() {
        let mut tr = RateTracker::new(CounterKind::C32);
        tr.observe(t(0), 100, Some(500_000));
        // Rebooted: uptime went back; counter happens to be higher. No spike.
        assert_eq!(
            tr.observe(t(60), 9_000_000, Some(2_000)),
            RateOutcome::Discontinuity(Discontinuity::AgentRestarted)
        );
        assert_eq!(rate(tr.observe(t(120), 9_000_600, Some(8_000))), 10.0);
    }

    #[test]
    fn reset_without_uptime_is_caught_by_the_interface_speed() {
        // 10 Mbit/s: at most ~1.4 MB/s. A C32 that went from 3e9 to 1e3 would
        // need a wrap of ~1.3e9 bytes in 60 s: 21 MB/s. Impossible.
        let mut tr = RateTracker::with_limits(CounterKind::C32, RateLimits::for_octets_at(10_000_000));
        tr.observe(t(0), 3_000_000_000, None);
        assert_eq!(tr.observe(t(60), 1_000, None), RateOutcome::Discontinuity(Discontinuity::ImplausibleRate));
        // A real wrap at that speed is accepted.
        let mut tr = RateTracker::with_limits(CounterKind::C32, RateLimits::for_octets_at(10_000_000));
        tr.observe(t(120), u64::from(u32::MAX) - 999, None);
        assert_eq!(rate(tr.observe(t(180), 59_000, None)), 1_000.0);
    }

    #[test]
    fn too_long_a_gap_is_a_discontinuity() {
        let limits = RateLimits { max_gap: Duration::from_secs(300), ..RateLimits::default() };
        let mut tr = RateTracker::with_limits(CounterKind::C32, limits);
        tr.observe(t(0), 0, None);
        assert_eq!(tr.observe(t(301), 10, None), RateOutcome::Discontinuity(Discontinuity::GapTooLong));
        assert_eq!(rate(tr.observe(t(601), 310, None)), 1.0);
    }

    #[test]
    fn time_must_advance() {
        let mut tr = RateTracker::new(CounterKind::C64);
        tr.observe(t(10), 0, None);
        assert_eq!(tr.observe(t(10), 5, None), RateOutcome::Discontinuity(Discontinuity::TimeNotAdvanced));
        assert_eq!(tr.observe(t(5), 6, None), RateOutcome::Discontinuity(Discontinuity::TimeNotAdvanced));
        // Baseline is now (t5, 6).
        assert_eq!(rate(tr.observe(t(15), 26, None)), 2.0);
    }

    #[test]
    fn out_of_range_c32_reading_is_ignored() {
        let mut tr = RateTracker::new(CounterKind::C32);
        tr.observe(t(0), 10, None);
        assert_eq!(tr.observe(t(5), 1 << 32, None), RateOutcome::Discontinuity(Discontinuity::OutOfRange));
        assert_eq!(rate(tr.observe(t(10), 20, None)), 1.0);
    }

    #[test]
    fn sub_second_intervals_are_measured_exactly() {
        let mut tr = RateTracker::new(CounterKind::C64);
        tr.observe(t(0), 0, None);
        let later = t(0) + chrono::TimeDelta::milliseconds(250);
        assert_eq!(rate(tr.observe(later, 50, None)), 200.0);
    }

    #[test]
    fn unknown_interface_speed_keeps_the_default_ceiling() {
        assert_eq!(RateLimits::for_octets_at(0), RateLimits::default());
        assert_eq!(RateLimits::for_octets_at(8_000).max_rate, 1_100.0);
    }
}
