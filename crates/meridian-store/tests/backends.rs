//! The store against both real backends: embedded PGlite and a native
//! PostgreSQL cluster started by meridian-testkit. Every test runs its body
//! on each, so a migration or query that only one accepts fails here.

use chrono::{TimeZone, Utc};
use meridian_core::inventory::{validate_device, validate_site, DeviceInput, SiteInput};
use meridian_core::sample::Sample;
use meridian_core::{DeviceId, SiteId};
use meridian_store::{Store, StoreConfig, StoreError};
use tempfile::TempDir;
use uuid::Uuid;

mod common;
use common::{open_with_config, Kind, BOTH};

struct Opened {
    store: Store,
    cfg: StoreConfig,
    _dir: TempDir,
}

async fn open(kind: Kind) -> Opened {
    let (store, cfg, dir) = open_with_config(kind).await;
    Opened { store, cfg, _dir: dir }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).single().expect("valid time")
}

fn device(name: &str, addr: &str) -> meridian_core::inventory::ValidDevice {
    validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid")
}

async fn table_names(store: &Store) -> Vec<String> {
    sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        .fetch_all(&mut *store.conn().await.expect("conn"))
        .await
        .expect("tables")
}

#[tokio::test(flavor = "multi_thread")]
async fn migrations_apply_on_both_backends() {
    for kind in BOTH {
        let o = open(kind).await;
        let v = o.store.schema_version().await.expect("version");
        assert_eq!(v, meridian_store::supported_schema_version(), "{kind:?}");
        let tables = table_names(&o.store).await;
        for t in ["alarms", "credentials", "devices", "event_log", "interfaces", "samples", "series", "sites"] {
            assert!(tables.iter().any(|x| x == t), "{kind:?}: missing table {t}; have {tables:?}");
        }
        let info = o.store.info().await.expect("info");
        assert!(info.size_bytes > 0);
        o.store.close().await;
        // Reopening an up-to-date store applies nothing and keeps the version.
        let again = Store::open(o.cfg.clone()).await.expect("reopen");
        assert_eq!(again.schema_version().await.expect("version"), v);
        again.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn device_and_site_round_trip_with_audit() {
    for kind in BOTH {
        let o = open(kind).await;
        let s = &o.store;
        let site = validate_site(&SiteInput { name: "HQ".into(), lat: Some(52.5), lon: Some(13.4) }).expect("site");
        s.insert_site(&site, SiteId(Uuid::now_v7()), now(), "test").await.expect("site");
        let mut input = DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() };
        input.site = Some("HQ".into());
        input.tags = vec!["core".into(), "lab".into()];
        let v = validate_device(&input).expect("valid");
        let d = s.insert_device(&v, DeviceId(Uuid::now_v7()), now(), "test").await.expect("insert");
        assert_eq!(d.site_name.as_deref(), Some("HQ"));
        assert_eq!(d.tags, ["core", "lab"]);
        assert_eq!(d.version, 1);

        let mut edit = v.clone();
        edit.name = "r1-renamed".into();
        let d2 = s.update_device(d.id, 1, &edit, now(), "test").await.expect("update");
        assert_eq!((d2.name.as_str(), d2.version), ("r1-renamed", 2));
        // A stale version is refused.
        assert!(s.update_device(d.id, 1, &edit, now(), "test").await.is_err(), "{kind:?}");

        assert_eq!(s.get_site("HQ").await.expect("site").device_count, 1);
        s.delete_device(&"r1-renamed".into(), now(), "test").await.expect("delete");
        assert!(matches!(s.get_device(&"r1-renamed".into()).await, Err(StoreError::NotFound { .. })));
        assert_eq!(s.audit_count().await.expect("audit"), 4, "{kind:?}: site.add, add, update, remove");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_and_unknown_references_write_nothing() {
    for kind in BOTH {
        let o = open(kind).await;
        let s = &o.store;
        s.insert_device(&device("r1", "127.0.0.1"), DeviceId(Uuid::now_v7()), now(), "t").await.expect("first");
        let audit_before = s.audit_count().await.expect("audit");

        match s.insert_device(&device("r1", "127.0.0.2"), DeviceId(Uuid::now_v7()), now(), "t").await {
            Err(StoreError::Duplicate { field: "name", .. }) => {}
            other => panic!("{kind:?}: expected duplicate name, got {other:?}"),
        }
        match s.insert_device(&device("r2", "127.0.0.1"), DeviceId(Uuid::now_v7()), now(), "t").await {
            Err(StoreError::Duplicate { field: "address", value, .. }) => assert_eq!(value, "127.0.0.1"),
            other => panic!("{kind:?}: expected duplicate address, got {other:?}"),
        }
        let mut at_nowhere = device("r3", "127.0.0.3");
        at_nowhere.site = Some("Atlantis".into());
        match s.insert_device(&at_nowhere, DeviceId(Uuid::now_v7()), now(), "t").await {
            Err(StoreError::NotFound { what: "site", .. }) => {}
            other => panic!("{kind:?}: expected unknown site, got {other:?}"),
        }
        assert_eq!(s.list_devices().await.expect("list").len(), 1, "{kind:?}");
        assert_eq!(s.audit_count().await.expect("audit"), audit_before, "{kind:?}: rejected writes left audit rows");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn samples_batch_insert() {
    for kind in BOTH {
        let o = open(kind).await;
        let batch: Vec<Sample> = (0..10_000)
            .map(|i| Sample { at: now() + chrono::Duration::seconds(i), series: i % 17, value: i as f64 * 0.5 })
            .collect();
        assert_eq!(o.store.insert_samples(&batch).await.expect("insert"), 10_000);
        assert_eq!(o.store.insert_samples(&[]).await.expect("empty"), 0);
        assert_eq!(o.store.count_samples().await.expect("count"), 10_000);
        let sum: f64 = sqlx::query_scalar("SELECT sum(value) FROM samples WHERE series_id = 3")
            .fetch_one(&mut *o.store.conn().await.expect("conn"))
            .await
            .expect("sum");
        let expected: f64 = (0..10_000).filter(|i| i % 17 == 3).map(|i| i as f64 * 0.5).sum();
        assert!((sum - expected).abs() < 1e-6, "{kind:?}: {sum} != {expected}");
        o.store.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_schema_is_refused_and_left_alone() {
    for kind in BOTH {
        let o = open(kind).await;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'from the future', true, '\\x00'::bytea, 0)",
        )
        .execute(&mut *o.store.conn().await.expect("conn"))
        .await
        .expect("fake future migration");
        o.store.insert_samples(&[Sample { at: now(), series: 1, value: 1.0 }]).await.expect("sample");
        o.store.close().await;
        match Store::open(o.cfg.clone()).await {
            Err(StoreError::NewerSchema { found, supported, .. }) => {
                assert_eq!(found, 99990101000000);
                assert_eq!(supported, meridian_store::supported_schema_version());
            }
            Err(e) => panic!("{kind:?}: expected NewerSchema, got {e}"),
            Ok(_) => panic!("{kind:?}: a newer schema was opened"),
        }
        let msg = StoreError::NewerSchema { found: 2, supported: 1, location: "/x/pglite".into() }.to_string();
        assert!(
            msg.contains("/x/pglite") && msg.contains("newer Meridian") && msg.contains("will not downgrade"),
            "{msg}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_open_of_the_same_data_dir_is_refused() {
    let o = open(Kind::Pglite).await;
    match Store::open(o.cfg.clone()).await {
        Err(StoreError::InUse { pid, .. }) => assert_eq!(pid, std::process::id()),
        Err(e) => panic!("expected InUse, got {e}"),
        Ok(_) => panic!("opened a data directory twice"),
    }
    // The first store is untouched and still works.
    o.store.insert_device(&device("r1", "::1"), DeviceId(Uuid::now_v7()), now(), "t").await.expect("still usable");
    assert_eq!(o.store.list_devices().await.expect("list").len(), 1);
    o.store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn alarms_raise_once_per_key_clear_and_ack() {
    use meridian_core::alarm::{Alarm, AlarmComment, AlarmId, AlarmSpec, EventType, Severity};
    for kind in BOTH {
        let o = open(kind).await;
        let s = &o.store;
        let dev = s.insert_device(&device("r1", "127.0.0.1"), DeviceId(Uuid::now_v7()), now(), "t").await.expect("dev");
        let spec = AlarmSpec {
            managed_object: format!("device={}", dev.id),
            event_type: EventType::Communications,
            probable_cause: "communicationsSubsystemFailure".into(),
            specific_problem: "icmpNoReply".into(),
            perceived_severity: Severity::Critical,
            additional_text: "no reply to 3 pings".into(),
        };
        let a = Alarm::raise(AlarmId(Uuid::now_v7()), Some(dev.id), spec.clone(), now());
        let (stored, created) = s.raise_alarm(&a).await.expect("raise");
        assert!(created, "{kind:?}");
        assert_eq!(stored.perceived_severity, Severity::Critical);
        // The same condition again returns the active alarm, no second row.
        let again = Alarm::raise(AlarmId(Uuid::now_v7()), Some(dev.id), spec.clone(), now());
        let (dup, created) = s.raise_alarm(&again).await.expect("raise again");
        assert!(!created, "{kind:?}");
        assert_eq!(dup.id, stored.id);
        assert_eq!(s.list_alarms(true, 100).await.expect("list").len(), 1);

        let mut acked = stored.clone();
        acked.acknowledge("alice", Some("looking"), now()).expect("ack");
        let saved = s.save_alarm(&acked, stored.version).await.expect("save");
        assert_eq!((saved.acked_by.as_deref(), saved.version), (Some("alice"), 2));
        assert!(s.save_alarm(&acked, stored.version).await.is_err(), "{kind:?}: stale version accepted");
        let note = saved.comment("bob", "fibre cut upstream", now()).expect("comment");
        s.add_alarm_comment(&note).await.expect("add comment");
        let notes: Vec<AlarmComment> = s.alarm_comments(saved.id).await.expect("comments");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].text, "fibre cut upstream");

        let cleared = s.clear_alarm_key(&spec.key(), now()).await.expect("clear").expect("was active");
        assert!(cleared.cleared_at.is_some());
        assert!(s.list_alarms(true, 100).await.expect("list").is_empty());
        // After a clear the condition may be raised anew as a new alarm.
        let third = Alarm::raise(AlarmId(Uuid::now_v7()), Some(dev.id), spec, now());
        assert!(s.raise_alarm(&third).await.expect("raise").1);
        assert_eq!(s.list_alarms(false, 100).await.expect("all").len(), 2);
        s.close().await;
    }
}

/// `Store::atomically`: every write of the scope commits together, or none
/// does when it returns an error; a repository's own transaction inside it
/// is a savepoint, so a refused write can be caught and the scope go on. A
/// second open of an external store's directory is allowed (replicas).
#[tokio::test(flavor = "multi_thread")]
async fn atomically_commits_all_or_nothing_on_both_backends() {
    for kind in BOTH {
        let o = open(kind).await;
        let s = &o.store;
        let audit_before = s.audit_count().await.expect("audit");
        s.atomically(async {
            s.insert_device(&device("a1", "127.0.0.1"), DeviceId(Uuid::now_v7()), now(), "t").await?;
            // Refused inside its own savepoint; the scope carries on.
            let dup = s.insert_device(&device("a1", "127.0.0.9"), DeviceId(Uuid::now_v7()), now(), "t").await;
            assert!(matches!(dup, Err(StoreError::Duplicate { .. })), "{kind:?}: {dup:?}");
            s.insert_device(&device("a2", "127.0.0.2"), DeviceId(Uuid::now_v7()), now(), "t").await?;
            Ok::<_, StoreError>(())
        })
        .await
        .expect("committed");
        let out: Result<(), StoreError> = s
            .atomically(async {
                s.insert_device(&device("a3", "127.0.0.3"), DeviceId(Uuid::now_v7()), now(), "t").await?;
                // Nested scopes join the outer transaction.
                s.atomically(async {
                    s.insert_device(&device("a4", "127.0.0.4"), DeviceId(Uuid::now_v7()), now(), "t").await
                })
                .await?;
                Err(StoreError::Config("the test refuses".into()))
            })
            .await;
        assert!(out.is_err());
        let names: Vec<String> = s.list_devices().await.expect("list").into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["a1", "a2"], "{kind:?}");
        assert_eq!(
            s.audit_count().await.expect("audit"),
            audit_before + 2,
            "{kind:?}: the rolled-back adds left no rows"
        );
        if matches!(kind, Kind::Native) {
            let second = Store::open(o.cfg.clone()).await.expect("an external store's directory is not locked");
            second.close().await;
        }
        s.close().await;
    }
}
