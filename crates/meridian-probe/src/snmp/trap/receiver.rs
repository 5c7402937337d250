//! The UDP listener: one socket, one task. Each datagram goes through the
//! [`Authority`]; replies (inform acknowledgements, Reports) go straight
//! back; accepted notifications and malformed datagrams go to a bounded
//! channel, and what does not fit is counted as a drop, so a flood costs
//! counts, never memory.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::authority::{AuthFailure, Authority, LocalEngine, Received, TrapAuth, Verdict};
use super::NotificationKind;
use crate::{bind_error, ProbeError};

/// How to move off the privileged port 162, for the bind error.
const OTHER_PORT: &str = "--trap-port 10162, or the trap_port setting";

#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    pub bind: SocketAddr,
    /// How long a retransmitted inform is recognised as a duplicate.
    pub dedup_window: Duration,
    /// Items waiting for the consumer before more are dropped: about a
    /// second of a 20,000/s flood, so a pause of the store loses nothing.
    pub queue: usize,
}

impl ReceiverConfig {
    pub fn new(bind: SocketAddr) -> Self {
        Self { bind, dedup_window: Duration::from_secs(60), queue: 16_384 }
    }
}

/// What the receiver hands on.
#[derive(Debug, Clone)]
pub enum TrapItem {
    Notification {
        at: SystemTime,
        from: SocketAddr,
        received: Received,
    },
    /// Kept for inspection: the raw bytes and why they did not decode.
    Malformed {
        at: SystemTime,
        from: SocketAddr,
        bytes: Vec<u8>,
        error: String,
    },
}

/// Counters since the receiver started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReceiverStats {
    pub received: u64,
    pub decoded: u64,
    pub malformed: u64,
    pub auth_failures: u64,
    pub not_in_time_window: u64,
    pub discovery: u64,
    pub duplicates: u64,
    /// Datagrams dropped undecoded because the intake's queue was full. An
    /// inform among them got no acknowledgement, so its sender retries.
    pub drops: u64,
}

#[derive(Default)]
struct Counters {
    received: AtomicU64,
    decoded: AtomicU64,
    malformed: AtomicU64,
    auth_failures: AtomicU64,
    not_in_time_window: AtomicU64,
    discovery: AtomicU64,
    duplicates: AtomicU64,
    drops: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// A running receiver; dropping it stops the task.
pub struct TrapReceiver {
    local: SocketAddr,
    engine: LocalEngine,
    counters: Arc<Counters>,
    task: JoinHandle<()>,
    auth: watch::Sender<TrapAuth>,
}

impl Drop for TrapReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Entries remembered for duplicate detection at most; beyond it the
/// oldest half is forgotten (a flood of distinct informs must not grow
/// memory).
const DEDUP_MAX: usize = 65_536;

impl TrapReceiver {
    /// Binds the socket and starts receiving. Permission denied on a
    /// privileged port names the fixes.
    pub async fn start(
        cfg: ReceiverConfig,
        auth: TrapAuth,
        engine: LocalEngine,
    ) -> Result<(Self, mpsc::Receiver<TrapItem>), ProbeError> {
        let socket = UdpSocket::bind(cfg.bind).await.map_err(|e| bind_error("SNMP traps", cfg.bind, e, OTHER_PORT))?;
        let local = socket.local_addr()?;
        let counters = Arc::new(Counters::default());
        let (tx, rx) = mpsc::channel(cfg.queue.max(1));
        let authority = Authority::new(auth.clone(), engine.clone());
        let (auth, updates) = watch::channel(auth);
        let task = tokio::spawn(serve(socket, authority, updates, tx, counters.clone(), cfg.dedup_window));
        tracing::info!(%local, "SNMP trap receiver listening");
        Ok((Self { local, engine, counters, task, auth }, rx))
    }

