//! The syslog listeners: one UDP socket, one TCP listener and one TLS
//! listener (RFC 5425), the last two with a bounded number of connections
//! between them and an idle timeout each. Every message, parsed
//! or not, goes to a bounded channel. When the writer behind it falls
//! behind, a datagram is dropped and counted instead of blocking the
//! socket (a blocked UDP reader loses datagrams in the kernel uncounted);
//! a stream connection waits, and TCP's flow control slows its sender.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use meridian_core::syslog::{SyslogCounters, SyslogFormat, SyslogMessage, SyslogRecord};
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use super::text::body;
use super::tls;
use super::{parse, FrameDecoder, DEFAULT_MAX_MESSAGE};
use crate::{bind_error, ProbeError};

/// How to move off a privileged port, for the bind error.
const OTHER_PORT: &str = "e.g. 5514";

/// The IANA port; binding it needs privileges (see [`crate::bind_error`]).
pub const DEFAULT_SYSLOG_PORT: u16 = 514;

#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// UDP address to listen on; `None` for no UDP listener.
    pub udp: Option<SocketAddr>,
    /// TCP address to listen on; `None` for no TCP listener.
    pub tcp: Option<SocketAddr>,
    /// TLS address and server configuration (see [`super::server_config`]);
    /// `None` for no TLS listener.
    pub tls: Option<(SocketAddr, Arc<rustls::ServerConfig>)>,
    /// Longer messages are cut here and counted as truncated.
    pub max_message: usize,
    /// TCP connections beyond this are closed at once.
    pub max_connections: usize,
    /// A TCP connection silent this long is closed.
    pub read_timeout: Duration,
}

impl ReceiverConfig {
    /// UDP and TCP on the same address.
    pub fn both(addr: SocketAddr) -> Self {
        Self {
            udp: Some(addr),
            tcp: Some(addr),
            tls: None,
            max_message: DEFAULT_MAX_MESSAGE,
            max_connections: 256,
            read_timeout: Duration::from_secs(300),
        }
    }
}

/// Parses one message; never fails: malformed input is kept raw.
pub fn record(bytes: &[u8], truncated: bool, source: IpAddr, received_at: DateTime<Utc>) -> SyslogRecord {
    let (format, message, error) = match parse(bytes, received_at) {
        Ok((format, message)) => (format, message, None),
        Err(e) => {
            let raw = SyslogMessage { message: body(bytes), ..SyslogMessage::default() };
            (SyslogFormat::Malformed, raw, Some(e.to_string()))
        }
    };
    SyslogRecord { received_at, source: source.to_canonical(), format, message, error, truncated }
}

/// Shared counters: the receiver counts what it reads, the writer behind
/// the channel counts what it stores, drops and purges.
#[derive(Debug, Default)]
pub struct ReceiverCounters {
    pub received: AtomicU64,
    pub stored: AtomicU64,
    pub malformed: AtomicU64,
    pub truncated: AtomicU64,
    pub dropped: AtomicU64,
    pub purged: AtomicU64,
    pub refused_connections: AtomicU64,
}

impl ReceiverCounters {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> SyslogCounters {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        SyslogCounters {
            received: get(&self.received),
            stored: get(&self.stored),
            malformed: get(&self.malformed),
            truncated: get(&self.truncated),
            dropped: get(&self.dropped),
            purged: get(&self.purged),
        }
    }
}

/// A running receiver; dropping it (or [`SyslogReceiver::stop`]) closes
/// the sockets and every connection.
#[derive(Debug)]
pub struct SyslogReceiver {
    pub udp_addr: Option<SocketAddr>,
    pub tcp_addr: Option<SocketAddr>,
    pub tls_addr: Option<SocketAddr>,
    pub counters: Arc<ReceiverCounters>,
    tasks: Vec<JoinHandle<()>>,
}

