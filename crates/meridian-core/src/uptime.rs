//! Reading two sysUpTime samples: did the agent restart between them?
//!
//! Both the counter-rate code and the device monitor need the answer, and
//! they must agree, so the rule lives here once.

use chrono::{DateTime, Utc};

/// sysUpTime is TimeTicks: hundredths of a second in an unsigned 32-bit
/// integer, so it wraps after about 497 days of uptime.
pub const TICKS_PER_SECOND: i64 = 100;
pub const TICKS_MODULUS: u64 = 1 << 32;

/// Whole seconds of a sysUpTime reading.
pub fn ticks_to_secs(ticks: u64) -> u64 {
    ticks / TICKS_PER_SECOND.unsigned_abs()
}

/// Verdict on one pair of uptime readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UptimeCheck {
    /// The agent ran through the whole interval (including a TimeTicks wrap).
    Continuous,
    /// The agent (re)started after the earlier reading: its counters restarted
    /// too, so nothing measured across the interval can be trusted.
    Restarted,
}

/// Compares uptime readings `prev_ticks` taken at `prev_at` and `ticks`
/// taken at `at` (our clock).
///
/// A restart shows either as uptime going back, or as an uptime shorter than
/// the wall time since the previous reading (the device rebooted and came
/// back up between two polls, so its uptime is small but still larger than
/// before). The allowance is 5 s plus 5% of the interval because `at` is
/// stamped by us, not by the agent: retries and clock rate differences move it.
pub fn check_uptime(prev_at: DateTime<Utc>, prev_ticks: u64, at: DateTime<Utc>, ticks: u64) -> UptimeCheck {
    let wall = (at - prev_at).num_milliseconds().max(0) / (1000 / TICKS_PER_SECOND);
    let slack = 5 * TICKS_PER_SECOND + wall / 20;
    // Saturate so absurd inputs (ticks above 2^63) compare as "very long uptime".
    let ticks_i = i64::try_from(ticks).unwrap_or(i64::MAX);
    if ticks >= prev_ticks {
        return if ticks_i.saturating_add(slack) < wall { UptimeCheck::Restarted } else { UptimeCheck::Continuous };
    }
    // Uptime went back. After ~497 days that is the TimeTicks wrap, which we
    // accept only when the wrapped advance matches the wall time we measured.
    if prev_ticks < TICKS_MODULUS {
        let advance = i64::try_from(TICKS_MODULUS - prev_ticks + ticks).unwrap_or(i64::MAX);
        if (advance - wall).abs() <= slack {
            return UptimeCheck::Continuous;
        }
    }
    UptimeCheck::Restarted
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).single().expect("valid time")
    }

    #[test]
    fn steady_uptime_is_continuous() {
        assert_eq!(check_uptime(t(0), 100_000, t(60), 106_000), UptimeCheck::Continuous);
        // Polled late by a few seconds relative to the agent: still fine.
        assert_eq!(check_uptime(t(0), 100_000, t(63), 106_000), UptimeCheck::Continuous);
    }

    #[test]
    fn uptime_going_back_is_a_restart() {
        assert_eq!(check_uptime(t(0), 100_000, t(60), 2_000), UptimeCheck::Restarted);
    }

    #[test]
    fn a_reboot_between_polls_is_caught_even_when_uptime_grew() {
        // Up 1 s at the first poll, rebooted, up 20 s at the poll 60 s later.
        assert_eq!(check_uptime(t(0), 100, t(60), 2_000), UptimeCheck::Restarted);
    }

    #[test]
    fn timeticks_wrap_after_497_days_is_not_a_restart() {
        let prev = TICKS_MODULUS - 3_000; // 30 s before the wrap
        assert_eq!(check_uptime(t(0), prev, t(60), 3_000), UptimeCheck::Continuous);
        // Same wrap point but the new value is far too large for 60 s: restart.
        assert_eq!(check_uptime(t(0), prev, t(60), TICKS_MODULUS / 2), UptimeCheck::Restarted);
    }
}
