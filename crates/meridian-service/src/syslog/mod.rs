//! The syslog use cases: run the receiver (UDP and TCP, beside the monitor
//! or on its own for `meridian syslog listen`), write what it receives,
//! search it, and report the receiver's counters.

mod tls;
mod writer;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use meridian_core::syslog::{SyslogCounters, SyslogEntry, SyslogQuery, SyslogRecord};
use meridian_core::DeviceKey;
use meridian_probe::syslog::{ReceiverConfig, ReceiverCounters, SyslogReceiver, DEFAULT_MAX_MESSAGE};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

pub use meridian_probe::syslog::{DEFAULT_SYSLOG_PORT, DEFAULT_SYSLOG_TLS_PORT};
pub use tls::SyslogTls;

use crate::app::App;
use crate::error::{probe_error, ApiError, ApiErrorKind};
use crate::monitor::received::ReceivedTx;

/// The `[syslog]` table of the config file. Every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyslogSettings {
    /// Receive syslog while the monitor runs (default: off unless a port is set).
    pub enabled: Option<bool>,
    /// UDP and TCP port (default 514).
    pub port: Option<u16>,
    /// Address to listen on (default 0.0.0.0: every IPv4 interface).
    pub bind: Option<IpAddr>,
    /// Also receive over TLS (RFC 5425) with this PEM certificate chain and
    /// `tls_key`; both or neither.
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// The TLS port (default 6514).
    pub tls_port: Option<u16>,
    /// Require TLS clients to present a certificate signed by a CA in this
    /// PEM file (default: clients are not asked for one).
    pub tls_client_ca: Option<PathBuf>,
    /// Longest message kept whole, in bytes (default 65536); longer ones are cut.
    pub max_message_bytes: Option<usize>,
    /// Messages older than this many days are purged (default 30).
    pub retention_days: Option<u32>,
    /// At most this many messages are kept, the oldest purged first (default 1,000,000).
    pub max_rows: Option<u64>,
}

/// How the receiver and its writer run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogConfig {
    pub bind: IpAddr,
    pub port: u16,
    pub udp: bool,
    pub tcp: bool,
    /// Receive over TLS too, on `bind`.
    pub tls: Option<SyslogTls>,
    pub max_message: usize,
    pub max_connections: usize,
    /// An idle TCP connection is closed after this long.
    pub read_timeout: Duration,
    /// Messages queued between the sockets and the writer; beyond this they
    /// are dropped and counted.
    pub queue: usize,
    pub batch_size: usize,
    /// A batch is written at the latest this long after its first message.
    pub max_delay: Duration,
    pub retention_days: u32,
    pub max_rows: u64,
    pub purge_every: Duration,
}

impl Default for SyslogConfig {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            port: DEFAULT_SYSLOG_PORT,
            udp: true,
            tcp: true,
            tls: None,
            max_message: DEFAULT_MAX_MESSAGE,
            max_connections: 256,
            read_timeout: Duration::from_secs(300),
            queue: 50_000,
            batch_size: 2_000,
            max_delay: Duration::from_millis(100),
            retention_days: 30,
            max_rows: 1_000_000,
            purge_every: Duration::from_secs(600),
        }
    }
}

impl SyslogConfig {
    /// The defaults under the file's settings; `None` when the file does
    /// not turn syslog on (neither `enabled = true` nor a port).
    pub fn from_settings(s: &SyslogSettings) -> Option<Self> {
        s.enabled.unwrap_or(s.port.is_some()).then(|| Self::with_settings(s))
    }

    /// The defaults under the file's settings, whether or not they turn
    /// syslog on (a `--syslog-port` flag does).
    pub fn with_settings(s: &SyslogSettings) -> Self {
        let d = Self::default();
        Self {
            bind: s.bind.unwrap_or(d.bind),
            port: s.port.unwrap_or(d.port),
            tls: SyslogTls::from_settings(s),
            max_message: s.max_message_bytes.unwrap_or(d.max_message),
            retention_days: s.retention_days.unwrap_or(d.retention_days),
            max_rows: s.max_rows.unwrap_or(d.max_rows),
            ..d
        }
    }

    /// Field errors for settings that cannot work.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut e = Vec::new();
        if !(480..=16 * 1024 * 1024).contains(&self.max_message) {
            // RFC 5424 6.1: receivers must take at least 480 octets.
            e.push(meridian_core::FieldError::new("max_message_bytes", "must be 480 to 16777216"));
        }
        if self.retention_days == 0 {
            e.push(meridian_core::FieldError::new("retention_days", "must be at least 1"));
        }
        if self.max_rows == 0 {
            e.push(meridian_core::FieldError::new("max_rows", "must be at least 1"));
        }
        if !self.udp && !self.tcp && self.tls.is_none() {
            e.push(meridian_core::FieldError::new("port", "neither UDP, TCP nor TLS is enabled"));
        }
        if let Some(tls) = &self.tls {
            e.extend(tls.problems());
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(meridian_core::CoreError::Validation(e).into())
        }
    }
}

/// Where a running receiver listens and what it has counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyslogStatus {
    pub udp: Option<String>,
    pub tcp: Option<String>,
    pub tls: Option<String>,
    pub counters: SyslogCounters,
}

