//! Per-target statistics, computed by a pure function so they can be tested
//! without sockets and reused by anything that collects RTTs (the scheduler,
//! the CLI's `ping`).

use std::time::Duration;

/// Summary of one run of echo requests to one target.
#[derive(Debug, Clone, PartialEq)]
pub struct PingStats {
    /// Echo requests sent.
    pub sent: u32,
    /// Echo replies received within the timeout.
    pub received: u32,
    /// `100 * (sent - received) / sent`; 0 when nothing was sent.
    pub loss_percent: f64,
    /// Smallest RTT, `None` when no reply arrived.
    pub rtt_min: Option<Duration>,
    /// Arithmetic mean RTT over the replies.
    pub rtt_avg: Option<Duration>,
    /// Largest RTT.
    pub rtt_max: Option<Duration>,
    /// Jitter: the **mean absolute difference of consecutive RTTs**, taken
    /// over the replies in send order (a lost probe is skipped, so the pair
    /// spans it). This is RFC 3550's interarrival jitter without the 1/16
    /// exponential smoothing: a short run of pings gets an unbiased mean
    /// instead of a value still warming up from zero. `None` with fewer than
    /// two replies.
    pub jitter: Option<Duration>,
}

impl PingStats {
    /// Probes that got no reply.
    pub fn lost(&self) -> u32 {
        self.sent - self.received
    }

    /// True when every probe went unanswered (and at least one was sent).
    pub fn all_lost(&self) -> bool {
        self.sent > 0 && self.received == 0
    }
}

/// Summarise one run: `rtts[i]` is the RTT of the i-th probe in send order,
/// `None` if it was lost (timed out or failed).
pub fn summarize(rtts: &[Option<Duration>]) -> PingStats {
    // Probe counts are u32 on the wire side (sequence numbers are u16 anyway),
    // so saturating is only a guard against absurd inputs.
    let sent = u32::try_from(rtts.len()).unwrap_or(u32::MAX);
    let replies: Vec<Duration> = rtts.iter().flatten().copied().collect();
    let received = u32::try_from(replies.len()).unwrap_or(u32::MAX);
    let loss_percent = if sent == 0 { 0.0 } else { 100.0 * f64::from(sent - received) / f64::from(sent) };

    let rtt_min = replies.iter().min().copied();
    let rtt_max = replies.iter().max().copied();
    // Sum in nanoseconds as u128: no overflow for any realistic count.
    let rtt_avg = (!replies.is_empty()).then(|| {
        let total: u128 = replies.iter().map(Duration::as_nanos).sum();
        nanos(total / replies.len() as u128)
    });
    let jitter = (replies.len() >= 2).then(|| {
        let total: u128 = replies.windows(2).map(|w| w[1].abs_diff(w[0]).as_nanos()).sum();
        nanos(total / (replies.len() as u128 - 1))
    });

    PingStats { sent, received, loss_percent, rtt_min, rtt_avg, rtt_max, jitter }
}

fn nanos(n: u128) -> Duration {
    Duration::from_nanos(u64::try_from(n).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Option<Duration> {
        Some(Duration::from_millis(v))
    }

    #[test]
    fn empty_run_is_all_zero_and_not_all_lost() {
        let s = summarize(&[]);
        assert_eq!((s.sent, s.received, s.loss_percent), (0, 0, 0.0));
        assert_eq!((s.rtt_min, s.rtt_avg, s.rtt_max, s.jitter), (None, None, None, None));
        assert!(!s.all_lost());
    }

    #[test]
    fn all_lost() {
        let s = summarize(&[None, None, None]);
        assert_eq!((s.sent, s.received, s.lost()), (3, 0, 3));
        assert_eq!(s.loss_percent, 100.0);
        assert!(s.all_lost());
        assert_eq!(s.rtt_avg, None);
    }

    #[test]
    fn min_avg_max_and_jitter() {
        // Consecutive differences: 20, 10, 30 -> jitter 20 ms.
        let s = summarize(&[ms(10), ms(30), ms(20), ms(50)]);
        assert_eq!((s.sent, s.received, s.loss_percent), (4, 4, 0.0));
        assert_eq!(s.rtt_min, ms(10));
        assert_eq!(s.rtt_max, ms(50));
        assert_eq!(s.rtt_avg, Some(Duration::from_micros(27_500)));
        assert_eq!(s.jitter, ms(20));
    }

    #[test]
    fn jitter_skips_losses_and_needs_two_replies() {
        // Replies 10, 40 (the loss between them is skipped): jitter 30.
        let s = summarize(&[ms(10), None, ms(40)]);
        assert_eq!(s.jitter, ms(30));
        assert!((s.loss_percent - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(summarize(&[ms(5), None]).jitter, None);
    }

    #[test]
    fn constant_rtt_has_zero_jitter() {
        assert_eq!(summarize(&[ms(7); 5]).jitter, Some(Duration::ZERO));
    }
}
