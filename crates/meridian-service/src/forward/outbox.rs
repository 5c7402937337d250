//! The forwarder beside the monitor, in two halves joined in one task:
//! `enqueue` writes every alarm change a target wants to the store's
//! outbox; `drain` sends what is due, each row on its own task, logs every
//! attempt, and reschedules a failure by the retry policy. What is still
//! queued when the monitor stops (or Meridian dies) is sent after the next
//! start. A send interrupted by a stop is sent again: at least once.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use meridian_core::forward::AlarmChange;
use meridian_core::notification::RetryPolicy;
use meridian_core::DeviceKey;
use meridian_store::{ForwardAttempt, ForwardDelivery, Store};
use tokio::sync::{broadcast, Notify};
use tokio::task::{JoinHandle, JoinSet};

use super::send::{send_once, SendContext, SEND_TIMEOUT};
use crate::events::CoreEvent;

/// Rows sent per scan; a longer queue is taken on the next loop at once.
const BATCH: i64 = 100;
/// The longest wait between scans with nothing due sooner. Changes queued
/// here wake the loop at once, so this only bounds how late a row written
/// by another process on the same database is seen.
const IDLE: Duration = Duration::from_secs(60);
/// How soon a scan that met a store error is tried again.
const AFTER_ERROR: Duration = Duration::from_secs(5);

/// Starts the forwarder; aborting the handle stops both halves.
pub(crate) fn start(cx: SendContext, events: broadcast::Receiver<CoreEvent>, retry: RetryPolicy) -> JoinHandle<()> {
    let wake = Arc::new(Notify::new());
    tokio::spawn({
        let wake = wake.clone();
        async move {
            tokio::join!(enqueue(cx.store.clone(), events, wake.clone()), drain(Arc::new(cx), retry, wake));
        }
    })
}

async fn enqueue(store: Arc<Store>, mut events: broadcast::Receiver<CoreEvent>, wake: Arc<Notify>) {
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
        let targets = match store.list_forward_targets().await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the forwarding targets; alarm change not forwarded");
                continue;
            }
        };
        let wanted: Vec<_> = targets.into_iter().filter(|s| s.def.wants(&alarm)).map(|s| s.id).collect();
        if wanted.is_empty() {
            continue;
        }
        let device = match alarm.device_id {
            Some(id) => store.get_device(&DeviceKey::Id(id)).await.ok().map(|d| d.name),
            None => None,
        };
        match store.enqueue_forwards(&wanted, &alarm, change, device.as_deref(), Utc::now()).await {
            Ok(()) => wake.notify_one(),
            Err(e) => tracing::warn!(error = %e, "queueing an alarm change for forwarding failed"),
        }
    }
}

async fn drain(cx: Arc<SendContext>, retry: RetryPolicy, wake: Arc<Notify>) {
    let (store, retry) = (&cx.store, Arc::new(retry));
    loop {
        let due = match store.due_forwards(Utc::now(), BATCH).await {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "reading the forwarding outbox");
                Vec::new()
            }
        };
        if due.is_empty() {
            let wait = match store.next_forward_due().await {
                Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(IDLE),
                Ok(None) => IDLE,
                Err(_) => AFTER_ERROR,
            };
            // A change queued meanwhile wakes the loop at once.
            let _ = tokio::time::timeout(wait, wake.notified()).await;
            continue;
        }
        let mut sends = JoinSet::new();
        for d in due {
            let (cx, retry) = (cx.clone(), retry.clone());
            sends.spawn(async move { attempt(&cx, &retry, d).await });
        }
        while sends.join_next().await.is_some() {}
    }
}

/// One attempt of one row: send, log, then delete or reschedule the row.
async fn attempt(cx: &SendContext, retry: &RetryPolicy, d: ForwardDelivery) {
    let store = &cx.store;
    let sent = tokio::time::timeout(SEND_TIMEOUT, send_once(cx, &d.target, &d.alarm, d.change, d.device.as_deref()))
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {SEND_TIMEOUT:?}")));
    let attempts = d.attempts + 1;
    let now = Utc::now();
    let next = sent.is_err().then(|| retry.next_attempt(attempts, now)).flatten();
    let outcome = match (&sent, next) {
        (Ok(()), _) => "sent",
        (Err(_), Some(_)) => "failed",
        (Err(_), None) => "dead",
    };
    let logged = ForwardAttempt {
        at: now,
        channel: d.target.log_channel(),
        alarm_id: d.alarm.id.0,
        kind: d.change.log_kind(),
        attempt: i32::try_from(attempts).unwrap_or(i32::MAX),
        outcome,
        error: sent.as_ref().err().cloned(),
    };
    if let Err(e) = store.log_forward_attempt(&logged).await {
        tracing::warn!(error = %e, "logging a forwarding attempt");
    }
    if let Err(e) = &sent {
        tracing::warn!(target = %d.target.name, attempt = attempts, error = %e, "forwarding an alarm change failed");
    }
    let done = match next {
        Some(at) => store.forward_failed(d.id, attempts, at).await,
        None => store.forward_finished(d.id).await,
    };
    if let Err(e) = done {
        tracing::warn!(error = %e, "updating the forwarding outbox");
    }
}