impl SyslogReceiver {
    /// Binds the configured sockets (port 0 picks a free one; see
    /// `udp_addr`/`tcp_addr`) and starts reading into `tx`.
    pub async fn start(
        config: ReceiverConfig,
        tx: mpsc::Sender<SyslogRecord>,
        counters: Arc<ReceiverCounters>,
    ) -> Result<Self, ProbeError> {
        let mut me = Self { udp_addr: None, tcp_addr: None, tls_addr: None, counters, tasks: Vec::new() };
        // One pool of connection slots for TCP and TLS together.
        let slots = Arc::new(Semaphore::new(config.max_connections));
        if let Some(addr) = config.udp {
            let sock = UdpSocket::bind(addr).await.map_err(|e| bind_error("syslog UDP", addr, e, OTHER_PORT))?;
            me.udp_addr = Some(sock.local_addr()?);
            let (tx, counters) = (tx.clone(), me.counters.clone());
            me.tasks.push(tokio::spawn(udp_loop(sock, config.max_message, tx, counters)));
        }
        if let Some(mut addr) = config.tcp {
            // Port 0 for both: TCP takes the port UDP got, so one port
            // serves both as 514 does.
            if addr.port() == 0 && config.udp == Some(addr) {
                addr.set_port(me.udp_addr.map_or(0, |a| a.port()));
            }
            let listener = TcpListener::bind(addr).await.map_err(|e| bind_error("syslog TCP", addr, e, OTHER_PORT))?;
            me.tcp_addr = Some(listener.local_addr()?);
            let stream = Stream { config: config.clone(), tx: tx.clone(), counters: me.counters.clone(), tls: None };
            me.tasks.push(tokio::spawn(stream.serve(listener, slots.clone())));
        }
        if let Some((addr, server)) = config.tls.clone() {
            let listener =
                TcpListener::bind(addr).await.map_err(|e| bind_error("syslog TLS", addr, e, "e.g. 16514"))?;
            me.tls_addr = Some(listener.local_addr()?);
            let tls = Some(TlsAcceptor::from(server));
            let stream = Stream { config, tx, counters: me.counters.clone(), tls };
            me.tasks.push(tokio::spawn(stream.serve(listener, slots)));
        }
        Ok(me)
    }

    pub fn stop(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }
}

