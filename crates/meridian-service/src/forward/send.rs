//! One alarm change on the wire to one target: an SNMPv2c trap of the
//! shipped MIB, or an RFC 5424 line over UDP, TCP or TLS.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use meridian_core::alarm::Alarm;
use meridian_core::credential::SnmpCredential;
use meridian_core::forward::{syslog_line, trap, AlarmChange, ForwardKind, ForwardTarget, SyslogTransport, TrapValue};
use meridian_probe::snmp::trap::{send_datagram, v2c_trap, v3_trap, LocalEngine};
use meridian_probe::snmp::{Oid, Value, VarBind};
use meridian_probe::syslog::{client_config, send_tls};
use meridian_store::vault::{SecretVault, Vaults};
use meridian_store::Store;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::credentials::load_credential;

/// The longest one attempt may take, connection and TLS handshake included.
pub(super) const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// What sending needs beyond the change: where secrets are, and our SNMP
/// engine for v3 traps.
pub(crate) struct SendContext {
    pub store: Arc<Store>,
    /// The default vault (forwarding communities).
    pub vault: Arc<dyn SecretVault>,
    /// Every vault (a v3 credential may sit in any).
    pub vaults: Arc<Vaults>,
    pub engine: LocalEngine,
}

pub(super) async fn send_once(
    cx: &SendContext,
    t: &ForwardTarget,
    alarm: &Alarm,
    change: AlarmChange,
    device: Option<&str>,
) -> Result<(), String> {
    match &t.kind {
        ForwardKind::SnmpTrap { address, port, community_ref, user } => {
            let to = socket(address, *port)?;
            let (oid, varbinds) = trap(alarm, change, device);
            let oid = Oid::from_arcs(oid).map_err(|e| e.to_string())?;
            let mut vbs = Vec::with_capacity(varbinds.len());
            for (arcs, v) in varbinds {
                let value = match v {
                    TrapValue::Integer(i) => Value::Integer(i),
                    TrapValue::Text(s) => Value::OctetString(s.into_bytes()),
                };
                vbs.push(VarBind { oid: Oid::from_arcs(arcs).map_err(|e| e.to_string())?, value });
            }
            let request_id = (Uuid::now_v7().as_u128() & 0x7fff_ffff) as i32;
            let bytes = match user {
                Some(name) => {
                    let usm = match load_credential(&cx.store, &cx.vaults, name).await {
                        Ok(SnmpCredential::Usm(u)) => u,
                        Ok(SnmpCredential::Community { .. }) => {
                            return Err(format!("credential '{name}' is not an SNMPv3 user"))
                        }
                        Err(e) => return Err(format!("credential '{name}': {}", e.detail)),
                    };
                    // The privacy IV's salt: unique per message, as RFC 3826 asks.
                    let mut salt = [0u8; 8];
                    getrandom::getrandom(&mut salt).map_err(|e| format!("random source: {e}"))?;
                    let (engine, salt) = (cx.engine.clone(), u64::from_le_bytes(salt));
                    tokio::task::spawn_blocking(move || v3_trap(&usm, &engine, salt, request_id, &oid, vbs))
                        .await
                        .map_err(|e| e.to_string())?
                }
                None => {
                    let community = match community_ref {
                        Some(key) => {
                            let (v, k) = (cx.vault.clone(), key.clone());
                            tokio::task::spawn_blocking(move || v.get(&k))
                                .await
                                .map_err(|e| e.to_string())?
                                .map_err(|e| format!("reading the community from the vault: {e}"))?
                                .ok_or("the community is missing from the vault; save the target again")?
                        }
                        None => zeroize::Zeroizing::new(b"public".to_vec()),
                    };
                    let uptime = u32::try_from(uptime_ticks()).unwrap_or(u32::MAX);
                    v2c_trap(&community, request_id, uptime, &oid, vbs)
                }
            }
            .map_err(|e| e.to_string())?;
            send_datagram(to, &bytes).await.map_err(|e| e.to_string())
        }
        ForwardKind::Syslog { address, port, transport, ca_file, server_name, cert_file, key_file } => {
            let to = socket(address, *port)?;
            let line = syslog_line(alarm, change, device, &host_name(), Utc::now());
            // RFC 6587 / 5425 octet counting: the length, a space, the message.
            let frame = format!("{} {line}", line.len());
            match transport {
                SyslogTransport::Udp => send_datagram(to, line.as_bytes()).await.map_err(|e| e.to_string()),
                SyslogTransport::Tcp => {
                    let mut s = tokio::net::TcpStream::connect(to).await.map_err(|e| format!("connecting: {e}"))?;
                    s.write_all(frame.as_bytes()).await.map_err(|e| format!("sending: {e}"))?;
                    s.shutdown().await.map_err(|e| format!("closing: {e}"))
                }
                SyslogTransport::Tls => {
                    // Read at each send, so a renewed CA file or client
                    // certificate needs no restart.
                    let ca = read_optional(ca_file.as_deref()).await?;
                    let identity = match (read_optional(cert_file.as_deref()).await?, key_file.as_deref()) {
                        (Some(cert), Some(key_path)) => {
                            // Zeroized once the TLS configuration holds its own copy.
                            let key = zeroize::Zeroizing::new(
                                tokio::fs::read(key_path).await.map_err(|e| format!("reading {key_path}: {e}"))?,
                            );
                            Some((cert, key))
                        }
                        _ => None,
                    };
                    let identity_ref = identity.as_ref().map(|(c, k)| (c.as_slice(), k.as_slice()));
                    let config = client_config(ca.as_deref(), identity_ref).map_err(|e| e.to_string())?;
                    let name = server_name.clone().unwrap_or_else(|| to.ip().to_string());
                    send_tls(config, to, &name, frame.as_bytes(), SEND_TIMEOUT).await.map_err(|e| e.to_string())
                }
            }
        }
    }
}

async fn read_optional(path: Option<&str>) -> Result<Option<Vec<u8>>, String> {
    match path {
        Some(path) => Ok(Some(tokio::fs::read(path).await.map_err(|e| format!("reading {path}: {e}"))?)),
        None => Ok(None),
    }
}

fn socket(address: &str, port: u16) -> Result<SocketAddr, String> {
    let ip: IpAddr = address.trim().parse().map_err(|e| format!("{address}: {e}"))?;
    Ok(SocketAddr::new(ip, port))
}

/// Centiseconds since this process started: the sender's sysUpTime.
fn uptime_ticks() -> u128 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_millis() / 10
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_owned()).unwrap_or_default()
}
