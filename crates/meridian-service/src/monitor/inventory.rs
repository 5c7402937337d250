//! The monitor's inventory poll (hourly by default): the same pass as
//! `meridian device inventory --refresh`, so ENTITY-MIB rows and LLDP/CDP
//! links stay current without anyone asking.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::Utc;
use meridian_core::credential::SnmpCredential;
use meridian_core::inventory::Device;
use meridian_probe::snmp::SnmpEngine;
use meridian_store::Store;

use crate::topology::{refresh_device, InventoryReport};

pub async fn poll(
    store: Arc<Store>,
    engine: Arc<SnmpEngine>,
    device: Device,
    addr: SocketAddr,
    cred: SnmpCredential,
) -> Result<InventoryReport, String> {
    refresh_device(&store, &engine, &device, addr, cred, Utc::now()).await.map_err(|e| e.to_string())
}
