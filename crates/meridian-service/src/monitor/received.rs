//! What the receivers (traps, syslog) hand the running monitor: each event
//! of a managed device, for the link observation a linkDown/linkUp makes
//! and for the event rules. Bounded: a monitor that falls behind a flood
//! loses rule evaluations (counted in the log), never the stored events.

use std::sync::atomic::{AtomicU64, Ordering};

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

/// Events the monitor could not take, since the process started.
static SKIPPED: AtomicU64 = AtomicU64::new(0);

/// Hands one event to the monitor without waiting for it. Under a flood
/// the queue fills on every event, so the warning is logged at the 1st,
/// 2nd, 4th, 8th ... skip rather than once per event.
pub(crate) fn offer(tx: &ReceivedTx, device: DeviceId, r: Received) {
    if tx.try_send((device, r)).is_err() {
        let n = SKIPPED.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_power_of_two() {
            tracing::warn!(%device, skipped = n, "monitor busy or stopped: received events not evaluated");
        }
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
