//! Alarm rules end to end: stored through `App`, evaluated by the running
//! monitor on samples polled from a real snmpd whose CPU load the test
//! drives (a `pass` script reading a file), and the rule file checks.

use std::path::Path;
use std::time::Duration;

use meridian_core::alarm::Severity;
use meridian_core::rules::{Comparison, Hold, Level, Rule, RuleScope};
use meridian_service::{ApiErrorKind, App, AppConfig, Builtin, CoreEvent, DeviceInput, SnmpVersion};
use meridian_testkit::Snmpd;

mod common;
use common::{fast, Events};

const HR_PROCESSOR_LOAD: &str = ".1.3.6.1.2.1.25.3.3.1.2";

/// hrProcessorLoad.1 = the number in `value`, for GET and GETNEXT.
fn pass_script(dir: &Path, value: &Path) -> String {
    let script = dir.join("cpu.sh");
    let body = format!(
        "#!/bin/sh\nV=$(cat {v})\nO={o}.1\ncase \"$1\" in\n -g) [ \"$2\" = \"$O\" ] && printf '%s\\ninteger\\n%s\\n' \"$O\" \"$V\";;\n \
         -n) case \"$2\" in {o}|{o}.0) printf '%s\\ninteger\\n%s\\n' \"$O\" \"$V\";; esac;;\nesac\nexit 0\n",
        v = value.display(),
        o = HR_PROCESSOR_LOAD
    );
    std::fs::write(&script, body).expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    // Priority 10 beats the agent's own host-resources table (127), which
    // registers the same column.
    format!("pass -p 10 {HR_PROCESSOR_LOAD} {}\n", script.display())
}

fn cpu_rule() -> Rule {
    Rule {
        name: "CPU high".into(),
        enabled: true,
        metric: Builtin::CpuPct.into(),
        instance: None,
        comparison: Comparison::Above,
        levels: vec![Level { severity: Severity::Major, raise: 80.0, clear: Some(70.0) }],
        raise_after: Hold { samples: 2 },
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope: RuleScope { all: true, ..RuleScope::default() },
        overrides: Vec::new(),
    }
}

fn rule_alarm(e: &CoreEvent, raised: bool) -> bool {
    match e {
        CoreEvent::AlarmRaised { alarm } if raised => alarm.probable_cause == "thresholdCrossed",
        CoreEvent::AlarmCleared { alarm } if !raised => alarm.probable_cause == "thresholdCrossed",
        _ => false,
    }
}

async fn open(dir: &Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cpu_rule_raises_once_ignores_swings_and_clears() {
    let dir = tempfile::tempdir().expect("tempdir");
    let value = dir.path().join("cpu");
    std::fs::write(&value, "10").expect("value");
    let extra = pass_script(dir.path(), &value);
    let snmpd = Snmpd::start_with(&[std::net::Ipv4Addr::LOCALHOST], &extra).expect("snmpd");
    let app = open(&dir.path().join("data")).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("cred");
    let input = DeviceInput {
        name: "core-1".into(),
        address: "127.0.0.1".into(),
        credential: Some("lab".into()),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    app.add_device(input).await.expect("device");
    app.put_rule(cpu_rule()).await.expect("rule");
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(500), 1)).await.expect("monitor");

    std::fs::write(&value, "85").expect("85");
    let raised = rx.wait_for(30, "the rule's alarm", |e| rule_alarm(e, true)).await;
    let CoreEvent::AlarmRaised { alarm } = raised else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major);
    assert!(alarm.specific_problem.starts_with("rule:"), "{alarm:?}");
    assert!(alarm.additional_text.contains("CPU high") && alarm.additional_text.contains("80"), "{alarm:?}");

    // Between the clear and the raise value nothing new happens.
    for v in ["79", "81", "79", "81"] {
        std::fs::write(&value, v).expect("swing");
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    rx.drain();
    assert!(!rx.any(|e| rule_alarm(e, true) || rule_alarm(e, false)), "swings raised or cleared: {:#?}", rx.seen);
    let active = app.list_alarms(true, 100).await.expect("alarms");
    assert_eq!(active.iter().filter(|a| a.probable_cause == "thresholdCrossed").count(), 1, "{active:#?}");

    std::fs::write(&value, "65").expect("65");
    rx.wait_for(30, "the rule's alarm to clear", |e| rule_alarm(e, false)).await;
    app.stop_monitor().await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rule_files_are_checked_whole_and_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let bad = "[[rule]]\nname = \"x\"\nmetric = \"cpu_pct\"\ncomparison = \"above\"\nlevels = [{ severity = \"major\", raise = 80, clear = 90 }]\nscope = { all = true }\n\
               [[rule]]\nname = \"y\"\nmetric = \"no_such\"\ncomparison = \"above\"\nlevels = [{ severity = \"major\", raise = 1 }]\nscope = {}\n";
    let err = app.import_rules(bad, false).await.expect_err("refused");
    assert_eq!(err.kind, ApiErrorKind::Validation);
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    for f in ["rule[0].levels[0].clear", "rule[1].metric", "rule[1].scope"] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
    assert!(app.list_rules().await.expect("list").is_empty(), "a bad file writes nothing");
    let err = app.import_rules("nonsense = [", false).await.expect_err("not TOML");
    assert_eq!(err.fields.first().map(|f| f.field.as_str()), Some("file"));

    app.put_rule(cpu_rule()).await.expect("put");
    let exported = app.export_rules().await.expect("export");
    assert_eq!(app.import_rules(&exported, true).await.expect("dry run"), ["CPU high"]);
    let mut changed = cpu_rule();
    changed.levels[0].raise = 90.0;
    let id = app.list_rules().await.expect("list")[0].id.clone();
    let view = app.put_rule(changed).await.expect("replace by name");
    assert_eq!(view.id, id, "replacing keeps the id its alarms name");
    assert_eq!(view.rule.levels[0].raise, 90.0);
    app.remove_rule("CPU high").await.expect("remove");
    assert_eq!(app.remove_rule("CPU high").await.expect_err("gone").kind, ApiErrorKind::NotFound);
    app.close().await;
}
