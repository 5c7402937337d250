//! The Linux sweep: sender threads and a receiver thread per socket, on
//! sockets of the sweep's own, like fping's loop but on every core.
//!
//! Why not the engine's shared surge-ping sockets (profiled on a
//! 65,534-address loopback sweep, 2 cores): on loopback the kernel builds
//! and delivers each echo reply inside the sender's `sendto`, and a raw
//! socket's send path holds the socket lock (`lock_sock`) for all of it. Two
//! runtime threads sending on one socket therefore took turns, sleeping on
//! the lock (72,000 context switches a sweep), and surge-ping's receive task
//! asks `getsockname` (the same lock) for every reply. So the sweep:
//! - opens its own sockets for the run, one per family (two for ping
//!   sockets, below); the engine's shared sockets stay for per-target pings,
//!   a sweep being one batch job;
//! - on raw IPv4 sets `IP_HDRINCL`, whose send path takes no socket lock, so
//!   two sender threads run the kernel's echo work on two cores; ping
//!   (datagram) sockets lock on send, so there each sender gets a socket of
//!   its own (the kernel hands each socket its own replies);
//! - receives on its own thread with `recvmmsg`, so the senders never wait
//!   for replies to be read;
//! - has no task, timer or channel per address: each sender keeps a FIFO of
//!   what it sent (one timeout for all, so FIFO order is deadline order), and
//!   a reply settles its target through the index echoed in its payload.
//!
//! The window (`concurrency`) still bounds the requests in flight, which is
//! what keeps the receive queue from overflowing.

use std::collections::VecDeque;
use std::io::{self, IoSliceMut};
use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::thread::{Builder, Thread};
use std::time::{Duration, Instant};

use nix::sys::socket::{recvmmsg, MsgFlags, MultiHeaders, SockaddrStorage};
use socket2_06::{Domain, Protocol, SockAddr, Socket, Type};

use super::echo::{build_request, parse_reply, Framing, Tag, IPV4_HEADER_LEN};
use super::privilege::{open_error, SocketMode};
use super::sweep::{SweepOptions, SweepProgress};
use super::tune::{reply_filter, size_buffers};
use crate::ProbeError;

const PENDING: u8 = 0;
const ALIVE: u8 = 1;
const DEAD: u8 = 2;

/// Datagrams per `recvmmsg`.
const BATCH: usize = 32;
/// How long a blocked receive or an idle sender waits before looking at the
/// stop flag again.
const POLL: Duration = Duration::from_millis(20);
/// Largest request sent with our own IPv4 header: the kernel never
/// fragments an `IP_HDRINCL` packet (one larger than the route's MTU fails
/// with EMSGSIZE), and 576 bytes is the datagram every IPv4 host must
/// accept (RFC 791), below any real link's MTU. Larger requests use the
/// kernel's header and one sender.
const HDRINCL_MAX: usize = 576;

/// One family's socket for a sweep.
pub(crate) struct SweepSocket {
    sock: Socket,
    framing: Framing,
    /// Raw sockets: the identifier we send and require back. Ping sockets:
    /// the kernel sets and checks it, so we do not.
    ident: Option<u16>,
}

