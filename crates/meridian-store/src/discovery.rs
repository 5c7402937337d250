//! Discovery runs and their responders, and the identity each device
//! reports (sysName, engine id, classification) that re-discovery matches on.

use chrono::{DateTime, Utc};
use meridian_core::classify::Classification;
use meridian_core::discovery::{
    DiscoveryRequest, DiscoveryRun, FoundDevice, IdentityMatch, KnownIdentity, RunState, SnmpIdentity,
};
use meridian_core::{CredentialId, DeviceId, DiscoveryRunId};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::Row;
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;

const RUN_SELECT: &str =
    "SELECT id, started_at, finished_at, state, request, total, probed, found, error FROM discovery_runs";

const RESULT_SELECT: &str = "SELECT run_id, address, other_addresses, alive, rtt_ms, snmp, classification, \
     credential_id, credential_label, existing_device, matched_by, added_device, suggested_name FROM discovery_results";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn run_from_row(r: &PgRow) -> Result<DiscoveryRun, sqlx::Error> {
    let state: String = r.try_get("state")?;
    let Json(request): Json<DiscoveryRequest> = r.try_get("request")?;
    Ok(DiscoveryRun {
        id: DiscoveryRunId(r.try_get("id")?),
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
        // A state written by a newer build reads as failed rather than an error.
        state: RunState::parse(&state).unwrap_or(RunState::Failed),
        request,
        total: count(r.try_get("total")?),
        probed: count(r.try_get("probed")?),
        found: count(r.try_get("found")?),
        error: r.try_get("error")?,
    })
}

fn matched_by_str(m: IdentityMatch) -> &'static str {
    match m {
        IdentityMatch::Address => "address",
        IdentityMatch::EngineId => "engine_id",
        IdentityMatch::SysName => "sys_name",
    }
}

fn matched_by_parse(s: &str) -> Option<IdentityMatch> {
    match s {
        "address" => Some(IdentityMatch::Address),
        "engine_id" => Some(IdentityMatch::EngineId),
        "sys_name" => Some(IdentityMatch::SysName),
        _ => None,
    }
}

