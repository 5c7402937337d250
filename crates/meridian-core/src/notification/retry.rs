//! When a failed delivery is tried again, when it is given up, and how fast
//! one channel may send. Pure: time is passed in.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Delays after the 1st, 2nd, ... failed attempt; the last repeats (the
/// cap). After `max_attempts` attempts the delivery is dead: kept in the
/// outbox and the log, not retried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryPolicy {
    pub delays: Vec<std::time::Duration>,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 30 s, 2 min, 10 min, then every 30 min, for about three hours: a
    /// relay restart or a short outage is ridden out; a receiver gone for
    /// good stops being hammered.
    fn default() -> Self {
        let s = std::time::Duration::from_secs;
        Self { delays: vec![s(30), s(120), s(600), s(1800)], max_attempts: 8 }
    }
}

impl RetryPolicy {
    /// When to try again after `attempts` attempts (all failed), the last
    /// at `now`; `None` when the delivery is dead.
    pub fn next_attempt(&self, attempts: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if attempts >= self.max_attempts.max(1) {
            return None;
        }
        let i = usize::try_from(attempts.saturating_sub(1)).unwrap_or(usize::MAX);
        let delay = self.delays.get(i).or(self.delays.last()).copied().unwrap_or(std::time::Duration::from_secs(30));
        Some(now + Duration::from_std(delay).unwrap_or(Duration::MAX))
    }
}

/// A token bucket: `burst` tokens, refilled at `per_minute`. Kept by the
/// service per channel, in memory: after a restart a channel starts full.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenBucket {
    capacity: f64,
    per_sec: f64,
    tokens: f64,
    last: DateTime<Utc>,
}

impl TokenBucket {
    pub fn new(per_minute: u32, burst: u32, now: DateTime<Utc>) -> Self {
        let capacity = f64::from(burst.max(1));
        Self { capacity, per_sec: f64::from(per_minute.max(1)) / 60.0, tokens: capacity, last: now }
    }

    fn refill(&mut self, now: DateTime<Utc>) {
        // A clock that went back refills nothing rather than draining.
        let secs = (now - self.last).num_milliseconds().max(0) as f64 / 1000.0;
        self.tokens = (self.tokens + secs * self.per_sec).min(self.capacity);
        if now > self.last {
            self.last = now;
        }
    }

    /// Takes one token, or says when one will be there.
    pub fn take(&mut self, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        let wait_ms = ((1.0 - self.tokens) / self.per_sec * 1000.0).ceil() as i64;
        Err(now + Duration::milliseconds(wait_ms.max(1)))
    }

    /// Whether the limits differ from `per_minute`/`burst` (the channel was
    /// edited and the bucket must be rebuilt).
    pub fn differs(&self, per_minute: u32, burst: u32) -> bool {
        self.capacity != f64::from(burst.max(1)) || self.per_sec != f64::from(per_minute.max(1)) / 60.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("time")
    }

    #[test]
    fn backoff_follows_the_schedule_caps_and_gives_up() {
        let p = RetryPolicy::default();
        let at = |n| p.next_attempt(n, t0()).map(|t| (t - t0()).num_seconds());
        assert_eq!(at(1), Some(30));
        assert_eq!(at(2), Some(120));
        assert_eq!(at(3), Some(600));
        assert_eq!(at(4), Some(1800));
        assert_eq!(at(7), Some(1800), "capped at the last delay");
        assert_eq!(at(8), None, "dead after max_attempts");
        assert_eq!(at(100), None);
        let empty = RetryPolicy { delays: vec![], max_attempts: 0 };
        assert_eq!(empty.next_attempt(0, t0()).map(|t| (t - t0()).num_seconds()), Some(30));
        assert_eq!(empty.next_attempt(1, t0()), None);
    }

    #[test]
    fn bucket_allows_a_burst_then_the_rate() {
        let mut b = TokenBucket::new(60, 3, t0());
        for _ in 0..3 {
            assert_eq!(b.take(t0()), Ok(()));
        }
        let wait = b.take(t0()).expect_err("empty");
        assert_eq!((wait - t0()).num_milliseconds(), 1000, "one token a second at 60/min");
        assert_eq!(b.take(t0() + Duration::milliseconds(500)).map_err(|t| (t - t0()).num_milliseconds()), Err(1000));
        assert_eq!(b.take(t0() + Duration::seconds(1)), Ok(()));
        // A long quiet spell refills to the burst, not beyond.
        let later = t0() + Duration::hours(1);
        for _ in 0..3 {
            assert_eq!(b.take(later), Ok(()));
        }
        assert!(b.take(later).is_err());
        // The clock going back does not mint tokens.
        assert!(b.take(t0()).is_err());
        assert!(b.differs(60, 4) && !b.differs(60, 3));
    }
}
