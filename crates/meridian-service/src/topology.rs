//! Inventory of one device (identity, ENTITY-MIB, LLDP/CDP neighbours) and
//! the topology built from everyone's neighbours.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use meridian_core::credential::SnmpCredential;
use meridian_core::entity::{parse_entities, PhysicalEntity};
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::inventory::Device;
use meridian_core::topology::{self, KnownDevice, Link, Neighbour};
use meridian_core::{DeviceId, DeviceKey};
use meridian_probe::snmp::SnmpEngine;
use meridian_store::Store;
use serde::Serialize;
use tokio::sync::broadcast;
use ts_rs::TS;

use crate::app::App;
use crate::discovery::identify::{self, CDP_CACHE_TABLE, ENT_PHYSICAL_TABLE, LLDP_LOC_PORT_TABLE};
use crate::discovery::identify::{LLDP_REM_MAN_ADDR_TABLE, LLDP_REM_TABLE};
use crate::error::ApiError;
use crate::events::CoreEvent;
use crate::target::{snmp_addr, snmp_engine, EngineUse};

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

/// A device's place in the tree alarm suppression will use: its parent
/// towards a root, or none for a root.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ParentView {
    pub device: DeviceId,
    pub name: String,
    pub parent: Option<DeviceId>,
    pub parent_name: Option<String>,
}

/// Devices tagged this are roots of the parent tree (the router the
/// monitoring station sits behind); groups without one get their hub.
pub const ROOT_TAG: &str = "topology-root";

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

/// A device's physical inventory (ENTITY-MIB, in index order) and its
/// interfaces as last polled: what `meridian device inventory` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInventory {
    /// What asking the device found, when it was asked first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refreshed: Option<InventoryReport>,
    pub entities: Vec<PhysicalEntity>,
    pub interfaces: Vec<meridian_store::InterfaceRow>,
}

impl DeviceInventory {
    /// The entities as a tree, parents before their children: (depth, entity,
    /// entPhysicalClass name).
    pub fn tree(&self) -> Vec<(usize, &PhysicalEntity, &'static str)> {
        meridian_core::entity::tree(&self.entities)
            .into_iter()
            .map(|(depth, e)| (depth, e, e.class.map_or("-", meridian_core::entity::class_name)))
            .collect()
    }
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
    /// The device's links differ from what was stored before.
    pub links_changed: bool,
}

impl App {
    /// Asks the device for its identity, physical inventory
    /// and neighbours, and stores them. Links to neighbours that are not
    /// managed devices are kept unmatched: they are discovery suggestions.
    pub async fn refresh_inventory(&self, key: &DeviceKey) -> Result<InventoryReport, ApiError> {
        let d = self.store.get_device(key).await?;
        let secret = self.device_secret(&d, "ask it").await?;
        let addr = snmp_addr(&d).await?;
        let engine = snmp_engine(EngineUse::OneDevice).await?;
        let report = refresh_device(&self.store, &engine, &d, addr, secret, Utc::now()).await?;
        if report.links_changed {
            announce_links(&self.events, d.id);
        }
        Ok(report)
    }

    /// Matches every stored unmatched link again, after devices were added:
    /// a neighbour reported before its device existed becomes a link.
    pub async fn rematch_links(&self) -> Result<usize, ApiError> {
        let links = self.store.list_links().await?;
        let known = known_devices(&self.store).await?;
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
            let gained = fresh.iter().filter(|l| l.remote_device.is_some()).count().saturating_sub(before);
            newly += gained;
            self.store.replace_links(local, &fresh, now).await?;
            if gained > 0 {
                announce_links(&self.events, local);
            }
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

    /// Parents derived from the matched links: roots first, then children by
    /// name. Devices with no matched link are not listed.
    pub async fn device_parents(&self) -> Result<Vec<ParentView>, ApiError> {
        let devices = self.store.list_devices().await?;
        let names: HashMap<DeviceId, String> = devices.iter().map(|d| (d.id, d.name.clone())).collect();
        let (roots, parents) = parents(&self.store).await?;
        let view = |device: DeviceId, parent: Option<DeviceId>| ParentView {
            device,
            name: names.get(&device).cloned().unwrap_or_default(),
            parent,
            parent_name: parent.and_then(|p| names.get(&p).cloned()),
        };
        let mut out: Vec<ParentView> = roots.iter().map(|r| view(*r, None)).collect();
        let mut children: Vec<ParentView> = parents.iter().map(|(c, p)| view(*c, Some(*p))).collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(children);
        Ok(out)
    }

    /// A device's physical inventory and interfaces; with `refresh`, asks the
    /// device first (as [`App::refresh_inventory`]).
    pub async fn device_inventory(&self, key: &DeviceKey, refresh: bool) -> Result<DeviceInventory, ApiError> {
        let refreshed = if refresh { Some(self.refresh_inventory(key).await?) } else { None };
        let d = self.store.get_device(key).await?;
        Ok(DeviceInventory {
            refreshed,
            entities: self.store.list_entities(d.id).await?,
            interfaces: self.store.list_interfaces(d.id).await?,
        })
    }

    /// The ENTITY-MIB inventory of a device, in index order.
    pub async fn device_entities(&self, key: &DeviceKey) -> Result<Vec<PhysicalEntity>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.list_entities(d.id).await?)
    }

    /// The template selected for a device: its override, else the best match
    /// for its stored classification, else `generic`.
    pub async fn device_template(&self, key: &DeviceKey) -> Result<TemplateChoice, ApiError> {
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
    pub async fn set_device_template(
        &self,
        key: &DeviceKey,
        template: Option<&str>,
    ) -> Result<TemplateChoice, ApiError> {
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
        // The monitor reloads the device, and so polls by the new template.
        let _ = self.events.send(CoreEvent::InventoryChanged {
            entity: InventoryEntity::Device,
            id: d.id.to_string(),
            action: ChangeAction::TemplateChanged,
        });
        self.device_template(&DeviceKey::Id(d.id)).await
    }

    /// A device's interfaces as the monitor last polled them.
    pub async fn device_interfaces(&self, key: &DeviceKey) -> Result<Vec<meridian_store::InterfaceRow>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.list_interfaces(d.id).await?)
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

