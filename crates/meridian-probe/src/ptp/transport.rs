//! How management messages reach a clock: the UNIX datagram socket of a
//! local `ptp4l` (the only transport on which ptp4l accepts SET), or UDP to
//! the general port 320 of a remote clock.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::net::{UdpSocket, UnixDatagram};

/// The PTP general port (IEEE 1588 Annex D). ptp4l answers a management
/// message to this port of the sender, so a UDP client binds it too.
pub const PTP_GENERAL_PORT: u16 = 320;

/// One datagram out, one datagram in. Implementations own their socket.
pub trait Transport: Send + Sync {
    fn send(&self, bytes: &[u8]) -> impl Future<Output = io::Result<()>> + Send;
    /// The next datagram into `buf`: its length.
    fn recv(&self, buf: &mut [u8]) -> impl Future<Output = io::Result<usize>> + Send;
    /// Where requests go, for messages.
    fn peer(&self) -> String;
}

/// A client socket bound at its own path (as `pmc` binds
/// `/var/run/pmc.<pid>`), sending to ptp4l's `uds_address`. The path is
/// removed when the transport is dropped.
pub struct UnixTransport {
    sock: UnixDatagram,
    own: PathBuf,
    server: PathBuf,
}

impl UnixTransport {
    /// Binds a fresh socket in `dir` (it must be writable; ptp4l must be
    /// able to send to it, which it can as root) and aims it at `server`.
    pub fn bind(dir: &Path, server: &Path) -> io::Result<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let own = dir.join(format!("meridian-pmc.{}.{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        // A stale file from a crashed process with our pid would make bind fail.
        let _ = std::fs::remove_file(&own);
        let sock = UnixDatagram::bind(&own)?;
        Ok(Self { sock, own, server: server.to_path_buf() })
    }
}

impl Drop for UnixTransport {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.own);
    }
}

impl Transport for UnixTransport {
    async fn send(&self, bytes: &[u8]) -> io::Result<()> {
        self.sock.send_to(bytes, &self.server).await.map(|_| ())
    }

    async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let (n, from) = self.sock.recv_from(buf).await?;
            // Only the server we asked may answer; anything else on our path is dropped.
            if from.as_pathname() == Some(self.server.as_path()) {
                return Ok(n);
            }
        }
    }

    fn peer(&self) -> String {
        self.server.display().to_string()
    }
}

/// The PTP primary multicast group (IEEE 1588 Annex D.3).
pub const PTP_PRIMARY_MULTICAST: Ipv4Addr = Ipv4Addr::new(224, 0, 1, 129);

/// UDP to a remote clock's general port (or, with the primary multicast
/// group as the remote, to every clock on the segment). ptp4l sends its management
/// responses to the primary multicast group on port 320 (even to a unicast
/// request), so the socket binds port 320 with SO_REUSEADDR (beside a local
/// ptp4l, which sets it too), joins the group on the interface, and keeps
/// only datagrams from the remote clock's address.
pub struct UdpTransport {
    sock: UdpSocket,
    remote: SocketAddr,
}

impl UdpTransport {
    /// `interface` is the local address facing the clock; `device` (e.g.
    /// `eth0`) pins the socket to that interface as ptp4l does. Binding port
    /// 320 needs root or CAP_NET_BIND_SERVICE.
    pub fn bind(interface: Ipv4Addr, device: Option<&str>, remote: SocketAddr) -> io::Result<Self> {
        let sock = socket2_06::Socket::new(
            socket2_06::Domain::IPV4,
            socket2_06::Type::DGRAM,
            Some(socket2_06::Protocol::UDP),
        )?;
        sock.set_reuse_address(true)?;
        if let Some(dev) = device {
            sock.bind_device(Some(dev.as_bytes()))?;
        }
        sock.bind(&SocketAddr::from((Ipv4Addr::UNSPECIFIED, PTP_GENERAL_PORT)).into())?;
        sock.join_multicast_v4(&PTP_PRIMARY_MULTICAST, &interface)?;
        sock.set_multicast_if_v4(&interface)?;
        sock.set_multicast_loop_v4(false)?;
        sock.set_nonblocking(true)?;
        let sock = UdpSocket::from_std(sock.into())?;
        Ok(Self { sock, remote })
    }
}

impl Transport for UdpTransport {
    async fn send(&self, bytes: &[u8]) -> io::Result<()> {
        self.sock.send_to(bytes, self.remote).await.map(|_| ())
    }

    async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let (n, from) = self.sock.recv_from(buf).await?;
            // Asked by multicast, every clock on the segment may answer.
            if from.ip() == self.remote.ip() || self.remote.ip().is_multicast() {
                return Ok(n);
            }
        }
    }

    fn peer(&self) -> String {
        self.remote.to_string()
    }
}

/// Where a clock is reached, as configured for a device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PtpEndpoint {
    /// A local ptp4l's `uds_address`; the client binds its own socket in `client_dir`.
    Unix { server: PathBuf, client_dir: PathBuf },
    /// A remote clock's address (port 320), asked from the local
    /// `interface` address (and `device`, when given).
    Udp { interface: Ipv4Addr, device: Option<String>, remote: SocketAddr },
}

/// Either transport, so one client type serves both kinds of endpoint.
pub enum AnyTransport {
    Unix(UnixTransport),
    Udp(UdpTransport),
}

impl AnyTransport {
    pub fn open(endpoint: &PtpEndpoint) -> io::Result<Self> {
        Ok(match endpoint {
            PtpEndpoint::Unix { server, client_dir } => Self::Unix(UnixTransport::bind(client_dir, server)?),
            PtpEndpoint::Udp { interface, device, remote } => {
                Self::Udp(UdpTransport::bind(*interface, device.as_deref(), *remote)?)
            }
        })
    }
}

impl Transport for AnyTransport {
    async fn send(&self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Self::Unix(t) => t.send(bytes).await,
            Self::Udp(t) => t.send(bytes).await,
        }
    }

    async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Unix(t) => t.recv(buf).await,
            Self::Udp(t) => t.recv(buf).await,
        }
    }

    fn peer(&self) -> String {
        match self {
            Self::Unix(t) => t.peer(),
            Self::Udp(t) => t.peer(),
        }
    }
}
