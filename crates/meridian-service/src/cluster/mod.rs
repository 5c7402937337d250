//! Core events across every process on one PostgreSQL. Each process on an
//! external database relays its own bus to `NOTIFY meridian_events`; a team
//! server replica LISTENs and fans what it hears (its own events included)
//! out to its WebSocket clients. A replica thus keeps nothing PostgreSQL
//! does not: a client on any replica hears a change made through any other,
//! or by a monitor or desktop writing to the same database.
//!
//! Each event is a row of the outbox (migration 0026) with an increasing id
//! and a NOTIFY of `id`, a header line naming who may see the event (`*`
//! everyone, `-` every-site callers only, or a site id), then the event's
//! JSON as the WebSocket sends it; an event too large for NOTIFY is sent as
//! its id alone and read back. The header is worked out once, by the relay,
//! so a replica filters each client with no query of its own. A listener
//! remembers the last id it delivered and reads what it missed from the
//! outbox after a reconnect (see `listen.rs`).

mod listen;

use std::sync::Arc;

use meridian_core::SiteId;
use meridian_store::{Store, EVENTS_CHANNEL};
use tokio::sync::{broadcast, OnceCell};
use tokio::task::JoinHandle;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

/// Who may see an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Callers whose scope covers this site (`None`: every-site callers).
    Site(Option<SiteId>),
}

/// An event as it arrived from the database.
#[derive(Debug, Clone)]
pub struct SharedEvent {
    pub audience: Audience,
    pub json: Arc<str>,
}

impl Audience {
    /// Its header line.
    pub fn header(self) -> String {
        match self {
            Audience::Everyone => "*".to_owned(),
            Audience::Site(None) => "-".to_owned(),
            Audience::Site(Some(s)) => s.0.to_string(),
        }
    }

    pub fn parse(head: &str) -> Option<Self> {
        Some(match head {
            "*" => Audience::Everyone,
            "-" => Audience::Site(None),
            id => Audience::Site(Some(SiteId(uuid::Uuid::parse_str(id).ok()?))),
        })
    }
}

impl SharedEvent {
    /// `None` unless `head` is a header and `json` is JSON.
    pub fn from_parts(head: &str, json: &str) -> Option<Self> {
        let audience = Audience::parse(head)?;
        serde_json::from_str::<serde::de::IgnoredAny>(json).ok()?;
        Some(Self { audience, json: json.into() })
    }
}

/// `eventsMissed` for everyone (see [`CoreEvent::EventsMissed`]).
pub(crate) fn events_missed(count: u64) -> SharedEvent {
    let json = serde_json::to_string(&CoreEvent::EventsMissed { count })
        .unwrap_or_else(|_| format!(r#"{{"type":"eventsMissed","count":{count}}}"#));
    SharedEvent { audience: Audience::Everyone, json: json.into() }
}

/// The relay and the listener of one process.
pub(crate) struct Cluster {
    bus: broadcast::Sender<SharedEvent>,
    listener: OnceCell<JoinHandle<()>>,
    relay: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Cluster {
    /// Starts the relay when `store` is an external PostgreSQL.
    pub(crate) fn new(store: &Arc<Store>, local: &broadcast::Sender<CoreEvent>) -> Self {
        let relay = (!store.is_embedded()).then(|| tokio::spawn(relay(store.clone(), local.subscribe())));
        Self { bus: broadcast::channel(4096).0, listener: OnceCell::new(), relay: std::sync::Mutex::new(relay) }
    }

    pub(crate) fn stop(&self) {
        if let Some(t) = self.relay.lock().ok().and_then(|mut g| g.take()) {
            t.abort();
        }
        if let Some(t) = self.listener.get() {
            t.abort();
        }
    }
}

/// This process's events, in order, to the outbox and NOTIFY.
async fn relay(store: Arc<Store>, mut rx: broadcast::Receiver<CoreEvent>) {
    loop {
        let e = match rx.recv().await {
            Ok(e) => e,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(skipped = n, "the event relay fell behind; other processes miss these events");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let json = match serde_json::to_string(&e) {
            Ok(j) => j,
            Err(err) => {
                tracing::warn!(error = %err, "an event did not encode");
                continue;
            }
        };
        let audience = crate::auth::audience(&store, &e).await;
        if let Err(err) = store.publish_event(EVENTS_CHANNEL, &audience.header(), &json).await {
            tracing::warn!(error = %err, "an event was not relayed to the other processes");
        }
    }
}

impl App {
    /// Starts LISTENing (once); afterwards [`App::cluster_events`] carries
    /// every process's events. Needs an external PostgreSQL.
    pub async fn listen_cluster_events(&self) -> Result<(), ApiError> {
        self.cluster
            .listener
            .get_or_try_init(|| async {
                // Read before LISTEN, so the first catch-up covers the gap.
                let last = self.store.last_outbox_id().await?;
                let listener = self.store.listen(EVENTS_CHANNEL).await?;
                let task = listen::listen(self.store.clone(), listener, last, self.cluster.bus.clone());
                Ok::<_, ApiError>(tokio::spawn(task))
            })
            .await?;
        Ok(())
    }

    pub(crate) async fn cluster_events(&self) -> Result<broadcast::Receiver<SharedEvent>, ApiError> {
        self.listen_cluster_events().await.map_err(|e| {
            ApiError::new(ApiErrorKind::Internal, format!("the event stream is not available: {}", e.detail))
        })?;
        Ok(self.cluster.bus.subscribe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_round_trips_and_refuses_garbage() {
        let site = SiteId(uuid::Uuid::now_v7());
        for a in [Audience::Everyone, Audience::Site(None), Audience::Site(Some(site))] {
            let e = SharedEvent::from_parts(&a.header(), r#"{"type":"rulesChanged"}"#).expect("decodes");
            assert_eq!((e.audience, &*e.json), (a, r#"{"type":"rulesChanged"}"#));
        }
        for bad in ["", "*", "x\n{}", "*\nnot json", "-\n{", "\n{}", "00000000-0000\n{}"] {
            let (head, json) = bad.split_once('\n').unwrap_or((bad, ""));
            assert!(SharedEvent::from_parts(head, json).is_none(), "{bad:?}");
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..3000usize {
            let s: String = (0..len % 200)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    char::from_u32((seed % 0x250) as u32).unwrap_or('?')
                })
                .collect();
            let _ = SharedEvent::from_parts(&s, "{}");
            let _ = SharedEvent::from_parts("*", &s);
        }
    }
}
