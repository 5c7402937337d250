//! The service as Tauri state, opened in the background.
//!
//! Opening the embedded store takes about a second (PGlite's start-up); the
//! web view takes about as long to load the UI. The window is therefore built
//! first and the service opened beside it: a command that arrives before the
//! service is ready waits for it (or gets the reason it failed), so the UI
//! needs no retry logic and no command can find the state missing.

use std::sync::Arc;

use meridian_service::{ApiError, ApiErrorKind, App};
use tokio::sync::watch;

#[derive(Clone)]
pub(crate) enum Phase {
    Opening,
    /// `monitor` is the serialised reason the monitor did not start, if so.
    Ready {
        app: Arc<App>,
        monitor: Option<serde_json::Value>,
    },
    Failed(ApiError),
}

/// Managed state; the opening task holds the sender.
pub(crate) struct Service {
    rx: watch::Receiver<Phase>,
}

impl Service {
    pub(crate) fn new() -> (Self, watch::Sender<Phase>) {
        let (tx, rx) = watch::channel(Phase::Opening);
        (Self { rx }, tx)
    }

    /// The settled phase: waits while the service is opening. A dropped
    /// sender (the opening task died) reads as a failure, never a hang.
    pub(crate) async fn settled(&self) -> Phase {
        let mut rx = self.rx.clone();
        let settled = rx.wait_for(|p| !matches!(p, Phase::Opening)).await.map(|p| p.clone());
        settled.unwrap_or_else(|_| {
            Phase::Failed(ApiError::new(ApiErrorKind::Internal, "the service task ended before the service opened"))
        })
    }

    /// The service, once open; what every command calls.
    pub(crate) async fn get(&self) -> Result<Arc<App>, ApiError> {
        match self.settled().await {
            Phase::Ready { app, .. } => Ok(app),
            Phase::Failed(e) => Err(e),
            // settled() never answers Opening; an error rather than a panic all the same.
            Phase::Opening => Err(ApiError::new(ApiErrorKind::Internal, "the service is still opening")),
        }
    }

    /// The service if it is open now, without waiting (tray menu, exit).
    pub(crate) fn ready(&self) -> Option<Arc<App>> {
        match &*self.rx.borrow() {
            Phase::Ready { app, .. } => Some(Arc::clone(app)),
            _ => None,
        }
    }
}
