//! `meridian discover` over every recording under `network/` and `os/` of
//! snmpsim-data, each served by its own snmpsim on its own loopback address
//! (127.1.2.1 upwards, one port), as a lab full of real devices would be.
//! The expected vendor and type of each recording are in
//! `tests/recordings/expected.tsv`, written by reading the recordings; the
//! issue's bar is the right vendor and type for at least 95% of them.
//! Then `meridian topology` must list the LLDP neighbours the recordings
//! carry, and a second discovery must add no duplicates.
//! `device inventory --refresh` reaches a device given by host name (a real
//! snmpd behind `localhost`).
//! Needs root (ICMP) and the snmpsim venv (`make deps`).

use std::collections::HashMap;
use std::net::Ipv4Addr;

use assert_cmd::Command;
use meridian_testkit::{Snmpd, Snmpsim};
use serde_json::Value;

const EXPECTED: &str = include_str!("../../../tests/recordings/expected.tsv");

struct Expect {
    recording: String,
    vendor: Option<String>,
    kind: String,
}

fn expected() -> Vec<Expect> {
    EXPECTED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "bad line in expected.tsv: {l:?}");
            Expect {
                recording: cols[0].to_string(),
                vendor: Some(cols[1].to_string()).filter(|v| v != "-"),
                kind: cols[2].to_string(),
            }
        })
        .collect()
}

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir")
        .arg(dir.path())
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL");
    c
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

fn discover(dir: &tempfile::TempDir, range: &str, port: u16) -> Vec<Value> {
    let out = meridian(dir)
        .args(["discover", range, "--community", "public", "--port", &port.to_string()])
        .args(["--timeout-ms", "4000", "--retries", "1", "--add", "--json"])
        .output()
        .expect("run meridian discover");
    assert!(out.status.success(), "discover failed: {}", String::from_utf8_lossy(&out.stderr));
    json_lines(&out.stdout)
}

