//! Interface-down and reboot detection through the monitor, against snmpsim
//! serving edited copies of a real firewall's recording (snmpsim-data's
//! network/firewall/clavister-amaranten: 9 interfaces, all admin and oper up).
//!
//! Two devices, one snmpsim process listening on 127.0.0.1 and 127.0.0.2:
//! - `port5-down` (127.0.0.2): a copy with ifOperStatus.5 edited to down(2)
//!   while ifAdminStatus.5 stays up(1); the link-down alarm must name ifIndex 5.
//! - `live` (127.0.0.1): a copy whose sysUpTime.0 and ifOperStatus.3 records
//!   use snmpsim's writecache variation module: they answer the recorded
//!   value until an SNMP SET (net-snmp `snmpset`) changes it. Between polls
//!   the test takes interface 3 down and back up, and sets sysUpTime back
//!   from 43 days to 5 s, as a reboot would.
//!
//! The recorded sysUpTime is static, which the monitor accepts as a running
//! agent (it never goes back, and it is far longer than the test).
//! Every wait is bounded.

use std::net::Ipv4Addr;
use std::time::Duration;

use meridian_core::alarm::{device_object, interface_object};
use meridian_core::state::DeviceState;
use meridian_core::DeviceId;
use meridian_service::{App, AppConfig, CoreEvent, DeviceInput, SnmpVersion};
use meridian_testkit::{recording_text, replace_record, Snmpsim};

mod common;
use common::{fast, state_of, Events};

const RECORDING: &str = "network/firewall/clavister-amaranten";
const LIVE: &str = "meridian/clavister-live";
const PORT5_DOWN: &str = "meridian/clavister-port5-down";
const SYS_UPTIME: &str = "1.3.6.1.2.1.1.3.0";
const RECORDED_UPTIME: &str = "376093600";
const IF_ADMIN_STATUS: &str = "1.3.6.1.2.1.2.2.1.7";
const IF_OPER_STATUS: &str = "1.3.6.1.2.1.2.2.1.8";
const LINK_DOWN: &str = "lossOfSignal";
const REBOOT: &str = "reinitialized";

fn raised(e: &CoreEvent, cause: &str, object: &str) -> bool {
    matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.probable_cause == cause && alarm.managed_object == object)
}

fn cleared(e: &CoreEvent, cause: &str, object: &str) -> bool {
    matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.probable_cause == cause && alarm.managed_object == object)
}

fn raised_for(e: &CoreEvent, cause: &str, device: DeviceId) -> bool {
    matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.probable_cause == cause && alarm.device_id == Some(device))
}

/// The recording with `ifIndex`'s admin status checked to be up(1).
fn admin_up(text: &str, if_index: u32) {
    let admin = meridian_testkit::record_value(text, &format!("{IF_ADMIN_STATUS}.{if_index}"));
    assert_eq!(admin, Some("1"), "{RECORDING}: ifAdminStatus.{if_index} should be up");
}

