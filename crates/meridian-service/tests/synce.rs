//! SyncE quality levels end to end against a real snmpd: a `pass_persist`
//! script (written here, driven by a file the test rewrites) serves the
//! CISCO-NETSYNC-MIB input-source and selected-source tables; no recording
//! of a real device with that MIB is at hand. The monitor stores each
//! source's level, the Timing tab's list shows it, and a source that falls
//! from QL-PRC to QL-SEC raises an alarm that clears when it recovers.

use meridian_core::clock::problem::SYNCE_QL_DEGRADED;
use std::path::Path;
use std::time::Duration;

use meridian_core::alarm::Severity;
use meridian_service::CoreEvent;
use meridian_testkit::Snmpd;

mod common;
use common::{add_snmp_device, fast, open_app, Events};

/// ciscoNetsyncMIB's tables: `.1.1.3.1` input sources, `.1.1.2.1` selected.
const BASE: &str = ".1.3.6.1.4.1.9.9.761";

/// `state` holds one line per source, "index name ql", and a last line
/// "selected NAME". The script rebuilds the table from it at every request,
/// so GETNEXT walks see the newest values.
fn pass_script(dir: &Path) -> String {
    let script = dir.join("netsync.py");
    let body = format!(
        r#"#!/usr/bin/python3
import sys
BASE = tuple(int(x) for x in "{base}".strip(".").split("."))
def table():
    rows = []
    for line in open("{state}"):
        f = line.split()
        if len(f) == 2 and f[0] == "selected":
            rows.append((BASE + (1, 1, 2, 1, 2, 1), "string", f[1]))
        elif len(f) == 3:
            i = int(f[0])
            rows.append((BASE + (1, 1, 3, 1, 2, i), "string", f[1]))
            rows.append((BASE + (1, 1, 3, 1, 11, i), "integer", f[2]))
    return sorted(rows)
def oid(s):
    return tuple(int(x) for x in s.strip().strip(".").split(".") if x)
def show(r):
    print("." + ".".join(map(str, r[0])))
    print(r[1])
    print(r[2])
while True:
    cmd = sys.stdin.readline().strip()
    if not cmd:
        break
    if cmd == "PING":
        print("PONG")
    elif cmd in ("get", "getnext"):
        want = oid(sys.stdin.readline())
        rows = table()
        hit = [r for r in rows if (r[0] == want if cmd == "get" else r[0] > want)]
        show(hit[0]) if hit else print("NONE")
    elif cmd == "set":
        sys.stdin.readline(); sys.stdin.readline()
        print("not-writable")
    sys.stdout.flush()
"#,
        base = BASE,
        state = dir.join("state").display()
    );
    std::fs::write(&script, body).expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    format!("pass_persist {BASE} {}\n", script.display())
}

fn set_state(dir: &Path, gi1: u32, gi2: u32) {
    let body = format!("1 Gi0/0/1 {gi1}\n2 Gi0/0/2 {gi2}\nselected Gi0/0/1\n");
    std::fs::write(dir.join("state"), body).expect("state");
}

fn synce_alarm(e: &CoreEvent, raised: bool) -> bool {
    match e {
        CoreEvent::AlarmRaised { alarm } if raised => alarm.specific_problem == SYNCE_QL_DEGRADED,
        CoreEvent::AlarmCleared { alarm } if !raised => alarm.specific_problem == SYNCE_QL_DEGRADED,
        _ => false,
    }
}

async fn levels(app: &meridian_service::App) -> Vec<(String, String, bool)> {
    let list = app.synce_sources().await.expect("synce sources");
    list.into_iter().map(|s| (s.source, s.quality_level, s.alarm.is_some())).collect()
}

/// Polls the list (bounded) until it reads `want`.
async fn wait_levels(app: &meridian_service::App, want: &[(&str, &str, bool)]) {
    let want: Vec<(String, String, bool)> = want.iter().map(|(a, b, c)| ((*a).into(), (*b).into(), *c)).collect();
    let mut got = Vec::new();
    for _ in 0..60 {
        got = levels(app).await;
        if got == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("SyncE list never read {want:?}; last {got:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_degraded_quality_level_raises_and_clears_an_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    // PRC on the selected port; DNU on the standby, which G.781 sends back
    // on a port a neighbour is locked from: normal, never alarmed.
    set_state(dir.path(), 22, 2);
    let snmpd = Snmpd::start_with(&[std::net::Ipv4Addr::LOCALHOST], &pass_script(dir.path())).expect("snmpd");
    let app = open_app(&dir.path().join("data")).await;
    add_snmp_device(&app, "csr-1", snmpd.port()).await;
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(500), 1)).await.expect("monitor");

    wait_levels(&app, &[("Gi0/0/1", "QL-PRC", false), ("Gi0/0/2", "QL-DNU", false)]).await;

    // PRC -> SEC on the selected source: a major alarm naming both levels.
    set_state(dir.path(), 25, 2);
    let raised = rx.wait_for(30, "the SyncE degradation alarm", |e| synce_alarm(e, true)).await;
    let CoreEvent::AlarmRaised { alarm } = raised else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major, "{alarm:?}");
    assert!(alarm.managed_object.ends_with(",synce=Gi0/0/1"), "{alarm:?}");
    assert!(alarm.additional_text.contains("QL-SEC") && alarm.additional_text.contains("expected QL-PRC"), "{alarm:?}");
    wait_levels(&app, &[("Gi0/0/1", "QL-SEC", true), ("Gi0/0/2", "QL-DNU", false)]).await;

    // A number outside the MIB's enumeration is dropped, not guessed; the
    // other source is still read.
    set_state(dir.path(), 25, 99);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(levels(&app).await[0], ("Gi0/0/1".into(), "QL-SEC".into(), true));

    // Back to PRC: the alarm clears.
    set_state(dir.path(), 22, 2);
    rx.wait_for(30, "the SyncE alarm to clear", |e| synce_alarm(e, false)).await;
    wait_levels(&app, &[("Gi0/0/1", "QL-PRC", false), ("Gi0/0/2", "QL-DNU", false)]).await;
    assert_eq!(rx.seen.iter().filter(|e| synce_alarm(e, true)).count(), 0, "raised once");

    app.stop_monitor().await;
    app.close().await;
}
