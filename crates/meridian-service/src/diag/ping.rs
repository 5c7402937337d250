//! `ping`: echo requests to a few addresses, with RTT statistics.

use std::net::IpAddr;
use std::time::Duration;

use meridian_core::validate::diag::{check_ping, PingOptions};
use meridian_probe::icmp::{IcmpEngine, PingConfig, MAX_PAYLOAD};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{probe_error, ApiError};

/// The outcome for one address. RTTs are in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PingResult {
    pub address: String,
    pub sent: u32,
    pub received: u32,
    pub loss_percent: f64,
    pub rtt_min_ms: Option<f64>,
    pub rtt_avg_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
    /// Mean absolute difference of consecutive RTTs (lost requests skipped);
    /// `None` with fewer than two replies.
    pub jitter_ms: Option<f64>,
    /// RTT of each request in send order, `None` when it was lost.
    pub rtts_ms: Vec<Option<f64>>,
    /// The last error other than a plain timeout (an ICMP unreachable, a
    /// send failure), if any.
    pub error: Option<String>,
}

impl PingResult {
    /// No request was answered.
    pub fn all_lost(&self) -> bool {
        self.sent > 0 && self.received == 0
    }
}

/// Ping every address concurrently, `opts.count` times each; results come
/// back in input order. Takes about `(count - 1) * interval + timeout`.
/// Nothing is sent unless every address and option is valid.
pub async fn ping(addrs: &[String], opts: &PingOptions) -> Result<Vec<PingResult>, ApiError> {
    let targets = plan_ping(addrs, opts)?;
    let engine = IcmpEngine::new();
    let mut out = Vec::with_capacity(targets.len());
    for report in engine.ping_many(&targets).await {
        // Per-request failures are inside the report; an error here is about
        // the whole run (no socket, no permission), so it ends the command.
        let r = report.map_err(probe_error)?;
        let s = &r.stats;
        out.push(PingResult {
            address: r.target.to_string(),
            sent: s.sent,
            received: s.received,
            loss_percent: s.loss_percent,
            rtt_min_ms: s.rtt_min.map(ms),
            rtt_avg_ms: s.rtt_avg.map(ms),
            rtt_max_ms: s.rtt_max.map(ms),
            jitter_ms: s.jitter.map(ms),
            rtts_ms: r.rtts.iter().map(|d| d.map(ms)).collect(),
            error: r.last_error,
        });
    }
    Ok(out)
}

/// Checks a ping request without sending anything: the addresses and the
/// probe settings for each.
pub fn plan_ping(addrs: &[String], opts: &PingOptions) -> Result<Vec<(IpAddr, PingConfig)>, ApiError> {
    let ips = check_ping(addrs, opts, MAX_PAYLOAD)?;
    let cfg = PingConfig {
        count: opts.count,
        interval: Duration::from_millis(opts.interval_ms),
        timeout: Duration::from_millis(opts.timeout_ms),
        payload_size: opts.size,
    };
    Ok(ips.into_iter().map(|ip| (ip, cfg.clone())).collect())
}

/// Milliseconds, as the shortest decimal of the nanosecond count (no
/// `0.006240000000000001` from a float multiply).
fn ms(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_carries_the_options_to_every_address() {
        let addrs = ["127.0.0.1".to_owned(), "[::1]".to_owned()];
        let plan = plan_ping(&addrs, &PingOptions::default()).expect("valid");
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[1].0, IpAddr::V6(std::net::Ipv6Addr::LOCALHOST));
        assert_eq!((plan[0].1.count, plan[1].1.timeout), (3, Duration::from_secs(1)));
        let e = plan_ping(&addrs, &PingOptions { size: MAX_PAYLOAD + 1, ..PingOptions::default() }).expect_err("big");
        assert_eq!(e.fields[0].field, "size");
    }
}
