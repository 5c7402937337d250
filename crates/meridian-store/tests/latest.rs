//! Reads for the desktop's screens, on both backends: the newest sample per
//! series of one metric (the rule editor's preview) and a device's SNMP
//! identity (the device page).

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::metric::{Builtin, SeriesKey};
use meridian_core::sample::Sample;
use meridian_core::DeviceId;
use meridian_store::{InterfaceRow, Store};
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).single().expect("valid time")
}

async fn add_device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), t0(), "test").await.expect("device").id
}

#[tokio::test(flavor = "multi_thread")]
async fn latest_samples_give_the_newest_value_of_every_series_of_a_metric() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let r1 = add_device(&s, "r1", "127.0.0.1").await;
        let r2 = add_device(&s, "r2", "127.0.0.2").await;
        let ifs = s
            .upsert_interfaces(
                r1,
                &[InterfaceRow {
                    if_index: 3,
                    name: Some("eth2".into()),
                    descr: None,
                    alias: None,
                    speed_bps: None,
                    admin_status: None,
                    oper_status: None,
                }],
                t0(),
            )
            .await
            .expect("interfaces");
        let cpu1 = s.ensure_series(r1, None, "cpu_pct", "%").await.expect("series");
        let cpu2 = s.ensure_series(r2, None, "cpu_pct", "%").await.expect("series");
        let disk = s.ensure_series(r1, None, "storage_used_pct:/var", "%").await.expect("series");
        let inbps = s.ensure_series(r1, Some(ifs[0]), "if_in_bps", "bit/s").await.expect("series");
        // A metric whose name starts like another is not taken for it.
        let load = s.ensure_series(r1, None, "cpu_pct_other", "%").await.expect("series");
        s.ensure_series(r2, None, "storage_used_pct:/", "%").await.expect("a series with no sample yet");
        let at = |m: i64| t0() + Duration::minutes(m);
        let batch = [
            Sample { at: at(0), series: cpu1, value: 10.0 },
            Sample { at: at(2), series: cpu1, value: 85.0 },
            Sample { at: at(1), series: cpu1, value: 50.0 },
            Sample { at: at(1), series: cpu2, value: 5.0 },
            Sample { at: at(1), series: disk, value: 91.5 },
            Sample { at: at(1), series: inbps, value: 1e6 },
            Sample { at: at(3), series: load, value: 99.0 },
        ];
        s.insert_samples(&batch).await.expect("samples");

        let cpu = s.latest_samples("cpu_pct").await.expect("latest");
        let got: Vec<(DeviceId, f64, DateTime<Utc>)> = cpu.iter().map(|l| (l.device, l.value, l.at)).collect();
        let mut want = vec![(r1, 85.0, at(2)), (r2, 5.0, at(1))];
        want.sort_by_key(|w| w.0);
        assert_eq!(got, want, "{kind:?}");
        assert!(cpu.iter().all(|l| l.key == SeriesKey::device(Builtin::CpuPct)), "{kind:?}: {cpu:?}");

        let storage = s.latest_samples("storage_used_pct").await.expect("latest");
        assert_eq!(storage.len(), 1, "{kind:?}: only series with a sample: {storage:?}");
        assert_eq!(storage[0].key, SeriesKey::row(Builtin::StorageUsedPct, "/var"), "{kind:?}");

        let traffic = s.latest_samples("if_in_bps").await.expect("latest");
        assert_eq!(traffic.len(), 1, "{kind:?}");
        assert_eq!(traffic[0].key, SeriesKey::interface(Builtin::IfInBps, 3), "{kind:?}");
        assert_eq!(traffic[0].interface.as_deref(), Some("eth2"), "{kind:?}");

        assert!(s.latest_samples("no_such_metric").await.expect("latest").is_empty(), "{kind:?}");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn device_identity_reads_back_what_the_agent_said() {
    use meridian_core::discovery::SnmpIdentity;
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let d = add_device(&s, "sw1", "127.0.0.1").await;
        assert_eq!(s.device_identity(d).await.expect("identity"), None, "{kind:?}: never asked");
        let said = SnmpIdentity {
            sys_name: "sw1.lab".into(),
            sys_descr: "Linux sw1 6.1.0 #1 SMP x86_64".into(),
            sys_object_id: "1.3.6.1.4.1.8072.3.2.10".into(),
            sys_location: String::new(),
            sys_services: None,
            engine_id: None,
            chassis_id: None,
            port: 161,
        };
        s.upsert_device_identity(d, &said, None, t0()).await.expect("upsert");
        let got = s.device_identity(d).await.expect("identity").expect("stored");
        assert_eq!(got.sys_name.as_deref(), Some("sw1.lab"), "{kind:?}");
        assert_eq!(got.sys_descr.as_deref(), Some("Linux sw1 6.1.0 #1 SMP x86_64"), "{kind:?}");
        assert_eq!(got.sys_object_id.as_deref(), Some("1.3.6.1.4.1.8072.3.2.10"), "{kind:?}");
        assert_eq!(got.updated_at, t0(), "{kind:?}");
        s.close().await;
    }
}
