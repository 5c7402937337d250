//! Shared by the monitor tests: a fast monitor configuration and an event
//! recorder that waits, bounded, for an event without losing the others.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod backend;
pub mod notify;
pub mod snmptrap;
pub mod webhook;

use std::time::Duration;

use meridian_core::state::DeviceState;
use meridian_service::monitor::MonitorConfig;
use meridian_service::CoreEvent;
use tokio::sync::broadcast::Receiver;

/// One-second polls, one echo, short timeouts: a test sees state changes in
/// seconds. `snmp_timeout`/`snmp_retries` depend on how slow the agent is.
pub fn fast(snmp_timeout: Duration, snmp_retries: u32) -> MonitorConfig {
    let mut cfg = MonitorConfig::default();
    cfg.intervals.icmp = Duration::from_secs(1);
    cfg.intervals.snmp = Duration::from_secs(1);
    cfg.ping.count = 1;
    cfg.ping.timeout = Duration::from_millis(300);
    cfg.snmp_timeout = snmp_timeout;
    cfg.snmp_retries = snmp_retries;
    cfg.status_every = Duration::from_millis(500);
    // Tests of one behaviour are not to see the templates' default rules'
    // alarms beside their own; `default_rules.rs` tests those.
    cfg.default_rules = false;
    cfg
}

/// Every event seen so far, so a wait also finds one that arrived while the
/// test was waiting for another.
pub struct Events {
    rx: Receiver<CoreEvent>,
    pub seen: Vec<CoreEvent>,
}

impl Events {
    pub fn new(rx: Receiver<CoreEvent>) -> Self {
        Self { rx, seen: Vec::new() }
    }

    /// Waits (at most `secs`) for an event matching `pred`; consumes it.
    pub async fn wait_for(&mut self, secs: u64, what: &str, pred: impl Fn(&CoreEvent) -> bool) -> CoreEvent {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Ok(e)) if pred(&e) => return e,
                Ok(Ok(e)) => self.seen.push(e),
                Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
                Ok(Err(e)) => panic!("event bus closed while waiting for {what}: {e}"),
                Err(_) => panic!("no {what} within {secs}s; saw {:#?}", self.seen),
            }
        }
    }

    /// Takes in whatever arrived so far without waiting.
    pub fn drain(&mut self) {
        while let Ok(e) = self.rx.try_recv() {
            self.seen.push(e);
        }
    }

    pub fn any(&self, pred: impl Fn(&CoreEvent) -> bool) -> bool {
        self.seen.iter().any(pred)
    }
}

pub fn state_of(e: &CoreEvent, name: &str, to: DeviceState) -> bool {
    matches!(e, CoreEvent::DeviceStateChanged { name: n, to: t, .. } if n == name && *t == to)
}

/// One util-linux `logger` line from app `bgpd`, RFC 5424 over TCP to the
/// receiver on 127.0.0.1:`port`.
pub fn bgpd_logger(port: u16, priority: &str, text: &str) {
    let ok = std::process::Command::new("logger")
        .args([
            "--rfc5424",
            "--tcp",
            "--server",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "-t",
            "bgpd",
            "-p",
            priority,
        ])
        .arg(text)
        .status()
        .expect("util-linux logger")
        .success();
    assert!(ok, "logger {text}");
}

/// An app on the embedded store with the file vault (its key outside the
/// data directory), as most monitor tests open one.
pub async fn open_app(dir: &std::path::Path) -> meridian_service::App {
    let mut cfg = meridian_service::AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    meridian_service::App::open(cfg).await.expect("open")
}

/// A device on 127.0.0.1 polled over SNMP v2c (community `public`) at `port`.
pub async fn add_snmp_device(app: &meridian_service::App, name: &str, port: u16) {
    if app.list_credentials().await.expect("credentials").iter().all(|c| c.name != "lab") {
        app.add_community_credential("lab", meridian_service::SnmpVersion::V2c, "public").await.expect("cred");
    }
    let input = meridian_service::DeviceInput {
        name: name.into(),
        address: "127.0.0.1".into(),
        credential: Some("lab".into()),
        snmp_port: Some(port),
        ..Default::default()
    };
    app.add_device(input).await.expect("device");
}

/// hrProcessorLoad (HOST-RESOURCES-MIB), driven by [`cpu_script`].
pub const HR_PROCESSOR_LOAD: &str = ".1.3.6.1.2.1.25.3.3.1.2";

/// hrProcessorLoad.1 = the number in `value` for GET and GETNEXT, asked
/// afresh each time (`pass_persist`: snmpd caches a `pass` command's output).
pub fn cpu_script(dir: &std::path::Path, value: &std::path::Path) -> String {
    let script = dir.join("cpu.sh");
    let body = format!(
        "#!/bin/sh\nO={o}.1\nwhile read cmd; do\n case \"$cmd\" in\n  PING) echo PONG;;\n  \
         get) read oid; if [ \"$oid\" = \"$O\" ]; then printf '%s\\ninteger\\n%s\\n' \"$O\" \"$(cat {v})\"; else echo NONE; fi;;\n  \
         getnext) read oid; case \"$oid\" in {o}|{o}.0) printf '%s\\ninteger\\n%s\\n' \"$O\" \"$(cat {v})\";; *) echo NONE;; esac;;\n  \
         set) read oid; read value; echo not-writable;;\n  *) exit 0;;\n esac\ndone\n",
        o = HR_PROCESSOR_LOAD,
        v = value.display()
    );
    std::fs::write(&script, body).expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    // Priority 10 beats the agent's own host-resources table (127).
    format!("pass_persist -p 10 {HR_PROCESSOR_LOAD} {}\n", script.display())
}

/// A real snmpd on 127.0.0.1 whose hrProcessorLoad.1 reads the file `cpu` in
/// `dir` (written "10" here; the test writes what it needs next), an app in
/// `dir/data`, and the agent added as the device `name`.
pub async fn cpu_agent(
    dir: &std::path::Path,
    name: &str,
) -> (meridian_testkit::Snmpd, meridian_service::App, std::path::PathBuf) {
    let value = dir.join("cpu");
    std::fs::write(&value, "10").expect("value");
    let snmpd =
        meridian_testkit::Snmpd::start_with(&[std::net::Ipv4Addr::LOCALHOST], &cpu_script(dir, &value)).expect("snmpd");
    let app = open_app(&dir.join("data")).await;
    add_snmp_device(&app, name, snmpd.port()).await;
    (snmpd, app, value)
}