impl Drop for SyslogReceiver {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Parses one message and counts it in.
fn take_in(bytes: &[u8], truncated: bool, source: SocketAddr, counters: &ReceiverCounters) -> SyslogRecord {
    let msg = record(bytes, truncated, source.ip(), Utc::now());
    count_received(truncated, counters);
    ReceiverCounters::add(&counters.malformed, u64::from(msg.format == SyslogFormat::Malformed));
    msg
}

/// Every message that arrived, parsed or dropped unparsed.
fn count_received(truncated: bool, counters: &ReceiverCounters) {
    ReceiverCounters::add(&counters.received, 1);
    ReceiverCounters::add(&counters.truncated, u64::from(truncated));
}

/// A datagram: queued, or dropped and counted when the writer is behind.
/// Returns false once the writer is gone.
fn deliver(
    bytes: &[u8],
    truncated: bool,
    source: SocketAddr,
    tx: &mpsc::Sender<SyslogRecord>,
    counters: &ReceiverCounters,
) -> bool {
    if tx.capacity() == 0 {
        // Dropped before parsing: under a flood the writer cannot take,
        // parsing what is thrown away would only take CPU from the writer.
        if tx.is_closed() {
            return false;
        }
        count_received(truncated, counters);
        ReceiverCounters::add(&counters.dropped, 1);
        return true;
    }
    match tx.try_send(take_in(bytes, truncated, source, counters)) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            ReceiverCounters::add(&counters.dropped, 1);
            true
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}

/// A frame of a TCP or TLS stream: queued, waiting while the queue is full.
/// TCP has its own flow control: while this connection is not read, the
/// sender's window fills and a relay such as rsyslog holds its messages
/// instead of losing them. Returns false once the writer is gone.
async fn deliver_frame(
    bytes: &[u8],
    truncated: bool,
    source: SocketAddr,
    tx: &mpsc::Sender<SyslogRecord>,
    counters: &ReceiverCounters,
) -> bool {
    tx.send(take_in(bytes, truncated, source, counters)).await.is_ok()
}

async fn udp_loop(sock: UdpSocket, max: usize, tx: mpsc::Sender<SyslogRecord>, counters: Arc<ReceiverCounters>) {
    let mut buf = vec![0u8; 65_536];
    loop {
        match sock.recv_from(&mut buf).await {
            Ok((n, from)) => {
                let truncated = n > max;
                if !deliver(&buf[..n.min(max)], truncated, from, &tx, &counters) {
                    return;
                }
            }
            // ICMP errors surface on UDP reads on some systems; keep reading.
            Err(e) => tracing::debug!(error = %e, "syslog UDP receive"),
        }
    }
}

/// A stream listener (plain TCP, or TLS when `tls` is set) and what its
/// connections share.
struct Stream {
    config: ReceiverConfig,
    tx: mpsc::Sender<SyslogRecord>,
    counters: Arc<ReceiverCounters>,
    tls: Option<TlsAcceptor>,
}

impl Stream {
    async fn serve(self, listener: TcpListener, slots: Arc<Semaphore>) {
        let me = Arc::new(self);
        let mut conns = JoinSet::new();
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(a) => a,
                        Err(e) => {
                            // EMFILE and friends: back off instead of spinning.
                            tracing::warn!(error = %e, "syslog TCP accept");
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            continue;
                        }
                    };
                    let Ok(permit) = slots.clone().try_acquire_owned() else {
                        ReceiverCounters::add(&me.counters.refused_connections, 1);
                        let limit = me.config.max_connections;
                        tracing::warn!(%peer, limit, "syslog TCP connection refused: limit reached");
                        continue;
                    };
                    let me = me.clone();
                    conns.spawn(async move {
                        me.connection(stream, peer).await;
                        drop(permit);
                    });
                }
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
            }
        }
    }

    async fn connection(&self, stream: TcpStream, peer: SocketAddr) {
        let Some(acceptor) = &self.tls else {
            return read_frames(stream, peer, &self.config, &self.tx, &self.counters).await;
        };
        match tls::accept(acceptor, stream).await {
            Ok(s) => read_frames(s, peer, &self.config, &self.tx, &self.counters).await,
            Err(why) => {
                // A scanner, a plain-TCP sender on the TLS port, an untrusted
                // client: counted with the refused connections, never stored.
                ReceiverCounters::add(&self.counters.refused_connections, 1);
                tracing::info!(%peer, error = %why, "syslog TLS handshake failed, connection closed");
            }
        }
    }
}

async fn read_frames<S: AsyncRead + Unpin>(
    mut stream: S,
    peer: SocketAddr,
    config: &ReceiverConfig,
    tx: &mpsc::Sender<SyslogRecord>,
    counters: &ReceiverCounters,
) {
    let mut decoder = FrameDecoder::new(config.max_message);
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match tokio::time::timeout(config.read_timeout, stream.read(&mut buf)).await {
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => n,
            Ok(Err(e)) => {
                tracing::debug!(%peer, error = %e, "syslog TCP read");
                break;
            }
            Err(_) => {
                tracing::debug!(%peer, "syslog TCP connection idle, closed");
                return;
            }
        };
        decoder.extend(&buf[..n]);
        loop {
            match decoder.next_frame() {
                Ok(Some(f)) => {
                    if !deliver_frame(&f.bytes, f.truncated, peer, tx, counters).await {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    // The stream cannot be resynchronised; keep what we
                    // have as a malformed message and hang up.
                    let rest = decoder.take_buffered();
                    tracing::info!(%peer, error = %e, "syslog TCP framing error, connection closed");
                    deliver_frame(&rest, false, peer, tx, counters).await;
                    return;
                }
            }
        }
    }
    if let Some(f) = decoder.finish() {
        deliver_frame(&f.bytes, f.truncated, peer, tx, counters).await;
    }
}
