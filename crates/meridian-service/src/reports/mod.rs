//! Reports: availability/SLA, top N and alarm handling for a site, tag,
//! device or everything over a period. This module reads what a report
//! needs from the store; `meridian_core::report` computes it, [`chart`]
//! draws its chart and [`pdf`] lays it out. Every output is built in memory
//! and handed back whole, so a front end writes no file when anything fails.

mod chart;
mod pdf;
pub(crate) mod runner;
mod schedules;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use meridian_core::access::{require, Action, SiteScope, Target};
use meridian_core::inventory::Device;
use meridian_core::report::alarms::alarms_report;
use meridian_core::report::availability::{self, availability_report, DeviceAvailability, Interval, Timeline};
use meridian_core::report::top::{self, top_report, SeriesSummary};
use meridian_core::report::{validate_report, Report, ReportFormat, ReportKind, ReportRequest, Scope, ValidReport};
use meridian_core::rollup::Agg;
use meridian_core::{DeviceId, DeviceKey};
use meridian_store::{Store, StoreError};

use crate::app::App;
use crate::auth::Caller;
use crate::error::{ApiError, ApiErrorKind};

impl App {
    /// Computes a report. A reversed, empty or too long period, more than
    /// one scope, and an unknown site, tag or device are field errors; a
    /// period with nothing recorded gives a report that says so.
    pub async fn report(&self, req: ReportRequest) -> Result<Report, ApiError> {
        compute(&self.store, req, Utc::now(), &SiteScope::All).await
    }

    /// A report written as `format`: the bytes of a PDF, PNG, or UTF-8 text.
    pub async fn report_file(&self, req: ReportRequest, format: ReportFormat) -> Result<Vec<u8>, ApiError> {
        render(&self.report(req).await?, format)
    }

    /// [`App::report`] as `caller` may see it: every role may read reports,
    /// over the devices of its sites only. A site or device outside them is
    /// refused; a tag or "everything" covers the caller's devices alone.
    pub async fn report_for(&self, caller: &Caller, req: ReportRequest) -> Result<Report, ApiError> {
        require(&caller.actor, Action::Read, Target::Global)?;
        compute(&self.store, req, Utc::now(), &caller.actor.sites).await
    }

    pub async fn report_file_for(
        &self,
        caller: &Caller,
        req: ReportRequest,
        format: ReportFormat,
    ) -> Result<Vec<u8>, ApiError> {
        render(&self.report_for(caller, req).await?, format)
    }

    /// [`App::report_file_for`] with the format as a URL names it (`pdf`,
    /// `csv`, ...): the file's media type and bytes. An unknown name is a
    /// `format` field error.
    pub async fn report_file_named(
        &self,
        caller: &Caller,
        req: ReportRequest,
        format: &str,
    ) -> Result<(&'static str, Vec<u8>), ApiError> {
        let format = ReportFormat::parse(format, "format")?;
        Ok((format.media_type(), self.report_file_for(caller, req, format).await?))
    }
}

/// A report at `now` over the devices of `sites`, from the store alone (the
/// schedule runner computes reports beside the monitor, without the `App`).
pub(crate) async fn compute(
    store: &Store,
    req: ReportRequest,
    now: DateTime<Utc>,
    sites: &SiteScope,
) -> Result<Report, ApiError> {
    let v = validate_report(&req, now)?;
    let devices = report_devices(store, &v.scope, sites).await?;
    let blank = Report::new(&v, v.scope.label(), now);
    Ok(match v.kind {
        ReportKind::Availability => availability_report(blank, availability_rows(store, &v, &devices).await?),
        ReportKind::Top => {
            let (series, alarms) = top_inputs(store, &v, &devices).await?;
            top_report(blank, &series, &alarms, v.top_n)
        }
        ReportKind::Alarms => {
            let ids: Vec<DeviceId> = devices.iter().map(|d| d.id).collect();
            let alarms = store.alarms_between(v.from, v.to, None).await?;
            // An alarm without a device belongs to no site: only a caller
            // with every site sees it, as in the alarm list.
            let all = v.scope == Scope::All && sites.covers(None);
            let mine = alarms.into_iter().filter(|a| a.device_id.map_or(all, |d| ids.contains(&d))).collect::<Vec<_>>();
            alarms_report(blank, &mine)
        }
    })
}

/// The devices `scope` names, of those in `sites`.
pub(crate) async fn report_devices(store: &Store, scope: &Scope, sites: &SiteScope) -> Result<Vec<Device>, ApiError> {
    let outside = |what: &str| ApiError::new(ApiErrorKind::Forbidden, format!("{what} is outside your sites"));
    let all: Vec<Device> = store.list_devices().await?.into_iter().filter(|d| sites.covers(d.site_id)).collect();
    match scope {
        Scope::All => Ok(all),
        Scope::Site(s) => {
            let site = store.get_site(s).await.map_err(|e| match e {
                StoreError::NotFound { .. } => ApiError::field("site", format!("site '{s}' does not exist")),
                other => other.into(),
            })?;
            if !sites.covers(Some(site.id)) {
                return Err(outside(&format!("site '{s}'")));
            }
            Ok(all.into_iter().filter(|d| d.site_id == Some(site.id)).collect())
        }
        Scope::Tag(t) => {
            // Tagged devices on other sites count as none: the error is the
            // same as for a tag nobody uses, so it tells nothing of them.
            let tagged: Vec<Device> = all.into_iter().filter(|d| d.tags.contains(t)).collect();
            if tagged.is_empty() {
                return Err(ApiError::field("tag", format!("no device has the tag '{t}'")));
            }
            Ok(tagged)
        }
        Scope::Device(k) => {
            let d = store.get_device(&DeviceKey::parse(k)).await.map_err(|e| match e {
                StoreError::NotFound { .. } => ApiError::field("device", format!("device '{k}' does not exist")),
                other => other.into(),
            })?;
            if !sites.covers(d.site_id) {
                return Err(outside(&format!("device '{k}'")));
            }
            Ok(vec![d])
        }
    }
}