fn result_from_row(r: &PgRow) -> Result<FoundDevice, sqlx::Error> {
    let snmp: Option<Json<SnmpIdentity>> = r.try_get("snmp")?;
    let classification: Option<Json<Classification>> = r.try_get("classification")?;
    let matched_by: Option<String> = r.try_get("matched_by")?;
    Ok(FoundDevice {
        run_id: DiscoveryRunId(r.try_get("run_id")?),
        address: r.try_get("address")?,
        other_addresses: r.try_get("other_addresses")?,
        alive: r.try_get("alive")?,
        rtt_ms: r.try_get("rtt_ms")?,
        snmp: snmp.map(|j| j.0),
        credential_id: r.try_get::<Option<Uuid>, _>("credential_id")?.map(CredentialId),
        credential_label: r.try_get("credential_label")?,
        classification: classification.map(|j| j.0),
        existing: r.try_get::<Option<Uuid>, _>("existing_device")?.map(DeviceId),
        matched_by: matched_by.as_deref().and_then(matched_by_parse),
        added: r.try_get::<Option<Uuid>, _>("added_device")?.map(DeviceId),
        suggested_name: r.try_get("suggested_name")?,
    })
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Records a new run in state `running`.
    pub async fn create_discovery_run(&self, run: &DiscoveryRun) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query(
            "INSERT INTO discovery_runs (id, started_at, finished_at, state, request, total, probed, found, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(run.id.0)
        .bind(run.started_at)
        .bind(run.finished_at)
        .bind(run.state.as_str())
        .bind(Json(&run.request))
        .bind(signed(run.total))
        .bind(signed(run.probed))
        .bind(signed(run.found))
        .bind(&run.error)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Progress counters of a running run (written now and then, not per address).
    pub async fn update_discovery_progress(
        &self,
        id: DiscoveryRunId,
        total: u64,
        probed: u64,
        found: u64,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query("UPDATE discovery_runs SET total = $2, probed = $3, found = $4 WHERE id = $1")
            .bind(id.0)
            .bind(signed(total))
            .bind(signed(probed))
            .bind(signed(found))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Ends a run.
    pub async fn finish_discovery_run(
        &self,
        id: DiscoveryRunId,
        state: RunState,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query("UPDATE discovery_runs SET state = $2, finished_at = $3, error = $4 WHERE id = $1")
            .bind(id.0)
            .bind(state.as_str())
            .bind(at)
            .bind(error)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Runs left `running` by a process that died: nothing will finish them.
    pub async fn fail_abandoned_discovery_runs(&self, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut conn = self.conn().await?;
        let done = sqlx::query(
            "UPDATE discovery_runs SET state = 'failed', finished_at = $1, \
             error = 'interrupted: Meridian stopped during the run' WHERE state = 'running'",
        )
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(done.rows_affected())
    }

    /// Stores (or replaces) one responder of a run.
    pub async fn save_discovery_result(&self, f: &FoundDevice) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query(
            "INSERT INTO discovery_results (run_id, address, other_addresses, alive, rtt_ms, snmp, classification, \
             credential_id, credential_label, existing_device, matched_by, added_device, suggested_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (run_id, address) DO UPDATE SET other_addresses = EXCLUDED.other_addresses, \
             alive = EXCLUDED.alive, rtt_ms = EXCLUDED.rtt_ms, snmp = EXCLUDED.snmp, \
             classification = EXCLUDED.classification, credential_id = EXCLUDED.credential_id, \
             credential_label = EXCLUDED.credential_label, existing_device = EXCLUDED.existing_device, \
             matched_by = EXCLUDED.matched_by, added_device = EXCLUDED.added_device, \
             suggested_name = EXCLUDED.suggested_name",
        )
        .bind(f.run_id.0)
        .bind(&f.address)
        .bind(&f.other_addresses)
        .bind(f.alive)
        .bind(f.rtt_ms)
        .bind(f.snmp.as_ref().map(Json))
        .bind(f.classification.as_ref().map(Json))
        .bind(f.credential_id.map(|c| c.0))
        .bind(&f.credential_label)
        .bind(f.existing.map(|d| d.0))
        .bind(f.matched_by.map(matched_by_str))
        .bind(f.added.map(|d| d.0))
        .bind(&f.suggested_name)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Drops one responder of a run (folded into another address of the same agent).
    pub async fn delete_discovery_result(&self, run: DiscoveryRunId, address: &str) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query("DELETE FROM discovery_results WHERE run_id = $1 AND address = $2")
            .bind(run.0)
            .bind(address)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Records that the user added a responder as `device`.
    pub async fn mark_discovery_added(
        &self,
        run: DiscoveryRunId,
        address: &str,
        device: DeviceId,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query("UPDATE discovery_results SET added_device = $3 WHERE run_id = $1 AND address = $2")
            .bind(run.0)
            .bind(address)
            .bind(device.0)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Runs, newest first.
    pub async fn list_discovery_runs(&self, limit: i64) -> Result<Vec<DiscoveryRun>, StoreError> {
        let mut conn = self.conn().await?;
        let rows = sqlx::query(&format!("{RUN_SELECT} ORDER BY started_at DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows.iter().map(run_from_row).collect::<Result<_, _>>()?)
    }

    pub async fn get_discovery_run(&self, id: DiscoveryRunId) -> Result<DiscoveryRun, StoreError> {
        let mut conn = self.conn().await?;
        let row = sqlx::query(&format!("{RUN_SELECT} WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "discovery run", key: id.to_string() })?;
        Ok(run_from_row(&row)?)
    }

    /// A run's responders in address order as stored (IPv4 text sorts well
    /// enough for review; the UI sorts numerically).
    pub async fn list_discovery_results(&self, run: DiscoveryRunId) -> Result<Vec<FoundDevice>, StoreError> {
        let mut conn = self.conn().await?;
        let rows = sqlx::query(&format!("{RESULT_SELECT} WHERE run_id = $1 ORDER BY address"))
            .bind(run.0)
            .fetch_all(&mut *conn)
            .await?;
        Ok(rows.iter().map(result_from_row).collect::<Result<_, _>>()?)
    }

    /// Every device's address and reported identity, for matching responders.
    pub async fn known_identities(&self) -> Result<Vec<KnownIdentity>, StoreError> {
        let mut conn = self.conn().await?;
        let rows = sqlx::query(
            "SELECT d.id, d.address, i.engine_id, i.sys_name, i.chassis_id FROM devices d \
             LEFT JOIN device_identity i ON i.device_id = d.id",
        )
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KnownIdentity {
                    id: Some(DeviceId(r.try_get("id")?)),
                    address: r.try_get("address")?,
                    engine_id: r.try_get("engine_id")?,
                    sys_name: r.try_get("sys_name")?,
                    chassis_id: r.try_get("chassis_id")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Records what a device reported about itself. The template override
    /// is kept: only the user changes it.
    pub async fn upsert_device_identity(
        &self,
        device: DeviceId,
        snmp: &SnmpIdentity,
        classification: Option<&Classification>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query(
            "INSERT INTO device_identity (device_id, sys_name, sys_descr, sys_object_id, engine_id, chassis_id, \
             classification, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (device_id) DO UPDATE SET sys_name = EXCLUDED.sys_name, sys_descr = EXCLUDED.sys_descr, \
             sys_object_id = EXCLUDED.sys_object_id, engine_id = EXCLUDED.engine_id, \
             chassis_id = EXCLUDED.chassis_id, classification = EXCLUDED.classification, \
             updated_at = EXCLUDED.updated_at",
        )
        .bind(device.0)
        .bind(&snmp.sys_name)
        .bind(&snmp.sys_descr)
        .bind(&snmp.sys_object_id)
        .bind(&snmp.engine_id)
        .bind(&snmp.chassis_id)
        .bind(classification.map(Json))
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The stored classification and template override of a device.
    pub async fn device_classification(
        &self,
        device: DeviceId,
    ) -> Result<(Option<Classification>, Option<String>), StoreError> {
        let mut conn = self.conn().await?;
        let row = sqlx::query("SELECT classification, template FROM device_identity WHERE device_id = $1")
            .bind(device.0)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(row) = row else { return Ok((None, None)) };
        let c: Option<Json<Classification>> = row.try_get("classification")?;
        Ok((c.map(|j| j.0), row.try_get("template")?))
    }

    /// Sets (or with `None` clears) a device's poll template override.
    pub async fn set_device_template(
        &self,
        device: DeviceId,
        template: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query(
            "INSERT INTO device_identity (device_id, template, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (device_id) DO UPDATE SET template = EXCLUDED.template",
        )
        .bind(device.0)
        .bind(template)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}
