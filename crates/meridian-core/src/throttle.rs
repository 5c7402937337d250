//! Login throttling by source address: the rules, without the storage.
//! Per-user lockout stops guessing at one account; this stops one address
//! from guessing across every account (and locking them all for free).

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

/// How many failed logins one source may make in a window before it is
/// refused until the window that blocked it has passed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures within `window` that block the source (at least 1).
    pub failures: u32,
    pub window: Duration,
    /// Sources tracked at most; the stalest are forgotten first.
    pub max_sources: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self { failures: 20, window: Duration::minutes(10), max_sources: 100_000 }
    }
}

impl ThrottlePolicy {
    /// Until when a source with `failures` in its current window is blocked,
    /// if it is.
    pub fn blocked_until(&self, failures: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (failures >= i64::from(self.failures.max(1))).then_some(now + self.window)
    }
}

/// The key a source address is counted under: an IPv4 address itself, an
/// IPv6 address by its /64 (one host usually holds a whole /64), anything
/// else (a test's `unknown`) as given, clipped.
pub fn source_key(source: &str) -> String {
    match source.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => source.chars().take(64).collect(),
    }
}

/// Whole seconds from `now` to `until`, at least 1.
pub fn retry_after_secs(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(0);
    u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(source_key("192.0.2.7"), "192.0.2.7");
        assert_eq!(source_key("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
        assert_eq!(source_key("2001:db8:1:2::ffff"), source_key("2001:db8:1:2:aaaa::1"));
        assert_eq!(source_key("::ffff:198.51.100.1"), "198.51.100.1");
        assert_eq!(source_key(&"x".repeat(500)).len(), 64);
    }

    #[test]
    fn blocks_at_the_limit() {
        let p = ThrottlePolicy { failures: 3, window: Duration::seconds(60), max_sources: 10 };
        let now = DateTime::<Utc>::from_timestamp(1_000_000, 0).unwrap_or_default();
        assert_eq!(p.blocked_until(2, now), None);
        assert_eq!(p.blocked_until(3, now), Some(now + Duration::seconds(60)));
        assert_eq!(retry_after_secs(now + Duration::milliseconds(1500), now), 2);
        assert_eq!(retry_after_secs(now - Duration::seconds(5), now), 1);
    }
}
