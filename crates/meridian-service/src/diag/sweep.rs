//! `sweep`: which addresses of some ranges answer ping.

use std::net::IpAddr;
use std::time::Duration;

use meridian_core::validate::diag::{check_sweep_options, SweepOptions};
use meridian_core::validate::Checker;
use meridian_probe::icmp::{self, IcmpEngine, MAX_PAYLOAD};
use meridian_probe::ProbeError;
use serde::Serialize;

use crate::error::{probe_error, range_too_large, ApiError};

/// Progress after each address is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepProgress {
    pub probed: usize,
    pub total: usize,
    pub alive: usize,
}

/// The outcome of a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepResult {
    /// Addresses probed (host addresses of the ranges, de-duplicated).
    pub total: usize,
    /// Addresses that answered, sorted (IPv4 first).
    pub alive: Vec<String>,
    pub elapsed_ms: u64,
    /// Requests that failed locally (counted as no reply).
    pub send_errors: usize,
}

/// Sweep the ranges (addresses or CIDR blocks; an argument may hold several
/// separated by commas or spaces) and return the addresses that answer.
/// More than 65,536 addresses needs `force`; more than 16,777,216 is always
/// refused. `progress` is called from the probe tasks once per address: keep
/// it cheap.
pub async fn sweep<F>(ranges: &[String], force: bool, opts: &SweepOptions, progress: F) -> Result<SweepResult, ApiError>
where
    F: Fn(SweepProgress) + Send + Sync + 'static,
{
    let (targets, probe_opts) = plan_sweep(ranges, force, opts)?;
    let engine = IcmpEngine::new();
    let report = engine
        .sweep(targets, &probe_opts, move |p| {
            progress(SweepProgress { probed: p.probed, total: p.total, alive: p.alive })
        })
        .await
        .map_err(probe_error)?;
    Ok(SweepResult {
        total: report.total,
        alive: report.alive.iter().map(IpAddr::to_string).collect(),
        elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
        send_errors: report.send_errors,
    })
}

/// Checks a sweep without sending anything: the expanded address list and
/// the probe options.
pub fn plan_sweep(
    ranges: &[String],
    force: bool,
    opts: &SweepOptions,
) -> Result<(Vec<IpAddr>, icmp::SweepOptions), ApiError> {
    let mut c = Checker::new();
    let mut blocks = Vec::new();
    for r in ranges {
        match icmp::parse_target_list(r) {
            Ok(b) => blocks.extend(b),
            Err(e) => c.fail("range", e.to_string()),
        }
    }
    if ranges.is_empty() {
        c.fail("range", "give at least one address or CIDR range");
    }
    check_sweep_options(&mut c, opts, MAX_PAYLOAD);
    c.finish(())?;
    let targets = icmp::expand(&blocks, force).map_err(|e| match e {
        ProbeError::RangeTooLarge { count, .. } => range_too_large(count, force),
        other => probe_error(other),
    })?;
    let probe_opts = icmp::SweepOptions {
        concurrency: opts.concurrency,
        timeout: Duration::from_millis(opts.timeout_ms),
        retries: opts.retries,
        payload_size: opts.size,
    };
    Ok((targets, probe_opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: &ApiError) -> &str {
        e.fields.first().map_or("", |f| f.field.as_str())
    }

    #[test]
    fn sweep_plans_ranges_and_refuses_bad_or_huge_ones() {
        let opts = SweepOptions::default();
        let (targets, _) = plan_sweep(&["127.1.0.0/28".to_owned()], false, &opts).expect("valid");
        assert_eq!(targets.len(), 14);
        let (targets, _) =
            plan_sweep(&["127.0.0.1, ::1".to_owned(), "127.0.0.1".to_owned()], false, &opts).expect("ok");
        assert_eq!(targets.len(), 2);

        let e = plan_sweep(&["10.0.0.0/33".to_owned()], false, &opts).expect_err("bad prefix");
        assert_eq!(field(&e), "range");
        assert!(e.detail.contains("10.0.0.0/33") && e.detail.contains("/33 is longer than 32 bits"), "{}", e.detail);

        let e = plan_sweep(&["127.0.0.0/15".to_owned()], false, &opts).expect_err("too large");
        assert_eq!(field(&e), "range");
        assert!(e.detail.contains("131070 addresses") && e.detail.contains("65536"), "{}", e.detail);
        assert!(e.detail.contains("--force"), "{}", e.detail);
        assert_eq!(plan_sweep(&["127.0.0.0/15".to_owned()], true, &opts).expect("forced").0.len(), 131_070);

        let e = plan_sweep(&["2001:db8::/64".to_owned()], true, &opts).expect_err("hard cap");
        assert!(e.detail.contains("hard limit of 16777216"), "{}", e.detail);
        let e = plan_sweep(&[], false, &opts).expect_err("empty");
        assert_eq!(field(&e), "range");
        let bad = SweepOptions { timeout_ms: 0, retries: 11, concurrency: 0, size: 56 };
        let e = plan_sweep(&["127.0.0.1".to_owned()], false, &bad).expect_err("bad options");
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["timeoutMs", "retries", "concurrency"]);
    }
}
