//! Liveness sweep of many addresses.
//!
//! At most `concurrency` requests are in flight: a new request goes out only
//! when an earlier one was answered or timed out. That keeps the receive
//! queue from overflowing and memory flat, whatever the size of the range.
//!
//! On Linux the sweep runs on threads and sockets of its own
//! (`sweep_linux.rs` says why: it is 2-3x faster than tasks on the shared
//! sockets). Elsewhere a pool of `concurrency` tasks pulls addresses from an
//! atomic cursor and pings them over the engine's shared surge-ping sockets.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::engine::{join_error, IcmpEngine, MAX_PAYLOAD};
use super::targets::expand_targets;
use crate::ProbeError;

/// How a sweep probes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepOptions {
    /// Requests in flight at most (and worker tasks). Clamped to 1..=targets.
    pub concurrency: usize,
    /// Wait per request.
    pub timeout: Duration,
    /// Extra requests to an address that did not answer (0 = one request).
    pub retries: u32,
    /// ICMP payload bytes. On Linux a sweep's payload starts with a 12-byte
    /// tag (see `echo.rs`), so smaller sizes are sent as 12.
    pub payload_size: usize,
}

impl Default for SweepOptions {
    fn default() -> Self {
        Self { concurrency: 512, timeout: Duration::from_secs(1), retries: 1, payload_size: 56 }
    }
}

/// Progress after each address is settled (answered, or out of retries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepProgress {
    /// Addresses settled so far.
    pub probed: usize,
    /// Addresses in the sweep.
    pub total: usize,
    /// Addresses found alive so far.
    pub alive: usize,
    /// The address just settled, and whether it answered.
    pub target: IpAddr,
    pub target_alive: bool,
}

/// Outcome of a sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// Addresses that sent an echo reply.
    pub alive: BTreeSet<IpAddr>,
    /// Addresses probed (the de-duplicated input).
    pub total: usize,
    /// Requests that failed locally (send errors), counted as no reply.
    pub send_errors: usize,
    pub elapsed: Duration,
}

impl IcmpEngine {
    /// Probe every address in `targets` (at most `1 + retries` requests
    /// each) and return the ones that answered. `progress` is called from the
    /// worker tasks once per address, so it must be cheap and must not block;
    /// forward to a channel if the consumer is slow. Bounded in time by about
    /// `ceil(total / concurrency) * (1 + retries) * timeout`.
    pub async fn sweep<F>(
        &self,
        targets: Vec<IpAddr>,
        opts: &SweepOptions,
        progress: F,
    ) -> Result<SweepReport, ProbeError>
    where
        F: Fn(SweepProgress) + Send + Sync + 'static,
    {
        let started = Instant::now();
        if opts.timeout.is_zero() {
            return Err(ProbeError::InvalidTarget("sweep timeout must be positive".into()));
        }
        if opts.payload_size > MAX_PAYLOAD {
            return Err(ProbeError::InvalidTarget(format!(
                "payload size {} is larger than {MAX_PAYLOAD} bytes",
                opts.payload_size
            )));
        }
        let total = targets.len();
        let (alive, send_errors) = self.sweep_inner(targets, opts, progress).await?;
        Ok(SweepReport { alive: alive.into_iter().collect(), total, send_errors, elapsed: started.elapsed() })
    }

