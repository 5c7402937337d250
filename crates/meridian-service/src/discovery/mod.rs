//! Discovery use cases: start a run, follow and cancel it, review what it
//! found, and add the devices the user picks.
//!
//! A run is a background task; front ends follow it through
//! `CoreEvent::Discovery*` events or by awaiting its [`DiscoveryHandle`].
//! Every run is stored (`discovery_runs`, `discovery_results`), so review can
//! happen later or in another front end. Credentials typed for one run
//! (`--community` on the CLI) are kept in memory only; a device added with
//! one gets it saved in the vault as a named credential, because polling
//! needs it again.

pub(crate) mod identify;
mod job;

use std::collections::HashMap;
use std::net::IpAddr;

use chrono::Utc;
use meridian_core::discovery::{unique_name, validate_request, DiscoveryRequest, DiscoveryRun, FoundDevice, RunState};
use meridian_core::inventory::{Device, DeviceInput};
use meridian_core::{DeviceKey, DiscoveryRunId};
use tokio::sync::watch;
use uuid::Uuid;

use crate::app::App;
use crate::diag::{self, SnmpCredentialInput, SweepOptions};
use crate::error::{ApiError, ApiErrorKind};
use job::{Cred, Job};
use meridian_core::validate::list_limit;

/// Cancel switches of the runs in progress, by run.
#[derive(Default)]
pub(crate) struct Registry(std::sync::Mutex<HashMap<DiscoveryRunId, watch::Sender<bool>>>);