    /// Replaces the accepted communities and users while the receiver runs,
    /// so a rotated secret stops being accepted at once (the next datagram
    /// sees it).
    pub fn set_auth(&self, auth: TrapAuth) {
        self.auth.send_replace(auth);
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    pub fn engine_id(&self) -> &[u8] {
        &self.engine.engine_id
    }

    /// Our engine as this receiver answers for it (id, boots, its clock):
    /// v3 traps we send go out as the same engine.
    pub fn engine(&self) -> &LocalEngine {
        &self.engine
    }

    pub fn stats(&self) -> ReceiverStats {
        let c = &*self.counters;
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        ReceiverStats {
            received: g(&c.received),
            decoded: g(&c.decoded),
            malformed: g(&c.malformed),
            auth_failures: g(&c.auth_failures),
            not_in_time_window: g(&c.not_in_time_window),
            discovery: g(&c.discovery),
            duplicates: g(&c.duplicates),
            drops: g(&c.drops),
        }
    }
}

async fn serve(
    socket: UdpSocket,
    mut authority: Authority,
    mut updates: watch::Receiver<TrapAuth>,
    tx: mpsc::Sender<TrapItem>,
    c: Arc<Counters>,
    window: Duration,
) {
    let mut buf = vec![0u8; 65_536];
    let mut seen: HashMap<Vec<u8>, Instant> = HashMap::new();
    loop {
        let (n, from) = match socket.recv_from(&mut buf).await {
            Ok(v) => v,
            Err(e) => {
                // ICMP errors from earlier replies surface here on some
                // systems; the socket itself is still fine.
                tracing::debug!(error = %e, "trap receiver recv");
                continue;
            }
        };
        bump(&c.received);
        if tx.capacity() == 0 {
            if tx.is_closed() {
                return;
            }
            // The intake is behind: drop before decoding, so a flood costs
            // the least CPU here, and send no reply, so an inform's sender
            // retransmits it instead of taking it as delivered. Only this
            // task sends, so a queue with room still has it below.
            bump(&c.drops);
            continue;
        }
        // One atomic load per datagram; a closed sender (receiver dropped) reads as no change.
        if updates.has_changed().unwrap_or(false) {
            authority.set_auth(updates.borrow_and_update().clone());
        }
        let bytes = buf.get(..n).unwrap_or(&[]);
        let handled = authority.handle(bytes, from);
        if let Some(reply) = &handled.reply {
            if let Err(e) = socket.send_to(reply, from).await {
                tracing::debug!(error = %e, %from, "trap receiver reply");
            }
        }
        let at = SystemTime::now();
        let item = match handled.verdict {
            Verdict::Accepted(received) => {
                if received.notification.kind == NotificationKind::Inform && is_duplicate(&mut seen, &received, window)
                {
                    bump(&c.duplicates);
                    continue;
                }
                bump(&c.decoded);
                TrapItem::Notification { at, from, received }
            }
            Verdict::Malformed(error) => {
                bump(&c.malformed);
                TrapItem::Malformed { at, from, bytes: bytes.to_vec(), error }
            }
            Verdict::Rejected(why) => {
                bump(&c.auth_failures);
                if why == AuthFailure::NotInTimeWindow {
                    bump(&c.not_in_time_window);
                }
                tracing::debug!(%from, reason = why.as_str(), "trap rejected");
                continue;
            }
            Verdict::Discovery => {
                bump(&c.discovery);
                continue;
            }
        };
        match tx.try_send(item) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => bump(&c.drops),
            Err(mpsc::error::TrySendError::Closed(_)) => return,
        }
    }
}

fn is_duplicate(seen: &mut HashMap<Vec<u8>, Instant>, r: &Received, window: Duration) -> bool {
    let now = Instant::now();
    if let Some(t) = seen.get(&r.dedup) {
        if now.duration_since(*t) <= window {
            return true;
        }
    }
    if seen.len() >= DEDUP_MAX {
        seen.retain(|_, t| now.duration_since(*t) <= window);
        if seen.len() >= DEDUP_MAX {
            seen.clear();
        }
    }
    seen.insert(r.dedup.clone(), now);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_denied_names_the_fixes() {
        let e = bind_error(
            "SNMP traps",
            "0.0.0.0:162".parse().expect("addr"),
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            OTHER_PORT,
        );
        let text = e.to_string();
        for fix in ["CAP_NET_BIND_SERVICE", "net.ipv4.ip_unprivileged_port_start", "--trap-port", "162"] {
            assert!(text.contains(fix), "{text}");
        }
    }
}