impl SweepSocket {
    /// Open and tune a socket for `v6`/IPv4 in `mode`, falling back from raw
    /// to a ping socket when raw is refused (as the engine's sockets do).
    pub(crate) fn open(v6: bool, mode: SocketMode, ident: u16, payload_len: usize) -> Result<Self, ProbeError> {
        let (domain, proto) = if v6 { (Domain::IPV6, Protocol::ICMPV6) } else { (Domain::IPV4, Protocol::ICMPV4) };
        let (sock, mode) = match Socket::new(domain, kind(mode), Some(proto)) {
            Ok(s) => (s, mode),
            Err(e) if mode == SocketMode::Raw && e.kind() == io::ErrorKind::PermissionDenied => {
                match Socket::new(domain, Type::DGRAM, Some(proto)) {
                    Ok(s) => (s, SocketMode::Datagram),
                    Err(e) => return Err(open_error(e, SocketMode::Datagram)),
                }
            }
            Err(e) => return Err(open_error(e, mode)),
        };
        size_buffers(&sock);
        sock.set_read_timeout(Some(POLL))?;
        let raw = mode == SocketMode::Raw;
        let framing = match (v6, raw) {
            (true, _) => Framing::V6,
            (false, true) => {
                let header =
                    IPV4_HEADER_LEN + 8 + payload_len <= HDRINCL_MAX && sock.set_header_included_v4(true).is_ok();
                Framing::RawV4 { header }
            }
            (false, false) => Framing::DgramV4,
        };
        if raw {
            // A raw socket gets a copy of every ICMP packet the host
            // receives; let the kernel drop all but our echo replies.
            sock.attach_filter(&reply_filter(v6, ident))?;
        }
        // Same words as the engine's sockets, so logs (and the non-root
        // tests) read one way.
        let rcvbuf = sock.recv_buffer_size().unwrap_or(0);
        tracing::debug!(v6, ?mode, ?framing, rcvbuf, "opened ICMP socket for a sweep");
        Ok(Self { sock, framing, ident: raw.then_some(ident) })
    }

    /// Open the sockets for one family: one, plus a second for a second
    /// sender where that pays (a ping socket, on a machine with two cores;
    /// a second raw socket would receive a copy of every reply instead).
    pub(crate) fn open_family(
        v6: bool,
        mode: SocketMode,
        ident: u16,
        payload_len: usize,
    ) -> Result<Vec<Self>, ProbeError> {
        let first = Self::open(v6, mode, ident, payload_len)?;
        let mut socks = vec![first];
        if socks[0].ident.is_none() && cores() >= 2 {
            match Self::open(v6, SocketMode::Datagram, ident, payload_len) {
                Ok(second) => socks.push(second),
                Err(e) => tracing::debug!(error = %e, "second sweep socket refused; one sender"),
            }
        }
        Ok(socks)
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Sender threads for these sockets: two on one raw IPv4 socket with our
/// own header (its send path takes no socket lock), else one per socket.
fn lanes(v4: &[SweepSocket], v6: &[SweepSocket]) -> usize {
    match v4.first().map(|s| s.framing) {
        Some(Framing::RawV4 { header: true }) => cores().min(2),
        _ => v4.len().max(v6.len()).max(1),
    }
}

fn kind(mode: SocketMode) -> Type {
    match mode {
        SocketMode::Raw => Type::RAW,
        SocketMode::Datagram => Type::DGRAM,
    }
}

/// What a finished (or stopped) run found.
pub(crate) struct Outcome {
    pub alive: Vec<IpAddr>,
    pub send_errors: usize,
}

/// Shared state of one run.
struct Run<'a, F> {
    targets: &'a [IpAddr],
    v4: &'a [SweepSocket],
    v6: &'a [SweepSocket],
    opts: &'a SweepOptions,
    progress: &'a F,
    stop: &'a AtomicBool,
    cookie: u64,
    seq0: u16,
    state: Vec<AtomicU8>,
    cursor: AtomicUsize,
    inflight: AtomicUsize,
    settled: AtomicUsize,
    alive: AtomicUsize,
    send_errors: AtomicUsize,
    senders: OnceLock<Vec<Thread>>,
}

/// Probe every target (blocking; run it off the async runtime). `stop`
/// ends it early: every thread looks at it at least every [`POLL`]. Fails
/// only when a thread cannot be started.
pub(crate) fn run<F>(
    targets: &[IpAddr],
    v4: &[SweepSocket],
    v6: &[SweepSocket],
    opts: &SweepOptions,
    progress: &F,
    stop: &AtomicBool,
) -> io::Result<Outcome>
where
    F: Fn(SweepProgress) + Sync,
{
    let run = Run {
        targets,
        v4,
        v6,
        opts,
        progress,
        stop,
        cookie: rand::random(),
        seq0: rand::random(),
        state: targets.iter().map(|_| AtomicU8::new(PENDING)).collect(),
        cursor: AtomicUsize::new(0),
        inflight: AtomicUsize::new(0),
        settled: AtomicUsize::new(0),
        alive: AtomicUsize::new(0),
        send_errors: AtomicUsize::new(0),
        senders: OnceLock::new(),
    };
    let senders = lanes(v4, v6).min(targets.len().max(1));
    std::thread::scope(|s| {
        let spawned = (|| -> io::Result<()> {
            // Named, so a test (or `top -H`) can see them come and go.
            for sock in v4.iter().chain(v6) {
                let run = &run;
                Builder::new().name("sweep-recv".into()).spawn_scoped(s, move || run.receive(sock))?;
            }
            let mut threads = Vec::with_capacity(senders);
            for lane in 0..senders {
                let run = &run;
                let sender = Builder::new().name("sweep-send".into()).spawn_scoped(s, move || run.send_loop(lane))?;
                threads.push(sender.thread().clone());
            }
            let _ = run.senders.set(threads);
            Ok(())
        })();
        if spawned.is_err() {
            // Let the threads already running end; the scope waits for them.
            stop.store(true, Ordering::Relaxed);
        }
        spawned
    })?;
    let alive = targets.iter().zip(&run.state).filter(|(_, s)| s.load(Ordering::Relaxed) == ALIVE).map(|(a, _)| *a);
    Ok(Outcome { alive: alive.collect(), send_errors: run.send_errors.load(Ordering::Relaxed) })
}

impl<F: Fn(SweepProgress) + Sync> Run<'_, F> {
    fn done(&self) -> bool {
        self.stop.load(Ordering::Relaxed) || self.settled.load(Ordering::Acquire) >= self.targets.len()
    }

