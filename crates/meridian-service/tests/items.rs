//! Custom items end to end against a real snmpd whose values the test drives
//! (a `pass` script reading files the test writes): field errors write
//! nothing, a rule on an item validates and raises and clears on the item's
//! samples, a counter item added while the monitor runs yields a rate.

use std::path::Path;
use std::time::Duration;

use meridian_core::alarm::Severity;
use meridian_core::rules::{Comparison, Hold, Level, Rule, RuleScope};
use meridian_service::{ApiErrorKind, CoreEvent, ItemInput, ItemKind};
use meridian_testkit::Snmpd;

mod common;
use common::{add_snmp_device, fast, open_app, Events};

/// A private subtree: `.1.0` an integer (gauge), `.2.0` a Counter32, each
/// read from a file of that name in `dir` at every GET. `pass_persist`, not
/// `pass`: snmpd reuses a `pass` command's output for the same command line
/// for up to 30 s (its exec cache), so a value polled alone by GET would
/// read stale; a persistent script is asked afresh every time.
const BASE: &str = ".1.3.6.1.4.1.99999";

fn pass_script(dir: &Path) -> String {
    let script = dir.join("items.sh");
    let body = format!(
        "#!/bin/sh\nwhile read cmd; do\n case \"$cmd\" in\n  PING) echo PONG;;\n  get) read oid; case \"$oid\" in\n   \
         {b}.1.0) printf '%s\\ninteger\\n%s\\n' \"$oid\" \"$(cat {d}/gauge)\";;\n   \
         {b}.2.0) printf '%s\\ncounter\\n%s\\n' \"$oid\" \"$(cat {d}/counter)\";;\n   *) echo NONE;;\n  esac;;\n  \
         getnext) read oid; echo NONE;;\n  set) read oid; read value; echo not-writable;;\n  *) exit 0;;\n esac\ndone\n",
        b = BASE,
        d = dir.display()
    );
    std::fs::write(&script, body).expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    format!("pass_persist {BASE} {}\n", script.display())
}

fn gauge(device: &str) -> ItemInput {
    ItemInput {
        device: Some(device.into()),
        name: "inlet_temp".into(),
        oid: format!("{BASE}.1.0"),
        unit: "celsius".into(),
        interval_secs: 1,
        ..Default::default()
    }
}

fn hot_rule() -> Rule {
    Rule {
        name: "Inlet hot".into(),
        enabled: true,
        metric: meridian_service::MetricKey::Template("inlet_temp".into()),
        instance: None,
        comparison: Comparison::Above,
        levels: vec![Level { severity: Severity::Major, raise: 80.0, clear: Some(70.0) }],
        raise_after: Hold::default(),
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope: RuleScope { all: true, ..RuleScope::default() },
        overrides: Vec::new(),
    }
}

fn rule_alarm(e: &CoreEvent, raised: bool) -> bool {
    match e {
        CoreEvent::AlarmRaised { alarm } if raised => alarm.additional_text.contains("Inlet hot"),
        CoreEvent::AlarmCleared { alarm } if !raised => alarm.additional_text.contains("Inlet hot"),
        _ => false,
    }
}

