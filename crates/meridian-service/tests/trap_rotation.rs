//! A running trap receiver follows a rotated credential at once: after
//! `rotate_credential`, net-snmp's `snmptrap` with the old v3 pass phrase
//! is refused (counted as an authentication failure) and one with the new
//! pass phrase is accepted, without restarting the monitor.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use meridian_service::{App, AppConfig, SecretInput, TrapCredential, TrapSettings};

mod common;
use common::{fast, snmptrap};

const SENDER_ENGINE: &str = "8000000001020305";

fn v3_trap(to: &str, auth_pass: &str) -> Vec<String> {
    let mut a = snmptrap::v3(SENDER_ENGINE, to, auth_pass, snmptrap::LINK_DOWN);
    a.extend(snmptrap::strings(&["1.3.6.1.2.1.2.2.1.1.2", "i", "2"]));
    a
}

/// Waits until the receiver's counters satisfy `done`; returns (decoded, auth failures).
async fn counters(app: &App, done: impl Fn(u64, u64) -> bool) -> (u64, u64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, _, s) = app.trap_receiver_status().await.expect("receiver runs");
        if done(s.decoded, s.auth_failures) || Instant::now() > deadline {
            return (s.decoded, s.auth_failures);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_v3_pass_phrase_takes_effect_in_the_running_receiver() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().join("app"));
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    app.add_usm_credential(snmptrap::ops_user()).await.expect("usm");
    let accept = TrapCredential { credential: "ops".into(), engine_id: Some(SENDER_ENGINE.into()) };
    app.set_trap_settings(TrapSettings { credentials: vec![accept], ..Default::default() }).await.expect("settings");
    let port = std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()).expect("port").port();
    let to = format!("127.0.0.1:{port}");
    let mut mcfg = fast(Duration::from_millis(500), 0);
    mcfg.traps = Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    app.start_monitor(mcfg).await.expect("monitor with traps");

    snmptrap::send(dir.path(), "snmptrap", v3_trap(&to, "authpass123")).await;
    assert_eq!(counters(&app, |d, _| d >= 1).await, (1, 0), "the first pass phrase is accepted");

    let secret =
        SecretInput { auth_pass: Some("rotated456".into()), priv_pass: Some("privpass123".into()), community: None };
    app.rotate_credential("ops", secret).await.expect("rotate");
    snmptrap::send(dir.path(), "snmptrap", v3_trap(&to, "authpass123")).await;
    assert_eq!(counters(&app, |_, f| f >= 1).await, (1, 1), "the old pass phrase is refused");
    snmptrap::send(dir.path(), "snmptrap", v3_trap(&to, "rotated456")).await;
    assert_eq!(counters(&app, |d, _| d >= 2).await, (2, 1), "the new pass phrase is accepted");
    app.stop_monitor().await;
    app.close().await;
}
