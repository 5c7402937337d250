//! Cutting what a channel brings into batches, for every task that stores
//! them (samples, syslog messages, trap events): one statement per batch.

use std::time::Duration;

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
}
