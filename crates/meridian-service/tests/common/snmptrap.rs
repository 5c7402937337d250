//! net-snmp's `snmptrap`/`snmpinform` command lines for the trap tests: one
//! v3 sender (user `ops`, authPriv SHA/AES) and the linkDown/linkUp varbinds
//! of ifIndex 2, so every test speaks to the receiver the same way.

use std::path::Path;
use std::process::Output;

use meridian_service::UsmInput;

pub const LINK_DOWN: &str = "1.3.6.1.6.3.1.1.5.3";
pub const LINK_UP: &str = "1.3.6.1.6.3.1.1.5.4";

pub fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|x| (*x).to_owned()).collect()
}

/// ifIndex 2, admin up, oper `oper` (1 up, 2 down).
pub fn link(oper: &str) -> Vec<String> {
    strings(&["1.3.6.1.2.1.2.2.1.1.2", "i", "2", "1.3.6.1.2.1.2.2.1.7.2", "i", "1", "1.3.6.1.2.1.2.2.1.8.2", "i", oper])
}

/// A v3 authPriv notification `trap` from engine `engine` (hex) as `ops`,
/// without varbinds: the caller appends them.
pub fn v3(engine: &str, to: &str, auth_pass: &str, trap: &str) -> Vec<String> {
    let engine = format!("0x{engine}");
    strings(&[
        "-v",
        "3",
        "-e",
        &engine,
        "-u",
        "ops",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        auth_pass,
        "-x",
        "AES",
        "-X",
        "privpass123",
        to,
        "",
        trap,
    ])
}

/// The v3 user `v3()` sends as.
pub fn ops_user() -> UsmInput {
    UsmInput {
        name: "ops".into(),
        user: "ops".into(),
        auth_proto: Some("SHA".into()),
        auth_pass: Some("authpass123".into()),
        priv_proto: Some("AES".into()),
        priv_pass: Some("privpass123".into()),
    }
}

pub async fn tool(dir: &Path, name: &str, args: Vec<String>) -> Output {
    let mut c = meridian_testkit::net_snmp_tool(dir, name, &args.iter().map(String::as_str).collect::<Vec<_>>());
    tokio::task::spawn_blocking(move || c.output().expect("run net-snmp tool")).await.expect("join")
}

/// Runs the tool and requires it to succeed.
pub async fn send(dir: &Path, name: &str, args: Vec<String>) {
    let out = tool(dir, name, args).await;
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
}
