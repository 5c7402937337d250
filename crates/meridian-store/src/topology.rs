//! ENTITY-MIB inventory and LLDP/CDP links. Both are snapshots of what a
//! device reported at its last inventory, so each write replaces the
//! device's previous set in one transaction.

use chrono::{DateTime, Utc};
use meridian_core::entity::PhysicalEntity;
use meridian_core::topology::{Link, MatchKey, NeighbourProtocol};
use meridian_core::DeviceId;
use sqlx::postgres::PgRow;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;

fn protocol_str(p: NeighbourProtocol) -> &'static str {
    match p {
        NeighbourProtocol::Lldp => "lldp",
        NeighbourProtocol::Cdp => "cdp",
    }
}

fn match_str(m: MatchKey) -> &'static str {
    match m {
        MatchKey::ChassisId => "chassis_id",
        MatchKey::MgmtAddress => "mgmt_address",
        MatchKey::SysName => "sys_name",
    }
}

fn link_from_row(r: &PgRow) -> Result<Link, sqlx::Error> {
    let protocol: String = r.try_get("protocol")?;
    let matched: Option<String> = r.try_get("matched_by")?;
    let mgmt: Option<String> = r.try_get("remote_mgmt_addr")?;
    Ok(Link {
        protocol: if protocol == "cdp" { NeighbourProtocol::Cdp } else { NeighbourProtocol::Lldp },
        local_device: DeviceId(r.try_get("local_device")?),
        local_port_num: u32::try_from(r.try_get::<i64, _>("local_port_num")?).unwrap_or(0),
        local_port: r.try_get("local_port")?,
        remote_device: r.try_get::<Option<Uuid>, _>("remote_device")?.map(DeviceId),
        remote_port: r.try_get("remote_port")?,
        remote_sys_name: r.try_get("remote_sys_name")?,
        remote_chassis_id: r.try_get("remote_chassis_id")?,
        remote_mgmt_addr: mgmt.and_then(|m| m.parse().ok()),
        matched_by: matched.as_deref().and_then(|m| match m {
            "chassis_id" => Some(MatchKey::ChassisId),
            "mgmt_address" => Some(MatchKey::MgmtAddress),
            "sys_name" => Some(MatchKey::SysName),
            _ => None,
        }),
    })
}

fn entity_from_row(r: &PgRow) -> Result<PhysicalEntity, sqlx::Error> {
    let index = |c: &str| r.try_get::<i64, _>(c).map(|v| u32::try_from(v).unwrap_or(0));
    Ok(PhysicalEntity {
        index: index("ent_index")?,
        contained_in: index("contained_in")?,
        class: r.try_get("class")?,
        parent_rel_pos: r.try_get("parent_rel_pos")?,
        name: r.try_get("name")?,
        descr: r.try_get("descr")?,
        model_name: r.try_get("model_name")?,
        serial_num: r.try_get("serial_num")?,
        hardware_rev: r.try_get("hardware_rev")?,
        firmware_rev: r.try_get("firmware_rev")?,
        software_rev: r.try_get("software_rev")?,
        mfg_name: r.try_get("mfg_name")?,
        is_fru: r.try_get("is_fru")?,
        ..PhysicalEntity::default()
    })
}

impl Store {
    /// Replaces a device's physical inventory with `entities`.
    pub async fn replace_entities(&self, device: DeviceId, entities: &[PhysicalEntity]) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        sqlx::query("DELETE FROM entities WHERE device_id = $1").bind(device.0).execute(&mut *tx).await?;
        for e in entities {
            sqlx::query(
                "INSERT INTO entities (device_id, ent_index, contained_in, class, parent_rel_pos, name, descr, \
                 model_name, serial_num, hardware_rev, firmware_rev, software_rev, mfg_name, is_fru) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING",
            )
            .bind(device.0)
            .bind(i64::from(e.index))
            .bind(i64::from(e.contained_in))
            .bind(e.class)
            .bind(e.parent_rel_pos)
            .bind(&e.name)
            .bind(&e.descr)
            .bind(&e.model_name)
            .bind(&e.serial_num)
            .bind(&e.hardware_rev)
            .bind(&e.firmware_rev)
            .bind(&e.software_rev)
            .bind(&e.mfg_name)
            .bind(e.is_fru)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A device's physical inventory in index order.
    pub async fn list_entities(&self, device: DeviceId) -> Result<Vec<PhysicalEntity>, StoreError> {
        let mut conn = self.conn().await?;
        let rows = sqlx::query("SELECT * FROM entities WHERE device_id = $1 ORDER BY ent_index")
            .bind(device.0)
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows.iter().map(entity_from_row).collect::<Result<_, _>>()?)
    }

    /// Replaces the links `local` reports with `links`, keeping `first_seen`
    /// of the ones it reported before.
    pub async fn replace_links(&self, local: DeviceId, links: &[Link], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        for l in links {
            sqlx::query(
                "INSERT INTO links (local_device, protocol, local_port_num, local_port, remote_chassis_id, \
                 remote_port, remote_sys_name, remote_mgmt_addr, remote_device, matched_by, first_seen, last_seen) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
                 ON CONFLICT (local_device, protocol, local_port_num, remote_chassis_id, remote_port) DO UPDATE SET \
                 local_port = EXCLUDED.local_port, remote_sys_name = EXCLUDED.remote_sys_name, \
                 remote_mgmt_addr = EXCLUDED.remote_mgmt_addr, remote_device = EXCLUDED.remote_device, \
                 matched_by = EXCLUDED.matched_by, last_seen = EXCLUDED.last_seen",
            )
            .bind(local.0)
            .bind(protocol_str(l.protocol))
            .bind(i64::from(l.local_port_num))
            .bind(&l.local_port)
            .bind(&l.remote_chassis_id)
            .bind(&l.remote_port)
            .bind(&l.remote_sys_name)
            .bind(l.remote_mgmt_addr.map(|a| a.to_string()))
            .bind(l.remote_device.map(|d| d.0))
            .bind(l.matched_by.map(match_str))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM links WHERE local_device = $1 AND last_seen < $2")
            .bind(local.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The links one device reports, by port.
    pub async fn links_of(&self, local: DeviceId) -> Result<Vec<Link>, StoreError> {
        let mut conn = self.conn().await?;
        let rows =
            sqlx::query("SELECT * FROM links WHERE local_device = $1 ORDER BY protocol, local_port_num, remote_port")
                .bind(local.0)
                .fetch_all(&mut *conn)
                .await?;
        Ok(rows.iter().map(link_from_row).collect::<Result<_, _>>()?)
    }

    /// Every link, by local device and port.
    pub async fn list_links(&self) -> Result<Vec<Link>, StoreError> {
        let mut conn = self.conn().await?;
        let rows = sqlx::query("SELECT * FROM links ORDER BY local_device, protocol, local_port_num, remote_port")
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows.iter().map(link_from_row).collect::<Result<_, _>>()?)
    }
}
