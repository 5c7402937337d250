//! Inventory of one device (identity, ENTITY-MIB, LLDP/CDP neighbours) and
//! the topology built from everyone's neighbours.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use chrono::Utc;
use meridian_core::entity::{parse_entities, PhysicalEntity};
use meridian_core::topology::{self, KnownDevice, Link, Neighbour};
use meridian_core::DeviceId;
use meridian_probe::snmp::{EngineConfig, SnmpEngine};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::discovery::identify::{self, CDP_CACHE_TABLE, ENT_PHYSICAL_TABLE, LLDP_LOC_PORT_TABLE};
use crate::discovery::identify::{LLDP_REM_MAN_ADDR_TABLE, LLDP_REM_TABLE};
use crate::error::{ApiError, ApiErrorKind};

/// A link with the names of both ends, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LinkView {
    #[serde(flatten)]
    pub link: Link,
    pub local_name: String,
    /// The matched device's name; `None` for a neighbour we do not manage.
    pub remote_name: Option<String>,
}

/// The poll template a device gets, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateChoice {
    pub template: String,
    pub description: String,
    /// Set by the user (`device template`), not chosen from the classification.
    pub overridden: bool,
    /// Metrics the template polls, by name.
    pub metrics: Vec<String>,
}

/// What one inventory pass found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InventoryReport {
    pub device: String,
    pub entities: usize,
    pub neighbours: usize,
    /// Neighbours recognised as managed devices.
    pub matched: usize,
}