fn fields(e: meridian_service::ApiError) -> Vec<String> {
    assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
    e.fields.into_iter().map(|f| f.field).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_item_feeds_a_rule_and_a_counter_item_gives_a_rate() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("gauge"), "20").expect("gauge");
    std::fs::write(dir.path().join("counter"), "1000").expect("counter");
    let snmpd = Snmpd::start_with(&[std::net::Ipv4Addr::LOCALHOST], &pass_script(dir.path())).expect("snmpd");
    let app = open_app(&dir.path().join("data")).await;
    add_snmp_device(&app, "rack-1", snmpd.port()).await;

    // A rule on an item that does not exist yet is refused.
    assert_eq!(fields(app.put_rule(hot_rule()).await.expect_err("unknown metric")), ["metric"]);
    // Bad items are refused field by field and write nothing.
    let bad = [
        (ItemInput { oid: "1.3.x".into(), ..gauge("rack-1") }, "oid"),
        (ItemInput { name: String::new(), ..gauge("rack-1") }, "name"),
        (ItemInput { name: "cpu_pct".into(), ..gauge("rack-1") }, "name"),
        (ItemInput { interval_secs: 0, ..gauge("rack-1") }, "intervalSecs"),
        (ItemInput { interval_secs: 100_000, ..gauge("rack-1") }, "intervalSecs"),
        (gauge("no-such-device"), "device"),
        (ItemInput { device: None, template: Some("no-such".into()), ..gauge("x") }, "template"),
        (ItemInput { device: None, ..gauge("x") }, "device"),
    ];
    for (input, field) in bad {
        assert_eq!(fields(app.add_item(input.clone()).await.expect_err("refused")), [field], "{input:?}");
    }
    assert!(app.list_items().await.expect("list").is_empty(), "bad items wrote nothing");

    let view = app.add_item(gauge("rack-1")).await.expect("gauge item");
    assert_eq!(view.device_name.as_deref(), Some("rack-1"));
    app.put_rule(hot_rule()).await.expect("a rule on the item validates");
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(500), 1)).await.expect("monitor");

    std::fs::write(dir.path().join("gauge"), "85").expect("85");
    let raised = rx.wait_for(30, "the item rule's alarm", |e| rule_alarm(e, true)).await;
    let CoreEvent::AlarmRaised { alarm } = raised else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major);
    assert!(alarm.additional_text.contains("85"), "{alarm:?}");
    std::fs::write(dir.path().join("gauge"), "65").expect("65");
    rx.wait_for(30, "the item rule's alarm to clear", |e| rule_alarm(e, false)).await;

    // Added while the monitor runs: it is picked up without a restart.
    let counter = ItemInput {
        name: "rx_packets".into(),
        oid: format!("{BASE}.2.0"),
        unit: "packets".into(),
        kind: Some(ItemKind::Counter32),
        ..gauge("rack-1")
    };
    app.add_item(counter).await.expect("counter item");
    let mut rate = None;
    let mut n: u64 = 1000;
    for _ in 0..40 {
        n += 500;
        std::fs::write(dir.path().join("counter"), n.to_string()).expect("counter");
        tokio::time::sleep(Duration::from_millis(500)).await;
        let items = app.device_items("rack-1").await.expect("device items");
        assert_eq!(items.len(), 2, "{items:?}");
        if let Some(v) = items.iter().find(|i| i.item.name == "rx_packets").and_then(|i| i.value) {
            rate = Some(v);
            break;
        }
    }
    // 500 per ~0.5 s: about 1000/s; a first reading or a raw value would be absent or ~1e3+ in total.
    let rate = rate.expect("a rate from the counter item");
    assert!(rate > 100.0 && rate < 10_000.0, "rate {rate}");
    let items = app.device_items("rack-1").await.expect("device items");
    let temp = items.iter().find(|i| i.item.name == "inlet_temp").expect("gauge listed");
    assert_eq!(temp.value, Some(65.0), "the gauge's newest value");

    // An item on the device's template (generic: no classification yet) is
    // polled on it too, listed as inherited.
    let shelf = ItemInput { device: None, template: Some("generic".into()), name: "shelf_temp".into(), ..gauge("x") };
    app.add_item(shelf).await.expect("template item");
    let mut inherited = None;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let items = app.device_items("rack-1").await.expect("device items");
        inherited = items.into_iter().find(|i| i.item.name == "shelf_temp" && i.value.is_some());
        if inherited.is_some() {
            break;
        }
    }
    let inherited = inherited.expect("the template item polled on the device");
    assert!(inherited.inherited);
    assert_eq!(inherited.value, Some(65.0));

    // Removed: gone from the list, and a second remove is not found.
    app.remove_item(&view.id).await.expect("remove");
    assert_eq!(app.remove_item(&view.id).await.expect_err("gone").kind, ApiErrorKind::NotFound);
    app.stop_monitor().await;
    app.close().await;
}
