//! What real racks hold beyond network gear: environmental sensors, PDUs and
//! out-of-band managers are told apart by the MIBs they answer and their
//! sysDescr, and an agent that matches nothing known is classified by its
//! tables rather than left "unknown". Each kind selects its template, whose
//! default rules watch it.

use meridian_core::classify::{classify, select_template, shipped_default_rules, DeviceFacts};
use meridian_core::inventory::DeviceKind;

fn facts(sys_object_id: &str, sys_descr: &str, subtrees: &[&str]) -> DeviceFacts {
    DeviceFacts {
        sys_object_id: sys_object_id.into(),
        sys_descr: sys_descr.into(),
        subtrees: subtrees.iter().map(|s| s.to_string()).collect(),
        ..DeviceFacts::default()
    }
}

#[test]
fn an_agent_nothing_names_is_classified_by_its_tables() {
    // A private enterprise nobody lists, a sysDescr that says nothing.
    let oid = ".1.3.6.1.4.1.99999.1";
    let cases = [
        (&[".1.3.6.1.2.1.33"][..], DeviceKind::Ups),
        (&[".1.3.6.1.2.1.99"][..], DeviceKind::Sensor),
        (&[".1.3.6.1.2.1.25"][..], DeviceKind::Server),
        (&[][..], DeviceKind::Unknown),
    ];
    for (subtrees, want) in cases {
        let c = classify(&facts(oid, "agent v1.0", subtrees));
        assert_eq!(c.kind.value, want, "{subtrees:?}: {:?}", c.kind);
    }
}

#[test]
fn pdus_sensors_and_bmcs_are_their_own_kinds() {
    let cases = [
        // An APC rack PDU: APC's enterprise says UPS, its rPDU MIB says PDU.
        (
            ".1.3.6.1.4.1.318.1.3.4.5",
            "APC Web/SNMP Management Card (MB:v4.0.1 PF:v6.8.2 AN1:apc_hw05_aos)",
            &[".1.3.6.1.4.1.318.1.1.12"][..],
            DeviceKind::Pdu,
        ),
        (".1.3.6.1.4.1.13742.6", "PX2 rack PDU", &[".1.3.6.1.4.1.13742.6"][..], DeviceKind::Pdu),
        (
            ".1.3.6.1.4.1.318.1.3.8.4",
            "APC Environmental Monitoring Unit",
            &[".1.3.6.1.4.1.318.1.1.10"][..],
            DeviceKind::Sensor,
        ),
        (
            ".1.3.6.1.4.1.674.10892.5",
            "Dell Out-of-band SNMP Agent for Remote Access Controller",
            &[".1.3.6.1.4.1.674.10892.5"][..],
            DeviceKind::Chassis,
        ),
        (".1.3.6.1.4.1.232.9.4.10", "Integrated Lights-Out 5 2.72 Sep 04 2022", &[][..], DeviceKind::Chassis),
        // A UPS stays a UPS (UPS-MIB), though APC's PDUs share its enterprise.
        (".1.3.6.1.4.1.318.1.3.2.12", "APC Web/SNMP Management Card", &[".1.3.6.1.2.1.33"][..], DeviceKind::Ups),
    ];
    for (oid, descr, subtrees, want) in cases {
        let c = classify(&facts(oid, descr, subtrees));
        assert_eq!(c.kind.value, want, "{descr}: {:?}", c.kind);
    }
}

#[test]
fn each_new_kind_selects_its_template_and_its_default_rules() {
    let rules = shipped_default_rules();
    for (subtree, template, rule) in [
        (".1.3.6.1.2.1.99", "sensor", "Sensor temperature high"),
        (".1.3.6.1.4.1.318.1.1.12", "pdu", "PDU load high"),
        (".1.3.6.1.4.1.674.10892.5", "chassis", "Chassis temperature high"),
    ] {
        let c = classify(&facts(".1.3.6.1.4.1.99999.1", "", &[subtree]));
        assert_eq!(select_template(&c, None).name, template, "{subtree}");
        let (t, r) = rules.iter().find(|(_, r)| r.name == rule).expect(rule);
        assert_eq!(t, template);
        assert!(r.scope.templates.iter().any(|x| x == template));
    }
}

const BRIDGE: &str = ".1.3.6.1.2.1.17";

