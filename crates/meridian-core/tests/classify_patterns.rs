//! Every shipped OS pattern against a real-format sysDescr (or chassis software
//! revision), the vendor-only patterns, the data-file parsers, and template selection.

use meridian_core::classify::{
    classify, enterprise_name, enterprise_number, select_template, template_names, DeviceFacts, EntityRow, Tables,
};
use meridian_core::inventory::DeviceKind;

fn descr(text: &str) -> DeviceFacts {
    DeviceFacts { sys_descr: text.into(), ..DeviceFacts::default() }
}

fn chassis_sw(sw: &str) -> DeviceFacts {
    let row = EntityRow { class: Some(3), software_rev: sw.into(), ..EntityRow::default() };
    DeviceFacts { entities: vec![row], ..DeviceFacts::default() }
}

/// (facts, OS, version). Texts from the snmpsim recordings or the vendors' documented formats.
fn os_cases() -> Vec<(DeviceFacts, &'static str, Option<&'static str>)> {
    vec![
        (descr("Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE3, RELEASE SOFTWARE (fc1)"), "Cisco IOS", Some("12.2(55)SE3")),
        (descr("Cisco Internetwork Operating System Software \r\nIOS (tm) C2950 Software (C2950-I6Q4L2-M), Version 12.1(22)EA14, RELEASE SOFTWARE (fc1)"), "Cisco IOS", Some("12.1(22)EA14")),
        (descr("Cisco IOS Software [Everest], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.6.4, RELEASE SOFTWARE (fc3)"), "Cisco IOS XE", Some("16.6.4")),
        (descr("Cisco IOS XE Software, Version 17.03.04a\r\nCisco IOS Software [Amsterdam], ASR1000 Software"), "Cisco IOS XE", Some("17.03.04a")),
        (descr("Cisco IOS XR Software (Cisco ASR9K Series),  Version 6.1.4[Default]\r\nCopyright (c) 2017 by Cisco Systems, Inc."), "Cisco IOS XR", Some("6.1.4")),
        (descr("Cisco NX-OS(tm) n5000, Software (n5000-uk9), Version 6.0(2)N2(3), RELEASE SOFTWARE"), "Cisco NX-OS", Some("6.0(2)N2(3)")),
        (descr("Cisco Adaptive Security Appliance Version 9.8(2)"), "Cisco ASA", Some("9.8(2)")),
        (descr("Cisco Controller"), "Cisco AireOS", None),
        (descr("Juniper Networks, Inc. ex4200-48t Ethernet Switch, kernel JUNOS 12.3R12.4, Build date: 2016-01-20 05:03:06 UTC"), "Junos", Some("12.3R12.4")),
        (descr("Juniper Networks, Inc WLC2800 9.0.3.5 REL"), "Juniper WLC (MSS)", Some("9.0.3.5")),
        (descr("Huawei ACU2 Huawei Versatile Routing Platform Software  VRP (R) software,Version 5.170 (ACU2 V200R007C20SPC200) Copyright (C) 2011-2017 Huawei Technologies Co., Ltd"), "Huawei VRP", Some("5.170 (V200R007C20SPC200)")),
        (chassis_sw("Version 5.170 V200R012C00SPC500"), "Huawei VRP", Some("5.170 (V200R012C00SPC500)")),
        (descr("H3C Comware Platform Software, Software Version 7.1.075, Release 7751P01"), "H3C Comware", Some("7.1.075 (7751P01)")),
        (descr("H3C Switch E528 Software Version 5.20, Release 1513P62\r\nCopyright(c) 2004-2013 Hangzhou H3C Tech. Co., Ltd."), "H3C Comware", Some("5.20 (1513P62)")),
        (descr("DPTECH Conplat Platform Software\r Conplat software, Version V100R004B01D007P02PATCH03, Release S111C011D007P02PATCH03"), "DPtech Conplat", Some("V100R004B01D007P02PATCH03")),
        (chassis_sw("FortiCarrier-3000D v5.4.5,build1138b1138,170531 (GA)"), "FortiOS", Some("5.4.5 (1138)")),
        (descr("Palo Alto Networks PA-5000 series firewall"), "PAN-OS", None),
        (descr("Amaranten Firewall 8.90.07.01-11595"), "Clavister cOS", Some("8.90.07.01-11595")),
        (descr("Topsec  NGFW4000-UF(TG-72282) Software Version V3.2073N.2060N_NGFW.1"), "Topsec TOS", Some("V3.2073N.2060N_NGFW.1")),
        (descr("VENUS VSOS-V0600R0705B20180507"), "Venus VSOS", Some("V0600R0705B20180507")),
        (descr("Hardware: INFOSEC NSAE 6500 Intel(R) Xeon(R) CPU - Software: NSAE Rel.NSAE.8.4.0.8 build on Wed Aug 28 15:42:47 2013"), "NSAE", Some("8.4.0.8")),
        (descr("pfSense fw.example.com 2.4.4-RELEASE-p3 FreeBSD 11.2-RELEASE-p10 amd64"), "pfSense", Some("2.4.4-RELEASE-p3")),
        (descr("FreeBSD host.example 13.2-RELEASE FreeBSD 13.2-RELEASE GENERIC amd64"), "FreeBSD", Some("13.2-RELEASE")),
        (descr("ArubaOS (MODEL: Aruba7210), Version 6.5.1.6 (60228)"), "ArubaOS", Some("6.5.1.6")),
        (chassis_sw("RGOS 10.4(3)p4 Release(161753)"), "Ruijie RGOS", Some("10.4(3)p4")),
        (descr("Arista Networks EOS version 4.20.5F running on an Arista Networks DCS-7150S-52-CL"), "Arista EOS", Some("4.20.5F")),
        (descr("RouterOS RB951G-2HnD"), "MikroTik RouterOS", None),
        (descr("Brocade Communications Systems, Inc. ICX6430-24, IronWare Version 08.0.30tT311 Compiled on Feb 13 2019"), "Brocade IronWare", Some("08.0.30tT311")),
        (descr("ProCurve 516733-B21 6120XG Blade Switch, revision Z.14.31, ROM Z.14.09"), "HP ProCurve", Some("Z.14.31")),
        (descr("ZTE ZXR10 9908 Software, 9900 Version: V1.01.10.B19P06,  RELEASE SOFTWARE"), "ZTE ZXR10", Some("V1.01.10.B19P06")),
        (descr("BDCOM(tm) S5612 Software, Version 2.1.1B Build 31318"), "BDCOM", Some("2.1.1B")),
        (descr("Vyatta unknown-version"), "Vyatta", Some("unknown-version")),
        (descr("Hardware: x86 Family 6 Model 9 Stepping 5 AT/AT COMPATIBLE - Software: Windows 2000 Version 5.1 (Build 2600 Uniprocessor Free)"), "Windows", Some("5.1 (2600)")),
        (descr("Hardware: Intel64 Family 6 Model 85 Stepping 4 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"), "Windows", Some("6.3 (17763)")),
        (descr("Ubuntu 16.04.4 LTS Linux 4.4.31 flash: 3.4G ram: 247204kB processor: armv7l software: PowerAlert 15.5.4 (Build 1045)"), "Tripp Lite PowerAlert", Some("15.5.4")),
        (descr("Linux SM-PMDA 2.6.32-573.el6.x86_64 #1 SMP Wed Jul 1 18:23:37 EDT 2015 x86_64"), "Linux", Some("2.6.32-573.el6.x86_64")),
        (descr("Linux 2.6.32.61 #1 Wed May 21 18:37:41 EEST 2014 mips"), "Linux", Some("2.6.32.61")),
        (descr("Linux Wac"), "Linux", None),
        (descr("IBM PowerPC CHRP Computer\r\nMachine Type: 0x0800004c\r\nBase Operating System Runtime AIX version: 07.01.0004.0032"), "IBM AIX", Some("07.01.0004.0032")),
        (descr("NetApp Release 8.2.3 7-Mode: Thu Jan 15 21:30:45 PST 2015"), "NetApp ONTAP", Some("8.2.3")),
        (descr("Isilon OneFS nas-1 v7.2.1.0 Isilon OneFS v7.2.1.0 B_7_2_1_014(RELEASE) amd64"), "Isilon OneFS", Some("7.2.1.0")),
        (descr("APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.7.2 PN:apc_hw05_aos_672.bin AF1:v6.7.2 MN:AP7902B HR:B2)"), "APC AOS", Some("6.7.2")),
        (descr("HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI23900,CIDATE 08/07/2018"), "HP JetDirect", None),
    ]
}