    #[cfg(target_os = "linux")]
    async fn sweep_inner<F>(
        &self,
        targets: Vec<IpAddr>,
        opts: &SweepOptions,
        progress: F,
    ) -> Result<(Vec<IpAddr>, usize), ProbeError>
    where
        F: Fn(SweepProgress) + Send + Sync + 'static,
    {
        use super::sweep_linux::{run, SweepSocket};
        use std::sync::atomic::AtomicBool;

        // Open the sockets first, so a permission problem is one clear error
        // rather than one failure per address.
        let mode = self.planned_mode()?;
        let ident = self.next_ident();
        let open = |v6: bool| SweepSocket::open_family(v6, mode, ident, opts.payload_size);
        let v4 = targets.iter().any(IpAddr::is_ipv4).then(|| open(false)).transpose()?.unwrap_or_default();
        let v6 = targets.iter().any(IpAddr::is_ipv6).then(|| open(true)).transpose()?.unwrap_or_default();

        /// Dropping the sweep's future (a cancelled job) stops the threads.
        struct StopOnDrop(Arc<AtomicBool>);
        impl Drop for StopOnDrop {
            fn drop(&mut self) {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        let stop = Arc::new(AtomicBool::new(false));
        let _guard = StopOnDrop(Arc::clone(&stop));
        let opts = opts.clone();
        let outcome = tokio::task::spawn_blocking(move || run(&targets, &v4, &v6, &opts, &progress, &stop))
            .await
            .map_err(join_error)??;
        Ok((outcome.alive, outcome.send_errors))
    }

    #[cfg(not(target_os = "linux"))]
    async fn sweep_inner<F>(
        &self,
        targets: Vec<IpAddr>,
        opts: &SweepOptions,
        progress: F,
    ) -> Result<(Vec<IpAddr>, usize), ProbeError>
    where
        F: Fn(SweepProgress) + Send + Sync + 'static,
    {
        use super::engine::{payload, probe, Outcome};
        use std::sync::atomic::AtomicUsize;

        // Open the sockets before spawning anything, so a permission problem
        // is one clear error rather than one failure per address.
        let v4 = match targets.iter().find(|a| a.is_ipv4()) {
            Some(a) => Some(self.family(*a).await?.client.clone()),
            None => None,
        };
        let v6 = match targets.iter().find(|a| a.is_ipv6()) {
            Some(a) => Some(self.family(*a).await?.client.clone()),
            None => None,
        };

        let total = targets.len();
        let targets: Arc<[IpAddr]> = targets.into();
        let shared = Arc::new(Shared {
            cursor: AtomicUsize::new(0),
            probed: AtomicUsize::new(0),
            alive: AtomicUsize::new(0),
            send_errors: AtomicUsize::new(0),
        });
        let progress = Arc::new(progress);
        let payload: Arc<[u8]> = payload(opts.payload_size).into();
        // One identifier per sweep; the sequence number is the attempt. With
        // raw sockets this keeps us apart from other pingers on the host.
        let ident = self.next_ident();
        let seq0: u16 = rand::random();

        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..opts.concurrency.clamp(1, total.max(1)) {
            let (targets, shared, progress, payload) =
                (Arc::clone(&targets), Arc::clone(&shared), Arc::clone(&progress), Arc::clone(&payload));
            let (v4, v6) = (v4.clone(), v6.clone());
            let (timeout, retries) = (opts.timeout, opts.retries);
            workers.spawn(async move {
                let mut found = Vec::new();
                loop {
                    let i = shared.cursor.fetch_add(1, Ordering::Relaxed);
                    let Some(&addr) = targets.get(i) else { break };
                    let client = if addr.is_ipv4() { v4.as_ref() } else { v6.as_ref() };
                    let Some(client) = client else { break };
                    let mut ok = false;
                    for attempt in 0..=retries {
                        let seq = seq0.wrapping_add(attempt as u16);
                        match probe(client, addr, ident, seq, timeout, &payload).await {
                            Ok(Outcome::Reply(_)) => {
                                ok = true;
                                break;
                            }
                            Ok(Outcome::Timeout | Outcome::Error(_)) => {}
                            Err(e) => {
                                // A local failure (ENOBUFS, EPERM from a
                                // firewall): back off briefly before retrying
                                // so we do not spin on a full send queue.
                                tracing::debug!(%addr, error = %e, "sweep send failed");
                                shared.send_errors.fetch_add(1, Ordering::Relaxed);
                                tokio::time::sleep(Duration::from_millis(1)).await;
                            }
                        }
                    }
                    let alive = if ok {
                        found.push(addr);
                        shared.alive.fetch_add(1, Ordering::Relaxed) + 1
                    } else {
                        shared.alive.load(Ordering::Relaxed)
                    };
                    let probed = shared.probed.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(SweepProgress { probed, total, alive, target: addr, target_alive: ok });
                }
                found
            });
        }

        let mut alive = Vec::new();
        while let Some(joined) = workers.join_next().await {
            alive.extend(joined.map_err(join_error)?);
        }
        Ok((alive, shared.send_errors.load(Ordering::Relaxed)))
    }

    /// [`IcmpEngine::sweep`] over a target spec such as `"127.1.0.0/22"` or
    /// `"127.0.0.1, ::1"` (see [`expand_targets`]; `force` lifts the 65,536
    /// address limit).
    pub async fn sweep_spec<F>(
        &self,
        spec: &str,
        force: bool,
        opts: &SweepOptions,
        progress: F,
    ) -> Result<SweepReport, ProbeError>
    where
        F: Fn(SweepProgress) + Send + Sync + 'static,
    {
        let targets = expand_targets(spec, force)?;
        self.sweep(targets, opts, progress).await
    }
}

#[cfg(not(target_os = "linux"))]
struct Shared {
    cursor: std::sync::atomic::AtomicUsize,
    probed: std::sync::atomic::AtomicUsize,
    alive: std::sync::atomic::AtomicUsize,
    send_errors: std::sync::atomic::AtomicUsize,
}
