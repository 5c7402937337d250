//! The engine: one surge-ping `Client` (one socket) per address family,
//! created on first use and shared by every target and every sweep.
//!
//! surge-ping's client runs one receive task per socket and hands each reply
//! to the waiter registered under (address, identifier, sequence), so many
//! concurrent pings share a socket without seeing each other's replies.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;

use surge_ping::{Client, Config, IcmpPacket, PingIdentifier, PingSequence, SurgeError, ICMP};
use tokio::sync::OnceCell;

use super::privilege::{decide_mode, open_error, read_ping_group_range, Credentials, SocketMode};
use super::stats::{summarize, PingStats};
use crate::ProbeError;

/// Largest payload we accept: an IPv4 datagram is at most 65,535 bytes, minus
/// 20 (IP header) and 8 (ICMP header).
pub const MAX_PAYLOAD: usize = 65_507;

/// Per-target settings of one ping run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingConfig {
    /// Echo requests to send (at least 1).
    pub count: u32,
    /// Time between the starts of consecutive requests. Requests are sent on
    /// this clock even when earlier ones are still waiting, like `ping -i`.
    pub interval: Duration,
    /// How long each request waits for its reply before it counts as lost.
    pub timeout: Duration,
    /// ICMP payload bytes (56 gives the classic 64-byte ICMP message).
    pub payload_size: usize,
}

impl Default for PingConfig {
    fn default() -> Self {
        Self { count: 4, interval: Duration::from_secs(1), timeout: Duration::from_secs(1), payload_size: 56 }
    }
}

impl PingConfig {
    fn validate(&self) -> Result<(), ProbeError> {
        if self.count == 0 {
            return Err(ProbeError::InvalidTarget("ping count must be at least 1".into()));
        }
        if self.payload_size > MAX_PAYLOAD {
            return Err(ProbeError::InvalidTarget(format!(
                "payload size {} is larger than {MAX_PAYLOAD} bytes",
                self.payload_size
            )));
        }
        if self.timeout.is_zero() {
            return Err(ProbeError::InvalidTarget("ping timeout must be positive".into()));
        }
        Ok(())
    }
}

/// Result of one ping run against one target.
#[derive(Debug, Clone, PartialEq)]
pub struct PingReport {
    pub target: IpAddr,
    /// RTT of each request in send order, `None` when it was lost.
    pub rtts: Vec<Option<Duration>>,
    /// Summary of `rtts` (see [`PingStats`] for the jitter definition).
    pub stats: PingStats,
    /// The last error other than a plain timeout (e.g. "destination
    /// unreachable", a send failure), for diagnostics.
    pub last_error: Option<String>,
}

/// Engine-wide options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineOptions {
    /// Force a socket kind instead of deciding from the credentials (for
    /// tests and for users who prefer ping sockets even as root).
    pub mode: Option<SocketMode>,
}

/// What one echo request came back with.
#[derive(Debug)]
pub(crate) enum Outcome {
    Reply(Duration),
    Timeout,
    /// An ICMP error answered instead (unreachable, time exceeded, ...).
    Error(String),
}

pub(crate) struct Family {
    pub(crate) client: Client,
    pub(crate) mode: SocketMode,
}

struct Inner {
    options: EngineOptions,
    v4: OnceCell<Family>,
    v6: OnceCell<Family>,
    /// Identifier for the next run. With raw sockets it tells our runs apart
    /// (and from other processes' pings); ping sockets get one from the kernel.
    next_ident: AtomicU16,
}

/// The ICMP engine. Cheap to clone; clones share the sockets.
#[derive(Clone)]
pub struct IcmpEngine {
    inner: Arc<Inner>,
}

impl Default for IcmpEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for IcmpEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IcmpEngine")
            .field("options", &self.inner.options)
            .field("v4_open", &self.inner.v4.initialized())
            .field("v6_open", &self.inner.v6.initialized())
            .finish()
    }
}

impl IcmpEngine {
    /// An engine that decides the socket mode from the process credentials.
    /// No socket is opened until the first ping of each family.
    pub fn new() -> Self {
        Self::with_options(EngineOptions::default())
    }

    pub fn with_options(options: EngineOptions) -> Self {
        Self {
            inner: Arc::new(Inner {
                options,
                v4: OnceCell::new(),
                v6: OnceCell::new(),
                next_ident: AtomicU16::new(rand::random()),
            }),
        }
    }

    /// The mode this engine will use (or uses): the forced one, else the
    /// decision from the credentials and `net.ipv4.ping_group_range`.
    pub fn planned_mode(&self) -> Result<SocketMode, ProbeError> {
        match self.inner.options.mode {
            Some(mode) => Ok(mode),
            None => decide_mode(&Credentials::current()?, read_ping_group_range()),
        }
    }

    /// The mode of the socket actually open for `addr`'s family (opening it
    /// if needed). surge-ping falls back to the other kind when the first
    /// fails, so this can differ from [`IcmpEngine::planned_mode`].
    pub async fn mode_for(&self, addr: IpAddr) -> Result<SocketMode, ProbeError> {
        Ok(self.family(addr).await?.mode)
    }

    pub(crate) async fn family(&self, addr: IpAddr) -> Result<&Family, ProbeError> {
        let (cell, kind) = match addr {
            IpAddr::V4(_) => (&self.inner.v4, ICMP::V4),
            IpAddr::V6(_) => (&self.inner.v6, ICMP::V6),
        };
        cell.get_or_try_init(|| async { self.open(kind) }).await
    }

