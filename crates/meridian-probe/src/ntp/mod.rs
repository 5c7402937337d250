//! NTP monitoring: NTPv4 client queries (mode 3) to a server, the reply
//! (mode 4) read into a [`meridian_core::ntp::NtpReading`] with the RFC 5905
//! offset and delay. The reachability register is pure logic in core
//! (`meridian_core::ntp::Reach`); the caller shifts it after every query.

mod packet;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use meridian_core::ntp::{offset_delay, NtpReading, NtpTimestamp};
use tokio::net::UdpSocket;
use tokio::time::{timeout_at, Instant};

pub use packet::{decode_reply, request, NtpDecodeError, Reply, HEADER_LEN};

use crate::{DecodeCounters, ProbeError, RetryPolicy};

/// Reads the local clock as an NTP timestamp (the probe's one clock read).
pub fn now() -> NtpTimestamp {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    NtpTimestamp::from_unix(d.as_secs(), d.subsec_nanos())
}

/// Turns a decoded reply and our two timestamps into a reading.
pub fn reading(reply: &Reply, t1: NtpTimestamp, t4: NtpTimestamp) -> NtpReading {
    let (offset_s, delay_s) = offset_delay(t1, reply.receive, reply.transmit, t4);
    NtpReading {
        offset_s,
        delay_s,
        stratum: reply.stratum,
        reference_id: reply.reference_id,
        leap: reply.leap,
        root_delay_s: reply.root_delay_s,
        root_dispersion_s: reply.root_dispersion_s,
        version: reply.version,
        poll: reply.poll,
        precision: reply.precision,
    }
}

/// What the service needs from an NTP server.
pub trait NtpClient: Send + Sync {
    fn query(&self, server: SocketAddr) -> impl Future<Output = Result<NtpReading, ProbeError>> + Send;
}

/// Queries over a fresh ephemeral UDP socket per query (so a late reply to
/// an earlier query can never be taken for this one), with a timeout per
/// attempt and a bounded number of attempts.
#[derive(Debug, Default)]
pub struct UdpNtpClient {
    policy: RetryPolicy,
    counters: Arc<DecodeCounters>,
}

impl UdpNtpClient {
    pub fn new(policy: RetryPolicy) -> Self {
        Self { policy, counters: Arc::default() }
    }

    /// Rejected replies by reason.
    pub fn decode_counters(&self) -> Arc<DecodeCounters> {
        Arc::clone(&self.counters)
    }
}

impl NtpClient for UdpNtpClient {
    async fn query(&self, server: SocketAddr) -> Result<NtpReading, ProbeError> {
        let local: SocketAddr = if server.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { ([0u16; 8], 0).into() };
        let sock = UdpSocket::bind(local).await?;
        sock.connect(server).await?;
        let mut buf = [0u8; 1024];
        let mut last_error = None;
        for _ in 0..self.policy.attempts {
            let t1 = now();
            sock.send(&request(t1)).await?;
            let deadline = Instant::now() + self.policy.timeout;
            while let Ok(received) = timeout_at(deadline, sock.recv(&mut buf)).await {
                let n = match received {
                    Ok(n) => n,
                    // ICMP port unreachable surfaces as ECONNREFUSED on a
                    // connected socket: the server is down, as good as silence.
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
                    Err(e) => return Err(e.into()),
                };
                let t4 = now();
                match decode_reply(&buf[..n], t1) {
                    Ok(reply) => return Ok(reading(&reply, t1, t4)),
                    Err(e) => {
                        self.counters.record(e.kind());
                        tracing::debug!(%server, error = %e, "NTP reply rejected");
                        last_error = Some(e);
                    }
                }
            }
        }
        match last_error {
            // A server that only ever sent garbage (or a kiss) is not "silent".
            Some(e) => Err(ProbeError::NtpDecode(e)),
            None => {
                Err(ProbeError::NtpTimeout { server, attempts: self.policy.attempts, timeout: self.policy.timeout })
            }
        }
    }
}

#[cfg(test)]
mod tests;
