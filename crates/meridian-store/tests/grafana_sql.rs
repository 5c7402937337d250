//! The SQL in docs/GRAFANA.md, run against a real PostgreSQL (Grafana's
//! data source reads only a PostgreSQL server, never the embedded store)
//! with Grafana's macros expanded as Grafana expands them, over seeded
//! data whose answers are known: a doc query that a schema change breaks,
//! or that answers wrongly, fails here.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::sample::Sample;
use meridian_core::DeviceId;
use meridian_store::{InterfaceRow, Store, StoreConfig};
use meridian_testkit::NativePostgres;
use sqlx::Row;
use uuid::Uuid;

const DOC: &str = include_str!("../../../docs/GRAFANA.md");

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).single().expect("valid time")
}

/// The ```sql blocks of the doc, in order.
fn queries() -> Vec<String> {
    DOC.split("```sql\n").skip(1).map(|b| b.split("```").next().unwrap_or_default().to_owned()).collect()
}

/// Grafana's expansion of its macros for a range and a 60 s interval.
fn expand(sql: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let mut out = sql.replace("'$device'", "'r1'").replace("$__interval", "60");
    while let Some(i) = out.find("$__timeGroupAlias(") {
        let end = i + out[i..].find(')').expect("closing parenthesis");
        let args = &out[i + "$__timeGroupAlias(".len()..end];
        let (col, secs) = args.split_once(',').expect("two arguments");
        let expanded =
            format!("to_timestamp(floor(extract(epoch from {col})/{secs})*{secs}) AS \"time\"", secs = secs.trim());
        out.replace_range(i..=end, &expanded);
    }
    while let Some(i) = out.find("$__timeFilter(") {
        let end = i + out[i..].find(')').expect("closing parenthesis");
        let col = out[i + "$__timeFilter(".len()..end].to_owned();
        let expanded = format!("{col} BETWEEN '{}' AND '{}'", from.to_rfc3339(), to.to_rfc3339());
        out.replace_range(i..=end, &expanded);
    }
    assert!(!out.contains('$'), "an unexpanded macro or variable:\n{out}");
    out
}

async fn add_device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), t0(), "test").await.expect("device").id
}

#[tokio::test(flavor = "multi_thread")]
async fn the_documented_grafana_queries_run_and_answer_right() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = NativePostgres::shared().expect("native PostgreSQL").fresh_database().expect("database");
    let s = Store::open(StoreConfig::external(dir.path(), url.clone())).await.expect("open");
    let (r1, r2) = (add_device(&s, "r1", "127.0.0.1").await, add_device(&s, "r2", "127.0.0.2").await);
    let rtt1 = s.ensure_series(r1, None, "rtt_ms", "ms").await.expect("series");
    let rtt2 = s.ensure_series(r2, None, "rtt_ms", "ms").await.expect("series");
    let at = |m: i64| t0() + Duration::minutes(m);
    s.insert_samples(&[
        Sample { at: at(0), series: rtt1, value: 1.0 },
        Sample { at: at(0) + Duration::seconds(30), series: rtt1, value: 3.0 },
        Sample { at: at(1), series: rtt1, value: 5.0 },
        Sample { at: at(0), series: rtt2, value: 10.0 },
        // Outside the range: not counted.
        Sample { at: at(-120), series: rtt1, value: 1000.0 },
    ])
    .await
    .expect("samples");
    let row = InterfaceRow {
        if_index: 1,
        name: Some("eth0".into()),
        descr: None,
        alias: None,
        speed_bps: Some(1_000_000_000),
        admin_status: Some("up".into()),
        oper_status: Some("up".into()),
    };
    let ifs = s.upsert_interfaces(r1, &[row], t0()).await.expect("interfaces");
    let if_in = s.ensure_series(r1, Some(ifs[0]), "if_in_bps", "bit/s").await.expect("series");

    let pool = sqlx::PgPool::connect(&url).await.expect("connect");
    // The hourly tier and availability as the rollup job would have left them.
    sqlx::query("INSERT INTO rollup_1h VALUES ($1, $2, 4, 400, 50, 150, 120, $2)")
        .bind(if_in)
        .bind(t0())
        .execute(&pool)
        .await
        .expect("rollup");
    for (dev, up, known) in [(r1, 3600_i64, 3600_i64), (r1, 1800, 3600), (r2, 0, 0)] {
        let hour = if up == 1800 { t0() + Duration::hours(1) } else { t0() };
        sqlx::query("INSERT INTO state_rollups VALUES (3600, $1, $2, $3, $4)")
            .bind(dev.0)
            .bind(hour)
            .bind(up)
            .bind(known)
            .execute(&pool)
            .await
            .expect("state rollup");
    }
    for (sev, cleared) in [("major", None), ("critical", None), ("warning", Some(t0()))] {
        sqlx::query(
            "INSERT INTO alarms (id, device_id, managed_object, event_type, probable_cause, specific_problem, \
             perceived_severity, raised_at, cleared_at) VALUES ($1, $2, 'device=r1', 'communications', 'x', $3, $3, $4, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(r1.0)
        .bind(sev)
        .bind(t0())
        .bind(cleared)
        .execute(&pool)
        .await
        .expect("alarm");
    }

    let q = queries();
    assert_eq!(q.len(), 4, "the doc's panels");
    let (from, to) = (t0() - Duration::minutes(30), t0() + Duration::hours(3));
    let run = |i: usize| {
        let sql = expand(&q[i], from, to);
        let pool = pool.clone();
        async move { sqlx::query(&sql).fetch_all(&pool).await.unwrap_or_else(|e| panic!("{e}\n{sql}")) }
    };

    let rtt: Vec<(DateTime<Utc>, String, f64)> =
        run(0).await.iter().map(|r| (r.get("time"), r.get("metric"), r.get("value"))).collect();
    assert_eq!(rtt, [(at(0), "r1".into(), 2.0), (at(0), "r2".into(), 10.0), (at(1), "r1".into(), 5.0)]);

    let traffic: Vec<(DateTime<Utc>, String, f64)> =
        run(1).await.iter().map(|r| (r.get("time"), r.get("metric"), r.get("value"))).collect();
    assert_eq!(traffic, [(t0(), "eth0 if_in_bps".into(), 100.0)]);

    let avail: Vec<(String, Option<f64>)> =
        run(2).await.iter().map(|r| (r.get("device"), r.get("availability_pct"))).collect();
    assert_eq!(avail, [("r1".into(), Some(75.0)), ("r2".into(), None)], "r2 was never in a known state: no figure");

    let alarms: Vec<(String, String)> = run(3).await.iter().map(|r| (r.get("severity"), r.get("problem"))).collect();
    assert_eq!(
        alarms,
        [("critical".into(), "critical".into()), ("major".into(), "major".into())],
        "active, worst first"
    );
    pool.close().await;
    s.close().await;
}
