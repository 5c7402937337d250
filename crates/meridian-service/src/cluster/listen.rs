//! The listening side: notifications in, `SharedEvent`s out, each outbox id
//! at most once and in order. `last` is the highest id delivered (or known
//! to be before this process started). Because ids commit in order (the
//! publish function's advisory lock), everything up to a notified id is in
//! the outbox by the time its notification arrives, so:
//! - a notification for `last + 1` with the event in it is delivered as is;
//! - one for a higher id (an event sent as its id alone, or a gap: a missed
//!   notification, a rolled-back id) reads `last < id <= notified` back;
//! - one for `id <= last` was already delivered by a catch-up and is skipped;
//! - after every (re)connection everything above `last` is read back;
//! - a hole above `last` (rows pruned before they were read) is announced
//!   as `eventsMissed`, so subscribers reload.

use std::sync::Arc;
use std::time::Duration;

use meridian_store::{Heard, Listener, OutboxEvent, Store, OUTBOX_PAGE};
use tokio::sync::broadcast;

use super::SharedEvent;

pub(super) async fn listen(store: Arc<Store>, mut l: Listener, mut last: i64, bus: broadcast::Sender<SharedEvent>) {
    loop {
        match l.recv().await {
            Ok(Heard::Connected) => {
                let before = last;
                last = catch_up(&store, last, None, &bus).await;
                if last > before {
                    tracing::info!(events = last - before, "event listener connected; caught up from the outbox");
                }
            }
            Ok(Heard::Notification(payload)) => last = heard(&store, &payload, last, &bus).await,
            Err(e) => {
                // The next recv reconnects; wait a little so a database
                // that is down is not hammered.
                tracing::warn!(error = %e, "event listener lost its connection");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Handles one notification; returns the new `last`.
async fn heard(store: &Store, payload: &str, last: i64, bus: &broadcast::Sender<SharedEvent>) -> i64 {
    let (id, event) = match payload.split_once('\n') {
        Some((id, rest)) => (id, Some(rest)),
        None => (payload, None),
    };
    let Ok(id) = id.parse::<i64>() else {
        tracing::warn!(bytes = payload.len(), "ignored a malformed event notification");
        return last;
    };
    if id <= last {
        return last;
    }
    match event {
        Some(rest) if id == last + 1 => {
            deliver(bus, id, rest.split_once('\n'));
            id
        }
        _ => catch_up(store, last, Some(id), bus).await,
    }
}

/// Delivers the outbox's events above `last` (up to `upto`), page by page;
/// returns the last id delivered. A read that fails is retried by the next
/// notification (its id is then above `last + 1`) or reconnection.
async fn catch_up(store: &Store, mut last: i64, upto: Option<i64>, bus: &broadcast::Sender<SharedEvent>) -> i64 {
    loop {
        let rows = match store.outbox_after(last, upto).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, after = last, "could not read missed events from the outbox");
                return last;
            }
        };
        let full = rows.len() as i64 == OUTBOX_PAGE;
        if let Some(first) = rows.first().filter(|r| r.id > last + 1) {
            // Ids commit in order, so a hole is rows pruned before this
            // replica read them (or, rarely, a publish that rolled back):
            // subscribers are told to reload rather than left to drift.
            let missed = u64::try_from(first.id - last - 1).unwrap_or(u64::MAX);
            tracing::warn!(missed, after = last, "events were pruned from the outbox before this replica read them");
            let _ = bus.send(super::events_missed(missed));
        }
        for OutboxEvent { id, audience, json } in rows {
            deliver(bus, id, Some((&audience, &json)));
            last = id;
        }
        if !full {
            return last;
        }
    }
}

fn deliver(bus: &broadcast::Sender<SharedEvent>, id: i64, parts: Option<(&str, &str)>) {
    match parts.and_then(|(head, json)| SharedEvent::from_parts(head, json)) {
        Some(e) => {
            // No receiver (no WebSocket open) is not an error.
            let _ = bus.send(e);
        }
        None => tracing::warn!(id, "ignored a malformed event"),
    }
}
