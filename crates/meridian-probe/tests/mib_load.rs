//! The MIB loader and lookups: the shipped modules name the standard
//! objects, values show through their textual conventions, a user's
//! directory adds modules after the shipped ones, and a bad file is
//! reported with its path and line while the rest still loads.

use std::path::Path;

use meridian_probe::mib::{load, MibSet};
use meridian_probe::snmp::{Oid, Value};

fn corpus(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/mib_text").join(name)).expect("corpus file")
}

fn shipped() -> MibSet {
    load(&[])
}

#[test]
fn shipped_modules_load_without_errors() {
    let m = shipped();
    let names: Vec<&str> = m.report().modules.iter().map(|m| m.name.as_str()).collect();
    for want in
        ["SNMPv2-SMI", "SNMPv2-TC", "SNMPv2-MIB", "IF-MIB", "IANAifType-MIB", "RFC1213-MIB", "MERIDIAN-ALARM-MIB"]
    {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(m.report().errors.is_empty(), "{:#?}", m.report().errors);
}

#[test]
fn oids_and_names_both_ways() {
    let m = shipped();
    assert_eq!(m.name("1.3.6.1.2.1.1.5.0").as_deref(), Some("SNMPv2-MIB::sysName.0"));
    assert_eq!(m.name(".1.3.6.1.6.3.1.1.5.3").as_deref(), Some("IF-MIB::linkDown"));
    assert_eq!(m.short_name("1.3.6.1.2.1.31.1.1.1.1.7").as_deref(), Some("ifName.7"));
    assert_eq!(m.resolve("IF-MIB::ifDescr.1").as_deref(), Ok("1.3.6.1.2.1.2.2.1.2.1"));
    assert_eq!(m.resolve("linkUp").as_deref(), Ok("1.3.6.1.6.3.1.1.5.4"));
    assert_eq!(m.resolve(" .1.3.6.1 ").as_deref(), Ok("1.3.6.1"));
    let e = m.resolve("IF-MIB::noSuchObject").expect_err("unknown");
    assert!(e.contains("unknown MIB name"), "{e}");
    assert!(m.resolve("ifDescr.x").is_err());
    assert!(m.resolve("").is_err());
    assert_eq!(m.name("1.3.6.1.4.1.99999999.1"), m.name("1.3.6.1.4.1.99999999.1"));
}

#[test]
fn show_gives_syntax_enums_and_description() {
    let m = shipped();
    let o = m.show("1.3.6.1.2.1.2.2.1.8").expect("ifOperStatus");
    assert_eq!((o.name.as_str(), o.module.as_deref()), ("ifOperStatus", Some("IF-MIB")));
    assert!(o.enums.iter().any(|e| e.value == 2 && e.label == "down"), "{:?}", o.enums);
    assert!(o.description.contains("current operational state"), "{}", o.description);
    let row = m.show(&m.resolve("ifEntry").expect("ifEntry")).expect("row");
    assert_eq!(row.indexes, vec!["ifIndex".to_owned()]);
    let trap = m.show(&m.resolve("linkDown").expect("linkDown")).expect("notification");
    assert_eq!(trap.objects, vec!["ifIndex".to_owned(), "ifAdminStatus".into(), "ifOperStatus".into()]);
    let descr = m.show("1.3.6.1.2.1.1.1").expect("sysDescr");
    assert_eq!(descr.display_hint.as_deref(), Some("255a"));
}

#[test]
fn values_show_through_their_textual_conventions() {
    let m = shipped();
    let shown = |oid: &str, v: Value| m.display(oid, &v);
    assert_eq!(shown("1.3.6.1.2.1.2.2.1.8.3", Value::Integer(2)).as_deref(), Some("down(2)"));
    assert_eq!(shown("1.3.6.1.2.1.2.2.1.8.3", Value::Integer(42)).as_deref(), Some("42"));
    assert_eq!(shown("1.3.6.1.2.1.2.2.1.2.3", Value::OctetString(b"eth0".to_vec())).as_deref(), Some("eth0"));
    let mac = Value::OctetString(vec![0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
    assert_eq!(shown("1.3.6.1.2.1.2.2.1.6.3", mac).as_deref(), Some("52:54:0:12:34:56"));
    let oid: Oid = "1.3.6.1.4.1.8072.3.2.10".parse().expect("oid");
    assert_eq!(shown("1.3.6.1.2.1.1.2.0", Value::Oid(oid)).as_deref(), Some("SNMPv2-SMI::enterprises.8072.3.2.10"));
    assert_eq!(shown("1.3.6.1.2.1.2.2.1.10.3", Value::Counter32(5)), None, "a counter is shown as it is");
    assert_eq!(MibSet::empty().display("1.3.6.1.2.1.2.2.1.8.3", &Value::Integer(2)), None);
}

#[test]
fn a_user_directory_adds_modules_and_reports_bad_files_with_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("TEST-GOOD-MIB.txt"), corpus("good_smiv2.txt")).expect("write");
    std::fs::write(dir.path().join("TEST-BAD-MIB.my"), corpus("bad_clause.txt")).expect("write");
    std::fs::write(dir.path().join("README"), b"vendor notes, not a MIB\n").expect("write");
    let m = load(&[dir.path().to_path_buf()]);
    let r = m.report();
    // The good module loads, with its enumeration and TCs.
    let good = r.modules.iter().find(|x| x.name == "TEST-GOOD-MIB").expect("TEST-GOOD-MIB loaded");
    assert!(good.source.ends_with("TEST-GOOD-MIB.txt"), "{}", good.source);
    let state = m.resolve("TEST-GOOD-MIB::testState.0").expect("resolves");
    assert_eq!(state, "1.3.6.1.4.1.99991.1.1.0");
    assert_eq!(m.display(&state, &Value::Integer(3)).as_deref(), Some("broken(3)"));
    // The bad one is reported with its path and a line inside the file.
    let bad = r.errors.iter().find(|e| e.file.ends_with("TEST-BAD-MIB.my")).unwrap_or_else(|| panic!("{r:#?}"));
    let line = bad.line.unwrap_or_else(|| panic!("no line: {bad:?}"));
    assert!((8..=15).contains(&line), "line {line}: {bad:?}");
    // A file with no module is named too; the shipped modules are untouched.
    assert!(r.errors.iter().any(|e| e.file.ends_with("README") && e.message.contains("no MIB module")), "{r:#?}");
    assert_eq!(m.name("1.3.6.1.2.1.1.5.0").as_deref(), Some("SNMPv2-MIB::sysName.0"));
    // A missing directory is an error entry, not a failure.
    let gone = load(&[dir.path().join("no-such-dir")]);
    assert!(gone.report().errors.iter().any(|e| e.file.ends_with("no-such-dir")), "{:#?}", gone.report());
    assert!(gone.name("1.3.6.1.2.1.1.5.0").is_some());
}

#[test]
fn search_and_tree() {
    let m = shipped();
    let found = m.search("operstatus", 10);
    assert!(found.iter().any(|n| n.name == "ifOperStatus" && n.oid == "1.3.6.1.2.1.2.2.1.8"), "{found:?}");
    assert!(m.search("operstatus", 1).len() == 1);
    let top = m.children(None);
    assert!(top.iter().any(|n| n.oid == "1"), "{top:?}");
    let system = m.children(Some("1.3.6.1.2.1.1"));
    assert!(system.iter().any(|n| n.name == "sysDescr"), "{system:?}");
    assert!(m.children(Some("1.3.6.1.4.1.99999999")).is_empty());
}
