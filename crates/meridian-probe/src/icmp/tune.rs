//! Socket tuning for the shared ICMP sockets.
//!
//! surge-ping owns its socket and only exposes the raw fd number; turning a
//! raw fd into a borrowed one needs `unsafe`, which the workspace forbids. So
//! we ask the kernel for a second descriptor of the same socket with
//! `pidfd_getfd(2)` on our own pid (Linux >= 5.6, always permitted on
//! oneself), set options through it with socket2, and close it again: socket
//! options live on the socket, not on the descriptor. If that fails (old
//! kernel, seccomp) we log and carry on untuned.
//!
//! What we set, and why (measured on a 65,534-target loopback sweep):
//! - a larger `SO_RCVBUF` (forced past net.core.rmem_max when privileged):
//!   replies to a burst of requests arrive together,
//!   and the default ~208 KiB holds only a few hundred raw ICMP packets, so
//!   replies were dropped and live hosts reported dead;
//! - a larger `SO_SNDBUF`, so bursts of sends do not hit ENOBUFS;
//! - on raw sockets, a classic BPF filter that drops echo *requests*: a raw
//!   ICMP socket receives a copy of every ICMP packet the host gets, and on
//!   loopback that includes each request we send, doubling the receive work.

use std::os::fd::AsFd;

use socket2_06::{SockFilter, SockRef};
use surge_ping::Client;

use super::privilege::SocketMode;

/// Receive buffer we ask for (the kernel caps it at `net.core.rmem_max`).
pub const RECV_BUFFER: usize = 8 << 20;
/// Send buffer we ask for (capped at `net.core.wmem_max`).
pub const SEND_BUFFER: usize = 1 << 20;

// Classic BPF opcodes (linux/filter.h).
const BPF_LD_B_IND: u16 = 0x50; // A = pkt[X + k]
const BPF_LD_H_IND: u16 = 0x48; // A = pkt[X + k .. +2]
const BPF_LD_B_ABS: u16 = 0x30; // A = pkt[k]
const BPF_LDX_IMM: u16 = 0x01; // X = k
const BPF_LDX_B_MSH: u16 = 0xb1; // X = 4 * (pkt[k] & 0xf): the IPv4 header length
const BPF_JEQ_K: u16 = 0x15;
const BPF_RET_K: u16 = 0x06;

/// Drop IPv4 echo requests (type 8). Raw IPv4 sockets see the IP header
/// first, so skip it by its IHL.
fn filter_v4() -> [SockFilter; 5] {
    [
        SockFilter::new(BPF_LDX_B_MSH, 0, 0, 0),
        SockFilter::new(BPF_LD_B_IND, 0, 0, 0),
        SockFilter::new(BPF_JEQ_K, 0, 1, 8),
        SockFilter::new(BPF_RET_K, 0, 0, 0),
        SockFilter::new(BPF_RET_K, 0, 0, u32::MAX),
    ]
}

/// Drop ICMPv6 echo requests (type 128). Raw ICMPv6 sockets start at the
/// ICMPv6 header.
fn filter_v6() -> [SockFilter; 4] {
    [
        SockFilter::new(BPF_LD_B_ABS, 0, 0, 0),
        SockFilter::new(BPF_JEQ_K, 0, 1, 128),
        SockFilter::new(BPF_RET_K, 0, 0, 0),
        SockFilter::new(BPF_RET_K, 0, 0, u32::MAX),
    ]
}

/// Accept echo replies carrying `ident`, drop everything else (a sweep's
/// own raw socket). Raw IPv4 sockets see the IP header, skipped by its IHL;
/// ICMPv6 ones do not, so X stays 0 there.
pub(crate) fn reply_filter(v6: bool, ident: u16) -> Vec<SockFilter> {
    let (skip_header, reply_type) =
        if v6 { (SockFilter::new(BPF_LDX_IMM, 0, 0, 0), 129) } else { (SockFilter::new(BPF_LDX_B_MSH, 0, 0, 0), 0) };
    vec![
        skip_header,
        SockFilter::new(BPF_LD_B_IND, 0, 0, 0),
        SockFilter::new(BPF_JEQ_K, 0, 3, reply_type),
        SockFilter::new(BPF_LD_H_IND, 0, 0, 4),
        SockFilter::new(BPF_JEQ_K, 0, 1, u32::from(ident)),
        SockFilter::new(BPF_RET_K, 0, 0, u32::MAX),
        SockFilter::new(BPF_RET_K, 0, 0, 0),
    ]
}

/// Size an ICMP socket's buffers, best effort. The kernel caps a plain
/// receive-buffer request at net.core.rmem_max (208 KiB on a stock system:
/// a few hundred raw replies); a privileged process may pass the cap with
/// SO_RCVBUFFORCE, so that is tried first.
pub(crate) fn size_buffers<S: AsFd>(sock: &S) {
    use nix::sys::socket::{setsockopt, sockopt::RcvBufForce};
    let s = SockRef::from(sock);
    if setsockopt(sock, RcvBufForce, &RECV_BUFFER).is_err() {
        let _ = s.set_recv_buffer_size(RECV_BUFFER);
    }
    let _ = s.set_send_buffer_size(SEND_BUFFER);
}

/// Tune `client`'s socket; best effort, failures are logged at debug level.
pub(crate) fn tune(client: &Client, mode: SocketMode, ipv6: bool) {
    if let Err(e) = try_tune(client, mode, ipv6) {
        tracing::debug!(error = %e, "ICMP socket left untuned");
    }
}

fn try_tune(client: &Client, mode: SocketMode, ipv6: bool) -> std::io::Result<()> {
    use rustix::process::{pidfd_getfd, pidfd_open, Pid, PidfdFlags, PidfdGetfdFlags};
    let pid = i32::try_from(std::process::id())
        .ok()
        .and_then(Pid::from_raw)
        .ok_or_else(|| std::io::Error::other("pid out of range"))?;
    let pidfd = pidfd_open(pid, PidfdFlags::empty())?;
    let fd = pidfd_getfd(&pidfd, client.get_socket().get_native_sock(), PidfdGetfdFlags::empty())?;
    size_buffers(&fd);
    let sock = SockRef::from(&fd);
    if mode == SocketMode::Raw {
        if ipv6 {
            sock.attach_filter(&filter_v6())?;
        } else {
            sock.attach_filter(&filter_v4())?;
        }
    }
    tracing::debug!(
        rcvbuf = sock.recv_buffer_size()?,
        sndbuf = sock.send_buffer_size()?,
        ?mode,
        ipv6,
        "tuned ICMP socket"
    );
    Ok(())
}
