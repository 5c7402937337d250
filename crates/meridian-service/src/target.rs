//! Where a device is reached, and the SNMP engines that reach it. The
//! monitor's polls, an inventory refresh, discovery and the diagnostics all
//! come through here, so a host name, a non-default agent port or an engine's
//! size means the same thing in each of them.

use std::net::{IpAddr, SocketAddr};

use meridian_core::credential::SnmpCredential;
use meridian_core::inventory::Device;
use meridian_core::Address;
use meridian_probe::snmp::{EngineConfig, SnmpEngine};

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// A device address as an IP: a literal as it is, a host name through the
/// system resolver (its first answer, as other tools on the host would
/// pick), at the time of each use so a changed DNS record is followed.
pub(crate) async fn resolve(address: &str) -> Result<IpAddr, ApiError> {
    let host = match address.parse::<Address>() {
        Ok(Address::Ip(ip)) => return Ok(ip),
        Ok(Address::Host(host)) => host,
        Err(e) => return Err(ApiError::field("address", e.to_string())),
    };
    let unresolved =
        |why: &dyn std::fmt::Display| ApiError::network("address", format!("cannot resolve {host}: {why}"));
    let mut addrs = tokio::net::lookup_host((host.as_str(), 0)).await.map_err(|e| unresolved(&e))?;
    addrs.next().map(|s| s.ip()).ok_or_else(|| unresolved(&"no address"))
}

/// Where a device's SNMP agent listens: its address resolved, and its agent
/// port.
pub(crate) async fn snmp_addr(d: &Device) -> Result<SocketAddr, ApiError> {
    Ok(SocketAddr::new(resolve(&d.address).await?, d.agent_port()))
}

impl App {
    /// The secret of the credential a device is asked with; a device without
    /// one is a `credential` field error saying what the request (`to`, e.g.
    /// "walk it") needed it for.
    pub(crate) async fn device_secret(&self, d: &Device, to: &str) -> Result<SnmpCredential, ApiError> {
        let cred = d.credential_id.ok_or_else(|| {
            ApiError::field("credential", format!("device '{}' has no SNMP credential to {to} with", d.name))
        })?;
        self.credential_secret(&cred.to_string()).await
    }
}

/// What an SNMP engine is for; each use's size is chosen here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EngineUse {
    /// The monitor, polling every device: the engine's default sockets and
    /// window.
    Monitor,
    /// Discovery with this many workers, each with a request and a retry in
    /// flight.
    Discovery { workers: usize },
    /// One device at a time (a diagnostic, an inventory pass): one socket per
    /// family and a small window, enough for a walk's pipelined requests.
    OneDevice,
}

/// Opens an SNMP engine sized for `purpose`.
pub(crate) async fn snmp_engine(purpose: EngineUse) -> Result<SnmpEngine, ApiError> {
    let small = |max_in_flight| EngineConfig { sockets_per_family: 1, max_in_flight, ..EngineConfig::default() };
    let cfg = match purpose {
        EngineUse::Monitor => EngineConfig::default(),
        EngineUse::Discovery { workers } => small(workers.max(1) * 2),
        EngineUse::OneDevice => small(16),
    };
    SnmpEngine::new(cfg)
        .await
        .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("cannot open an SNMP socket: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn literals_need_no_resolver_and_bad_addresses_name_the_field() {
        assert_eq!(resolve("127.0.0.1").await.expect("v4"), IpAddr::from([127, 0, 0, 1]));
        assert_eq!(resolve("[::1]").await.expect("v6"), "::1".parse::<IpAddr>().expect("ip"));
        let e = resolve("999.1.1.1").await.expect_err("bad");
        assert_eq!((e.kind, e.fields[0].field.as_str()), (ApiErrorKind::Validation, "address"));
    }
}