#[test]
fn every_os_pattern_parses_its_format() {
    for (facts, os, version) in os_cases() {
        let c = classify(&facts);
        assert_eq!(c.os_name(), Some(os), "OS of {facts:?}");
        assert_eq!(c.os_version_text(), version, "version of {facts:?}");
        let f = c.os.expect("os");
        assert!(f.confidence > 0.5 && !f.evidence.is_empty());
    }
}

#[test]
fn every_shipped_os_pattern_is_exercised() {
    let cases = os_cases();
    for p in Tables::shipped().os_patterns.iter().filter(|p| !p.os.is_empty()) {
        let hit = cases.iter().any(|(f, os, _)| {
            let texts = [f.sys_descr.as_str(), f.chassis().map_or("", |c| c.software_rev.as_str())];
            *os == p.os && texts.iter().any(|t| p.regex.is_match(t))
        });
        assert!(hit, "no test case for pattern {} /{}/", p.os, p.regex.as_str());
    }
}

#[test]
fn vendor_only_patterns_name_vendor_model_and_kind() {
    let cases = [
        ("Netentsec NGFW", "Netentsec", Some("NGFW"), DeviceKind::Firewall),
        ("NSFOCUS-OSMS", "NSFOCUS", Some("OSMS"), DeviceKind::Firewall),
        (
            "Ruijie 10G Routing Switch(S5750-24GT/12SFP) By Ruijie Networks",
            "Ruijie",
            Some("S5750-24GT/12SFP"),
            DeviceKind::Switch,
        ),
        ("D-Link DES-3028 Fast Ethernet Switch", "D-Link", Some("DES-3028"), DeviceKind::Switch),
        ("Hikvision company products", "Hikvision", None, DeviceKind::Camera),
        ("SAMSUNG iPolis H.264 Premium Level IP Camera", "Hanwha Vision (Samsung)", None, DeviceKind::Camera),
        ("ISM SNMP Agent", "Huawei", None, DeviceKind::Storage),
    ];
    for (text, vendor, model, kind) in cases {
        let c = classify(&descr(text));
        assert_eq!(c.vendor_name(), Some(vendor), "{text}");
        assert_eq!(c.model_name(), model, "{text}");
        assert_eq!(c.kind.value, kind, "{text}");
    }
    let dcn =
        classify(&descr("  SM4200-16GEF8GE-AC Device, Compiled Mar 17 18:33:56 2010\n  SoftWare Version SM4200_6.0\n"));
    assert_eq!(dcn.model_name(), Some("SM4200-16GEF8GE-AC"));
}

