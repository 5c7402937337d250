//! One-shot timing queries: the data sets of one PTP clock, one NTP
//! exchange with a server. Like the other diagnostics they need no `App`,
//! so `meridian timing ptp|ntp` works while the monitor holds the store.
//! Where a clock is reached is resolved here for the monitor's PTP watch too.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use meridian_core::clock::ptp_watch::{PtpWatchConfig, PtpWatchEndpoint};
use meridian_core::ntp::NtpReading;
use meridian_core::ptp::PtpSnapshot;
use meridian_probe::ntp::{NtpClient, UdpNtpClient};
use meridian_probe::ptp::{PtpClient, PtpEndpoint, PtpManagementClient, PTP_GENERAL_PORT};
use meridian_probe::{bind_error, RetryPolicy};

use crate::error::{probe_error, ApiError};
use crate::target;

/// The NTP port a target without one is asked on.
const NTP_PORT: u16 = 123;

/// Opens a management client for `endpoint`: a UNIX client socket is bound
/// in `client_dir` (made private); UDP without an address asks
/// `device_address`.
pub(crate) async fn open_ptp(
    endpoint: &PtpWatchEndpoint,
    domain: u8,
    client_dir: &Path,
    device_address: Option<&str>,
) -> Result<PtpManagementClient, ApiError> {
    let e = match endpoint {
        PtpWatchEndpoint::Uds { path } => {
            std::fs::create_dir_all(client_dir)
                .and_then(|()| std::fs::set_permissions(client_dir, std::fs::Permissions::from_mode(0o700)))
                .map_err(|e| {
                    ApiError::field("path", format!("client socket directory {}: {e}", client_dir.display()))
                })?;
            PtpEndpoint::Unix { server: PathBuf::from(path), client_dir: client_dir.to_path_buf() }
        }
        PtpWatchEndpoint::Udp { address } => {
            let ip = match (address, device_address) {
                (Some(a), _) => a.parse::<IpAddr>().map_err(|e| ApiError::field("address", format!("{a}: {e}")))?,
                (None, Some(d)) => target::resolve(d).await?,
                (None, None) => return Err(ApiError::field("address", "give the clock's IPv4 address")),
            };
            let IpAddr::V4(v4) = ip else {
                return Err(ApiError::field("address", format!("{ip}: PTP management over UDP is IPv4 only")));
            };
            let remote = SocketAddr::from((v4, PTP_GENERAL_PORT));
            PtpEndpoint::Udp { interface: facing(remote), device: None, remote }
        }
    };
    PtpManagementClient::open(&e, domain, RetryPolicy::default()).map_err(|err| match (err, &e) {
        (meridian_probe::ProbeError::Io(io), PtpEndpoint::Udp { .. }) => probe_error(bind_error(
            "PTP management replies",
            SocketAddr::from((Ipv4Addr::UNSPECIFIED, PTP_GENERAL_PORT)),
            io,
            "PTP management always uses port 320; run as root or grant the capability",
        )),
        (err, _) => probe_error(err),
    })
}

/// Our address on the interface the route to `remote` leaves by. ptp4l
/// answers management messages to the primary multicast group, so the
/// client joins it there: "any" would join on the default route's
/// interface (or fail with no default route), which need not face the
/// clock. A connected UDP socket sends nothing; it only asks the routing
/// table. Without a route, "any" is left to the kernel.
fn facing(remote: SocketAddr) -> Ipv4Addr {
    let local = std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|s| s.connect(remote).and_then(|()| s.local_addr()));
    match local {
        Ok(SocketAddr::V4(a)) => *a.ip(),
        Ok(_) => Ipv4Addr::UNSPECIFIED,
        Err(e) => {
            tracing::debug!(%remote, error = %e, "no route to the PTP clock; joining the group on any interface");
            Ipv4Addr::UNSPECIFIED
        }
    }
}

/// DEFAULT, CURRENT, PARENT and PORT data sets and TIME_STATUS_NP of one
/// clock. Nothing is sent when the endpoint is refused.
pub async fn ptp_query(endpoint: &PtpWatchEndpoint, domain: u8) -> Result<PtpSnapshot, ApiError> {
    PtpWatchConfig { endpoint: endpoint.clone(), domain, offset_limit_ns: None, uncalibrated_is_synced: false }
        .validate()?;
    // The client socket goes in a fresh directory of our own (a v7 id has 74
    // random bits, so the name cannot be guessed ahead): open_ptp makes
    // its directory private (0700), which must never be the shared /tmp.
    let dir = std::env::temp_dir().join(format!("meridian-pmc-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir)
        .map_err(|e| ApiError::field("path", format!("client socket directory {}: {e}", dir.display())))?;
    let result = match open_ptp(endpoint, domain, &dir, None).await {
        Ok(client) => client.snapshot().await.map_err(probe_error),
        Err(e) => Err(e),
    };
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        tracing::debug!(dir = %dir.display(), error = %e, "removing the PTP client directory");
    }
    result
}

/// One NTP exchange with `target`: `ADDR`, `ADDR:PORT`, `[V6]:PORT` or a
/// host name with an optional `:PORT` (default 123).
pub async fn ntp_query(target: &str) -> Result<NtpReading, ApiError> {
    let server = ntp_target(target).await?;
    UdpNtpClient::new(RetryPolicy::default()).query(server).await.map_err(probe_error)
}

async fn ntp_target(t: &str) -> Result<SocketAddr, ApiError> {
    if let Ok(s) = t.parse::<SocketAddr>() {
        return Ok(s);
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, NTP_PORT));
    }
    let (host, port) = match t.rsplit_once(':') {
        Some((h, p)) => {
            (h, p.parse::<u16>().map_err(|_| ApiError::field("address", format!("{p}: not a port (1 to 65535)")))?)
        }
        None => (t, NTP_PORT),
    };
    if port == 0 {
        return Err(ApiError::field("address", "port must be 1 to 65535"));
    }
    Ok(SocketAddr::new(target::resolve(host).await?, port))
}
