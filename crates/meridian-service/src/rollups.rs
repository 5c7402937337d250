//! The rollup job: builds the history tiers incrementally and applies each
//! tier's retention. One pass is [`run_pass`]; the monitor runs a pass every
//! minute in the background ([`spawn`]), and `App::run_rollups` runs one on
//! demand (tests, `meridian rollups`).
//!
//! A pass never holds the store for long: it rebuilds at most `span` of a
//! tier per transaction and deletes at most `purge_batch` rows per statement,
//! pausing between them, so the sample writer (which shares the embedded
//! store's one connection) gets a turn after every batch. A pass cut short
//! (crash, stop, full disk) resumes at the watermarks next time; rebuilt
//! buckets replace the old ones, so nothing is counted twice. After a
//! purge the tiers' freed space is reclaimed (`VACUUM`, at most hourly; see
//! `meridian_core::reclaim`), without which PGlite's tables never shrink
//! their growth.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use meridian_core::reclaim::Reclaim;
use meridian_core::rollup::retention::Retention;
use meridian_core::rollup::{next_batch, rollup_target, Tier};
use meridian_store::{Reclaimable, Store, StoreError, TierSize};
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// The settings key holding [`Retention`].
pub(crate) const RETENTION_KEY: &str = "retention";

#[derive(Debug, Clone)]
pub struct RollupConfig {
    /// Raw samples may arrive this late (writer queue, slow polls); a 5-min
    /// bucket is built only once it ended this long ago.
    pub grace: Duration,
    /// Most source time one batch rebuilds, per tier (5 min, 1 h, 1 day).
    pub spans: [Duration; 3],
    /// Most rows one purge statement deletes.
    pub purge_batch: i64,
    /// Stop the pass after this many batches (rollup and purge): bounds one
    /// pass's work; the next pass carries on.
    pub max_batches: usize,
    /// Pause after each batch so the sample writer gets the store.
    pub pause: StdDuration,
}

impl Default for RollupConfig {
    fn default() -> Self {
        Self {
            grace: Duration::minutes(2),
            spans: [Duration::hours(1), Duration::hours(12), Duration::days(7)],
            purge_batch: 10_000,
            max_batches: 1_000,
            pause: StdDuration::from_millis(20),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RollupReport {
    /// Buckets written per rollup tier (5 min, 1 h, 1 day).
    pub buckets: [u64; 3],
    /// Rows deleted per tier (raw, 5 min, 1 h, 1 day): series rows, or the
    /// tier's availability rows where those were more in a batch.
    pub purged: [u64; 4],
    pub batches: usize,
    /// The pass stopped at `max_batches` or when asked to; work may be left
    /// for the next pass.
    pub cut_short: bool,
    /// Retention was not applied: the stored setting is unreadable.
    pub retention_skipped: bool,
    /// The rollup tables were vacuumed after the purge.
    pub reclaimed: bool,
}

/// One pass: every tier up to date (finest first, since each builds on the
/// one before), then each tier's retention, then the purged space back if
/// `reclaim` says so. `stop` is asked between batches: a pass is never
/// cancelled inside a transaction.
pub async fn run_pass(
    store: &Store,
    now: DateTime<Utc>,
    cfg: &RollupConfig,
    stop: &(dyn Fn() -> bool + Sync),
    reclaim: &mut Reclaim,
) -> Result<RollupReport, StoreError> {
    let mut report = RollupReport::default();
    // Tomorrow's samples get their own partition before tomorrow comes.
    store.ensure_sample_partitions(now).await?;
    // Before any scan by time: see `Store::summarize_time_indexes`.
    store.summarize_time_indexes().await?;
    for (i, tier) in Tier::ROLLUPS.into_iter().enumerate() {
        loop {
            if report.batches >= cfg.max_batches || stop() {
                report.cut_short = true;
                return Ok(report);
            }
            let marks = store.rollup_watermarks().await?;
            let Some(target) = rollup_target(tier, now, cfg.grace, &marks) else { break };
            let mark = marks.get(tier);
            let first = match (mark, tier.source()) {
                (None, Some(source)) => store.oldest_source(source).await?,
                _ => None,
            };
            let Some((from, to)) = next_batch(tier, mark, first, target, cfg.spans[i]) else {
                if mark.is_none() && first.is_none() {
                    // Nothing to build yet: start from here next time rather
                    // than look for the oldest row again.
                    store.set_rollup_watermark(tier, target, now).await?;
                }
                break;
            };
            // `None`: another Meridian on the same database moved the
            // watermark meanwhile; plan again from where it is now.
            report.buckets[i] += store.rollup_next(tier, mark, from, to, now).await?.unwrap_or(0);
            report.batches += 1;
            tokio::time::sleep(cfg.pause).await;
        }
    }
    let Some(keep) = load_retention(store).await? else {
        report.retention_skipped = true;
        return Ok(report);
    };
    let marks = store.rollup_watermarks().await?;
    for (i, tier) in Tier::ALL.into_iter().enumerate() {
        let Some(before) = keep.purge_before(tier, now, &marks) else { continue };
        loop {
            if report.batches >= cfg.max_batches || stop() {
                report.cut_short = true;
                return Ok(report);
            }
            let n = store.purge_tier(tier, before, cfg.purge_batch).await?;
            report.purged[i] += n;
            if tier != Tier::Raw {
                // Raw retention mostly drops whole partitions: nothing to vacuum.
                reclaim.purged(n);
            }
            report.batches += 1;
            tokio::time::sleep(cfg.pause).await;
            if n < cfg.purge_batch.max(1) as u64 {
                break;
            }
        }
    }
    report.reclaimed = crate::reclaim::if_due(store, reclaim, Reclaimable::Rollups, now).await;
    Ok(report)
}

/// The stored retention, the defaults when none is stored, `None` when the
/// stored value cannot be read (then nothing is purged: guessing could
/// delete what the operator meant to keep).
pub(crate) async fn load_retention(store: &Store) -> Result<Option<Retention>, StoreError> {
    match store.get_setting(RETENTION_KEY).await? {
        None => Ok(Some(Retention::default())),
        Some(v) => match serde_json::from_value::<Retention>(v) {
            Ok(r) if r.validate().is_ok() => Ok(Some(r)),
            Ok(_) => {
                tracing::warn!("stored retention breaks its rules; not purging");
                Ok(None)
            }
            Err(e) => {
                tracing::warn!(error = %e, "stored retention unreadable; not purging");
                Ok(None)
            }
        },
    }
}

/// The background job beside the monitor. Stops after the pass in progress.
pub(crate) struct RollupJob {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RollupJob {
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "rollup job ended abnormally");
        }
    }
}

/// How often the background job runs a pass, and refreshes the tier sizes.
const EVERY: StdDuration = StdDuration::from_secs(60);
const SIZES_EVERY: StdDuration = StdDuration::from_secs(600);

/// Starts the background job; `sizes` receives each tier's rows and bytes
/// (for `meridian status`) after the first pass and every ten minutes.
pub(crate) fn spawn(store: Arc<Store>, cfg: RollupConfig, sizes: impl Fn(Vec<TierSize>) + Send + 'static) -> RollupJob {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut last_sizes: Option<tokio::time::Instant> = None;
        let halt = stopped.clone();
        let stop = move || *halt.borrow();
        let mut reclaim = Reclaim::hourly();
        loop {
            match run_pass(&store, Utc::now(), &cfg, &stop, &mut reclaim).await {
                Ok(rep) if rep.batches > 0 => tracing::debug!(?rep, "rollup pass"),
                Ok(_) => {}
                // A full disk or a lost connection: the watermarks say where
                // to resume, so the next pass just tries again.
                Err(e) => tracing::warn!(error = %e, "rollup pass failed; retrying next minute"),
            }
            if stop() {
                break;
            }
            if last_sizes.is_none_or(|t| t.elapsed() >= SIZES_EVERY) {
                last_sizes = Some(tokio::time::Instant::now());
                match refresh_sizes(&store).await {
                    Ok(s) => sizes(s),
                    Err(e) => tracing::debug!(error = %e, "tier sizes"),
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(EVERY) => {}
                _ = stopped.changed() => break,
            }
        }
    });
    RollupJob { stop, task }
}