#[test]
fn shipped_tables_parse_and_agree_with_iana() {
    let t = Tables::load().expect("every shipped data file parses");
    assert!(t.iana.len() > 60_000, "full IANA registry, got {}", t.iana.len());
    assert_eq!(t.iana.get(&9).copied(), Some("ciscoSystems"));
    assert_eq!(t.iana.get(&476).copied(), Some("Vertiv"), "trailing '# formerly' comment is not part of the name");
    for n in t.vendors.keys() {
        assert!(t.iana.contains_key(n), "curated enterprise {n} is not IANA-registered");
    }
    assert!(t.vendors.len() >= 90);
    assert!(!t.models.is_empty() && !t.os_patterns.is_empty() && !t.kind_rules.keywords.is_empty());
    assert_eq!(enterprise_name(2636), Some("Juniper Networks, Inc."));
}

#[test]
fn parsers_reject_bad_rows_with_file_and_line() {
    use meridian_core::classify::DataError;
    let e: DataError = meridian_core::classify::parse_vendors("# c\n9\tCisco\tmaker\t-\t0\n").expect_err("bad role");
    assert_eq!((e.file, e.line), ("vendors.tsv", 2));
    let e = meridian_core::classify::parse_vendors("9\tCisco\tvendor\trouter\n").expect_err("missing weight");
    assert!(e.message.contains("weight"), "{e}");
    let e = meridian_core::classify::parse_models("1.3.6.x\tM\t-\t-\n").expect_err("bad oid");
    assert_eq!(e.line, 1);
    let e = meridian_core::classify::parse_iana("9\tciscoSystems\nabc\tX\n").expect_err("bad number");
    assert_eq!(e.line, 2);
    assert!(meridian_core::classify::parse_os_patterns("[[os]]\nos='x'\npattern='('\nconfidence=0.5\n").is_err());
    assert!(meridian_core::classify::parse_kind_rules("min_score = 0.2\n").is_err(), "weights are required");
}

#[test]
fn enterprise_numbers_come_from_the_enterprises_arc_only() {
    assert_eq!(enterprise_number(".1.3.6.1.4.1.9.1.516"), Some(9));
    assert_eq!(enterprise_number("1.3.6.1.4.1.2636"), Some(2636));
    assert_eq!(enterprise_number("1.3.6.1.4.19849"), None, "a bogus sysObjectID seen in the wild");
    assert_eq!(enterprise_number(""), None);
    let c = classify(&DeviceFacts { sys_object_id: "1.3.6.1.4.1.50001".into(), ..DeviceFacts::default() });
    let v = c.vendor.expect("IANA fallback");
    assert_eq!(v.value, "Scildon");
    assert!(v.confidence < 0.7 && v.evidence[0].contains("not in the curated"));
}

