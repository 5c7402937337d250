//! The accept loops: TLS (rustls) for the API, and the opt-in plaintext
//! `/health` listener, which refuses any address but loopback.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::extract::Peer;

/// A client that does not finish the handshake in this time is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `router` over TLS until `stop` resolves.
pub async fn serve_tls(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    router: Router,
    stop: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let acceptor = TlsAcceptor::from(tls);
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut stop => return Ok(()),
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let (acceptor, router) = (acceptor.clone(), router.clone());
        tokio::spawn(async move {
            let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::debug!(peer = %peer, error = %e, "TLS handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!(peer = %peer, "TLS handshake timed out");
                    return;
                }
            };
            serve_conn(TokioIo::new(stream), router.layer(Extension(Peer(peer)))).await;
        });
    }
}

/// Plain HTTP, `/health` only, loopback only.
pub async fn serve_health(listener: TcpListener, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        bail!("--health-listen {addr}: the plaintext health listener must be on loopback");
    }
    let router = crate::routes::health_router();
    tokio::pin!(stop);
    loop {
        let (tcp, _) = tokio::select! {
            _ = &mut stop => return Ok(()),
            r = listener.accept() => match r { Ok(c) => c, Err(_) => continue },
        };
        tokio::spawn(serve_conn(TokioIo::new(tcp), router.clone()));
    }
}

async fn serve_conn<I>(io: TokioIo<I>, router: Router)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(router);
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(io, service)
        // The WebSocket event stream takes the connection over after its 101.
        .with_upgrades();
    if let Err(e) = conn.await {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}
