//! `meridian mib ...` and named `snmp walk/get` end to end: names agree with
//! net-snmp's tools reading the same shipped MIBs (`snmptranslate`,
//! `snmpbulkwalk -M mibs -m ALL`) against the real snmpd of
//! `meridian_testkit`; `-On` stays numeric; a vendor directory with a bad
//! file is reported by file and line. No data directory is needed.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use meridian_testkit::Snmpd;
use serde_json::Value;

fn mibs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../mibs")
}

fn meridian() -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-mib-test")
        .env("MERIDIAN_CONFIG", "/dev/null")
        .env_remove("MERIDIAN_MIB_DIR")
        .env_remove("MERIDIAN_DATABASE_URL");
    c
}

fn run(args: &[&str]) -> Output {
    meridian().args(args).output().expect("run meridian")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    stdout(o)
}

fn snmpd() -> &'static Snmpd {
    static SNMPD: OnceLock<Snmpd> = OnceLock::new();
    SNMPD.get_or_init(|| Snmpd::start().unwrap_or_else(|e| panic!("snmpd: {e}")))
}

/// A net-snmp tool reading only the shipped MIBs.
fn net_snmp_named(tool: &str, args: &[&str]) -> Vec<String> {
    let dir = mibs_dir();
    let mut all = vec!["-M", dir.to_str().expect("utf-8"), "-m", "ALL"];
    all.extend_from_slice(args);
    let out = snmpd().tool(tool, &all).unwrap_or_else(|e| panic!("{tool}: {e}"));
    out.lines().map(str::to_owned).collect()
}

#[test]
fn translate_both_ways_as_snmptranslate() {
    let out = ok(&run(&["mib", "translate", ".1.3.6.1.2.1.31.1.1.1.1.4"]));
    assert_eq!(out.trim(), net_snmp_named("snmptranslate", &[".1.3.6.1.2.1.31.1.1.1.1.4"])[0]);
    let out = ok(&run(&["mib", "translate", "IF-MIB::linkDown"]));
    assert_eq!(out.trim(), net_snmp_named("snmptranslate", &["-On", "IF-MIB::linkDown"])[0]);
    let out = ok(&run(&["mib", "translate", "sysName.0", "--json"]));
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!((v["oid"].as_str(), v["name"].as_str()), (Some("1.3.6.1.2.1.1.5.0"), Some("SNMPv2-MIB::sysName.0")));
    let o = run(&["mib", "translate", "IF-MIB::ifNoSuchThing"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown MIB name"), "{o:?}");
}

#[test]
fn show_search_and_list() {
    let out = ok(&run(&["mib", "show", "ifOperStatus"]));
    assert!(out.starts_with("IF-MIB::ifOperStatus\n"), "{out}");
    for want in ["oid: .1.3.6.1.2.1.2.2.1.8", "down(2)", "lowerLayerDown(7)", "description:"] {
        assert!(out.contains(want), "{want:?} not in {out}");
    }
    let out = ok(&run(&["mib", "search", "physaddress"]));
    assert!(
        out.lines().any(|l| l.starts_with("IF-MIB::ifPhysAddress ") && l.contains(".1.3.6.1.2.1.2.2.1.6")),
        "{out}"
    );
    let out = ok(&run(&["mib", "list"]));
    for m in ["SNMPv2-MIB\tshipped", "IF-MIB\tshipped", "MERIDIAN-ALARM-MIB\tshipped"] {
        assert!(out.lines().any(|l| l == m), "{m:?} not in {out}");
    }
    assert!(!out.contains("error:"), "{out}");
}

#[test]
fn a_vendor_dir_with_a_bad_file_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../meridian-probe/tests/corpus/mib_text");
    std::fs::copy(corpus.join("good_smiv2.txt"), dir.path().join("TEST-GOOD-MIB.txt")).expect("copy");
    std::fs::copy(corpus.join("bad_clause.txt"), dir.path().join("TEST-BAD-MIB.txt")).expect("copy");
    let d = dir.path().to_str().expect("utf-8");
    let out = ok(&run(&["mib", "list", "--mib-dir", d]));
    assert!(out.lines().any(|l| l.starts_with("TEST-GOOD-MIB\t") && l.ends_with("TEST-GOOD-MIB.txt")), "{out}");
    let bad =
        out.lines().find(|l| l.starts_with("error: ") && l.contains("TEST-BAD-MIB.txt:")).expect("bad file listed");
    let line: u32 = bad
        .split("TEST-BAD-MIB.txt:")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line in {bad:?}"));
    assert!(line >= 1, "{bad}");
    // The setting's environment variable works too.
    let out = meridian().env("MERIDIAN_MIB_DIR", d).args(["mib", "translate", "TEST-GOOD-MIB::testState"]).output();
    assert_eq!(ok(&out.expect("run")).trim(), ".1.3.6.1.4.1.99991.1.1");
}

#[test]
fn snmp_walk_prints_names_as_snmpbulkwalk_does_and_on_keeps_numbers() {
    let addr = snmpd().address();
    // The system group: every line's name, and every value but OID values
    // (net-snmp names those by its own rules), as snmpbulkwalk prints them.
    let ours = ok(&run(&["snmp", "walk", &addr, "SNMPv2-MIB::system"]));
    let theirs = net_snmp_named("snmpbulkwalk", &["-v2c", "-c", "public", &addr, ".1.3.6.1.2.1.1"]);
    let ours: Vec<&str> = ours.lines().collect();
    assert_eq!(ours.len(), theirs.len(), "{ours:#?}\n{theirs:#?}");
    for (a, b) in ours.iter().zip(&theirs) {
        let (an, av) = a.split_once(" = ").expect("line");
        let (bn, bv) = b.split_once(" = ").expect("line");
        assert_eq!(an, bn);
        if !bv.starts_with("OID: ") && !bn.starts_with("SNMPv2-MIB::sysUpTime") {
            assert_eq!(av, bv, "{an}");
        }
    }
    assert!(ours.iter().any(|l| l.starts_with("SNMPv2-MIB::sysDescr.0 = STRING: ")), "{ours:#?}");
    // Interfaces: enumerations by label, names from IF-MIB's ifXTable.
    let ifx = ok(&run(&["snmp", "walk", &addr, "IF-MIB::ifName"]));
    let first = ifx.lines().next().expect("an ifName row");
    assert!(first.starts_with("IF-MIB::ifName.1 = STRING: "), "{ifx}");
    let oper = ok(&run(&["snmp", "get", &addr, "ifOperStatus.1"]));
    assert!(oper.trim().ends_with("INTEGER: up(1)"), "{oper}");
    // -On: numeric OIDs and raw values, as before.
    let numeric = ok(&run(&["snmp", "get", "-On", &addr, ".1.3.6.1.2.1.2.2.1.8.1"]));
    assert_eq!(numeric.trim(), ".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1");
    let o = run(&["snmp", "get", "-Of", &addr, ".1.3.6.1.2.1.2.2.1.8.1"]);
    assert_eq!(o.status.code(), Some(1), "only -On is supported");
}
