//! The device page's read side: charts, state history and interfaces with
//! their current rates.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use meridian_core::history::{busiest, validate_range, DeviceHistory, InterfaceView, SeriesData};
use meridian_core::metric::{Builtin, Instance, Scope};
use meridian_core::rollup::plan::{plan_read, ReadPlan};
use meridian_core::rollup::state::{tier_for_period, StateTime};
use meridian_core::rollup::{merge_buckets, SeriesAgg};
use meridian_core::CoreError;
use meridian_core::DeviceKey;
use meridian_store::history::SeriesInfo;

use crate::app::App;
use crate::error::ApiError;

/// A rate older than this is not shown as the interface's current one: the
/// device has stopped answering, and a stale number would read as live.
const LATEST_RATE_WINDOW: Duration = Duration::minutes(10);
/// Most state changes one history returns; a flapping device can log more.
const MAX_STATE_CHANGES: i64 = 500;
/// The interface metrics a history carries, for one interface only: a
/// 48-port switch would otherwise send hundreds of series per refresh.
const TRAFFIC_METRICS: [Builtin; 2] = [Builtin::IfInBps, Builtin::IfOutBps];

impl App {
    /// A device's metrics over `[from, to)` in at most about
    /// `max_points` buckets per series, its state changes in that range, and
    /// the traffic of interface `if_index` (default: the busiest one).
    ///
    /// Reads the coarsest history tier that gives the bucket width the
    /// point budget allows (raw samples for short ranges, rollups for long
    /// ones; `meridian_core::rollup::plan`), and past the tier's watermark
    /// the finer tiers down to raw samples.
    pub async fn device_history(
        &self,
        key: &DeviceKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        max_points: u32,
        if_index: Option<u32>,
    ) -> Result<DeviceHistory, ApiError> {
        let range = validate_range(from, to, max_points)?;
        let d = self.store.get_device(key).await?;
        let if_index = match if_index {
            Some(i) => Some(i),
            None => busiest(&self.store.interface_views(d.id, Utc::now() - LATEST_RATE_WINDOW).await?),
        };
        let wanted: Vec<SeriesInfo> = self
            .store
            .list_series(d.id)
            .await?
            .into_iter()
            .filter(|s| match s.key.instance {
                Instance::Interface(i) => {
                    Some(i) == if_index && s.key.metric.builtin().is_some_and(|b| TRAFFIC_METRICS.contains(&b))
                }
                // An interface metric stored without its interface (the
                // interface row failed to store) has nothing to chart against.
                Instance::Device | Instance::Row(_) => {
                    s.key.metric.builtin().is_none_or(|b| b.scope() != Scope::Interface)
                }
            })
            .collect();
        let ids: Vec<i64> = wanted.iter().map(|s| s.id).collect();
        let (plan, parts) = read_tiers(&self.store, &ids, range.from, range.to, range.bucket_secs).await?;
        let mut by_id: HashMap<i64, SeriesData> =
            wanted.iter().map(|s| (s.id, SeriesData::empty(&s.key, &s.unit, s.interface.clone()))).collect();
        for b in merge_buckets(parts) {
            if let Some(s) = by_id.get_mut(&b.series_id) {
                s.t.push(b.t);
                s.avg.push(b.agg.avg());
                s.min.push(b.agg.min);
                s.max.push(b.agg.max);
            }
        }
        // Keep the store's order (device metrics, then by interface and name).
        let series = wanted.iter().filter_map(|s| by_id.remove(&s.id)).collect();
        let states = self.store.state_changes(d.id, range.from, range.to, MAX_STATE_CHANGES).await?;
        Ok(DeviceHistory {
            device_id: d.id,
            from: range.from,
            to: range.to,
            bucket_secs: plan.bucket_secs,
            tier: plan.tier,
            if_index,
            series,
            states,
        })
    }

    /// A device's time up and time in a known state over `[from, to)`, from
    /// the availability the rollup job has built (`up_fraction()` gives the
    /// share). Time not yet rolled up, and time before the device's first
    /// verdict, is not counted.
    pub async fn device_uptime(
        &self,
        key: &DeviceKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<StateTime, ApiError> {
        if from >= to {
            return Err(CoreError::field("to", "must be after from").into());
        }
        let d = self.store.get_device(key).await?;
        Ok(self.store.state_time(d.id, tier_for_period(from, to), from, to).await?)
    }

    /// A device's interfaces as last polled, with their latest in/out rates.
    pub async fn device_interface_views(&self, key: &DeviceKey) -> Result<Vec<InterfaceView>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.interface_views(d.id, Utc::now() - LATEST_RATE_WINDOW).await?)
    }
}

/// Aggregates of `series` over `[from, to)` in buckets of about
/// `bucket_secs`, read from the coarsest history tier that gives them
/// and, past its watermark, the finer tiers down to raw samples. Parts
/// of one bucket read from two tiers come back as two entries
/// ([`merge_buckets`] joins them).
pub(crate) async fn read_tiers(
    store: &meridian_store::Store,
    series: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    bucket_secs: i64,
) -> Result<(ReadPlan, Vec<SeriesAgg>), ApiError> {
    // An unreadable stored retention only stops purging; reads plan with the defaults.
    let keep = crate::rollups::load_retention(store).await?.unwrap_or_default();
    let marks = store.rollup_watermarks().await?;
    let plan = plan_read(from, to, bucket_secs, Utc::now(), &keep, &marks);
    let mut parts: Vec<SeriesAgg> = Vec::new();
    for seg in &plan.segments {
        parts.extend(store.tier_aggregates(seg.source, series, seg.from, seg.to, plan.bucket_secs).await?);
    }
    Ok((plan, parts))
}
