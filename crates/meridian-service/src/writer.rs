//! The batch writer: pollers hand samples to a bounded channel; one task
//! cuts them into batches by size or age and writes each batch with the
//! store's UNNEST path.
//!
//! Backpressure, not unbounded memory: when the queue is full a poller waits
//! up to `enqueue_timeout`; past that the sample is dropped and counted, so a
//! stalled disk degrades into visible drops (`meridian status`) instead of an
//! out-of-memory crash. On shutdown the queue is drained and written.
//!
//! Every batch is committed with a ledger row (`writer_batches`) in the same
//! transaction, under a sequence number that runs on across restarts, and
//! logged at info level as `committed batch seq=N samples=K ...` only after
//! the commit returned. The crash tests read that log back: every batch it
//! names must be in the store after a SIGKILL.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use meridian_core::sample::Sample;
use meridian_store::Store;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy)]
pub struct WriterConfig {
    /// Samples the queue holds before pollers feel backpressure.
    pub capacity: usize,
    /// A batch is written when it reaches this many samples…
    pub batch_size: usize,
    /// …or when its oldest sample has waited this long.
    pub max_delay: Duration,
    /// How long a poller waits for room before the sample is dropped.
    pub enqueue_timeout: Duration,
    /// A sample written later than this after it was taken counts as late.
    pub late_after: Duration,
}

impl Default for WriterConfig {
    fn default() -> Self {
        Self {
            capacity: 200_000,
            batch_size: 5_000,
            max_delay: Duration::from_secs(1),
            enqueue_timeout: Duration::from_secs(2),
            late_after: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    accepted: AtomicU64,
    written: AtomicU64,
    dropped: AtomicU64,
    late: AtomicU64,
    batches: AtomicU64,
    /// Time spent in successful batch writes, for the mean batch time.
    batch_micros: AtomicU64,
    write_errors: AtomicU64,
    /// The last committed batch's ledger sequence.
    last_seq: AtomicU64,
    /// Set while the store refuses writes; cleared by the next commit.
    fault: Mutex<Option<StoreFault>>,
}

/// Why the store refuses the writer's batches, while it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFault {
    pub disk_full: bool,
    pub error: String,
}

/// A snapshot for `meridian status` and the UI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriterStats {
    pub queue_depth: u64,
    pub queue_capacity: u64,
    pub accepted: u64,
    pub written: u64,
    pub dropped: u64,
    pub late: u64,
    pub batches: u64,
    /// Microseconds spent writing the `batches` that succeeded.
    pub batch_micros: u64,
    pub write_errors: u64,
    pub last_seq: u64,
}

/// The pollers' end of the queue. Cheap to clone.
#[derive(Clone)]
pub struct SampleSink {
    tx: mpsc::Sender<Sample>,
    counters: Arc<Counters>,
    enqueue_timeout: Duration,
}

impl SampleSink {
    /// Queues a sample, waiting for room up to the configured timeout.
    /// Returns false when the sample was dropped.
    pub async fn send(&self, s: Sample) -> bool {
        match self.tx.send_timeout(s, self.enqueue_timeout).await {
            Ok(()) => {
                self.counters.accepted.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(_) => {
                self.counters.dropped.fetch_add(1, Ordering::Relaxed);
                false
            }
        }
    }

    /// Whether the last batch failed to commit, and why: the supervisor
    /// raises Meridian's own alarm on it.
    pub fn fault(&self) -> Option<StoreFault> {
        self.counters.fault.lock().map(|f| f.clone()).unwrap_or(None)
    }

    pub fn stats(&self) -> WriterStats {
        let c = &self.counters;
        let cap = self.tx.max_capacity() as u64;
        WriterStats {
            queue_depth: cap.saturating_sub(self.tx.capacity() as u64),
            queue_capacity: cap,
            accepted: c.accepted.load(Ordering::Relaxed),
            written: c.written.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            late: c.late.load(Ordering::Relaxed),
            batches: c.batches.load(Ordering::Relaxed),
            batch_micros: c.batch_micros.load(Ordering::Relaxed),
            write_errors: c.write_errors.load(Ordering::Relaxed),
            last_seq: c.last_seq.load(Ordering::Relaxed),
        }
    }
}

/// Starts the writer. It stops, after writing everything queued, once every
/// `SampleSink` clone has been dropped.
pub fn spawn_writer(store: Arc<Store>, cfg: WriterConfig) -> (SampleSink, JoinHandle<()>) {
    let (tx, rx) = mpsc::channel(cfg.capacity.max(1));
    let counters = Arc::new(Counters::default());
    let sink = SampleSink { tx, counters: counters.clone(), enqueue_timeout: cfg.enqueue_timeout };
    let handle = tokio::spawn(run(store, cfg, rx, counters));
    (sink, handle)
}

async fn run(store: Arc<Store>, cfg: WriterConfig, mut rx: mpsc::Receiver<Sample>, counters: Arc<Counters>) {
    let mut batch = Vec::with_capacity(cfg.batch_size);
    // Read once: this task is the ledger's only writer while it runs.
    let mut seq = match store.last_batch_seq().await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "reading the batch ledger; numbering from 0");
            0
        }
    };
    // A batch is cut by size or age; false means every sink is gone.
    while crate::batching::next_batch(&mut rx, &mut batch, cfg.batch_size, cfg.max_delay).await {
        seq += 1;
        write(&store, &cfg, seq, &mut batch, &counters).await;
    }
    tracing::debug!("sample writer drained and stopped");
}

/// Writes one batch, retrying a failed write a few times with backoff
/// (a busy disk, a restarting external server) before dropping it.
async fn write(store: &Store, cfg: &WriterConfig, seq: i64, batch: &mut Vec<Sample>, counters: &Counters) {
    const ATTEMPTS: u32 = 3;
    for attempt in 1..=ATTEMPTS {
        let started = Instant::now();
        match store.commit_sample_batch(seq, batch).await {
            Ok(rec) => {
                let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
                counters.batch_micros.fetch_add(micros, Ordering::Relaxed);
                tracing::info!(
                    seq,
                    samples = rec.samples,
                    first_at = %rec.first_at.to_rfc3339_opts(SecondsFormat::Micros, true),
                    last_at = %rec.last_at.to_rfc3339_opts(SecondsFormat::Micros, true),
                    "committed batch"
                );
                let n = batch.len() as u64;
                set_fault(counters, None);
                counters.last_seq.store(u64::try_from(seq).unwrap_or_default(), Ordering::Relaxed);
                let now = Utc::now();
                let late =
                    batch.iter().filter(|s| (now - s.at).to_std().map(|d| d > cfg.late_after).unwrap_or(false)).count()
                        as u64;
                counters.written.fetch_add(n, Ordering::Relaxed);
                counters.late.fetch_add(late, Ordering::Relaxed);
                counters.batches.fetch_add(1, Ordering::Relaxed);
                batch.clear();
                return;
            }
            Err(e) => {
                counters.write_errors.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, attempt, samples = batch.len(), "sample batch write failed");
                set_fault(counters, Some(StoreFault { disk_full: e.is_disk_full(), error: e.to_string() }));
                if attempt < ATTEMPTS {
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
            }
        }
    }
    counters.dropped.fetch_add(batch.len() as u64, Ordering::Relaxed);
    batch.clear();
}

fn set_fault(counters: &Counters, fault: Option<StoreFault>) {
    if let Ok(mut f) = counters.fault.lock() {
        *f = fault;
    }
}