/// `snmpset` one varbind on the live copy, as an operator's tool would.
fn set(sim: &Snmpsim, oid: &str, ty: &str, value: &str) {
    let out = sim
        .tool("snmpset", &["-v2c", "-c", LIVE, "-On", "-r1", "-t2", &sim.address(), oid, ty, value])
        .unwrap_or_else(|e| panic!("snmpset {oid} {ty} {value}: {e}"));
    assert!(out.contains(value), "snmpset {oid}: {out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn interface_down_and_reboot_are_detected_on_a_recorded_device() {
    let original = recording_text(RECORDING).unwrap_or_else(|e| panic!("{e}"));
    for i in [3, 5] {
        admin_up(&original, i);
        assert_eq!(meridian_testkit::record_value(&original, &format!("{IF_OPER_STATUS}.{i}")), Some("1"));
    }
    assert_eq!(meridian_testkit::record_value(&original, SYS_UPTIME), Some(RECORDED_UPTIME));
    let port5_down = replace_record(&original, &format!("{IF_OPER_STATUS}.5"), "2|2").expect("edit");
    let live = replace_record(&original, SYS_UPTIME, &format!("67:writecache|value={RECORDED_UPTIME}")).expect("edit");
    let live = replace_record(&live, &format!("{IF_OPER_STATUS}.3"), "2:writecache|value=1").expect("edit");

    let (a1, a2) = (Ipv4Addr::LOCALHOST, Ipv4Addr::new(127, 0, 0, 2));
    let sim = Snmpsim::builder()
        .edited(LIVE, live)
        .edited(PORT5_DOWN, port5_down)
        .addresses(&[a1, a2])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));

    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    app.add_community_credential("live", SnmpVersion::V2c, LIVE).await.expect("cred");
    app.add_community_credential("port5", SnmpVersion::V2c, PORT5_DOWN).await.expect("cred");
    let dev = |name: &str, addr: Ipv4Addr, cred: &str| DeviceInput {
        name: name.into(),
        address: addr.to_string(),
        credential: Some(cred.into()),
        snmp_port: Some(sim.port()),
        ..Default::default()
    };
    let live_id = app.add_device(dev("live", a1, "live")).await.expect("live").id;
    let down_id = app.add_device(dev("port5-down", a2, "port5")).await.expect("port5-down").id;

    let mut rx = Events::new(app.subscribe());
    // snmpsim is a Python process sharing two cores with the other tests.
    app.start_monitor(fast(Duration::from_secs(1), 1)).await.expect("start");

    // The edited copy: interface 5 down while admin up, from the first poll.
    let e =
        rx.wait_for(20, "link-down alarm for ifIndex 5", |e| raised(e, LINK_DOWN, &interface_object(down_id, 5))).await;
    if let CoreEvent::AlarmRaised { alarm } = &e {
        assert!(alarm.additional_text.contains("CNC (ifIndex 5)"), "{}", alarm.additional_text);
    }
    rx.wait_for(10, "port5-down Degraded", |e| state_of(e, "port5-down", DeviceState::Degraded)).await;

    // The live copy as recorded: every interface up, no alarm.
    rx.wait_for(10, "live Up", |e| state_of(e, "live", DeviceState::Up)).await;
    // Both devices poll once a second; six good SNMP polls in all mean
    // live's were read at least twice, as recorded.
    for _ in 0..75 {
        if app.monitor_status().await.is_some_and(|s| s.snmp_ok >= 6) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let status = app.monitor_status().await.expect("running");
    assert!(status.snmp_ok >= 6, "{status:?}");
    rx.drain();
    assert!(!rx.any(|e| raised_for(e, LINK_DOWN, live_id)), "unexpected link-down on live: {:#?}", rx.seen);
    assert!(!rx.any(|e| raised_for(e, REBOOT, live_id)), "static recorded uptime taken as a reboot: {:#?}", rx.seen);

    // ifAlias comes from ifXTable column 18 (hex-coded in the recording for
    // most rows; empty on row 9, which is stored as no alias).
    let ifs = app.device_interfaces(&"port5-down".into()).await.expect("interfaces");
    let alias = |i: u32| ifs.iter().find(|r| r.if_index == i).and_then(|r| r.alias.clone());
    assert_eq!((alias(3).as_deref(), alias(5).as_deref(), alias(9)), (Some("sfp3"), Some("Interface ge1"), None));

    // Interface 3 loses its link.
    set(&sim, &format!(".{IF_OPER_STATUS}.3"), "i", "2");
    let e =
        rx.wait_for(15, "link-down alarm for ifIndex 3", |e| raised(e, LINK_DOWN, &interface_object(live_id, 3))).await;
    if let CoreEvent::AlarmRaised { alarm } = &e {
        assert!(alarm.additional_text.contains("TEL_SFP3 (ifIndex 3)"), "{}", alarm.additional_text);
    }
    rx.wait_for(10, "live Degraded", |e| state_of(e, "live", DeviceState::Degraded)).await;

    // The agent restarts: sysUpTime goes from 43 days back to 5 s.
    set(&sim, &format!(".{SYS_UPTIME}"), "t", "500");
    let e = rx.wait_for(15, "reboot alarm", |e| raised(e, REBOOT, &device_object(live_id))).await;
    if let CoreEvent::AlarmRaised { alarm } = &e {
        assert_eq!(alarm.specific_problem, "sysUpTimeReset");
        assert!(alarm.additional_text.contains("sysUpTime is 5 s"), "{}", alarm.additional_text);
    }

    // The link comes back: its alarm clears; the reboot warning stays.
    set(&sim, &format!(".{IF_OPER_STATUS}.3"), "i", "1");
    rx.wait_for(15, "link-down alarm for ifIndex 3 cleared", |e| cleared(e, LINK_DOWN, &interface_object(live_id, 3)))
        .await;
    rx.wait_for(10, "live Up again", |e| state_of(e, "live", DeviceState::Up)).await;

    let active = app.list_alarms(true, 100).await.expect("alarms");
    // (A slow poll of the Python agent could add "SNMP not responding";
    // that is not what this test is about.)
    let mut keys: Vec<(String, String)> = active
        .iter()
        .filter(|a| a.probable_cause == LINK_DOWN || a.probable_cause == REBOOT)
        .map(|a| (a.managed_object.clone(), a.probable_cause.clone()))
        .collect();
    keys.sort();
    let mut want =
        vec![(device_object(live_id), REBOOT.to_owned()), (interface_object(down_id, 5), LINK_DOWN.to_owned())];
    want.sort();
    assert_eq!(keys, want, "{active:#?}");
    // Only the one edited interface of port5-down raised anything.
    assert!(!rx.any(|e| matches!(e, CoreEvent::AlarmRaised { alarm }
        if alarm.device_id == Some(down_id) && alarm.managed_object != interface_object(down_id, 5))));

    app.stop_monitor().await;
    app.close().await;
}
