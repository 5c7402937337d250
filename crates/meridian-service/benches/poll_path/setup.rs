//! The store and rule set before the first cycle: devices, their two
//! interfaces and every series they will write, inserted in bulk with SQL
//! (one `ensure_series` per series would take longer than the run), and
//! 100 rules built like meridian-core's rules bench.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use meridian_core::alarm::Severity;
use meridian_core::inventory::DeviceKind;
use meridian_core::metric::{Builtin, MetricKey, SeriesKey};
use meridian_core::rules::{Comparison, DeviceFacts, Hold, Level, Rule, RuleEngine, RuleScope};
use meridian_core::DeviceId;
use meridian_store::Store;
use sqlx::Row;
use uuid::Uuid;

/// Device `i`'s id: this prefix, then `i + 1` (the SQL below builds the same).
const ID_PREFIX: u128 = 0xb0b0_0000 << 96;
/// Devices whose series are read back per query.
const READ_CHUNK: u32 = 5_000;

pub fn device_id(i: u32) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(ID_PREFIX | u128::from(i + 1)))
}

fn device_index(id: Uuid) -> Option<u32> {
    u32::try_from(id.as_u128() & !ID_PREFIX).ok()?.checked_sub(1)
}

/// The SQL twin of [`device_id`] for `generate_series` value `g` (1-based).
const SQL_ID: &str = "('b0b00000' || lpad(to_hex(g), 24, '0'))::uuid";

/// Inserts `agents` devices (at their agents' addresses) with two interfaces each and the series in
/// `kinds` ((key, stored metric, unit) of one device's samples), then
/// returns each device's series ids by key, as the supervisor holds them.
pub async fn populate(
    store: &Store,
    agents: u32,
    kinds: &[(SeriesKey, String, String)],
) -> Vec<HashMap<SeriesKey, i64>> {
    let mut conn = store.conn().await.expect("conn");
    sqlx::query(&format!(
        "INSERT INTO devices (id, name, address, tags, created_at, updated_at) \
         SELECT {SQL_ID}, 'pp-' || g, \
                '127.' || (80 + (g - 1) / 250 / 256) || '.' || ((g - 1) / 250 % 256) || '.' || ((g - 1) % 250 + 1), \
                ARRAY['t' || (g - 1) % 10, 't' || (g + 2) % 10], now(), now() \
         FROM generate_series(1, $1) g"
    ))
    .bind(i64::from(agents))
    .execute(&mut *conn)
    .await
    .expect("insert devices");
    sqlx::query(
        "INSERT INTO interfaces (id, device_id, if_index, descr, updated_at) \
         SELECT gen_random_uuid(), d.id, k, 'eth' || (k - 1), now() \
         FROM devices d CROSS JOIN generate_series(1, 2) k WHERE d.name LIKE 'pp-%'",
    )
    .execute(&mut *conn)
    .await
    .expect("insert interfaces");
    let metrics: Vec<String> = kinds.iter().map(|k| k.1.clone()).collect();
    let units: Vec<String> = kinds.iter().map(|k| k.2.clone()).collect();
    let ifs: Vec<Option<i32>> = kinds.iter().map(|k| k.0.if_index().map(|i| i as i32)).collect();
    sqlx::query(
        "INSERT INTO series (device_id, interface_id, metric, unit) \
         SELECT d.id, i.id, m.metric, m.unit FROM devices d \
         CROSS JOIN unnest($1::text[], $2::text[], $3::int[]) AS m(metric, unit, if_index) \
         LEFT JOIN interfaces i ON i.device_id = d.id AND i.if_index = m.if_index \
         WHERE d.name LIKE 'pp-%'",
    )
    .bind(&metrics)
    .bind(&units)
    .bind(&ifs)
    .execute(&mut *conn)
    .await
    .expect("insert series");
    let by_name: HashMap<(String, Option<u32>), SeriesKey> =
        kinds.iter().map(|(k, m, _)| ((m.clone(), k.if_index()), k.clone())).collect();
    let mut maps = vec![HashMap::new(); agents as usize];
    let mut first = 0;
    while first < agents {
        let last = (first + READ_CHUNK).min(agents);
        let rows = sqlx::query(
            "SELECT s.id, s.device_id, s.metric, i.if_index FROM series s \
             LEFT JOIN interfaces i ON i.id = s.interface_id WHERE s.device_id >= $1 AND s.device_id <= $2",
        )
        .bind(device_id(first).0)
        .bind(device_id(last - 1).0)
        .fetch_all(&mut *conn)
        .await
        .expect("read series");
        for r in rows {
            let id: i64 = r.get(0);
            let dev: Uuid = r.get(1);
            let metric: String = r.get(2);
            let ifx: Option<i32> = r.get(3);
            let key = by_name.get(&(metric, ifx.map(|i| i as u32)));
            if let (Some(d), Some(key)) = (device_index(dev), key) {
                if let Some(m) = maps.get_mut(d as usize) {
                    m.insert(key.clone(), id);
                }
            }
        }
        first = last;
    }
    maps
}

/// 100 rules: 90 on metrics the agents report (CPU, interface utilisation
/// and errors), scoped by tag, half with an interface glob; 10 on metrics
/// nobody reports. Raise after one sample, so the agents whose CPU
/// alternates raise and clear every cycle.
pub fn rule_engine(agents: u32) -> RuleEngine {
    let metrics =
        [Builtin::CpuPct, Builtin::IfInUtilPct, Builtin::IfOutUtilPct, Builtin::IfInErrors, Builtin::IfOutErrors];
    let rules = (0..100)
        .map(|i| {
            let metric: MetricKey =
                if i < 90 { metrics[i % metrics.len()].into() } else { MetricKey::Template(format!("unused_{i}")) };
            let device_level = i % metrics.len() == 0;
            let rule = Rule {
                name: format!("rule {i}"),
                enabled: true,
                metric,
                instance: (i % 2 == 1 && !device_level).then(|| "eth*".to_owned()),
                comparison: Comparison::Above,
                levels: vec![
                    Level { severity: Severity::Warning, raise: 80.0 + (i % 7) as f64, clear: Some(70.0) },
                    Level { severity: Severity::Critical, raise: 95.0, clear: Some(90.0) },
                ],
                raise_after: Hold { samples: 1 },
                clear_after: Hold::default(),
                no_data_intervals: None,
                scope: RuleScope { tags: vec![format!("t{}", (i / 5) % 10)], ..RuleScope::default() },
                overrides: Vec::new(),
            };
            (format!("r{i}"), rule)
        })
        .collect();
    let mut e = RuleEngine::new(rules);
    for i in 0..agents {
        e.set_device(DeviceFacts {
            id: device_id(i),
            name: format!("pp-{}", i + 1),
            tags: vec![format!("t{}", i % 10), format!("t{}", (i + 3) % 10)],
            site: None,
            kind: DeviceKind::Unknown,
            template: None,
        });
    }
    e
}

/// (key, stored metric, unit) of every sample a warm poll gives, from two
/// polls of a made-up reading through a scratch `Interpreter`.
pub fn sample_kinds(
    reading: impl Fn(u64) -> meridian_core::poll::SnmpReading,
    t0: DateTime<Utc>,
) -> Vec<(SeriesKey, String, String)> {
    let mut interp = meridian_core::interpret::Interpreter::new();
    let _ = interp.snmp(t0, &reading(0), &[]);
    let warm = interp.snmp(t0 + chrono::Duration::seconds(60), &reading(60), &[]);
    warm.samples.into_iter().map(|s| (s.key.clone(), s.key.stored_metric(), s.unit)).collect()
}