fn bridge(sys_descr: &str, subtrees: &[&str], bridge_ports: u32, ethernet_ports: u32) -> DeviceFacts {
    DeviceFacts {
        bridge_ports: Some(bridge_ports),
        ethernet_ports: Some(ethernet_ports),
        sys_services: Some(2),
        ..facts(".1.3.6.1.4.1.99999.3", sys_descr, subtrees)
    }
}

/// Issue 13: a switch nothing names (unknown enterprise, a sysDescr without a
/// product word) is told by its tables: a bridge of many Ethernet ports.
#[test]
fn a_bridge_of_many_ethernet_ports_is_a_switch_with_real_confidence() {
    let c = classify(&bridge("L2 managed device v2.1", &[BRIDGE], 26, 28));
    assert_eq!(c.kind.value, DeviceKind::Switch, "{:?}", c.kind);
    assert!(c.kind.confidence >= 0.6, "{:?}", c.kind);
    assert!(c.kind.evidence.iter().any(|e| e.contains("bridge of 26 ports with 28 Ethernet")), "{:?}", c.kind);
    // Without the port counts the same agent is only a weak guess.
    let weak = classify(&DeviceFacts {
        bridge_ports: None,
        ethernet_ports: None,
        ..bridge("L2 managed device v2.1", &[BRIDGE], 0, 0)
    });
    assert_eq!(weak.kind.value, DeviceKind::Switch, "{:?}", weak.kind);
    assert!(weak.kind.confidence < c.kind.confidence - 0.15, "{:?} vs {:?}", weak.kind, c.kind);
}

/// A Linux box bridging two NICs (and holding many virtual Ethernet
/// interfaces) answers BRIDGE-MIB too: the smaller count decides, so it is
/// not made a switch, and its host tables keep it a server.
#[test]
fn a_host_with_a_small_bridge_is_not_confidently_a_switch() {
    let host = DeviceFacts {
        sys_object_id: ".1.3.6.1.4.1.8072.3.2.10".into(),
        sys_services: Some(72),
        ..bridge("Linux kvm-7 6.1.0-18-amd64 #1 SMP x86_64", &[BRIDGE, ".1.3.6.1.2.1.25"], 2, 40)
    };
    let c = classify(&host);
    assert_ne!(c.kind.value, DeviceKind::Switch, "{:?}", c.kind);
    assert!(!c.kind.evidence.iter().any(|e| e.contains("Ethernet interfaces")), "{:?}", c.kind);
    // A bare agent with a two-port bridge stays a low-confidence guess.
    let small = classify(&bridge("agent", &[BRIDGE], 2, 2));
    assert!(small.kind.value != DeviceKind::Switch || small.kind.confidence < 0.5, "{:?}", small.kind);
    // A bridge of 10,000 virtual ports on four NICs is no switch either.
    let virt = classify(&bridge("agent", &[BRIDGE], 10_000, 4));
    assert!(virt.kind.confidence < 0.5, "{:?}", virt.kind);
}

#[test]
fn an_agent_with_nothing_to_go_on_stays_unknown() {
    let c = classify(&DeviceFacts {
        bridge_ports: None,
        ethernet_ports: Some(48),
        ..facts(".1.3.6.1.4.1.99999.4", "agent", &[])
    });
    assert_eq!(c.kind.value, DeviceKind::Unknown, "Ethernet ports without a bridge say nothing: {:?}", c.kind);
    assert_eq!(c.kind.confidence, 0.0);
}

/// The port count is a fallback: a device its model row names keeps that kind,
/// however many Ethernet ports it bridges (an H3C SR8808-X core router bridges 80).
#[test]
fn a_named_router_that_bridges_many_ports_stays_a_router() {
    let router = DeviceFacts {
        sys_object_id: ".1.3.6.1.4.1.25506.1.921".into(),
        sys_services: Some(78),
        ..bridge("H3C Comware Platform Software, Software Version 7.1.075, Release 7751P01", &[BRIDGE], 80, 81)
    };
    let c = classify(&router);
    assert_eq!(c.kind.value, DeviceKind::Router, "{:?}", c.kind);
    assert!(!c.kind.evidence.iter().any(|e| e.contains("Ethernet interfaces")), "{:?}", c.kind);
}
