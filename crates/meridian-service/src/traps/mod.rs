//! The SNMP trap and inform receiver as the service runs it: settings
//! (port, accepted credentials), Meridian's own persisted SNMP engine
//! identity, and the intake that stores every notification and hands
//! linkDown/linkUp to the monitor's device state machines.
//!
//! Secrets stay in the credentials vault: the settings name credentials,
//! and the communities and USM users of managed devices are accepted too.

mod convert;
mod intake;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use chrono::Utc;
use meridian_core::credential::SnmpCredential;
use meridian_core::trap::TrapEvent;
use meridian_probe::snmp::trap::{new_engine_id, LocalEngine, ReceiverConfig, TrapAuth, TrapReceiver, TrapUser};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use ts_rs::TS;

use crate::app::App;
use crate::credentials::load_credential;
use crate::error::{ApiError, ApiErrorKind};
use meridian_core::validate::list_limit;

const SETTINGS_KEY: &str = "traps";
const ENGINE_KEY: &str = "snmp_engine";

/// The receiver's settings (the `traps` setting).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrapSettings {
    /// UDP port the monitor receives on; none: the monitor runs no receiver
    /// unless `--trap-port` is given. 162 is the standard port.
    pub port: Option<u16>,
    /// Credentials (by name or id) whose community or USM user is accepted,
    /// besides those of managed devices.
    pub credentials: Vec<TrapCredential>,
    /// Days events are kept (default 30).
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// Most events kept, the oldest purged first (default 1,000,000).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub max_rows: Option<u64>,
}

/// Events kept by default: as the syslog receiver keeps messages.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;
pub const DEFAULT_MAX_ROWS: u64 = 1_000_000;

impl TrapSettings {
    /// Days and rows kept, defaults filled in.
    pub fn retention(&self) -> (u32, u64) {
        (self.retention_days.unwrap_or(DEFAULT_RETENTION_DAYS), self.max_rows.unwrap_or(DEFAULT_MAX_ROWS))
    }
}

/// One accepted credential; for a v3 user, the engine id of the sender of
/// its traps (hex), like snmptrapd's `createUser -e`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrapCredential {
    pub credential: String,
    pub engine_id: Option<String>,
}

/// Meridian's SNMP engine as persisted: generated once, boots counted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EngineIdentity {
    engine_id: String,
    boots: u32,
}

/// Our engine id as stored, made (boots 1) if no receiver ever ran.
pub(crate) async fn stored_engine_id(app: &App) -> Result<String, ApiError> {
    let stored: Option<EngineIdentity> =
        app.store.get_setting(ENGINE_KEY).await?.and_then(|v| serde_json::from_value(v).ok());
    match stored.filter(|s| unhex(&s.engine_id).is_some()) {
        Some(s) => Ok(s.engine_id),
        None => Ok(hex(&app.local_engine().await?.engine_id)),
    }
}

/// A running receiver and its intake; dropping it stops both.
pub struct TrapService {
    receiver: TrapReceiver,
    intake: tokio::task::JoinHandle<()>,
    written: std::sync::Arc<intake::Written>,
}

/// What the intake has done with the receiver's events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntakeCounts {
    /// Events written to the store.
    pub stored: u64,
    /// Events lost because the store refused their batch (logged).
    pub store_failed: u64,
}

impl TrapService {
    pub fn local_addr(&self) -> SocketAddr {
        self.receiver.local_addr()
    }

    pub fn stats(&self) -> meridian_probe::snmp::trap::ReceiverStats {
        self.receiver.stats()
    }

    /// Events stored so far, and those the store refused.
    pub fn intake_counts(&self) -> IntakeCounts {
        self.written.counts()
    }

    /// Our engine id, hex (what v3 inform senders discover).
    pub fn engine_id_hex(&self) -> String {
        hex(self.receiver.engine_id())
    }

    pub(crate) fn engine(&self) -> &LocalEngine {
        self.receiver.engine()
    }

    pub(crate) fn set_auth(&self, auth: TrapAuth) {
        self.receiver.set_auth(auth);
    }
}

impl Drop for TrapService {
    fn drop(&mut self) {
        self.intake.abort();
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    hex::encode(b)
}

/// Engine ids as people paste them: hex, with or without `0x`.
fn unhex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).ok()
}