async fn refresh_sizes(store: &Store) -> Result<Vec<TierSize>, StoreError> {
    store.analyze_tiers().await?;
    store.tier_sizes().await
}

/// The store's size for the desktop's status: the whole database on disk
/// and each history tier's rows (as of the rollup job's last `ANALYZE`) and
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreStatus {
    #[ts(type = "number")]
    pub size_bytes: i64,
    pub tiers: Vec<TierSize>,
}

impl App {
    /// Cheap enough to poll every minute: reads the row estimates the rollup
    /// job keeps fresh rather than counting.
    pub async fn store_status(&self) -> Result<StoreStatus, ApiError> {
        Ok(StoreStatus { size_bytes: self.store.size_bytes().await?, tiers: self.store.tier_sizes().await? })
    }

    /// One rollup pass at `now`: builds what the tiers lack, applies
    /// retention and reclaims what it purged. Safe to run beside the
    /// background job and to repeat.
    pub async fn run_rollups(&self, now: DateTime<Utc>) -> Result<RollupReport, ApiError> {
        self.run_rollups_with(now, &RollupConfig::default()).await
    }

    pub async fn run_rollups_with(&self, now: DateTime<Utc>, cfg: &RollupConfig) -> Result<RollupReport, ApiError> {
        Ok(run_pass(&self.store, now, cfg, &|| false, &mut Reclaim::hourly()).await?)
    }

    /// Rows and bytes per tier, with fresh row counts.
    pub async fn tier_sizes(&self) -> Result<Vec<TierSize>, ApiError> {
        Ok(refresh_sizes(&self.store).await?)
    }

    /// How long each tier is kept (the defaults until set).
    pub async fn retention(&self) -> Result<Retention, ApiError> {
        load_retention(&self.store).await?.ok_or_else(|| {
            ApiError::new(ApiErrorKind::Store, "the stored retention setting is unreadable; set it again")
        })
    }

    /// Checks and stores the retention; a refused one changes nothing. The
    /// next rollup pass applies it.
    pub async fn set_retention(&self, keep: Retention, now: DateTime<Utc>) -> Result<Retention, ApiError> {
        keep.validate()?;
        let value =
            serde_json::to_value(keep).map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("retention: {e}")))?;
        self.store.set_setting(RETENTION_KEY, &value, now).await?;
        tracing::info!(?keep, "retention set");
        Ok(keep)
    }
}
