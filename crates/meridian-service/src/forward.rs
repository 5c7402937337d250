//! Northbound forwarding as use cases (targets: list, put, remove) and the
//! worker that sends every alarm change to them while the monitor runs.
//! What is sent is `meridian-core::forward`'s; each attempt is written to
//! the notifications' delivery log as channel `forward:<name>`.
//!
//! Retries are in memory (three attempts, 1 s then 4 s apart): a trap
//! receiver that is down longer than that misses the change, which the
//! next change of the same alarm corrects. An outbox like the
//! notifications' is not built for forwarding.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use meridian_core::alarm::Alarm;
use meridian_core::forward::{syslog_line, trap, AlarmChange, ForwardKind, ForwardTarget, SyslogTransport, TrapValue};
use meridian_core::DeviceKey;
use meridian_probe::snmp::trap::{send_datagram, v2c_trap};
use meridian_probe::snmp::{Oid, Value, VarBind};
use meridian_probe::syslog::{client_config, send_tls};
use meridian_store::vault::SecretVault;
use meridian_store::{ForwardAttempt, Store};
use serde::Serialize;
use tokio::io::AsyncWriteExt;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

const ACTOR: &str = "local";
const ATTEMPTS: i32 = 3;
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// A stored target as front ends show it (the community never).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForwardTargetView {
    pub id: String,
    #[serde(flatten)]
    pub target: ForwardTarget,
}

impl App {
    pub async fn list_forward_targets(&self) -> Result<Vec<ForwardTargetView>, ApiError> {
        let list = self.store.list_forward_targets().await?;
        Ok(list.into_iter().map(|s| ForwardTargetView { id: s.id.to_string(), target: s.def }).collect())
    }

    /// Adds or replaces a target. A trap target's `community` goes to the
    /// vault (absent: keeps the one it has, else "public").
    pub async fn put_forward_target(
        &self,
        mut target: ForwardTarget,
        community: Option<String>,
    ) -> Result<ForwardTargetView, ApiError> {
        target.name = target.name.trim().to_owned();
        target.validate()?;
        if community.as_deref().is_some_and(|c| c.is_empty() || c.len() > 255 || c.chars().any(char::is_control)) {
            return Err(ApiError::field("community", "must be 1 to 255 characters, no control characters"));
        }
        let existing = self.store.list_forward_targets().await?.into_iter().find(|s| s.def.name == target.name);
        let old_ref = existing.and_then(|s| s.def.community_ref().map(str::to_owned));
        if let ForwardKind::SnmpTrap { community_ref: r, .. } = &mut target.kind {
            *r = match community {
                Some(c) => {
                    let key = format!("forward-community:{}", Uuid::now_v7());
                    let (v, k) = (self.vault.clone(), key.clone());
                    tokio::task::spawn_blocking(move || v.put(&k, c.as_bytes())).await??;
                    Some(key)
                }
                None => old_ref.clone(),
            };
        }
        self.store.put_forward_target(&target, Utc::now(), ACTOR).await?;
        if let Some(old) = old_ref.filter(|o| Some(o.as_str()) != target.community_ref()) {
            forget(&self.vault, old).await;
        }
        let list = self.list_forward_targets().await?;
        list.into_iter()
            .find(|v| v.target.name == target.name)
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the target vanished as it was written"))
    }

    pub async fn remove_forward_target(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_forward_target(key, Utc::now(), ACTOR).await? {
            Some(s) => {
                if let Some(r) = s.def.community_ref() {
                    forget(&self.vault, r.to_owned()).await;
                }
                Ok(())
            }
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("forwarding target '{key}' not found"))),
        }
    }

    /// The worker beside the monitor: every alarm change to every target
    /// that wants it. Aborted when the monitor stops.
    pub(crate) fn start_forwarder(&self) -> JoinHandle<()> {
        let (store, vault, mut events) = (self.store.clone(), self.vault.clone(), self.subscribe());
        tokio::spawn(async move {
            loop {
                let (alarm, change) = match events.recv().await {
                    Ok(CoreEvent::AlarmRaised { alarm }) => (alarm, AlarmChange::Raised),
                    Ok(CoreEvent::AlarmCleared { alarm }) => (alarm, AlarmChange::Cleared),
                    Ok(CoreEvent::AlarmAcknowledged { alarm }) => (alarm, AlarmChange::Acknowledged),
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "forwarder fell behind the event bus; some alarm changes not sent");
                        continue;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                forward(&store, &vault, alarm, change).await;
            }
        })
    }
}

