//! The `/metrics` and `/health` endpoint: a minimal HTTP/1.x responder on a
//! loopback TCP socket. It has no authentication, so it refuses any
//! non-loopback address. Connections are answered one at a time, each
//! bounded by a timeout and a request-size cap, so a stuck client delays a
//! scrape by at most a few seconds and costs no memory.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{render, Snapshot, MAX_DEVICE_SERIES};
use crate::app::App;
use crate::error::{probe_error, ApiError};

/// Where `meridian monitor` serves metrics unless told otherwise (the port
/// Prometheus' exporter list has no other owner for).
pub const DEFAULT_METRICS_ADDR: &str = "127.0.0.1:9464";
const MAX_REQUEST: usize = 8 * 1024;
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// A bound metrics socket, ready for [`App::serve_metrics`].
pub struct MetricsListener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl MetricsListener {
    /// `addr` is `IP:PORT` on loopback (127.0.0.0/8 or [::1]); port 0 picks
    /// a free one. A bad address, a non-loopback one or a taken port is a
    /// `metricsAddr` field error.
    pub async fn bind(addr: &str) -> Result<Self, ApiError> {
        const FIELD: &str = "metricsAddr";
        let parsed: SocketAddr = addr
            .trim()
            .parse()
            .map_err(|_| ApiError::field(FIELD, format!("'{addr}' is not an address like {DEFAULT_METRICS_ADDR}")))?;
        if !parsed.ip().is_loopback() {
            return Err(ApiError::field(
                FIELD,
                format!(
                    "{parsed} is not a loopback address (127.0.0.0/8 or [::1]); the endpoint has no authentication"
                ),
            ));
        }
        let listener = TcpListener::bind(parsed).await.map_err(|e| {
            match meridian_probe::bind_error("metrics", parsed, e, "--metrics-addr 127.0.0.1:PORT") {
                meridian_probe::ProbeError::Bind { .. } | meridian_probe::ProbeError::Io(_) => {
                    ApiError::field(FIELD, format!("cannot listen on {parsed}: the port is taken or unavailable"))
                }
                other => probe_error(other),
            }
        })?;
        let addr = listener.local_addr().map_err(|e| ApiError::field(FIELD, e.to_string()))?;
        Ok(Self { listener, addr })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl App {
    /// Serves metrics in the background at `addr` (default
    /// [`DEFAULT_METRICS_ADDR`]) until `stop_metrics` or shutdown; replaces
    /// a server already running. Returns the address bound. For the desktop,
    /// where metrics are opt-in; `meridian monitor` serves in its own loop.
    pub async fn start_metrics(self: &Arc<Self>, addr: Option<String>) -> Result<String, ApiError> {
        self.stop_metrics();
        let l = MetricsListener::bind(addr.as_deref().unwrap_or(DEFAULT_METRICS_ADDR)).await?;
        let at = l.local_addr().to_string();
        let app = Arc::clone(self);
        let task = tokio::spawn(async move { app.serve_metrics(l).await });
        if let Ok(mut slot) = self.metrics.lock() {
            *slot = Some(task);
        }
        Ok(at)
    }

    /// Stops the background metrics server, if one runs.
    pub fn stop_metrics(&self) {
        if let Some(task) = self.metrics.lock().ok().and_then(|mut s| s.take()) {
            task.abort();
        }
    }

    /// Answers scrapes until the returned future is dropped (the caller
    /// selects it against its own shutdown).
    pub async fn serve_metrics(&self, l: MetricsListener) {
        tracing::info!(addr = %l.addr, "serving /metrics and /health");
        loop {
            let stream = match l.listener.accept().await {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of file descriptors and the like: back off, keep serving.
                    tracing::warn!(error = %e, "metrics accept failed");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            };
            if let Err(e) = tokio::time::timeout(IO_TIMEOUT * 2, self.answer(stream)).await {
                tracing::debug!(error = %e, "metrics client too slow");
            }
        }
    }

    async fn answer(&self, mut stream: TcpStream) {
        let Some(path) = read_request_path(&mut stream).await else {
            let _ = respond(&mut stream, "400 Bad Request", "text/plain", "bad request\n").await;
            return;
        };
        let (status, kind, body) = match path.as_str() {
            "/metrics" => (
                "200 OK",
                "text/plain; version=0.0.4; charset=utf-8",
                render(&self.metrics_snapshot().await, MAX_DEVICE_SERIES),
            ),
            "/health" => self.health().await,
            _ => ("404 Not Found", "text/plain", "not found; try /metrics or /health\n".to_owned()),
        };
        let _ = respond(&mut stream, status, kind, &body).await;
    }

    /// 200 when the store answers, 503 (with the reason) when it does not.
    async fn health(&self) -> (&'static str, &'static str, String) {
        let monitor = self.monitor_status().await.is_some_and(|m| m.running);
        match self.store.schema_version().await {
            Ok(_) => ("200 OK", "application/json", format!("{{\"status\":\"ok\",\"monitor\":{monitor}}}\n")),
            Err(e) => {
                let reason = serde_json::to_string(&e.to_string()).unwrap_or_default();
                (
                    "503 Service Unavailable",
                    "application/json",
                    format!("{{\"status\":\"store\",\"error\":{reason}}}\n"),
                )
            }
        }
    }

    pub(crate) async fn metrics_snapshot(&self) -> Snapshot {
        let (status, writer, rules) = match self.monitor.lock().await.as_ref() {
            Some(h) => (Some(h.status()), h.writer_stats(), Some(h.rule_timing())),
            None => (None, None, None),
        };
        let names: HashMap<_, _> = match self.store.list_devices().await {
            Ok(d) => d.into_iter().map(|d| (d.id, d.name)).collect(),
            Err(e) => {
                tracing::warn!(error = %e, "metrics: cannot list devices");
                HashMap::new()
            }
        };
        let store_bytes = match &status {
            Some(s) if s.store_bytes > 0 => Some(s.store_bytes),
            _ => self.store.size_bytes().await.ok(),
        };
        Snapshot { status, writer, rules, live: self.device_live().await, names, store_bytes }
    }
}

/// The path of a `GET` request, or None for anything else (other methods,
/// oversized or malformed requests, a client that says nothing in time).
async fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(512);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && !buf.windows(2).any(|w| w == b"\n\n") {
        if buf.len() > MAX_REQUEST {
            return None;
        }
        let n = tokio::time::timeout(IO_TIMEOUT, stream.read(&mut chunk)).await.ok()?.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let line = buf.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end();
    let mut parts = line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    if method != "GET" || !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    // Query strings are ignored, as Prometheus sends none.
    Some(target.split('?').next().unwrap_or(target).to_owned())
}

async fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &str) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    tokio::time::timeout(IO_TIMEOUT, async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    })
    .await
    .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
}