async fn availability_rows(
    store: &Store,
    v: &ValidReport,
    devices: &[Device],
) -> Result<Vec<DeviceAvailability>, ApiError> {
    let period = (v.from, v.to);
    let marks = store.rollup_watermarks().await?;
    let plan = availability::plan(v.from, v.to, &marks);
    let ids: Vec<DeviceId> = devices.iter().map(|d| d.id).collect();
    let windows = store.list_maintenance().await?;
    let mut maintenance: HashMap<DeviceId, Vec<Interval>> = HashMap::new();
    for d in devices {
        let facts = crate::monitor::rule_facts(store, d, true).await;
        let open: Vec<Interval> = windows
            .iter()
            .filter(|w| w.def.scope.matches(&facts))
            .flat_map(|w| w.def.open_intervals(v.from, v.to))
            .collect();
        maintenance.insert(d.id, open);
    }
    let rolled = match plan.rollup {
        Some((tier, (a, b))) => store.state_times(&ids, tier, a, b).await?,
        None => HashMap::new(),
    };
    // The raw changes cover the plan's raw ranges, or the whole period
    // when a maintenance window falls inside the rolled-up part (its
    // time is taken back out of the rollup from the raw changes).
    let inside = plan
        .rollup
        .is_some_and(|(_, range)| maintenance.values().any(|m| !availability::intersect(range, m).is_empty()));
    let ranges: Vec<Interval> = if inside { vec![period] } else { plan.raw.clone() };
    let mut timelines: HashMap<DeviceId, Vec<(DateTime<Utc>, Timeline)>> = HashMap::new();
    for &(a, b) in &ranges {
        for (id, t) in store.state_timelines(&ids, a, b).await? {
            timelines.entry(id).or_default().push((a, t));
        }
    }
    Ok(devices
        .iter()
        .map(|d| {
            let timeline = availability::splice(timelines.remove(&d.id).unwrap_or_default());
            let rollup = rolled.get(&d.id).copied().unwrap_or_default();
            let m = maintenance.get(&d.id).map(Vec::as_slice).unwrap_or_default();
            let (time, maintenance_secs) = availability::device_time(&plan, &timeline, rollup, m, period);
            DeviceAvailability { device: d.name.clone(), site: d.site_name.clone(), time, maintenance_secs }
        })
        .collect())
}

async fn top_inputs(
    store: &Store,
    v: &ValidReport,
    devices: &[Device],
) -> Result<(Vec<SeriesSummary>, Vec<(String, i64)>), ApiError> {
    let ids: Vec<DeviceId> = devices.iter().map(|d| d.id).collect();
    let names: HashMap<DeviceId, &str> = devices.iter().map(|d| (d.id, d.name.as_str())).collect();
    let series = store.report_series(&ids, &top::METRICS).await?;
    let sids: Vec<i64> = series.iter().map(|s| s.id).collect();
    let whole = (v.to - v.from).num_seconds().max(1);
    let (_, parts) = crate::history::read_tiers(store, &sids, v.from, v.to, whole).await?;
    let mut aggs: HashMap<i64, Agg> = HashMap::new();
    for p in parts {
        aggs.entry(p.series_id).and_modify(|a| *a = a.merge(p.agg)).or_insert(p.agg);
    }
    let summaries = series
        .iter()
        .filter_map(|s| {
            let a = aggs.get(&s.id)?;
            Some(SeriesSummary {
                device: names.get(&s.device_id)?.to_string(),
                interface: s.interface.clone(),
                speed_bps: s.speed_bps,
                metric: s.metric,
                avg: a.avg(),
                max: a.max,
            })
        })
        .collect();
    let mut counts: HashMap<DeviceId, i64> = HashMap::new();
    for a in store.alarms_between(v.from, v.to, None).await? {
        if let Some(d) = a.device_id.filter(|_| a.raised_at >= v.from) {
            *counts.entry(d).or_default() += 1;
        }
    }
    let alarms = counts.into_iter().filter_map(|(d, c)| Some((names.get(&d)?.to_string(), c))).collect();
    Ok((summaries, alarms))
}

/// `report` as `format`.
pub fn render(report: &Report, format: ReportFormat) -> Result<Vec<u8>, ApiError> {
    match format {
        ReportFormat::Pdf => pdf::render(report),
        ReportFormat::Png => chart::png(&report.chart),
        ReportFormat::Svg => Ok(chart::svg(&report.chart)?.into_bytes()),
        ReportFormat::Csv => Ok(report.csv().into_bytes()),
        ReportFormat::Json => serde_json::to_vec_pretty(report)
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("cannot write the report as JSON: {e}"))),
    }
}
