//! How long a request-response probe waits, and how often it asks.

use std::time::Duration;

/// Per-attempt timeout and attempt count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub timeout: Duration,
    pub attempts: u32,
}

impl Default for RetryPolicy {
    /// ptp4l and NTP servers answer within milliseconds on a LAN; a second
    /// attempt covers a lost UDP datagram.
    fn default() -> Self {
        Self { timeout: Duration::from_millis(500), attempts: 2 }
    }
}