impl App {
    /// Asks the device (by name or id) for its identity, physical inventory
    /// and neighbours, and stores them. Links to neighbours that are not
    /// managed devices are kept unmatched: they are discovery suggestions.
    pub async fn refresh_inventory(&self, key: &str) -> Result<InventoryReport, ApiError> {
        let d = self.store.get_device(key).await?;
        let cred = d.credential_id.ok_or_else(|| {
            ApiError::field("credential", format!("device '{}' has no SNMP credential to ask it with", d.name))
        })?;
        let secret = self.credential_secret(&cred.to_string()).await?;
        let ip: IpAddr = d.address.parse().map_err(|_| {
            ApiError::field("address", format!("'{}' is a host name; inventory needs an IP address", d.address))
        })?;
        let addr = SocketAddr::new(ip, d.snmp_port.unwrap_or(crate::diag::SNMP_PORT));
        let engine =
            SnmpEngine::new(EngineConfig { sockets_per_family: 1, max_in_flight: 8, ..EngineConfig::default() })
                .await
                .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("cannot open an SNMP socket: {e}")))?;
        let t = identify::target(addr, secret, Duration::from_secs(2), 2);
        let id = identify::identity(&engine, &t).await.map_err(crate::diag::probe_error)?;
        let class = identify::classify_agent(&engine, &t, &id).await;
        let now = Utc::now();
        self.store.upsert_device_identity(d.id, &id, Some(&class), now).await?;

        let entities = parse_entities(&identify::walk_table(&engine, &t, ENT_PHYSICAL_TABLE).await);
        self.store.replace_entities(d.id, &entities).await?;

        let rem = identify::walk_table(&engine, &t, LLDP_REM_TABLE).await;
        let mut neighbours = Vec::new();
        if !rem.is_empty() {
            let man = identify::walk_table(&engine, &t, LLDP_REM_MAN_ADDR_TABLE).await;
            let loc = identify::walk_table(&engine, &t, LLDP_LOC_PORT_TABLE).await;
            neighbours.extend(topology::parse_lldp(&rem, &man, &loc));
        }
        neighbours.extend(topology::parse_cdp(&identify::walk_table(&engine, &t, CDP_CACHE_TABLE).await));
        let known = self.known_devices().await?;
        let links = topology::match_neighbours(d.id, &neighbours, &known);
        let matched = links.iter().filter(|l| l.remote_device.is_some()).count();
        self.store.replace_links(d.id, &links, now).await?;
        tracing::info!(device = %d.name, entities = entities.len(), neighbours = links.len(), matched, "inventory refreshed");
        Ok(InventoryReport { device: d.name, entities: entities.len(), neighbours: links.len(), matched })
    }

    /// Matches every stored unmatched link again, after devices were added:
    /// a neighbour reported before its device existed becomes a link.
    pub async fn rematch_links(&self) -> Result<usize, ApiError> {
        let links = self.store.list_links().await?;
        let known = self.known_devices().await?;
        let mut by_local: BTreeMap<DeviceId, Vec<Link>> = BTreeMap::new();
        for l in links {
            by_local.entry(l.local_device).or_default().push(l);
        }
        let mut newly = 0;
        let now = Utc::now();
        for (local, links) in by_local {
            if links.iter().all(|l| l.remote_device.is_some()) {
                continue;
            }
            let neighbours: Vec<Neighbour> = links.iter().map(neighbour_of).collect();
            let fresh = topology::match_neighbours(local, &neighbours, &known);
            let before = links.iter().filter(|l| l.remote_device.is_some()).count();
            newly += fresh.iter().filter(|l| l.remote_device.is_some()).count().saturating_sub(before);
            self.store.replace_links(local, &fresh, now).await?;
        }
        Ok(newly)
    }

    /// Every link with device names.
    pub async fn list_links(&self) -> Result<Vec<LinkView>, ApiError> {
        let names: HashMap<DeviceId, String> =
            self.store.list_devices().await?.into_iter().map(|d| (d.id, d.name)).collect();
        Ok(self
            .store
            .list_links()
            .await?
            .into_iter()
            .map(|link| LinkView {
                local_name: names.get(&link.local_device).cloned().unwrap_or_default(),
                remote_name: link.remote_device.and_then(|r| names.get(&r).cloned()),
                link,
            })
            .collect())
    }

    /// The ENTITY-MIB inventory of a device (by name or id), in index order.
    pub async fn device_entities(&self, key: &str) -> Result<Vec<PhysicalEntity>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.list_entities(d.id).await?)
    }

    /// The template selected for a device: its override, else the best match
    /// for its stored classification, else `generic`.
    pub async fn device_template(&self, key: &str) -> Result<TemplateChoice, ApiError> {
        let d = self.store.get_device(key).await?;
        let (class, override_name) = self.store.device_classification(d.id).await?;
        let class = class.unwrap_or_else(|| meridian_core::classify::classify(&Default::default()));
        let t = meridian_core::classify::select_template(&class, override_name.as_deref());
        Ok(TemplateChoice {
            template: t.name.clone(),
            description: t.description.clone(),
            overridden: override_name.as_deref() == Some(t.name.as_str()),
            metrics: t.metrics.iter().map(|m| m.name.clone()).collect(),
        })
    }

    /// Overrides a device's template (`None` returns it to automatic choice).
    pub async fn set_device_template(&self, key: &str, template: Option<&str>) -> Result<TemplateChoice, ApiError> {
        let d = self.store.get_device(key).await?;
        if let Some(name) = template {
            let names = meridian_core::classify::template_names();
            if !names.contains(&name) {
                return Err(ApiError::field(
                    "template",
                    format!("no template '{name}'; choose one of {}", names.join(", ")),
                ));
            }
        }
        self.store.set_device_template(d.id, template, Utc::now()).await?;
        self.device_template(&d.id.to_string()).await
    }

    /// A device's interfaces as the monitor last polled them.
    pub async fn device_interfaces(&self, key: &str) -> Result<Vec<meridian_store::InterfaceRow>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.list_interfaces(d.id).await?)
    }

    async fn known_devices(&self) -> Result<Vec<KnownDevice>, ApiError> {
        Ok(self
            .store
            .known_identities()
            .await?
            .into_iter()
            .filter_map(|k| {
                Some(KnownDevice {
                    id: k.id?,
                    addresses: k.address.parse().into_iter().collect(),
                    sys_name: k.sys_name.unwrap_or_default(),
                    chassis_ids: k.chassis_id.into_iter().collect(),
                })
            })
            .collect())
    }
}

/// What a stored link remembers of the neighbour that produced it.
fn neighbour_of(l: &Link) -> Neighbour {
    Neighbour {
        protocol: l.protocol,
        local_port_num: l.local_port_num,
        local_port: l.local_port.clone(),
        chassis_id: l.remote_chassis_id.clone(),
        chassis_id_subtype: None,
        port_id: l.remote_port.clone(),
        port_descr: String::new(),
        sys_name: l.remote_sys_name.clone(),
        sys_descr: String::new(),
        platform: String::new(),
        mgmt_addrs: l.remote_mgmt_addr.into_iter().collect(),
    }
}
