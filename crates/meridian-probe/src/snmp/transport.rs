//! The engine's shared UDP sockets: sending, and receiving in batches.
//!
//! Two kernel round trips per reply are avoided on Linux:
//! - tokio's `UdpSocket` registers for readable *and* writable events, and
//!   every send raises an EPOLLOUT edge (the send buffer frees up at once),
//!   which woke the runtime for nothing once per request. These sockets are
//!   registered for readability only; sends go straight to `sendto`.
//! - tokio forgets readiness only when a receive fails with `WouldBlock`, so
//!   each reply cost a second `recvfrom` that came back with EAGAIN.
//!   `recvmmsg` with room for [`BATCH`] datagrams returns fewer only when the
//!   queue ran dry during the call, which proves the socket empty; the
//!   readiness is then cleared without that extra call. Anything arriving
//!   later raises a new event (tokio's readiness ticks keep a clear from
//!   wiping an event it has not seen). Under load one call also takes up to
//!   [`BATCH`] replies.

pub(super) use imp::Socket;

#[cfg(target_os = "linux")]
mod imp {
    use std::cell::RefCell;
    use std::io::{self, IoSliceMut};
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6, UdpSocket};
    use std::os::fd::AsRawFd;
    use std::time::Duration;

    use nix::sys::socket::{recvmmsg, MsgFlags, MultiHeaders, SockaddrStorage};
    use tokio::io::unix::AsyncFd;
    use tokio::io::Interest;
    use tokio::time::Instant;

    /// Datagrams taken per receive call (at least 2, or a single datagram
    /// could not tell "empty now" from "maybe more").
    pub(crate) const BATCH: usize = 8;

    /// The largest UDP payload; SNMP replies are rarely past 1,500 bytes, and
    /// the untouched tail of each buffer never becomes resident.
    const MAX_DATAGRAM: usize = 65_536;

    thread_local! {
        // The kernel's message headers hold raw pointers, so they are neither
        // Send nor kept across an await: each runtime thread keeps one set and
        // borrows it only inside the synchronous receive call.
        static HEADERS: RefCell<MultiHeaders<SockaddrStorage>> =
            RefCell::new(MultiHeaders::preallocate(BATCH, None));
    }

    /// A non-blocking UDP socket watched for readability only.
    pub(crate) struct Socket {
        fd: AsyncFd<UdpSocket>,
    }

    impl Socket {
        /// Needs a tokio runtime (the socket joins its I/O driver).
        pub(crate) fn bind(addr: SocketAddr) -> io::Result<Self> {
            let s = UdpSocket::bind(addr)?;
            s.set_nonblocking(true)?;
            // tokio 1.54 deprecates the safe constructor because an arbitrary
            // `AsRawFd` could hand back a different or closed fd later; its
            // replacement is `unsafe`, which the workspace forbids. Sound
            // here: std's `UdpSocket` owns its fd and always returns it.
            #[allow(deprecated)]
            let fd = AsyncFd::with_interest(s, Interest::READABLE)?;
            Ok(Self { fd })
        }

        #[cfg(test)]
        pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
            self.fd.get_ref().local_addr()
        }

        /// Sends one datagram; false if it could not go out by `deadline`.
        /// Writability is not watched, so a full send buffer (rare for
        /// datagrams this small) is waited out in 1 ms steps; a datagram
        /// still unsent at the deadline counts as lost on the way, which the
        /// caller's retries cover.
        pub(crate) async fn send_to(&self, bytes: &[u8], to: SocketAddr, deadline: Instant) -> io::Result<bool> {
            loop {
                match self.fd.get_ref().send_to(bytes, to) {
                    Ok(_) => return Ok(true),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        if Instant::now() >= deadline {
                            return Ok(false);
                        }
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                    Err(e) => return Err(e),
                }
            }
        }

        /// Serves the socket until its runtime shuts down: each datagram goes
        /// to `deliver` with its source address.
        pub(crate) async fn receive_loop(&self, mut deliver: impl FnMut(&[u8], SocketAddr)) {
            let mut rx = RxBuffers::default();
            loop {
                let mut ready = match self.fd.readable().await {
                    Ok(r) => r,
                    Err(e) => {
                        // Only when the I/O driver is gone: nothing more will
                        // arrive.
                        tracing::debug!(error = %e, "SNMP socket closed");
                        return;
                    }
                };
                let mut taken = 0;
                let res = ready.try_io(|fd| {
                    taken = recv_batch(fd.get_ref(), &mut rx)?;
                    if taken < BATCH {
                        // The queue ran dry before the batch filled: have
                        // try_io clear the readiness now.
                        return Err(io::ErrorKind::WouldBlock.into());
                    }
                    Ok(())
                });
                if let Ok(Err(e)) = res {
                    // Transient (e.g. ICMP errors surfaced by the kernel): log
                    // and keep serving the other targets.
                    tracing::debug!(error = %e, "SNMP socket receive error");
                }
                for (buf, &(len, from)) in rx.bufs.iter().zip(&rx.got).take(taken) {
                    if let Some(from) = from {
                        deliver(buf.get(..len).unwrap_or(&[]), from);
                    }
                }
            }
        }
    }

    /// Receive buffers of one socket's receive task.
    struct RxBuffers {
        bufs: [Vec<u8>; BATCH],
        got: [(usize, Option<SocketAddr>); BATCH],
    }

    impl Default for RxBuffers {
        fn default() -> Self {
            Self { bufs: std::array::from_fn(|_| vec![0u8; MAX_DATAGRAM]), got: [(0, None); BATCH] }
        }
    }

    /// One non-blocking `recvmmsg`: fills `rx.got` and returns how many
    /// datagrams it took; `WouldBlock` when there were none.
    fn recv_batch(sock: &UdpSocket, rx: &mut RxBuffers) -> io::Result<usize> {
        let fd = sock.as_raw_fd();
        HEADERS.with(|h| {
            let mut headers = h.borrow_mut();
            let mut slices = rx.bufs.each_mut().map(|b| [IoSliceMut::new(b)]);
            let msgs =
                recvmmsg(fd, &mut headers, slices.iter_mut(), MsgFlags::MSG_DONTWAIT, None).map_err(io::Error::from)?;
            let mut n = 0;
            for (slot, m) in rx.got.iter_mut().zip(msgs) {
                *slot = (m.bytes, m.address.and_then(|a| socket_addr(&a)));
                n += 1;
            }
            Ok(n)
        })
    }

    fn socket_addr(a: &SockaddrStorage) -> Option<SocketAddr> {
        if let Some(v4) = a.as_sockaddr_in() {
            return Some(SocketAddr::V4(SocketAddrV4::from(*v4)));
        }
        a.as_sockaddr_in6().map(|v6| SocketAddr::V6(SocketAddrV6::from(*v6)))
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::net::Ipv4Addr;
        use std::sync::{Arc, Mutex};

        fn far() -> Instant {
            Instant::now() + Duration::from_secs(5)
        }

        /// More datagrams than one batch holds, queued before the receiver
        /// starts: all arrive, in order, with their source; and a datagram
        /// sent after the queue was drained (readiness cleared without an
        /// EAGAIN) still wakes the receiver.
        #[tokio::test]
        async fn batches_drain_the_queue_and_later_datagrams_still_arrive() {
            let rx = Arc::new(Socket::bind((Ipv4Addr::LOCALHOST, 0).into()).expect("bind"));
            let tx = Socket::bind((Ipv4Addr::LOCALHOST, 0).into()).expect("bind");
            let (to, from) = (rx.local_addr().expect("addr"), tx.local_addr().expect("addr"));
            let total = BATCH * 2 + 3;
            for i in 0..total {
                assert!(tx.send_to(&[i as u8; 3], to, far()).await.expect("send"));
            }
            let seen = Arc::new(Mutex::new(Vec::new()));
            let (r, s) = (rx.clone(), seen.clone());
            let task = tokio::spawn(async move {
                r.receive_loop(|d, a| s.lock().expect("lock").push((d.to_vec(), a))).await;
            });
            let wait_for = |n: usize| {
                let seen = seen.clone();
                async move {
                    for _ in 0..500 {
                        if seen.lock().expect("lock").len() >= n {
                            return;
                        }
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            };
            wait_for(total).await;
            assert!(tx.send_to(b"late", to, far()).await.expect("send"));
            wait_for(total + 1).await;
            task.abort();
            let seen = seen.lock().expect("lock").clone();
            assert_eq!(seen.len(), total + 1);
            for (i, (d, a)) in seen.iter().take(total).enumerate() {
                assert_eq!((d.as_slice(), *a), (&[i as u8; 3][..], from));
            }
            assert_eq!(seen.last().map(|x| x.0.as_slice()), Some(&b"late"[..]));
        }

        #[tokio::test]
        async fn ipv6_sources_come_back_as_ipv6() {
            let Ok(rx) = Socket::bind("[::1]:0".parse().expect("addr")) else { return };
            let tx = Socket::bind("[::1]:0".parse().expect("addr")).expect("bind");
            assert!(tx.send_to(b"x", rx.local_addr().expect("addr"), far()).await.expect("send"));
            let mut ready = rx.fd.readable().await.expect("readable");
            let mut bufs = RxBuffers::default();
            let n = ready.try_io(|fd| recv_batch(fd.get_ref(), &mut bufs)).expect("ready").expect("recv");
            assert_eq!(n, 1);
            assert_eq!(bufs.got.first(), Some(&(1, Some(tx.local_addr().expect("addr")))));
        }
    }
}

/// Elsewhere: tokio's socket, one `recv_from` per datagram.
#[cfg(not(target_os = "linux"))]
mod imp {
    use std::io;
    use std::net::SocketAddr;

    use tokio::net::UdpSocket;
    use tokio::time::Instant;

    pub(crate) struct Socket(UdpSocket);

    impl Socket {
        pub(crate) fn bind(addr: SocketAddr) -> io::Result<Self> {
            let s = std::net::UdpSocket::bind(addr)?;
            s.set_nonblocking(true)?;
            Ok(Self(UdpSocket::from_std(s)?))
        }

        pub(crate) async fn send_to(&self, bytes: &[u8], to: SocketAddr, _deadline: Instant) -> io::Result<bool> {
            self.0.send_to(bytes, to).await.map(|_| true)
        }

        pub(crate) async fn receive_loop(&self, mut deliver: impl FnMut(&[u8], SocketAddr)) {
            let mut buf = vec![0u8; 65_536];
            loop {
                match self.0.recv_from(&mut buf).await {
                    Ok((n, from)) => deliver(buf.get(..n).unwrap_or(&[]), from),
                    // Transient (e.g. ICMP errors surfaced by the kernel).
                    Err(e) => tracing::debug!(error = %e, "SNMP socket receive error"),
                }
            }
        }
    }
}
