//! The templates' default rules: installed once and never again (a user's
//! edit, disable or removal survives the next start), and evaluated on a
//! device polled with the template: a real snmpd whose CPU load the test
//! drives (hrProcessorLoad from a `pass_persist` script reading a file)
//! raises the generic template's "CPU high".

use std::path::Path;
use std::time::Duration;

use meridian_core::alarm::Severity;
use meridian_service::{CoreEvent, DeviceKey, MetricKey};
use meridian_testkit::Snmpd;

mod common;
use common::{add_snmp_device, cpu_agent, fast, open_app, Events};

#[tokio::test(flavor = "multi_thread")]
async fn defaults_install_once_and_a_users_changes_survive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open_app(dir.path()).await;
    let first = app.seed_default_rules().await.expect("seed");
    assert!(first.iter().any(|n| n == "CPU high") && first.iter().any(|n| n == "UPS on battery"), "{first:?}");
    for name in ["Interface utilisation in", "Interface utilisation out", "Packet loss"] {
        assert!(first.iter().any(|n| n == name), "{name} not seeded: {first:?}");
    }
    let rules = app.list_rules().await.expect("rules");
    assert_eq!(rules.len(), first.len());
    let ups = rules.iter().find(|r| r.rule.name == "UPS on battery").expect("ups rule");
    assert_eq!(ups.rule.scope.templates, ["ups"]);

    // The user disables one and removes another; a restart changes neither.
    let mut cpu = rules.iter().find(|r| r.rule.name == "CPU high").expect("cpu").rule.clone();
    cpu.enabled = false;
    app.put_rule(cpu).await.expect("disable");
    app.remove_rule("Round trip high").await.expect("remove");
    app.close().await;
    let app = open_app(dir.path()).await;
    assert!(app.seed_default_rules().await.expect("again").is_empty(), "nothing installed twice");
    let rules = app.list_rules().await.expect("rules");
    assert_eq!(rules.len(), first.len() - 1);
    assert!(!rules.iter().find(|r| r.rule.name == "CPU high").expect("cpu").rule.enabled, "still disabled");
    assert!(rules.iter().all(|r| r.rule.name != "Round trip high"), "still removed");
    app.close().await;
}

/// Polls `device` with the linux-net-snmp template (what classifying the
/// agent selects, set outright so the test does not wait for the hourly
/// inventory pass) and the default rules installed.
async fn start_with_defaults(app: &meridian_service::App, device: &str) -> Events {
    app.set_device_template(&DeviceKey::from(device), Some("linux-net-snmp")).await.expect("template");
    let rx = Events::new(app.subscribe());
    let mut cfg = fast(Duration::from_millis(500), 1);
    cfg.default_rules = true;
    app.start_monitor(cfg).await.expect("monitor");
    rx
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_polled_with_a_template_gets_its_default_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_snmpd, app, value) = cpu_agent(dir.path(), "srv-1").await;
    let mut rx = start_with_defaults(&app, "srv-1").await;
    let cpu =
        app.list_rules().await.expect("rules").into_iter().find(|r| r.rule.name == "CPU high").expect("installed");
    assert_eq!(cpu.rule.metric, MetricKey::from(meridian_service::Builtin::CpuPct));
    assert!(cpu.rule.scope.templates.iter().any(|t| t == "linux-net-snmp"), "{:?}", cpu.rule.scope);

    std::fs::write(&value, "97").expect("97");
    let raised = rx
        .wait_for(
            30,
            "the default CPU rule's alarm",
            |e| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.additional_text.contains("CPU high")),
        )
        .await;
    let CoreEvent::AlarmRaised { alarm } = raised else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major, "97 is past the major level (95)");
    std::fs::write(&value, "20").expect("20");
    rx.wait_for(
        30,
        "the default CPU rule's alarm to clear",
        |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.additional_text.contains("CPU high")),
    )
    .await;
    app.stop_monitor().await;
    app.close().await;
}

const IF_HC_IN_OCTETS: &str = ".1.3.6.1.2.1.31.1.1.1.6";

/// ifHCInOctets.1 (loopback, 10 Mbit/s in net-snmp) counting 2.5 MB/s from
/// the clock: 20 Mbit/s, twice the interface's speed, so every rate the
/// monitor works out is well past the 90 % level whatever the poll spacing.
fn octets_script(dir: &Path) -> String {
    let script = dir.join("octets.sh");
    let body = format!(
        "#!/bin/sh\nO={o}.1\nv() {{ echo $(( $(date +%s%N) / 400 )); }}\nwhile read cmd; do\n case \"$cmd\" in\n  PING) echo PONG;;\n  \
         get) read oid; if [ \"$oid\" = \"$O\" ]; then printf '%s\\ncounter64\\n%s\\n' \"$O\" \"$(v)\"; else echo NONE; fi;;\n  \
         getnext) read oid; case \"$oid\" in {o}|{o}.0) printf '%s\\ncounter64\\n%s\\n' \"$O\" \"$(v)\";; *) echo NONE;; esac;;\n  \
         set) read oid; read value; echo not-writable;;\n  *) exit 0;;\n esac\ndone\n",
        o = IF_HC_IN_OCTETS,
    );
    std::fs::write(&script, body).expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    format!("pass_persist -p 10 {IF_HC_IN_OCTETS} {}\n", script.display())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_interface_past_its_speed_raises_the_default_utilisation_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snmpd = Snmpd::start_with(&[std::net::Ipv4Addr::LOCALHOST], &octets_script(dir.path())).expect("snmpd");
    let app = open_app(&dir.path().join("data")).await;
    add_snmp_device(&app, "sw-1", snmpd.port()).await;
    let mut rx = start_with_defaults(&app, "sw-1").await;
    let raised = rx
        .wait_for(
            30,
            "the default utilisation rule's alarm",
            |e| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.additional_text.contains("Interface utilisation in")),
        )
        .await;
    let CoreEvent::AlarmRaised { alarm } = raised else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major, "{}", alarm.additional_text);
    assert!(alarm.additional_text.contains("if_in_util_pct"), "{}", alarm.additional_text);
    app.stop_monitor().await;
    app.close().await;
}
