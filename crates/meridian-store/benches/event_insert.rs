//! The store's ceiling for event intake: syslog messages and trap events
//! through the receivers' batch inserts, into embedded PGlite and into a
//! native PostgreSQL started in the same run. The flood benchmark
//! (`meridian-service/benches/event_flood.rs`) measures the whole path;
//! this one says how much of it the store alone allows.
//!
//! Run: `cargo bench -p meridian-store --bench event_insert`.
//! Env: `MERIDIAN_BENCH_ROWS` (200000), `MERIDIAN_BENCH_BATCH` (2000),
//! `MERIDIAN_BENCH_DROP_INDEXES` (comma-separated index names dropped
//! first, to see what each one costs).

use std::net::IpAddr;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use meridian_core::syslog::{SdElement, SdParam, SyslogFormat, SyslogMessage, SyslogRecord, SyslogSeverity};
use meridian_core::trap::{TrapEvent, TrapPdu, TrapVarbind, TrapVersion};
use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;
use uuid::Uuid;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Like the flood's RFC 5424 lines: a BGP-ish message with one SD element.
fn syslog(i: usize) -> SyslogRecord {
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().unwrap_or_else(Utc::now)
        + chrono::Duration::milliseconds(i as i64);
    SyslogRecord {
        received_at: at,
        source: IpAddr::from([127, 0, 0, 1]),
        format: SyslogFormat::Rfc5424,
        message: SyslogMessage {
            facility: Some(23),
            severity: Some(SyslogSeverity::Warning),
            device_time: Some(at),
            host: Some(format!("rtr{}", i % 64)),
            app: Some("bgpd".into()),
            procid: Some("4711".into()),
            msgid: Some("ADJCHANGE".into()),
            structured_data: vec![SdElement {
                id: "meta@32473".into(),
                params: vec![SdParam { name: "seq".into(), value: i.to_string() }],
            }],
            message: format!("BGP neighbor 192.0.2.{} Down: hold timer expired (flood message {i})", i % 250),
        },
        error: None,
        truncated: false,
    }
}

/// Like the flood's v2c linkDown: four varbinds, decoded names.
fn trap(i: usize) -> TrapEvent {
    let vb = |oid: &str, kind: &str, value: String, name: &str| TrapVarbind {
        oid: oid.into(),
        kind: kind.into(),
        value,
        name: Some(name.into()),
        display: None,
    };
    TrapEvent {
        id: Uuid::now_v7(),
        received_at: Utc::now(),
        source_addr: "127.0.0.1".into(),
        source_port: 40_000,
        version: Some(TrapVersion::V2c),
        pdu: TrapPdu::Trap,
        user: None,
        community_matched: Some(true),
        engine_id: None,
        trap_oid: Some("1.3.6.1.6.3.1.1.5.3".into()),
        trap_name: Some("IF-MIB::linkDown".into()),
        uptime: Some(i as u32),
        varbinds: vec![
            vb("1.3.6.1.2.1.2.2.1.1.7", "INTEGER", (i % 1024).to_string(), "IF-MIB::ifIndex.7"),
            vb("1.3.6.1.2.1.2.2.1.7.7", "INTEGER", "1".into(), "IF-MIB::ifAdminStatus.7"),
            vb("1.3.6.1.2.1.2.2.1.8.7", "INTEGER", "2".into(), "IF-MIB::ifOperStatus.7"),
            vb("1.3.6.1.2.1.31.1.1.1.1.7", "OCTET STRING", "ge-0/0/7".into(), "IF-MIB::ifName.7"),
        ],
        device_id: None,
        device_name: None,
        raw_hex: None,
        error: None,
    }
}

async fn drop_indexes(store: &Store) {
    let names = std::env::var("MERIDIAN_BENCH_DROP_INDEXES").unwrap_or_default();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let mut conn = store.conn().await.expect("conn");
        sqlx::query(&format!("DROP INDEX {name}")).execute(&mut *conn).await.expect("drop index");
    }
    if let Ok(sql) = std::env::var("MERIDIAN_BENCH_SQL") {
        let mut conn = store.conn().await.expect("conn");
        sqlx::raw_sql(&sql).execute(&mut *conn).await.expect("MERIDIAN_BENCH_SQL");
    }
}

async fn run(store: &Store, rows: usize, batch: usize) -> (Duration, Duration) {
    drop_indexes(store).await;
    let logs: Vec<SyslogRecord> = (0..rows).map(syslog).collect();
    let start = Instant::now();
    for b in logs.chunks(batch) {
        store.insert_syslog(b).await.expect("syslog insert");
    }
    let s = start.elapsed();
    let traps: Vec<TrapEvent> = (0..rows).map(trap).collect();
    let start = Instant::now();
    for b in traps.chunks(batch) {
        store.insert_trap_events(b).await.expect("trap insert");
    }
    let t = start.elapsed();
    assert_eq!(store.count_syslog().await.expect("count"), rows as i64);
    assert_eq!(store.count_trap_events().await.expect("count"), rows as i64);
    (s, t)
}

#[tokio::main]
async fn main() {
    let rows = env_usize("MERIDIAN_BENCH_ROWS", 200_000);
    let batch = env_usize("MERIDIAN_BENCH_BATCH", 2_000).max(1);
    let pg = NativePostgres::shared().expect("native PostgreSQL");

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("open PGlite");
    let embedded = run(&store, rows, batch).await;
    store.close().await;

    let dir2 = tempfile::tempdir().expect("tempdir");
    let url = pg.fresh_database().expect("database");
    let store = Store::open(StoreConfig::external(dir2.path(), url)).await.expect("open native");
    let native = run(&store, rows, batch).await;
    store.close().await;

    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    println!("event store intake: {rows} rows each, batches of {batch}");
    println!("| backend | syslog rows/s | trap events/s |");
    println!("|---|---:|---:|");
    println!("| embedded PGlite | {:.0} | {:.0} |", rate(embedded.0), rate(embedded.1));
    println!("| native PostgreSQL | {:.0} | {:.0} |", rate(native.0), rate(native.1));
}