#[test]
fn entity_model_outranks_the_sysobjectid_table() {
    let mut f =
        descr("Cisco IOS Software, C3750 Software (C3750-IPBASE-M), Version 12.2(50)SE5, RELEASE SOFTWARE (fc1)");
    f.sys_object_id = "1.3.6.1.4.1.9.1.516".into();
    assert_eq!(classify(&f).model_name(), Some("Catalyst 3750 stack"));
    f.entities.push(EntityRow { class: Some(3), model_name: "WS-C3750X-48".into(), ..EntityRow::default() });
    let m = classify(&f).model.expect("model");
    assert_eq!(m.value, "WS-C3750X-48");
    assert!(m.evidence[0].contains("ENTITY-MIB chassis model WS-C3750X-48"));
}

#[test]
fn product_family_rows_type_devices_the_recordings_do_not_cover() {
    // An AC6605 (sysObjectID and sysDescr as published in a walk): no exact row, so the
    // .2011.2.240 family row decides, and VRP's "Versatile Routing Platform" is not read as
    // the word "router".
    let mut f = descr(
        "Huawei AC6605-26-PWR Huawei Versatile Routing Platform Software  VRP (R) software,Version 5.170 \
         (AC6605-26-PWR V200R007C20SPC300) Copyright (C) 2011-2017 Huawei Technologies Co., Ltd",
    );
    f.sys_object_id = ".1.3.6.1.4.1.2011.2.240.6".into();
    f.sys_services = Some(78);
    let c = classify(&f);
    assert_eq!((c.vendor_name(), c.kind.value), (Some("Huawei"), DeviceKind::Wireless));
    assert_eq!(c.model_name(), Some("Huawei WLAN AC"));
    assert!(c.kind.evidence.iter().any(|e| e.contains("is in the family Huawei WLAN AC")), "{:?}", c.kind.evidence);
    assert!(!c.kind.evidence.iter().any(|e| e.contains("Routing Platform")), "{:?}", c.kind.evidence);
    // A sibling of a recorded product, from the same vendor MIB (HH3C-PRODUCT-ID-MIB hh3cSR8812X).
    let sr = classify(&DeviceFacts { sys_object_id: "1.3.6.1.4.1.25506.1.922".into(), ..DeviceFacts::default() });
    assert_eq!((sr.model_name(), sr.kind.value), (Some("SR8812-X"), DeviceKind::Router));
}

#[test]
fn subtrees_and_services_decide_the_type_when_text_is_silent() {
    let ups =
        DeviceFacts { subtrees: vec![".1.3.6.1.2.1.33".into()], sys_services: Some(72), ..DeviceFacts::default() };
    assert_eq!(classify(&ups).kind.value, DeviceKind::Ups);
    let printer = DeviceFacts { subtrees: vec![".1.3.6.1.2.1.43.5".into()], ..DeviceFacts::default() };
    assert_eq!(classify(&printer).kind.value, DeviceKind::Printer);
    let bridge = DeviceFacts { sys_services: Some(2), ..DeviceFacts::default() };
    let k = classify(&bridge).kind;
    assert_eq!(k.value, DeviceKind::Switch);
    assert!(k.evidence.iter().any(|e| e.contains("sysServices 2 has bit 0x02")));
    let nothing = classify(&DeviceFacts::default()).kind;
    assert_eq!((nothing.value, nothing.confidence), (DeviceKind::Unknown, 0.0));
}

#[test]
fn templates_follow_the_classification_and_the_override() {
    assert_eq!(
        template_names(),
        ["generic", "cisco-ios", "juniper", "linux-net-snmp", "windows", "ups", "sensor", "pdu", "chassis"]
    );
    let pick = |text: &str| select_template(&classify(&descr(text)), None).name.clone();
    assert_eq!(pick("Cisco NX-OS(tm) n5000, Software (n5000-uk9), Version 6.0(2)N2(3), RELEASE"), "cisco-ios");
    assert_eq!(pick("Juniper Networks, Inc. mx960 internet router, kernel JUNOS 16.1R6.7, Build"), "juniper");
    assert_eq!(pick("Linux host 5.10.0-21-amd64 #1 SMP Debian x86_64"), "linux-net-snmp");
    assert_eq!(pick("Hardware: x86 - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"), "windows");
    assert_eq!(pick("EATON 93E 80"), "generic");
    let ups = DeviceFacts {
        sys_descr: "EATON 93E 80".into(),
        subtrees: vec![".1.3.6.1.2.1.33".into()],
        ..DeviceFacts::default()
    };
    let t = select_template(&classify(&ups), None);
    assert_eq!(t.name, "ups");
    assert!(t.metrics.iter().any(|m| m.name == "if_in_octets"), "includes generic");
    assert!(t.metrics.iter().any(|m| m.name == "runtime_remaining" && m.unit == "minutes"));
    let linux = classify(&descr("Linux h 5.10.0 #1"));
    assert_eq!(select_template(&linux, Some("windows")).name, "windows");
    assert_eq!(select_template(&linux, Some("no-such")).name, "linux-net-snmp", "unknown override falls back");
}
