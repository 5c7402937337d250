//! Issue 18's two server figures, side by side in one run on one database:
//!
//! 1. an alarm acknowledgement through the API until its event arrives at
//!    every one of `MERIDIAN_BENCH_CLIENTS` (1,000) WebSocket clients, against
//!    raw PostgreSQL NOTIFY latency to one listener (p50/p99 of each);
//! 2. `GET /api/v1/devices` of `MERIDIAN_BENCH_DEVICES` (10,000) devices over
//!    HTTPS, against the same listing straight through sqlx (`Store::list_devices`).
//!
//! Meanwhile a task writes the samples of a `MERIDIAN_BENCH_MONITOR_DEVICES`
//! (1,000) device monitor (20 series each per 60 s) into the same database.
//!
//! Bounded: `MERIDIAN_BENCH_ACKS` (30) acks, 200 NOTIFYs, 10 listings each,
//! every wait capped at 10 s. Traffic stays on 127.0.0.1.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Server;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

type Sent = Arc<Mutex<HashMap<String, Instant>>>;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let (clients, acks, devices) =
        (env("MERIDIAN_BENCH_CLIENTS", 1000), env("MERIDIAN_BENCH_ACKS", 30), env("MERIDIAN_BENCH_DEVICES", 10_000));
    let s = Server::start().await;
    let load = monitor_load(&s, env("MERIDIAN_BENCH_MONITOR_DEVICES", 1000));

    // Raw NOTIFY: one listener, one sender, on the same PostgreSQL.
    let mut listener = sqlx::postgres::PgListener::connect(&s.db_url).await.expect("listener");
    listener.listen("bench_raw").await.expect("listen");
    let mut raw = Vec::new();
    for i in 0..200 {
        let t0 = Instant::now();
        sqlx::query("SELECT pg_notify('bench_raw', $1)")
            .bind(i.to_string())
            .execute(&mut *s.store.conn().await.expect("conn"))
            .await
            .expect("notify");
        tokio::time::timeout(Duration::from_secs(10), listener.recv()).await.expect("in time").expect("recv");
        raw.push(t0.elapsed().as_secs_f64() * 1e3);
    }

    // Acks through the API to `clients` WebSockets.
    let sent: Sent = Arc::default();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, f64)>();
    let token = s.user("viewer").token.clone();
    for _ in 0..clients {
        let mut ws = common::ws_connect(s.addr, &s.cert_path, Some(&token)).await.expect("client");
        let (sent, tx) = (sent.clone(), tx.clone());
        tokio::spawn(async move {
            while let Some(Ok(m)) = ws.next().await {
                let Message::Text(t) = m else { continue };
                let at = Instant::now();
                let Ok(e) = serde_json::from_str::<Value>(&t) else { continue };
                let id = e["alarm"]["id"].as_str().unwrap_or_default().to_owned();
                let t0 = sent.lock().expect("sent").get(&id).copied();
                if let (Some(t0), "alarmAcknowledged") = (t0, e["type"].as_str().unwrap_or("")) {
                    let _ = tx.send((id, (at - t0).as_secs_f64() * 1e3));
                }
            }
        });
    }
    let op = s.user("operator").token.clone();
    let mut fan = Vec::new();
    let mut last = Vec::new();
    for i in 0..acks {
        let a = s.raise(&s.dev_a, &format!("bench-{i}")).await;
        let id = a.id.to_string();
        sent.lock().expect("sent").insert(id.clone(), Instant::now());
        let r = s.call(Method::POST, &format!("/api/v1/alarms/{id}/ack"), Some(&op), Some(json!({}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let (mut got, deadline) = (0, Instant::now() + Duration::from_secs(10));
        let mut slowest = 0.0f64;
        while got < clients {
            let Ok(Some((eid, ms))) = tokio::time::timeout_at(deadline.into(), rx.recv()).await else { break };
            if eid == id {
                got += 1;
                slowest = slowest.max(ms);
                fan.push(ms);
            }
        }
        assert_eq!(got, clients, "ack {i}: {got} of {clients} clients heard it within 10 s");
        last.push(slowest);
    }

    // GET of `devices` devices, against the same listing through sqlx.
    sqlx::query(
        "INSERT INTO devices (id, name, address, site_id, created_at, updated_at) \
         SELECT gen_random_uuid(), 'bench-' || g, '127.' || (100 + g / 65536) || '.' || (g / 256) % 256 || '.' || g % 256, \
                $2, now(), now() FROM generate_series(1, $1) g",
    )
    .bind(devices as i64)
    .bind(s.site_a.id.0)
    .execute(&mut *s.store.conn().await.expect("conn"))
    .await
    .expect("devices");
    let total = s.store.list_devices().await.expect("list").len();
    let admin = s.user("admin").token.clone();
    let t0 = Instant::now();
    for _ in 0..10 {
        let r = s.client.get(format!("{}/api/v1/devices", s.url)).bearer_auth(&admin).send().await.expect("get");
        let body = r.bytes().await.expect("body");
        assert!(body.len() > total * 100, "a full listing");
    }
    let api = 10.0 * total as f64 / t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    for _ in 0..10 {
        assert_eq!(s.store.list_devices().await.expect("list").len(), total);
    }
    let direct = 10.0 * total as f64 / t0.elapsed().as_secs_f64();

    let (r50, r99) = (pct(&mut raw, 0.5), pct(&mut raw, 0.99));
    let (f50, f99) = (pct(&mut fan, 0.5), pct(&mut fan, 0.99));
    let (l50, l99) = (pct(&mut last, 0.5), pct(&mut last, 0.99));
    println!("raw NOTIFY to 1 listener ({} rounds): p50 {r50:.2} ms, p99 {r99:.2} ms", raw.len());
    println!(
        "ack -> event at {clients} WebSocket clients ({acks} acks, {} deliveries): p50 {f50:.2} ms, p99 {f99:.2} ms; \
         last client per ack p50 {l50:.2} ms, p99 {l99:.2} ms; p99 ratio to raw NOTIFY {:.1}x",
        fan.len(),
        f99 / r99
    );
    println!(
        "GET /api/v1/devices ({total} devices): API {api:.0} devices/s, sqlx direct {direct:.0} devices/s, ratio {:.2}",
        api / direct
    );
    load.store(true, std::sync::atomic::Ordering::Relaxed);
    s.shutdown().await;
}

/// The sample writes of a monitor polling `devices` devices (20 series
/// each, every 60 s) into the same database, through the store's batch
/// path once a second, for the whole run: the figures are taken
/// "while a 1,000-device monitor writes samples". On a thread of its own
/// with its own connection, as a desktop's monitor would be; it stops when
/// the flag is set.
fn monitor_load(s: &Server, devices: usize) -> Arc<std::sync::atomic::AtomicBool> {
    use meridian_core::sample::Sample;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (url, stop) = (s.db_url.clone(), Arc::new(AtomicBool::new(false)));
    let per_second = (devices * 20).div_ceil(60);
    let flag = stop.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async move {
            let dir = tempfile::tempdir().expect("tempdir");
            let cfg = meridian_store::StoreConfig::external(dir.path(), url);
            let store = meridian_store::Store::open(cfg).await.expect("monitor's store");
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            let mut next = 0usize;
            while !flag.load(Ordering::Relaxed) {
                tick.tick().await;
                let at = chrono::Utc::now();
                let batch: Vec<Sample> = (0..per_second)
                    .map(|i| Sample { at, series: ((next + i) % (devices * 20).max(1)) as i64, value: i as f64 })
                    .collect();
                next += per_second;
                if let Err(e) = store.insert_samples(&batch).await {
                    eprintln!("monitor load: {e}");
                }
            }
            store.close().await;
        });
    });
    stop
}