    fn open(&self, kind: ICMP) -> Result<Family, ProbeError> {
        let mode = self.planned_mode()?;
        let hint = match mode {
            SocketMode::Raw => socket2_06::Type::RAW,
            SocketMode::Datagram => socket2_06::Type::DGRAM,
        };
        let config = Config::builder().kind(kind).sock_type_hint(hint).build();
        let client = Client::new(&config).map_err(|e| open_error(e, mode))?;
        let mode = if client.get_socket().get_type() == socket2_06::Type::RAW {
            SocketMode::Raw
        } else {
            SocketMode::Datagram
        };
        #[cfg(target_os = "linux")]
        super::tune::tune(&client, mode, kind == ICMP::V6);
        tracing::debug!(?kind, ?mode, "opened ICMP socket");
        Ok(Family { client, mode })
    }

    pub(crate) fn next_ident(&self) -> u16 {
        self.inner.next_ident.fetch_add(1, Ordering::Relaxed)
    }

    /// Ping one target `cfg.count` times, one request every `cfg.interval`,
    /// each waiting up to `cfg.timeout`. Takes about
    /// `(count - 1) * interval + timeout` at most.
    pub async fn ping(&self, target: IpAddr, cfg: &PingConfig) -> Result<PingReport, ProbeError> {
        cfg.validate()?;
        let family = self.family(target).await?;
        let ident = self.next_ident();
        // A random first sequence number keeps two concurrent runs to the same
        // address (same token on ping sockets, where the kernel owns the
        // identifier) from colliding.
        let seq0: u16 = rand::random();
        let payload: Arc<[u8]> = payload(cfg.payload_size).into();

        let mut ticker = tokio::time::interval(cfg.interval.max(Duration::from_micros(1)));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut in_flight = tokio::task::JoinSet::new();
        for i in 0..cfg.count {
            ticker.tick().await;
            let client = family.client.clone();
            let payload = Arc::clone(&payload);
            let seq = seq0.wrapping_add(i as u16);
            let timeout = cfg.timeout;
            in_flight.spawn(async move { (i, probe(&client, target, ident, seq, timeout, &payload).await) });
        }

        let mut rtts = vec![None; cfg.count as usize];
        let mut last_error = None;
        while let Some(joined) = in_flight.join_next().await {
            let (i, outcome) = joined.map_err(join_error)?;
            match outcome {
                Ok(Outcome::Reply(rtt)) => rtts[i as usize] = Some(rtt),
                Ok(Outcome::Timeout) => {}
                Ok(Outcome::Error(msg)) => last_error = Some(msg),
                Err(e) => last_error = Some(e.to_string()),
            }
        }
        let stats = summarize(&rtts);
        Ok(PingReport { target, rtts, stats, last_error })
    }

    /// Ping many targets concurrently, each with its own settings, over the
    /// shared sockets. Results come back in input order.
    pub async fn ping_many(&self, targets: &[(IpAddr, PingConfig)]) -> Vec<Result<PingReport, ProbeError>> {
        let mut set = tokio::task::JoinSet::new();
        for (i, (addr, cfg)) in targets.iter().enumerate() {
            let engine = self.clone();
            let (addr, cfg) = (*addr, cfg.clone());
            set.spawn(async move { (i, engine.ping(addr, &cfg).await) });
        }
        let mut out: Vec<Option<Result<PingReport, ProbeError>>> = (0..targets.len()).map(|_| None).collect();
        while let Some(joined) = set.join_next().await {
            let (i, r) = joined.map_err(join_error).unwrap_or_else(|e| (usize::MAX, Err(e)));
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(r);
            }
        }
        out.into_iter().map(|r| r.unwrap_or(Err(ProbeError::Cancelled))).collect()
    }
}

/// A task of ours ended without a result: re-raise its panic (a bug should
/// not turn into "target down"), or report the cancellation.
pub(crate) fn join_error(e: tokio::task::JoinError) -> ProbeError {
    match e.try_into_panic() {
        Ok(panic) => std::panic::resume_unwind(panic),
        Err(_) => ProbeError::Cancelled,
    }
}

/// A payload with a recognisable pattern (like iputils' ping).
pub(crate) fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 256) as u8).collect()
}

/// Send one echo request and wait for its answer.
pub(crate) async fn probe(
    client: &Client,
    target: IpAddr,
    ident: u16,
    seq: u16,
    timeout: Duration,
    payload: &[u8],
) -> Result<Outcome, ProbeError> {
    let mut pinger = client.pinger(target, PingIdentifier(ident)).await;
    pinger.timeout(timeout);
    match pinger.ping(PingSequence(seq), payload).await {
        // surge-ping also routes ICMP errors that quote our request to the
        // waiter, so look at the type: only an echo reply means "alive".
        Ok((IcmpPacket::V4(p), rtt)) if p.get_icmp_type().0 == 0 => Ok(Outcome::Reply(rtt)),
        Ok((IcmpPacket::V6(p), rtt)) if p.get_icmpv6_type().0 == 129 => Ok(Outcome::Reply(rtt)),
        Ok((IcmpPacket::V4(p), _)) => Ok(Outcome::Error(format!(
            "ICMP type {} code {} from {}",
            p.get_icmp_type().0,
            p.get_icmp_code().0,
            p.get_source()
        ))),
        Ok((IcmpPacket::V6(p), _)) => Ok(Outcome::Error(format!(
            "ICMPv6 type {} code {} from {}",
            p.get_icmpv6_type().0,
            p.get_icmpv6_code().0,
            p.get_source()
        ))),
        Err(SurgeError::Timeout { .. }) => Ok(Outcome::Timeout),
        Err(source) => Err(ProbeError::Icmp { target, source }),
    }
}
