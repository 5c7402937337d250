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
