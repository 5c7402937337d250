//! Property tests for counters to rates: wrap, reset and sign.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use meridian_core::counter::{CounterKind, Discontinuity, RateLimits, RateOutcome, RateTracker, DEFAULT_MAX_RATE};
use meridian_core::uptime::TICKS_MODULUS;
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000, 0).single().expect("valid time")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// One poll: milliseconds since the previous one, and the counter increment.
/// The increment is kept physically possible (at most DEFAULT_MAX_RATE per
/// second) and below the counter's range, i.e. at most one wrap per poll.
fn steps(kind: CounterKind) -> impl Strategy<Value = Vec<(i64, u128)>> {
    let step = (1i64..=600_000).prop_flat_map(move |ms| {
        // 99% of the ceiling: exactly at it, float rounding could tip over.
        let physical = (DEFAULT_MAX_RATE as u128) * u128::try_from(ms).expect("positive") / 1000 * 99 / 100;
        let max_inc = physical.min(kind.modulus() - 1);
        // Mix small increments with ones near the limit, where wraps happen.
        let inc = prop_oneof![0..=max_inc.min(1_000_000), (max_inc / 2)..=max_inc];
        (Just(ms), inc)
    });
    prop::collection::vec(step, 1..40)
}

/// Start values anywhere, but often just below the wrap.
fn start(kind: CounterKind) -> impl Strategy<Value = u128> {
    let top = kind.modulus() - 1;
    prop_oneof![0..=top, (top - 1_000_000)..=top]
}

fn check_rates_equal_increments(kind: CounterKind, start: u128, uptime0: u64, steps: &[(i64, u128)]) {
    let mut tr = RateTracker::new(kind);
    let mut at = t0();
    let mut value = start;
    let mut elapsed_ms: i64 = 0;
    let uptime = |ms: i64| (uptime0 + u64::try_from(ms / 10).expect("positive")) % TICKS_MODULUS;
    let as_u64 = |v: u128| u64::try_from(v).expect("within counter range");
    assert_eq!(tr.observe(at, as_u64(value), Some(uptime(0))), RateOutcome::First);
    for &(ms, inc) in steps {
        at += TimeDelta::milliseconds(ms);
        elapsed_ms += ms;
        value = (value + inc) % kind.modulus();
        let got = tr.observe(at, as_u64(value), Some(uptime(elapsed_ms)));
        let want = inc as f64 / (ms as f64 / 1000.0);
        match got {
            RateOutcome::Rate(r) => assert!(close(r, want), "rate {r} != {want} (inc {inc} over {ms} ms)"),
            other => panic!("expected rate {want}, got {other:?} (inc {inc} over {ms} ms, value {value})"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn c32_rates_equal_increments_over_elapsed_across_wraps(
        s in start(CounterKind::C32), up in 0u64..TICKS_MODULUS, st in steps(CounterKind::C32)
    ) {
        check_rates_equal_increments(CounterKind::C32, s, up, &st);
    }

    #[test]
    fn c64_rates_equal_increments_over_elapsed_across_wraps(
        s in start(CounterKind::C64), up in 0u64..TICKS_MODULUS, st in steps(CounterKind::C64)
    ) {
        check_rates_equal_increments(CounterKind::C64, s, up, &st);
    }

    /// sysUpTime going back (other than its own 497-day wrap) never yields a
    /// rate, whatever the counter did.
    #[test]
    fn a_reset_never_yields_a_rate(
        c64 in any::<bool>(),
        v0 in any::<u32>(), v1 in any::<u32>(),
        up0 in 1_000u64..(TICKS_MODULUS / 2), back in 1u64..1_000_000,
        ms in 1i64..=600_000,
    ) {
        let kind = if c64 { CounterKind::C64 } else { CounterKind::C32 };
        let mut tr = RateTracker::new(kind);
        let up1 = up0.saturating_sub(back);
        prop_assume!(up1 < up0);
        tr.observe(t0(), u64::from(v0), Some(up0));
        let got = tr.observe(t0() + TimeDelta::milliseconds(ms), u64::from(v1), Some(up1));
        prop_assert_eq!(got, RateOutcome::Discontinuity(Discontinuity::AgentRestarted));
    }

    /// Whatever arrives (any values, times, uptimes, limits), a rate is a
    /// finite number between 0 and the configured ceiling.
    #[test]
    fn rates_are_never_negative_or_beyond_the_ceiling(
        c64 in any::<bool>(),
        max_rate in prop_oneof![Just(DEFAULT_MAX_RATE), 1.0f64..1e12],
        readings in prop::collection::vec(
            (-120_000i64..600_000, any::<u64>(), prop::option::of(any::<u32>())), 2..40),
    ) {
        let kind = if c64 { CounterKind::C64 } else { CounterKind::C32 };
        let limits = RateLimits { max_rate, ..RateLimits::default() };
        let mut tr = RateTracker::with_limits(kind, limits);
        let mut at = t0();
        for (ms, v, up) in readings {
            at += TimeDelta::milliseconds(ms);
            let v = if c64 { v } else { v & 0xffff_ffff };
            if let RateOutcome::Rate(r) = tr.observe(at, v, up.map(u64::from)) {
                prop_assert!(r.is_finite() && r >= 0.0 && r <= max_rate, "rate {}", r);
            }
        }
    }

    /// A Counter64 that went back from anywhere in its lower half (where
    /// every real counter lives: 2^63 octets is 23 years at 100 Gbit/s) is a
    /// reset, never a wrap, even without sysUpTime.
    #[test]
    fn a_c64_going_back_from_its_lower_half_is_never_a_rate(
        v0 in 1u64..(1 << 63), frac in 0.0f64..1.0, ms in 1i64..=600_000,
    ) {
        let v1 = (v0 as f64 * frac) as u64;
        prop_assume!(v1 < v0);
        let mut tr = RateTracker::new(CounterKind::C64);
        tr.observe(t0(), v0, None);
        let got = tr.observe(t0() + TimeDelta::milliseconds(ms), v1, None);
        prop_assert_eq!(got, RateOutcome::Discontinuity(Discontinuity::ImplausibleRate));
    }
}