#[test]
fn discover_names_the_recordings_and_finds_their_lldp_links() {
    let want = expected();
    assert_eq!(want.len(), 90, "every network/ and os/ recording");
    let lab: Vec<(Ipv4Addr, String)> = want
        .iter()
        .enumerate()
        .map(|(i, e)| (Ipv4Addr::new(127, 1, 2, u8::try_from(i + 1).expect("< 255")), e.recording.clone()))
        .collect();
    let sims = Snmpsim::fleet(&lab, 4).expect("snmpsim fleet");
    let port = sims[0].port();
    let dir = tempfile::tempdir().expect("tempdir");
    let range = format!("127.1.2.1-{}", lab.len());

    let lines = discover(&dir, &range, port);
    let found: HashMap<String, &Value> = lines
        .iter()
        .filter(|l| l["type"] == "discoveryFound")
        .map(|l| (l["device"]["address"].as_str().unwrap_or_default().to_string(), &l["device"]))
        .collect();
    let finished = lines.iter().find(|l| l["type"] == "discoveryFinished").expect("a finished line");
    assert_eq!(finished["run"]["state"], "completed", "{finished}");
    assert!(lines.iter().any(|l| l["type"] == "discoveryProgress"), "progress is reported");

    let mut right = 0;
    let mut table = String::new();
    let mut misses = Vec::new();
    for ((addr, rec), e) in lab.iter().zip(&want) {
        let d = found.get(&addr.to_string()).unwrap_or_else(|| panic!("{rec} on {addr} not found"));
        assert!(d["snmp"].is_object(), "{rec}: SNMP identity missing: {d}");
        let c = &d["classification"];
        let vendor = c["vendor"]["value"].as_str().map(str::to_string);
        let kind = c["kind"]["value"].as_str().unwrap_or("?").to_string();
        table.push_str(&format!(
            "{rec:<55} {:<22} {kind:<9} {:<20} {:<20} {}\n",
            vendor.as_deref().unwrap_or("-"),
            c["model"]["value"].as_str().unwrap_or("-"),
            c["os"]["value"].as_str().unwrap_or("-"),
            c["kind"]["confidence"]
        ));
        if vendor == e.vendor && kind == e.kind {
            right += 1;
        } else {
            misses.push(format!("{rec}: got {vendor:?}/{kind}, want {:?}/{}", e.vendor, e.kind));
        }
    }
    println!("{table}");
    println!("vendor and type right for {right}/{}; misses:\n{}", want.len(), misses.join("\n"));
    let share = f64::from(right) / want.len() as f64;
    assert!(
        share >= 0.95,
        "vendor and type right for {right}/{} ({share:.3}); misses:\n{}",
        want.len(),
        misses.join("\n")
    );

    // One device per agent: some recordings are second snapshots of an agent
    // already in the lab (same snmpEngineID: cisco-n5000 and -uk9, h3c-e528-1
    // and -2, linux unknown-005 and -008), and discovery folds those into one.
    let mut engines: Vec<String> = found
        .iter()
        .map(|(addr, d)| d["snmp"]["engineId"].as_str().map_or_else(|| addr.clone(), str::to_string))
        .collect();
    engines.sort();
    engines.dedup();
    let agents = engines.len();
    assert!((85..want.len()).contains(&agents), "{agents} distinct agents");
    let added = lines.iter().filter(|l| l["type"] == "deviceAdded").count();
    assert_eq!(added, agents, "every agent added once");
    // Their LLDP neighbours are links now.
    let out = meridian(&dir).args(["topology", "--json"]).output().expect("run topology");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let links: Value = serde_json::from_slice(&out.stdout).expect("topology JSON");
    let lldp: Vec<&Value> = links.as_array().expect("array").iter().filter(|l| l["protocol"] == "lldp").collect();
    assert!(!lldp.is_empty(), "the recordings' LLDP neighbours appear as links");
    assert!(lldp.iter().all(|l| !l["localName"].as_str().unwrap_or("").is_empty()));
    assert!(lldp.iter().all(|l| !l["remoteChassisId"].as_str().unwrap_or("").is_empty()
        || !l["remoteSysName"].as_str().unwrap_or("").is_empty()));
    let plain = meridian(&dir).args(["topology"]).output().expect("run topology");
    assert!(String::from_utf8_lossy(&plain.stdout).contains("lldp"));

    // The physical inventory of an added switch is stored and shown.
    let list = meridian(&dir).args(["device", "list", "--json"]).output().expect("list");
    let list: Value = serde_json::from_slice(&list.stdout).expect("JSON");
    let c3560 = lab.iter().find(|(_, r)| r == "network/switch/cisco-c3560").expect("in the lab").0.to_string();
    let name = list.as_array().expect("array").iter().find(|d| d["address"] == c3560.as_str()).expect("added")["name"]
        .as_str()
        .expect("name")
        .to_string();
    let inv = meridian(&dir).args(["device", "inventory", &name, "--json"]).output().expect("inventory");
    let inv: Value = serde_json::from_slice(&inv.stdout).expect("inventory JSON");
    let chassis = inv["entities"].as_array().expect("entities").iter().find(|e| e["class"] == 3).expect("a chassis");
    assert!(chassis["modelName"].as_str().is_some_and(|m| m.starts_with("WS-C3560")), "{chassis}");
    let shown = meridian(&dir).args(["device", "inventory", &name]).output().expect("inventory");
    assert!(String::from_utf8_lossy(&shown.stdout).contains("chassis"));

    // Again: all known, nothing added.
    let again = discover(&dir, &range, port);
    assert_eq!(again.iter().filter(|l| l["type"] == "deviceAdded").count(), 0, "re-discovery adds no duplicates");
    let devices = meridian(&dir).args(["device", "list", "--json"]).output().expect("list");
    let devices: Value = serde_json::from_slice(&devices.stdout).expect("JSON");
    assert_eq!(devices.as_array().map(Vec::len), Some(agents));
    drop(sims);
}

#[test]
fn discover_refuses_bad_and_oversized_ranges_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (range, needle) in [("127.1.0.0/33", "/33"), ("127.0.0.0/15", "more than the limit of 65536")] {
        let out = meridian(&dir).args(["discover", range, "--community", "public"]).output().expect("run");
        assert_eq!(out.status.code(), Some(1), "{range}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle) && err.contains("targets"), "{range}: {err}");
    }
    let runs = meridian(&dir).args(["discovery", "runs", "--json"]).output().expect("runs");
    assert_eq!(serde_json::from_slice::<Value>(&runs.stdout).expect("JSON"), Value::Array(vec![]));
}

#[test]
fn inventory_refresh_reaches_a_device_given_by_host_name() {
    let snmpd = Snmpd::start().expect("snmpd");
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir)
        .args(["credential", "add-v2c", "lab", "--community", "-"])
        .write_stdin("public\n")
        .assert()
        .success();
    let port = snmpd.port().to_string();
    let add = ["device", "add", "r1", "localhost", "--credential", "lab", "--snmp-port", port.as_str()];
    meridian(&dir).args(add).assert().success();
    let out = meridian(&dir).args(["device", "inventory", "r1", "--refresh", "--json"]).output().expect("inventory");
    assert!(out.status.success(), "refresh failed: {}", String::from_utf8_lossy(&out.stderr));
    let inv: Value = serde_json::from_slice(&out.stdout).expect("inventory JSON");
    assert!(inv["entities"].is_array() && inv["interfaces"].is_array(), "{inv}");
    let t = meridian(&dir).args(["device", "template", "r1", "--json"]).output().expect("template");
    let t: Value = serde_json::from_slice(&t.stdout).expect("template JSON");
    assert_eq!(t["template"], "linux-net-snmp", "the agent behind localhost answered and was classified");
}
