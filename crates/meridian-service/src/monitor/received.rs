//! What the receivers (traps, syslog) hand the running monitor: each event
//! of a managed device, for the link observation a linkDown/linkUp makes
//! and for the event rules. Bounded: a monitor that falls behind a flood
//! loses rule evaluations (counted in the log), never the stored events.

use meridian_core::fault::EventRules;
use meridian_core::syslog::SyslogRecord;
use meridian_core::trap::TrapEvent;
use meridian_core::DeviceId;
use meridian_store::Store;
use tokio::sync::mpsc;

/// Events waiting for the supervisor, at most.
pub(crate) const QUEUE: usize = 4096;

#[derive(Debug)]
pub(crate) enum Received {
    Trap(Box<TrapEvent>),
    Syslog(Box<SyslogRecord>),
}

pub(crate) type ReceivedTx = mpsc::Sender<(DeviceId, Received)>;
pub(crate) type ReceivedRx = mpsc::Receiver<(DeviceId, Received)>;

/// Hands one event to the monitor without waiting for it.
pub(crate) fn offer(tx: &ReceivedTx, device: DeviceId, r: Received) {
    if tx.try_send((device, r)).is_err() {
        tracing::warn!(%device, "monitor busy or stopped: a received event was not evaluated");
    }
}

/// The event rules that check, or none if the store cannot say (logged): a
/// broken rules table must not stop receiving.
pub(crate) async fn load_event_rules(store: &Store) -> EventRules {
    let stored = match store.list_event_rules().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the event rules; none are evaluated");
            return EventRules::default();
        }
    };
    let (rules, bad) = EventRules::compile(stored.into_iter().map(|s| s.def).collect());
    for (name, e) in bad {
        tracing::warn!(rule = %name, error = %e, "event rule skipped");
    }
    rules
}
