//! Forwards the service's `CoreEvent`s to the webview as the Tauri event
//! `core-events`, whose payload is an array of the `CoreEvent` JSON the UI's
//! generated types describe. If the task falls behind the bus, it emits
//! `core-event-lagged` so the UI reloads its model instead of drifting.
//!
//! Why arrays: each emit is a script evaluation in the web view. The
//! monitor's first round brings one state change per device (1,000 spread
//! over 30 s), and one evaluation each kept WebKit at 2.4-3 % of a core
//! (docs/PERFORMANCE.md). An event after a quiet spell still goes at once;
//! during a burst, what arrives is held until `SPACING` after the last emit,
//! so the web view evaluates at most ten times a second.

use std::time::Duration;

use meridian_service::CoreEvent;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::{
    error::{RecvError, TryRecvError},
    Receiver,
};
use tokio::time::Instant;

pub const CORE_EVENTS: &str = "core-events";
pub const CORE_EVENT_LAGGED: &str = "core-event-lagged";

/// The shortest time between two emits during a burst. The UI draws a burst
/// at most every 250 ms (ui/src/batch.ts), so this adds no visible delay.
const SPACING: Duration = Duration::from_millis(100);

/// The event's `type` tag as the UI sees it.
pub fn event_type(event: &CoreEvent) -> &'static str {
    match event {
        CoreEvent::InventoryChanged { .. } => "inventoryChanged",
        CoreEvent::DeviceStateChanged { .. } => "deviceStateChanged",
        CoreEvent::AlarmRaised { .. } => "alarmRaised",
        CoreEvent::AlarmCleared { .. } => "alarmCleared",
        CoreEvent::AlarmAcknowledged { .. } => "alarmAcknowledged",
        CoreEvent::DiscoveryProgress { .. } => "discoveryProgress",
        CoreEvent::DiscoveryFound { .. } => "discoveryFound",
        CoreEvent::DiscoveryFinished { .. } => "discoveryFinished",
        CoreEvent::RulesChanged => "rulesChanged",
        CoreEvent::MaintenanceChanged => "maintenanceChanged",
        CoreEvent::PollRequested { .. } => "pollRequested",
        CoreEvent::PtpChanged { .. } => "ptpChanged",
        CoreEvent::EventsMissed { .. } => "eventsMissed",
    }
}

/// What the forwarder hands the web view.
#[derive(Debug, PartialEq)]
pub enum Emit {
    Events(Vec<CoreEvent>),
    /// The bus dropped this many events for us.
    Lagged(u64),
}

/// Runs until the bus closes (the service is dropped).
pub fn spawn_forwarder(handle: AppHandle, events: Receiver<CoreEvent>) {
    tauri::async_runtime::spawn(forward(events, SPACING, move |out| match out {
        Emit::Events(batch) => match handle.emit(CORE_EVENTS, &batch) {
            // One line per event, as before batching: the desktop smoke test
            // reads them to see which events reached the web view.
            Ok(()) => {
                for event in &batch {
                    tracing::debug!(r#type = event_type(event), batch = batch.len(), "forwarded core event");
                }
            }
            Err(e) => tracing::warn!(count = batch.len(), error = %e, "cannot forward core events"),
        },
        Emit::Lagged(skipped) => {
            tracing::warn!(skipped, "the UI event forwarder fell behind; asking the UI to reload");
            if let Err(e) = handle.emit(CORE_EVENT_LAGGED, skipped) {
                tracing::warn!(error = %e, "cannot emit core-event-lagged");
            }
        }
    }));
}

/// Waits for an event, holds it until `spacing` has passed since the last
/// emit, then emits it with everything queued behind it, in bus order. A gap
/// the bus reports ends the batch before it and is emitted in its place.
pub async fn forward(mut events: Receiver<CoreEvent>, spacing: Duration, mut emit: impl FnMut(Emit)) {
    let mut next_emit = Instant::now();
    loop {
        let first = match events.recv().await {
            Ok(event) => event,
            Err(RecvError::Lagged(skipped)) => {
                emit(Emit::Lagged(skipped));
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        tokio::time::sleep_until(next_emit).await;
        let mut batch = vec![first];
        let mut closed = false;
        loop {
            match events.try_recv() {
                Ok(event) => batch.push(event),
                Err(TryRecvError::Lagged(skipped)) => {
                    if !batch.is_empty() {
                        emit(Emit::Events(std::mem::take(&mut batch)));
                    }
                    emit(Emit::Lagged(skipped));
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => {
                    closed = true;
                    break;
                }
            }
        }
        if !batch.is_empty() {
            emit(Emit::Events(batch));
        }
        if closed {
            return;
        }
        next_emit = Instant::now() + spacing;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_service::{ChangeAction, InventoryEntity};

    #[test]
    fn event_type_matches_the_serde_tag() {
        let e = CoreEvent::InventoryChanged {
            entity: InventoryEntity::Device,
            id: "x".into(),
            action: ChangeAction::Added,
        };
        let json = serde_json::to_value(&e).expect("serialises");
        assert_eq!(json["type"], event_type(&e));
    }

    fn changed(id: usize) -> CoreEvent {
        CoreEvent::InventoryChanged {
            entity: InventoryEntity::Device,
            id: format!("d{id}"),
            action: ChangeAction::Added,
        }
    }

    fn ids(out: &[Emit]) -> Vec<Vec<String>> {
        out.iter()
            .map(|e| match e {
                Emit::Events(b) => b
                    .iter()
                    .map(|ev| match ev {
                        CoreEvent::InventoryChanged { id, .. } => id.clone(),
                        other => panic!("unexpected {other:?}"),
                    })
                    .collect(),
                Emit::Lagged(n) => vec![format!("lagged {n}")],
            })
            .collect()
    }

    // current_thread: the sends below run without yielding, so the
    // forwarder sees them all queued, whatever the machine's speed.
    #[tokio::test]
    async fn a_lone_event_goes_at_once_and_a_burst_goes_as_one_batch_in_order() {
        let (tx, rx) = tokio::sync::broadcast::channel(1024);
        let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel();
        let task = tokio::spawn(forward(rx, Duration::from_millis(20), move |e| out_tx.send(e).expect("out")));
        tx.send(changed(0)).expect("send");
        let first = out_rx.recv().await.expect("the lone event");
        for i in 1..=50 {
            tx.send(changed(i)).expect("send");
        }
        let second = out_rx.recv().await.expect("the burst");
        drop(tx);
        task.await.expect("the forwarder ends when the bus closes");
        assert!(out_rx.recv().await.is_none(), "nothing else was emitted");
        let want: Vec<String> = (1..=50).map(|i| format!("d{i}")).collect();
        assert_eq!(ids(&[first, second]), vec![vec!["d0".to_string()], want]);
    }

    #[tokio::test]
    async fn a_gap_in_the_bus_is_announced_where_it_happened() {
        let (tx, rx) = tokio::sync::broadcast::channel(4);
        let mut out = Vec::new();
        for i in 0..10 {
            tx.send(changed(i)).expect("send");
        }
        drop(tx);
        forward(rx, Duration::from_millis(1), |e| out.push(e)).await;
        // The bus kept the last 4; the 6 before them are reported, not lost silently.
        assert_eq!(
            ids(&out),
            vec![vec!["lagged 6".to_string()], vec!["d6".into(), "d7".into(), "d8".into(), "d9".into()]]
        );
    }
}
