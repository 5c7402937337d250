//! Cutting what a channel brings into batches, for every task that stores
//! them (samples, syslog messages, trap events): one statement per batch;
//! and spacing a broadcast bus's items for a consumer for whom each
//! delivery costs (the desktop's web view: one script evaluation per emit).

use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::time::Instant;

/// How long a short batch waits between looks at its queue. Waiting on the
/// channel instead wakes the task once per item while it keeps up, and on
/// two cores those wake-ups take CPU from the store (a tenth of the syslog
/// flood's samples were the scheduler's).
const LOOK_EVERY: Duration = Duration::from_millis(5);

/// Waits for a first item, then fills `batch` up to `max` with what is
/// queued and, while it is short, with what arrives within `window` of the
/// first (looking every 5 ms). False when every sender is gone and nothing
/// was left.
pub(crate) async fn next_batch<T>(
    rx: &mut mpsc::Receiver<T>,
    batch: &mut Vec<T>,
    max: usize,
    window: Duration,
) -> bool {
    let Some(first) = rx.recv().await else { return false };
    batch.push(first);
    let deadline = Instant::now() + window;
    loop {
        while batch.len() < max {
            match rx.try_recv() {
                Ok(item) => batch.push(item),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => return true,
            }
        }
        let now = Instant::now();
        if batch.len() >= max || now >= deadline {
            return true;
        }
        tokio::time::sleep_until(deadline.min(now + LOOK_EVERY)).await;
    }
}

/// What [`spaced_batches`] hands on.
#[derive(Debug, PartialEq)]
pub enum Spaced<T> {
    Items(Vec<T>),
    /// The bus dropped this many items for this receiver.
    Lagged(u64),
}

/// Waits for an item, holds it until `spacing` has passed since the last
/// emit, then emits it with everything queued behind it, in bus order: an
/// item after a quiet spell goes at once, a burst goes at most once per
/// `spacing`. A gap the bus reports ends the batch before it and is emitted
/// in its place. Returns when the bus closes.
pub async fn spaced_batches<T: Clone>(
    mut items: broadcast::Receiver<T>,
    spacing: Duration,
    mut emit: impl FnMut(Spaced<T>),
) {
    use broadcast::error::TryRecvError;
    let mut next_emit = Instant::now();
    loop {
        let first = match items.recv().await {
            Ok(item) => item,
            Err(RecvError::Lagged(skipped)) => {
                emit(Spaced::Lagged(skipped));
                continue;
            }
            Err(RecvError::Closed) => return,
        };
        tokio::time::sleep_until(next_emit).await;
        let mut batch = vec![first];
        let mut closed = false;
        loop {
            match items.try_recv() {
                Ok(item) => batch.push(item),
                Err(TryRecvError::Lagged(skipped)) => {
                    if !batch.is_empty() {
                        emit(Spaced::Items(std::mem::take(&mut batch)));
                    }
                    emit(Spaced::Lagged(skipped));
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => {
                    closed = true;
                    break;
                }
            }
        }
        if !batch.is_empty() {
            emit(Spaced::Items(batch));
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

    #[tokio::test]
    async fn a_batch_is_cut_by_size_by_its_window_and_at_the_end() {
        let (tx, mut rx) = mpsc::channel(100);
        for i in 0..7 {
            tx.send(i).await.expect("send");
        }
        let mut batch = Vec::new();
        assert!(next_batch(&mut rx, &mut batch, 5, Duration::from_secs(10)).await);
        assert_eq!(batch, [0, 1, 2, 3, 4], "full at max, without waiting for the window");

        batch.clear();
        assert!(next_batch(&mut rx, &mut batch, 5, Duration::from_millis(20)).await);
        assert_eq!(batch, [5, 6], "short when the window ends");

        batch.clear();
        tx.send(7).await.expect("send");
        let late = tokio::spawn({
            let tx = tx.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(20)).await;
                tx.send(8).await.expect("send");
                tx.send(9).await.expect("send");
            }
        });
        assert!(next_batch(&mut rx, &mut batch, 2, Duration::from_secs(10)).await);
        assert_eq!(batch, [7, 8], "an item that came while it waited");
        late.await.expect("sender");

        batch.clear();
        drop(tx);
        assert!(next_batch(&mut rx, &mut batch, 5, Duration::from_secs(10)).await);
        assert_eq!(batch, [9], "the rest once the senders are gone, without waiting");
        batch.clear();
        assert!(!next_batch(&mut rx, &mut batch, 5, Duration::from_secs(10)).await, "then the end");
    }

    // current_thread: the sends below run without yielding, so the
    // forwarder sees them all queued, whatever the machine's speed.
    #[tokio::test]
    async fn a_lone_item_goes_at_once_and_a_burst_goes_as_one_batch_in_order() {
        let (tx, rx) = broadcast::channel(1024);
        let (out_tx, mut out_rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(spaced_batches(rx, Duration::from_millis(20), move |e| out_tx.send(e).expect("out")));
        tx.send(0).expect("send");
        let first = out_rx.recv().await.expect("the lone item");
        for i in 1..=50 {
            tx.send(i).expect("send");
        }
        let second = out_rx.recv().await.expect("the burst");
        drop(tx);
        task.await.expect("it ends when the bus closes");
        assert!(out_rx.recv().await.is_none(), "nothing else was emitted");
        assert_eq!(first, Spaced::Items(vec![0]));
        assert_eq!(second, Spaced::Items((1..=50).collect()));
    }

    #[tokio::test]
    async fn a_gap_in_the_bus_is_announced_where_it_happened() {
        let (tx, rx) = broadcast::channel(4);
        let mut out = Vec::new();
        for i in 0..10 {
            tx.send(i).expect("send");
        }
        drop(tx);
        spaced_batches(rx, Duration::from_millis(1), |e| out.push(e)).await;
        // The bus kept the last 4; the 6 before them are reported, not lost silently.
        assert_eq!(out, vec![Spaced::Lagged(6), Spaced::Items(vec![6, 7, 8, 9])]);
    }
}