    /// Settle target `i` (once: the first of reply and expiry wins).
    fn settle(&self, i: usize, outcome: u8) -> bool {
        if self.state[i].compare_exchange(PENDING, outcome, Ordering::AcqRel, Ordering::Relaxed).is_err() {
            return false;
        }
        self.inflight.fetch_sub(1, Ordering::AcqRel);
        let alive = if outcome == ALIVE {
            self.alive.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            self.alive.load(Ordering::Relaxed)
        };
        let probed = self.settled.fetch_add(1, Ordering::AcqRel) + 1;
        let total = self.targets.len();
        (self.progress)(SweepProgress {
            probed,
            total,
            alive,
            target: self.targets[i],
            target_alive: outcome == ALIVE,
        });
        true
    }

    /// One sender; `lane` picks its socket where each sender has one.
    fn send_loop(&self, lane: usize) {
        let window = self.opts.concurrency.max(1);
        // What this thread sent and has not seen settled, oldest first. One
        // timeout for all, so the front is always the next to expire.
        let mut sent: VecDeque<(Instant, usize, u32)> = VecDeque::with_capacity(window);
        let mut buf = Vec::with_capacity(IPV4_HEADER_LEN + 8 + self.opts.payload_size.max(16));
        let mut exhausted = false;
        while !self.stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            while let Some(&(deadline, i, attempt)) = sent.front() {
                if self.state[i].load(Ordering::Acquire) != PENDING {
                    sent.pop_front();
                } else if deadline <= now {
                    sent.pop_front();
                    if attempt < self.opts.retries {
                        self.send(&mut buf, lane, i, attempt + 1);
                        sent.push_back((now + self.opts.timeout, i, attempt + 1));
                    } else {
                        self.settle(i, DEAD);
                    }
                } else {
                    break;
                }
            }
            if !exhausted && self.inflight.load(Ordering::Acquire) < window {
                let i = self.cursor.fetch_add(1, Ordering::Relaxed);
                if i < self.targets.len() {
                    self.inflight.fetch_add(1, Ordering::AcqRel);
                    self.send(&mut buf, lane, i, 0);
                    sent.push_back((Instant::now() + self.opts.timeout, i, 0));
                    continue;
                }
                exhausted = true;
            }
            if exhausted && sent.is_empty() {
                return;
            }
            // Window full, or nothing left to send: sleep until our oldest
            // request times out or the receiver settles something (it
            // unparks us; an unpark that comes first makes this return at
            // once, so none is lost).
            let wait = sent.front().map_or(POLL, |&(deadline, ..)| deadline.saturating_duration_since(now).min(POLL));
            std::thread::park_timeout(wait);
        }
    }

    fn send(&self, buf: &mut Vec<u8>, lane: usize, i: usize, attempt: u32) {
        let addr = self.targets[i];
        let sock = match addr {
            IpAddr::V4(_) => self.v4,
            IpAddr::V6(_) => self.v6,
        };
        let Some(sock) = sock.get(lane % sock.len().max(1)) else { return };
        let dst = match addr {
            IpAddr::V4(a) => Some(a),
            IpAddr::V6(_) => None,
        };
        let tag = Tag { cookie: self.cookie, index: i as u32 };
        let seq = self.seq0.wrapping_add(attempt as u16);
        build_request(buf, sock.framing, dst, sock.ident.unwrap_or(0), seq, tag, self.opts.payload_size);
        if let Err(e) = sock.sock.send_to(buf, &SockAddr::from(SocketAddr::new(addr, 0))) {
            // Counted as no reply; a full send queue gets a moment to drain.
            tracing::debug!(%addr, error = %e, "sweep send failed");
            self.send_errors.fetch_add(1, Ordering::Relaxed);
            if matches!(e.kind(), io::ErrorKind::WouldBlock) || e.raw_os_error() == Some(nix::libc::ENOBUFS) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }

    fn receive(&self, sock: &SweepSocket) {
        let mut headers: MultiHeaders<SockaddrStorage> = MultiHeaders::preallocate(BATCH, None);
        let mut bufs: Vec<[u8; 256]> = vec![[0; 256]; BATCH];
        let mut got = [(0usize, None::<IpAddr>); BATCH];
        let fd = sock.sock.as_raw_fd();
        // For the debug line at the end: datagrams vs replies of ours shows
        // whether the kernel filter is doing its job.
        let (mut datagrams, mut ours) = (0usize, 0usize);
        while !self.done() {
            let n = {
                let mut slices: Vec<[IoSliceMut<'_>; 1]> = bufs.iter_mut().map(|b| [IoSliceMut::new(b)]).collect();
                match recvmmsg(fd, &mut headers, slices.iter_mut(), MsgFlags::MSG_WAITFORONE, None) {
                    Ok(msgs) => {
                        let mut n = 0;
                        for (slot, m) in got.iter_mut().zip(msgs) {
                            *slot = (m.bytes, m.address.and_then(|a| source(&a)));
                            n += 1;
                        }
                        n
                    }
                    // Timeout (EAGAIN), a signal, or an error the kernel
                    // queued: look at the stop flag and go on.
                    Err(_) => 0,
                }
            };
            let mut any = false;
            for (buf, &(len, from)) in bufs.iter().zip(&got).take(n) {
                let settled = self.on_datagram(sock, buf.get(..len).unwrap_or(&[]), from);
                ours += usize::from(settled);
                any |= settled;
            }
            datagrams += n;
            if any {
                for t in self.senders.get().into_iter().flatten() {
                    t.unpark();
                }
            }
        }
        tracing::debug!(?sock.framing, datagrams, settled = ours, "sweep receiver done");
    }

    /// A datagram arrived: settle its target if it is a reply to us.
    fn on_datagram(&self, sock: &SweepSocket, bytes: &[u8], from: Option<IpAddr>) -> bool {
        let Some(reply) = parse_reply(bytes, sock.framing) else { return false };
        if sock.ident.is_some_and(|id| id != reply.ident) {
            return false;
        }
        let Some(tag) = Tag::read(reply.payload) else { return false };
        let i = tag.index as usize;
        if tag.cookie != self.cookie || from.is_none() || self.targets.get(i).copied() != from {
            return false;
        }
        self.settle(i, ALIVE)
    }
}

fn source(a: &SockaddrStorage) -> Option<IpAddr> {
    if let Some(v4) = a.as_sockaddr_in() {
        return Some(IpAddr::V4(v4.ip()));
    }
    a.as_sockaddr_in6().map(|v6| IpAddr::V6(v6.ip()))
}