impl Registry {
    fn insert(&self, id: DiscoveryRunId, tx: watch::Sender<bool>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(id, tx);
    }
    fn remove(&self, id: DiscoveryRunId) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }
    fn cancel(&self, id: DiscoveryRunId) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(&id).map(|tx| tx.send_replace(true)).is_some()
    }
    fn is_empty(&self) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
    }

    /// Cancels every run and waits (up to `limit`) for them to record their
    /// end, so the store is not closed under a run's last writes.
    pub(crate) async fn cancel_all(&self, limit: std::time::Duration) {
        for tx in self.0.lock().unwrap_or_else(|p| p.into_inner()).values() {
            tx.send_replace(true);
        }
        let start = std::time::Instant::now();
        while !self.is_empty() && start.elapsed() < limit {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

/// A started run: its first record, and its end.
pub struct DiscoveryHandle {
    pub run: DiscoveryRun,
    task: tokio::task::JoinHandle<DiscoveryRun>,
}

impl DiscoveryHandle {
    /// Waits for the run to end (completed, cancelled or failed).
    pub async fn finished(self) -> Result<DiscoveryRun, ApiError> {
        Ok(self.task.await?)
    }
}

/// The label of the `i`th ad-hoc credential; parsed back by [`adhoc_index`].
fn adhoc_label(i: usize) -> String {
    format!("ad hoc #{}", i + 1)
}

fn adhoc_index(label: &str) -> Option<usize> {
    label.strip_prefix("ad hoc #")?.parse::<usize>().ok()?.checked_sub(1)
}

/// `latest`, a run id, or a unique prefix of one.
fn parse_run_key(key: &str, runs: &[DiscoveryRun]) -> Result<DiscoveryRunId, ApiError> {
    let key = key.trim();
    if key.is_empty() || key == "latest" {
        return runs.first().map(|r| r.id).ok_or_else(|| ApiError::new(ApiErrorKind::NotFound, "no discovery run yet"));
    }
    let hits: Vec<_> = runs.iter().filter(|r| r.id.to_string().starts_with(key)).collect();
    match hits.as_slice() {
        [one] => Ok(one.id),
        [] => Err(ApiError::new(ApiErrorKind::NotFound, format!("discovery run '{key}' not found"))),
        _ => Err(ApiError::field("run", format!("'{key}' matches {} runs; give more of the id", hits.len()))),
    }
}

impl App {
    /// Validates the request, resolves its credentials and starts the run.
    /// Bad targets, a range over 65,536 addresses without `force`, or an
    /// unknown credential fail here, before anything is sent or stored.
    pub async fn start_discovery(
        &self,
        mut request: DiscoveryRequest,
        adhoc: &[SnmpCredentialInput],
    ) -> Result<DiscoveryHandle, ApiError> {
        let checked = validate_request(&request, adhoc.len()).map_err(ApiError::from);
        let sweep_opts =
            SweepOptions { timeout_ms: request.timeout_ms, retries: request.retries, ..SweepOptions::default() };
        // The sweep names its field `range`; a discovery request calls it `targets`.
        let planned = diag::plan_sweep(&request.targets, request.force, &sweep_opts).map_err(|e| {
            if e.fields.is_empty() {
                return e;
            }
            let renamed = e
                .fields
                .into_iter()
                .map(|f| if f.field == "range" { meridian_core::FieldError::new("targets", f.message) } else { f })
                .collect();
            ApiError::from(meridian_core::CoreError::Validation(renamed))
        });
        let ((), (targets, _)) = ApiError::both(checked, planned)?;
        // The devices it adds go to this site: an unknown one is refused now,
        // not after the sweep.
        request.site = request.site.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if let Some(site) = &request.site {
            self.store.get_site(site).await.map_err(|e| match e {
                meridian_store::StoreError::NotFound { .. } => ApiError::field("site", format!("no site '{site}'")),
                other => other.into(),
            })?;
        }
        request.tags = request.tags.iter().map(|t| t.trim().to_string()).collect();
        let mut creds = Vec::new();
        for name in &request.credentials {
            let summary = self.store.get_credential(name).await.map_err(|e| match e {
                meridian_store::StoreError::NotFound { .. } => {
                    ApiError::field("credentials", format!("no saved credential '{name}'"))
                }
                other => other.into(),
            })?;
            let secret = self.credential_secret(&summary.id.to_string()).await?;
            creds.push(Cred { id: Some(summary.id), label: summary.name.clone(), secret });
        }
        for (i, input) in adhoc.iter().enumerate() {
            creds.push(Cred { id: None, label: adhoc_label(i), secret: diag::snmp_credential(input)? });
        }
        request.targets = request.targets.iter().map(|t| t.trim().to_string()).collect();
        let run = DiscoveryRun {
            id: DiscoveryRunId(Uuid::now_v7()),
            started_at: Utc::now(),
            finished_at: None,
            state: RunState::Running,
            request,
            total: targets.len() as u64,
            probed: 0,
            found: 0,
            error: None,
        };
        self.store.create_discovery_run(&run).await?;
        tracing::info!(run = %run.id, addresses = targets.len(), credentials = creds.len(), "discovery started");
        let (tx, rx) = watch::channel(false);
        self.discoveries.insert(run.id, tx);
        let job = Job {
            store: self.store.clone(),
            events: self.events.clone(),
            run: run.clone(),
            targets,
            creds,
            cancel: rx,
        };
        let registry = self.discoveries.clone();
        let task = tokio::spawn(async move {
            let id = job.run.id;
            let done = job.run().await;
            registry.remove(id);
            done
        });
        Ok(DiscoveryHandle { run, task })
    }

    /// Asks a running run to stop; it ends as `cancelled` with what it found.
    pub fn cancel_discovery(&self, id: DiscoveryRunId) -> Result<(), ApiError> {
        if self.discoveries.cancel(id) {
            Ok(())
        } else {
            Err(ApiError::new(ApiErrorKind::NotFound, format!("discovery run {id} is not running")))
        }
    }

    pub async fn discovery_runs(&self, limit: i64) -> Result<Vec<DiscoveryRun>, ApiError> {
        Ok(self.store.list_discovery_runs(list_limit(limit, 1000)?).await?)
    }

    /// A run by `latest`, id or id prefix.
    pub async fn discovery_run(&self, key: &str) -> Result<DiscoveryRun, ApiError> {
        let runs = self.store.list_discovery_runs(1000).await?;
        let id = parse_run_key(key, &runs)?;
        Ok(self.store.get_discovery_run(id).await?)
    }

    pub async fn discovery_results(&self, key: &str) -> Result<Vec<FoundDevice>, ApiError> {
        let run = self.discovery_run(key).await?;
        Ok(self.store.list_discovery_results(run.id).await?)
    }

    /// Adds the chosen responders of a run as devices (all new ones when
    /// `addresses` is empty). Responders that are already devices are
    /// skipped, which is what makes re-discovery create no duplicates.
    /// `credential` overrides the one that worked; `adhoc` are the run's
    /// ad-hoc credentials, when the caller still has them.
    pub async fn add_discovered(
        &self,
        run_key: &str,
        addresses: &[String],
        credential: Option<&str>,
        adhoc: &[SnmpCredentialInput],
    ) -> Result<Vec<Device>, ApiError> {
        let run = self.discovery_run(run_key).await?;
        let results = self.store.list_discovery_results(run.id).await?;
        let wanted: Vec<IpAddr> = addresses
            .iter()
            .map(|a| a.trim().parse().map_err(|_| ApiError::field("addresses", format!("'{a}' is not an IP address"))))
            .collect::<Result<_, _>>()?;
        let picked: Vec<&FoundDevice> = if wanted.is_empty() {
            results.iter().filter(|f| f.existing.is_none() && f.added.is_none()).collect()
        } else {
            let mut out = Vec::new();
            for w in &wanted {
                let f = results
                    .iter()
                    .find(|f| f.address.parse::<IpAddr>().ok() == Some(*w))
                    .ok_or_else(|| ApiError::field("addresses", format!("{w} was not found by run {}", run.id)))?;
                out.push(f);
            }
            out
        };
        let known = self.store.known_identities().await?;
        let mut saved_adhoc: HashMap<usize, String> = HashMap::new();
        let mut added = Vec::new();
        for f in picked {
            // Match again: a device may have been added since the run.
            if let Some((id, how)) = meridian_core::discovery::match_existing(&f.address, f.snmp.as_ref(), &known) {
                tracing::info!(address = %f.address, device = %id, matched_by = ?how, "already a device; not added again");
                continue;
            }
            let cred_name = match credential {
                Some(c) => Some(c.to_string()),
                None => self.credential_for(f, &run, adhoc, &mut saved_adhoc).await?,
            };
            let d = self.add_found(f, cred_name, &run.request).await?;
            self.store.mark_discovery_added(run.id, &f.address, d.id).await?;
            if f.snmp.is_some() {
                if let Err(e) = self.refresh_inventory(&DeviceKey::Id(d.id)).await {
                    tracing::warn!(device = %d.name, error = %e.detail, "inventory after add failed");
                }
            }
            added.push(d);
        }
        if !added.is_empty() {
            self.rematch_links().await?;
        }
        Ok(added)
    }

    async fn credential_for(
        &self,
        f: &FoundDevice,
        run: &DiscoveryRun,
        adhoc: &[SnmpCredentialInput],
        saved: &mut HashMap<usize, String>,
    ) -> Result<Option<String>, ApiError> {
        if let Some(id) = f.credential_id {
            // Devices reference credentials by name, as people type them.
            return Ok(Some(self.store.get_credential(&id.to_string()).await?.name));
        }
        let Some(i) = f.credential_label.as_deref().and_then(adhoc_index) else { return Ok(None) };
        if let Some(name) = saved.get(&i) {
            return Ok(Some(name.clone()));
        }
        let input = adhoc.get(i).ok_or_else(|| {
            ApiError::field(
                "credential",
                format!(
                    "{} answered with a credential given only for run {}; choose a saved credential for it",
                    f.address, run.id
                ),
            )
        })?;
        let prefix: String = run.id.to_string().chars().skip(24).collect();
        let taken_names: Vec<String> = self.store.list_credentials().await?.into_iter().map(|c| c.name).collect();
        let name = unique_name(&format!("discovered-{prefix}-{}", i + 1), &|n| taken_names.iter().any(|t| t == n));
        self.save_credential(name.clone(), diag::snmp_credential(input)?).await?;
        saved.insert(i, name.clone());
        Ok(Some(name))
    }

    async fn add_found(
        &self,
        f: &FoundDevice,
        credential: Option<String>,
        r: &DiscoveryRequest,
    ) -> Result<Device, ApiError> {
        let names: Vec<String> = self.store.list_devices().await?.into_iter().map(|d| d.name).collect();
        let class = f.classification.as_ref();
        let input = DeviceInput {
            name: unique_name(&f.suggested_name, &|n| names.iter().any(|t| t.eq_ignore_ascii_case(n))),
            address: f.address.clone(),
            kind: class.map(|c| c.kind.value.as_str().to_string()),
            vendor: class.and_then(|c| c.vendor_name()).map(str::to_string),
            model: class.and_then(|c| c.model_name()).map(str::to_string),
            os: class.and_then(|c| c.os_name()).map(|os| match c_version(class) {
                Some(v) => format!("{os} {v}"),
                None => os.to_string(),
            }),
            credential,
            snmp_port: f.snmp.as_ref().map(|s| s.port).filter(|p| *p != meridian_core::inventory::SNMP_PORT),
            site: r.site.clone(),
            tags: r.tags.clone(),
            ..DeviceInput::default()
        };
        let d = self.add_device(input).await?;
        if let Some(s) = &f.snmp {
            self.store.upsert_device_identity(d.id, s, class, Utc::now()).await?;
        }
        Ok(d)
    }
}

fn c_version(c: Option<&meridian_core::classify::Classification>) -> Option<&str> {
    c.and_then(|c| c.os_version_text())
}

impl App {
    /// Ad-hoc SNMPv2c communities, as a front end collects them for one run,
    /// into the credentials [`App::start_discovery`] and [`App::add_discovered`]
    /// take, in order. Empty entries (a blank field in a form) are dropped, so
    /// "ad hoc #N" labels count only what was really given.
    pub fn community_inputs(communities: &[String]) -> Vec<SnmpCredentialInput> {
        communities
            .iter()
            .filter(|c| !c.is_empty())
            .map(|c| SnmpCredentialInput {
                version: Some("2c".into()),
                community: Some(c.clone()),
                ..SnmpCredentialInput::default()
            })
            .collect()
    }

    /// [`App::cancel_discovery`] for a front end that holds the run's id as
    /// text: `latest`, an id or a unique prefix, as the other run calls take.
    pub async fn cancel_discovery_run(&self, key: &str) -> Result<(), ApiError> {
        let run = self.discovery_run(key).await?;
        self.cancel_discovery(run.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adhoc_labels_round_trip() {
        assert_eq!(adhoc_index(&adhoc_label(0)), Some(0));
        assert_eq!(adhoc_index(&adhoc_label(4)), Some(4));
        assert_eq!(adhoc_index("lab-v3"), None);
        assert_eq!(adhoc_index("ad hoc #0"), None);
    }
}