async fn forget(vault: &Arc<dyn SecretVault>, key: String) {
    let (v, k) = (vault.clone(), key.clone());
    match tokio::task::spawn_blocking(move || v.delete(&k)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::warn!(key = %key, error = %e, "forwarding community not removed from the vault"),
        Err(e) => tracing::warn!(key = %key, error = %e, "forwarding community not removed from the vault"),
    }
}

/// Sends one change to every target that wants it, each on its own task.
async fn forward(store: &Arc<Store>, vault: &Arc<dyn SecretVault>, alarm: Alarm, change: AlarmChange) {
    let targets = match store.list_forward_targets().await {
        Ok(t) => t,
        Err(e) => return tracing::warn!(error = %e, "cannot read the forwarding targets"),
    };
    let wanted: Vec<ForwardTarget> = targets.into_iter().map(|s| s.def).filter(|t| t.wants(&alarm)).collect();
    if wanted.is_empty() {
        return;
    }
    let device = match alarm.device_id {
        Some(id) => store.get_device(&DeviceKey::Id(id)).await.ok().map(|d| d.name),
        None => None,
    };
    for t in wanted {
        let (store, vault, alarm, device) = (store.clone(), vault.clone(), alarm.clone(), device.clone());
        tokio::spawn(async move { send_with_retries(&store, &vault, &t, &alarm, change, device.as_deref()).await });
    }
}

async fn send_with_retries(
    store: &Store,
    vault: &Arc<dyn SecretVault>,
    t: &ForwardTarget,
    alarm: &Alarm,
    change: AlarmChange,
    device: Option<&str>,
) {
    for attempt in 1..=ATTEMPTS {
        let result = match tokio::time::timeout(SEND_TIMEOUT, send_once(vault, t, alarm, change, device)).await {
            Ok(r) => r,
            Err(_) => Err(format!("no answer within {SEND_TIMEOUT:?}")),
        };
        let outcome = match (&result, attempt) {
            (Ok(()), _) => "sent",
            (Err(_), a) if a < ATTEMPTS => "failed",
            (Err(_), _) => "dead",
        };
        let a = ForwardAttempt {
            at: Utc::now(),
            channel: t.log_channel(),
            alarm_id: alarm.id.0,
            kind: change.log_kind(),
            attempt,
            outcome,
            error: result.as_ref().err().cloned(),
        };
        if let Err(e) = store.log_forward_attempt(&a).await {
            tracing::warn!(error = %e, "logging a forwarding attempt");
        }
        match result {
            Ok(()) => return,
            Err(e) => tracing::warn!(target = %t.name, attempt, error = %e, "forwarding an alarm change failed"),
        }
        if attempt < ATTEMPTS {
            tokio::time::sleep(Duration::from_secs(4u64.pow(attempt as u32 - 1))).await;
        }
    }
}

async fn send_once(
    vault: &Arc<dyn SecretVault>,
    t: &ForwardTarget,
    alarm: &Alarm,
    change: AlarmChange,
    device: Option<&str>,
) -> Result<(), String> {
    match &t.kind {
        ForwardKind::SnmpTrap { address, port, community_ref } => {
            let to = socket(address, *port)?;
            let community = match community_ref {
                Some(key) => {
                    let (v, k) = (vault.clone(), key.clone());
                    tokio::task::spawn_blocking(move || v.get(&k))
                        .await
                        .map_err(|e| e.to_string())?
                        .map_err(|e| format!("reading the community from the vault: {e}"))?
                        .ok_or("the community is missing from the vault; save the target again")?
                }
                None => zeroize::Zeroizing::new(b"public".to_vec()),
            };
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
            let uptime = u32::try_from(uptime_ticks()).unwrap_or(u32::MAX);
            let request_id = (Uuid::now_v7().as_u128() & 0x7fff_ffff) as i32;
            let bytes = v2c_trap(&community, request_id, uptime, &oid, vbs).map_err(|e| e.to_string())?;
            send_datagram(to, &bytes).await.map_err(|e| e.to_string())
        }
        ForwardKind::Syslog { address, port, transport, ca_file, server_name } => {
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
                    // Read at each send, so a renewed CA file needs no restart.
                    let ca = match ca_file {
                        Some(path) => Some(tokio::fs::read(path).await.map_err(|e| format!("reading {path}: {e}"))?),
                        None => None,
                    };
                    let config = client_config(ca.as_deref()).map_err(|e| e.to_string())?;
                    let name = server_name.clone().unwrap_or_else(|| to.ip().to_string());
                    send_tls(config, to, &name, frame.as_bytes(), SEND_TIMEOUT).await.map_err(|e| e.to_string())
                }
            }
        }
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