/// Tells listeners (the UI's map) that a device's links changed. The monitor
/// ignores this entity, so an inventory poll does not reload the inventory.
pub(crate) fn announce_links(events: &broadcast::Sender<CoreEvent>, device: DeviceId) {
    let _ = events.send(CoreEvent::InventoryChanged {
        entity: InventoryEntity::Link,
        id: device.to_string(),
        action: ChangeAction::LinksRefreshed,
    });
}

/// One inventory pass over a device at `addr`: identity and classification,
/// ENTITY-MIB, LLDP/CDP neighbours matched against the managed devices. Shared
/// by `meridian device inventory --refresh`, the monitor's inventory poll and
/// a re-discovery that meets a known device, so all three refresh links alike.
pub(crate) async fn refresh_device(
    store: &Store,
    engine: &SnmpEngine,
    d: &Device,
    addr: SocketAddr,
    secret: SnmpCredential,
    now: DateTime<Utc>,
) -> Result<InventoryReport, ApiError> {
    let t = identify::target(addr, secret, Duration::from_secs(2), 2);
    let id = identify::identity(engine, &t).await.map_err(crate::error::probe_error)?;
    let class = identify::classify_agent(engine, &t, &id).await;
    store.upsert_device_identity(d.id, &id, Some(&class), now).await?;

    let entities = parse_entities(&identify::walk_table(engine, &t, ENT_PHYSICAL_TABLE).await);
    store.replace_entities(d.id, &entities).await?;

    let rem = identify::walk_table(engine, &t, LLDP_REM_TABLE).await;
    let mut neighbours = Vec::new();
    if !rem.is_empty() {
        let man = identify::walk_table(engine, &t, LLDP_REM_MAN_ADDR_TABLE).await;
        let loc = identify::walk_table(engine, &t, LLDP_LOC_PORT_TABLE).await;
        neighbours.extend(topology::parse_lldp(&rem, &man, &loc));
    }
    neighbours.extend(topology::parse_cdp(&identify::walk_table(engine, &t, CDP_CACHE_TABLE).await));
    let known = known_devices(store).await?;
    let links = topology::match_neighbours(d.id, &neighbours, &known);
    let before = store.links_of(d.id).await?;
    let links_changed = before.len() != links.len() || links.iter().any(|l| !before.contains(l));
    let matched = links.iter().filter(|l| l.remote_device.is_some()).count();
    store.replace_links(d.id, &links, now).await?;
    tracing::info!(device = %d.name, entities = entities.len(), neighbours = links.len(), matched, links_changed, "inventory refreshed");
    Ok(InventoryReport {
        device: d.name.clone(),
        entities: entities.len(),
        neighbours: links.len(),
        matched,
        links_changed,
    })
}

async fn known_devices(store: &Store) -> Result<Vec<KnownDevice>, ApiError> {
    Ok(store
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

/// The roots and each device's parent (child → parent) from the stored
/// links: what the map shows and what alarm suppression follows. Devices
/// tagged [`ROOT_TAG`] are roots where the user chose them.
pub(crate) async fn parents(
    store: &meridian_store::Store,
) -> Result<(Vec<DeviceId>, BTreeMap<DeviceId, DeviceId>), ApiError> {
    let chosen: Vec<DeviceId> = store
        .list_devices()
        .await?
        .into_iter()
        .filter(|d| d.tags.iter().any(|t| t == ROOT_TAG))
        .map(|d| d.id)
        .collect();
    let links = store.list_links().await?;
    let roots = topology::default_roots(&links, &chosen);
    let parents = topology::derive_parents(&links, &roots);
    Ok((roots, parents))
}
