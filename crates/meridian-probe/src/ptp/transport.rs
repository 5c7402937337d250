//! How management messages reach a clock: the UNIX datagram socket of a
//! local `ptp4l` (the only transport on which ptp4l accepts SET), or UDP to
//! the general port 320 of a remote clock.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
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

/// UDP to a remote clock's general port. Replies from any other address
/// are dropped.
pub struct UdpTransport {
    sock: UdpSocket,
    remote: SocketAddr,
}

impl UdpTransport {
    /// `local` is normally `(interface address, 320)`: ptp4l replies to the
    /// general port, not to the sender's port. Binding 320 needs root (or
    /// CAP_NET_BIND_SERVICE) and fails while a local ptp4l holds it.
    pub async fn bind(local: SocketAddr, remote: SocketAddr) -> io::Result<Self> {
        let sock = UdpSocket::bind(local).await?;
        Ok(Self { sock, remote })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.sock.local_addr()
    }
}

impl Transport for UdpTransport {
    async fn send(&self, bytes: &[u8]) -> io::Result<()> {
        self.sock.send_to(bytes, self.remote).await.map(|_| ())
    }

    async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let (n, from) = self.sock.recv_from(buf).await?;
            if from.ip() == self.remote.ip() {
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
    /// A remote clock's address (port 320), from `local` (normally port 320 too).
    Udp { local: SocketAddr, remote: SocketAddr },
}

/// Either transport, so one client type serves both kinds of endpoint.
pub enum AnyTransport {
    Unix(UnixTransport),
    Udp(UdpTransport),
}

impl AnyTransport {
    pub async fn open(endpoint: &PtpEndpoint) -> io::Result<Self> {
        Ok(match endpoint {
            PtpEndpoint::Unix { server, client_dir } => Self::Unix(UnixTransport::bind(client_dir, server)?),
            PtpEndpoint::Udp { local, remote } => Self::Udp(UdpTransport::bind(*local, *remote).await?),
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