/// A running receiver and its writer.
pub(crate) struct SyslogHandle {
    receiver: SyslogReceiver,
    writer: JoinHandle<()>,
    live: broadcast::Sender<SyslogRecord>,
}

impl SyslogHandle {
    fn status(&self) -> SyslogStatus {
        SyslogStatus {
            udp: self.receiver.udp_addr.map(|a| a.to_string()),
            tcp: self.receiver.tcp_addr.map(|a| a.to_string()),
            tls: self.receiver.tls_addr.map(|a| a.to_string()),
            counters: self.receiver.counters.snapshot(),
        }
    }
}

impl App {
    /// The receiver's settings from the config file, on `port` when given.
    pub fn syslog_config(&self, port: Option<u16>) -> SyslogConfig {
        let cfg = SyslogConfig::with_settings(&self.cfg.syslog);
        SyslogConfig { port: port.unwrap_or(cfg.port), ..cfg }
    }

    /// Starts receiving syslog. A port below 1024 without privileges fails
    /// with a permission error naming the fixes; a port in use is a field
    /// error on `port`.
    pub async fn start_syslog(&self, cfg: SyslogConfig) -> Result<SyslogStatus, ApiError> {
        self.start_syslog_feeding(cfg, None).await
    }

    /// As `start_syslog`; messages of managed devices also go to `monitor`
    /// (the running monitor's event rules).
    pub(crate) async fn start_syslog_feeding(
        &self,
        cfg: SyslogConfig,
        monitor: Option<ReceivedTx>,
    ) -> Result<SyslogStatus, ApiError> {
        cfg.validate()?;
        let mut slot = self.syslog.lock().await;
        if slot.is_some() {
            return Err(ApiError::new(ApiErrorKind::Conflict, "the syslog receiver is already running"));
        }
        let addr = SocketAddr::new(cfg.bind, cfg.port);
        let rc = ReceiverConfig {
            udp: cfg.udp.then_some(addr),
            tcp: cfg.tcp.then_some(addr),
            tls: match &cfg.tls {
                Some(t) => Some((SocketAddr::new(cfg.bind, t.port), t.server_config()?)),
                None => None,
            },
            max_message: cfg.max_message,
            max_connections: cfg.max_connections,
            read_timeout: cfg.read_timeout,
        };
        let (tx, rx) = mpsc::channel(cfg.queue.max(1));
        let counters = Arc::new(ReceiverCounters::default());
        let receiver = SyslogReceiver::start(rc, tx, counters.clone()).await.map_err(probe_error)?;
        let (live, _) = broadcast::channel(1024);
        let w = writer::Writer { store: self.store.clone(), cfg: cfg.clone(), counters, live: live.clone(), monitor };
        let writer = tokio::spawn(w.run(rx));
        let handle = SyslogHandle { receiver, writer, live };
        let status = handle.status();
        tracing::info!(udp = ?status.udp, tcp = ?status.tcp, tls = ?status.tls, "syslog receiver started");
        *slot = Some(handle);
        Ok(status)
    }

    /// Stops the sockets, then waits until everything received is written.
    pub async fn stop_syslog(&self) {
        let Some(mut h) = self.syslog.lock().await.take() else { return };
        h.receiver.stop();
        if let Err(e) = h.writer.await {
            tracing::warn!(error = %e, "syslog writer ended abnormally");
        }
        tracing::info!(counters = ?h.receiver.counters.snapshot(), "syslog receiver stopped");
    }

    /// Where the receiver listens and its counters; `None` when it is off.
    pub async fn syslog_status(&self) -> Option<SyslogStatus> {
        self.syslog.lock().await.as_ref().map(SyslogHandle::status)
    }

    /// Every message as it is stored (for a live view). Fails when the
    /// receiver is off.
    pub async fn subscribe_syslog(&self) -> Result<broadcast::Receiver<SyslogRecord>, ApiError> {
        match self.syslog.lock().await.as_ref() {
            Some(h) => Ok(h.live.subscribe()),
            None => Err(ApiError::new(ApiErrorKind::Conflict, "the syslog receiver is not running")),
        }
    }

    /// Stored messages matching the query, newest first. `device` names a
    /// managed device by id or name.
    pub async fn search_syslog(
        &self,
        mut query: SyslogQuery,
        device: Option<&DeviceKey>,
    ) -> Result<Vec<SyslogEntry>, ApiError> {
        query.validate()?;
        if let Some(key) = device {
            query.device = Some(self.store.get_device(key).await?.id);
        }
        Ok(self.store.search_syslog(&query).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_turn_syslog_on_and_are_checked() {
        assert_eq!(SyslogConfig::from_settings(&SyslogSettings::default()), None);
        let on = SyslogSettings { port: Some(5514), retention_days: Some(7), ..Default::default() };
        let cfg = SyslogConfig::from_settings(&on).expect("on");
        assert_eq!((cfg.port, cfg.retention_days, cfg.max_rows), (5514, 7, 1_000_000));
        let off = SyslogSettings { enabled: Some(false), port: Some(5514), ..Default::default() };
        assert_eq!(SyslogConfig::from_settings(&off), None);
        let bad = SyslogConfig { max_message: 10, retention_days: 0, ..SyslogConfig::default() };
        let e = bad.validate().expect_err("bad");
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["max_message_bytes", "retention_days"]);
    }
}