impl App {
    pub async fn trap_settings(&self) -> Result<TrapSettings, ApiError> {
        match self.store.get_setting(SETTINGS_KEY).await? {
            None => Ok(TrapSettings::default()),
            Some(v) => serde_json::from_value(v)
                .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("stored trap settings unreadable: {e}"))),
        }
    }

    /// Checks every field (the port, each credential exists, each engine id
    /// is 5 to 32 bytes of hex) and stores the settings.
    pub async fn set_trap_settings(&self, s: TrapSettings) -> Result<(), ApiError> {
        if s.port == Some(0) {
            return Err(ApiError::field("port", "must be 1 to 65535"));
        }
        if s.retention_days.is_some_and(|d| !(1..=36_500).contains(&d)) {
            return Err(ApiError::field("retentionDays", "must be 1 to 36500"));
        }
        if s.max_rows == Some(0) {
            return Err(ApiError::field("maxRows", "must be at least 1"));
        }
        for (i, c) in s.credentials.iter().enumerate() {
            load_credential(&self.store, &self.vaults, &c.credential)
                .await
                .map_err(|e| ApiError::field(&format!("credentials[{i}].credential"), e.to_string()))?;
            if let Some(e) = &c.engine_id {
                if !unhex(e).is_some_and(|b| (5..=32).contains(&b.len())) {
                    return Err(ApiError::field(&format!("credentials[{i}].engineId"), "must be 5 to 32 bytes of hex"));
                }
            }
        }
        let v = serde_json::to_value(&s).map_err(|e| ApiError::new(ApiErrorKind::Internal, e.to_string()))?;
        self.store.set_setting(SETTINGS_KEY, &v, Utc::now()).await?;
        self.refresh_trap_auth().await
    }

    /// Hands a running trap receiver the accepted credentials again, read
    /// from the settings and the vault now: after a rotation or an edit it
    /// accepts the new secret and no longer the old one, without a restart.
    /// (The port is only read when the monitor starts.)
    pub(crate) async fn refresh_trap_auth(&self) -> Result<(), ApiError> {
        // Read before taking the monitor's lock: the vault may block.
        let auth = self.trap_auth(&self.trap_settings().await?).await?;
        if let Some(t) = self.monitor.lock().await.as_ref().and_then(|h| h.traps()) {
            t.set_auth(auth);
            tracing::info!("trap receiver: accepted credentials reloaded");
        }
        Ok(())
    }

    /// Our engine: the id generated on first use, boots one more than last
    /// start (RFC 3414 2.2.2), both persisted before use.
    pub(crate) async fn local_engine(&self) -> Result<LocalEngine, ApiError> {
        let stored: Option<EngineIdentity> =
            self.store.get_setting(ENGINE_KEY).await?.and_then(|v| serde_json::from_value(v).ok());
        let (id, boots) = match stored.and_then(|s| unhex(&s.engine_id).map(|id| (id, s.boots))) {
            Some((id, boots)) => (id, boots.saturating_add(1)),
            None => (new_engine_id(), 1),
        };
        let v = serde_json::to_value(EngineIdentity { engine_id: hex(&id), boots })
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, e.to_string()))?;
        self.store.set_setting(ENGINE_KEY, &v, Utc::now()).await?;
        Ok(LocalEngine::new(id, boots))
    }

    /// Who may send: the credentials named in the settings and those of
    /// every managed device.
    async fn trap_auth(&self, settings: &TrapSettings) -> Result<TrapAuth, ApiError> {
        let mut refs: Vec<(String, Option<Vec<u8>>)> = settings
            .credentials
            .iter()
            .map(|c| (c.credential.clone(), c.engine_id.as_deref().and_then(unhex)))
            .collect();
        for d in self.store.list_devices().await? {
            if let Some(c) = d.credential_id {
                refs.push((c.to_string(), None));
            }
        }
        let mut auth = TrapAuth::default();
        for (key, engine_id) in refs {
            match load_credential(&self.store, &self.vaults, &key).await {
                Ok(SnmpCredential::Community { community, .. }) => {
                    if !auth.communities.iter().any(|c| c.expose() == community.expose()) {
                        auth.communities.push(community);
                    }
                }
                Ok(SnmpCredential::Usm(user)) => {
                    if !auth.users.iter().any(|u| u.user == user && u.engine_id == engine_id) {
                        auth.users.push(TrapUser { user, engine_id });
                    }
                }
                Err(e) => tracing::warn!(credential = %key, error = %e, "trap receiver: credential not loaded"),
            }
        }
        Ok(auth)
    }

    /// Starts the receiver on `port` (all IPv4 addresses; `bind` overrides)
    /// and its intake, which stores every event. `monitor` takes managed
    /// devices' events (the running monitor's link traps and event rules); `tap` gets a copy
    /// of each stored event (the foreground `traps listen`).
    pub(crate) async fn start_traps(
        &self,
        bind: SocketAddr,
        monitor: Option<crate::monitor::received::ReceivedTx>,
        tap: Option<broadcast::Sender<TrapEvent>>,
    ) -> Result<TrapService, ApiError> {
        let settings = self.trap_settings().await?;
        let auth = self.trap_auth(&settings).await?;
        let engine = self.local_engine().await?;
        let (receiver, items) =
            TrapReceiver::start(ReceiverConfig::new(bind), auth, engine).await.map_err(crate::error::probe_error)?;
        let written = std::sync::Arc::new(intake::Written::default());
        let sink = intake::Sink { monitor, tap, written: written.clone() };
        let intake = tokio::spawn(intake::run(self.store.clone(), self.mibs(), items, sink, settings.retention()));
        Ok(TrapService { receiver, intake, written })
    }

    /// Receives in the foreground (`meridian traps listen`): every event is
    /// stored and also sent to the returned channel, which drops the oldest
    /// for a reader that falls behind (the store still has them).
    pub async fn listen_traps(
        &self,
        bind: SocketAddr,
    ) -> Result<(TrapService, broadcast::Receiver<TrapEvent>), ApiError> {
        let (tx, rx) = broadcast::channel(1024);
        let svc = self.start_traps(bind, None, Some(tx)).await?;
        Ok((svc, rx))
    }

    /// The newest stored trap events.
    pub async fn list_trap_events(&self, limit: i64) -> Result<Vec<TrapEvent>, ApiError> {
        Ok(self.store.list_trap_events(list_limit(limit, 100_000)?).await?)
    }
}

/// Where a receiver on `port` listens: every IPv4 address.
pub fn trap_bind(port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port)
}
