//! Event rules: syslog and trap matches raise and clear keyed alarms, scope
//! and severity filter, and every bad field is reported at once.

use chrono::{TimeZone, Utc};
use meridian_core::alarm::Severity;
use meridian_core::fault::event_rule::{validate, EVENT_CAUSE};
use meridian_core::fault::{EventMatch, EventRef, EventRule, EventRules, VarbindMatch};
use meridian_core::inventory::DeviceKind;
use meridian_core::rules::{DeviceFacts, RuleScope};
use meridian_core::state::Action;
use meridian_core::syslog::{SyslogFormat, SyslogMessage, SyslogRecord, SyslogSeverity};
use meridian_core::trap::{TrapEvent, TrapPdu, TrapVarbind, TrapVersion};
use meridian_core::{CoreError, DeviceId};
use uuid::Uuid;

fn facts(name: &str, tags: &[&str]) -> DeviceFacts {
    DeviceFacts {
        id: DeviceId(Uuid::from_u128(7)),
        name: name.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        site: None,
        kind: DeviceKind::default(),
        template: None,
    }
}

fn all() -> RuleScope {
    RuleScope { all: true, ..Default::default() }
}

fn syslog(app: &str, sev: SyslogSeverity, text: &str) -> SyslogRecord {
    SyslogRecord {
        received_at: Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("valid"),
        source: "127.0.0.1".parse().expect("valid"),
        format: SyslogFormat::Rfc5424,
        message: SyslogMessage {
            severity: Some(sev),
            app: Some(app.into()),
            message: text.into(),
            ..Default::default()
        },
        error: None,
        truncated: false,
    }
}

fn bgp_rule() -> EventRule {
    EventRule {
        name: "BGP neighbour down".into(),
        enabled: true,
        severity: Severity::Major,
        scope: all(),
        raise: EventMatch::Syslog {
            severity: Some(SyslogSeverity::Error),
            app: Some("bgpd".into()),
            pattern: Some(r"neighbor (?P<key>\S+) Down".into()),
        },
        clear: Some(EventMatch::Syslog {
            severity: None,
            app: Some("bgpd".into()),
            pattern: Some(r"neighbor (?P<key>\S+) Up".into()),
        }),
        key_varbind: None,
    }
}

fn one(mut actions: Vec<Action>) -> Action {
    assert_eq!(actions.len(), 1, "{actions:?}");
    actions.remove(0)
}

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 1).single().expect("valid")
}

#[test]
fn a_syslog_pattern_raises_and_its_pair_clears_by_key() {
    let (rules, bad) = EventRules::compile(vec![bgp_rule()]);
    assert!(bad.is_empty());
    let dev = facts("edge", &[]);
    let down = syslog("bgpd", SyslogSeverity::Error, "BGP neighbor 127.0.0.9 Down hold timer expired");
    let actions = rules.evaluate(&dev, EventRef::Syslog(&down), at());
    let [Action::RaiseAlarm(spec)] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(spec.managed_object, format!("device={},event=BGP neighbour down,key=127.0.0.9", dev.id));
    assert_eq!((spec.probable_cause.as_str(), spec.specific_problem.as_str()), (EVENT_CAUSE, "BGP neighbour down"));
    assert_eq!(spec.perceived_severity, Severity::Major);
    assert!(spec
        .additional_text
        .starts_with("rule 'BGP neighbour down': syslog bgpd (err) from 127.0.0.1: BGP neighbor"));

    // Less severe than the rule asks, another app, or text that does not match: nothing.
    for quiet in [
        syslog("bgpd", SyslogSeverity::Warning, "BGP neighbor 127.0.0.9 Down"),
        syslog("ospfd", SyslogSeverity::Error, "BGP neighbor 127.0.0.9 Down"),
        syslog("bgpd", SyslogSeverity::Critical, "BGP session table full"),
    ] {
        assert!(rules.evaluate(&dev, EventRef::Syslog(&quiet), at()).is_empty(), "{quiet:?}");
    }
    // The clear names the same key, and only that neighbour's alarm.
    let up = syslog("bgpd", SyslogSeverity::Notice, "BGP neighbor 127.0.0.9 Up");
    let actions = rules.evaluate(&dev, EventRef::Syslog(&up), at());
    assert_eq!(actions, vec![Action::ClearAlarm(spec.key())]);
    let other = syslog("bgpd", SyslogSeverity::Notice, "BGP neighbor 127.0.0.10 Up");
    let Action::ClearAlarm(k) = one(rules.evaluate(&dev, EventRef::Syslog(&other), at())) else { panic!() };
    assert_ne!(k, spec.key());
}

#[test]
fn scope_and_enabled_decide_which_devices_a_rule_sees() {
    let mut rule = bgp_rule();
    rule.scope = RuleScope { tags: vec!["core".into()], ..Default::default() };
    let mut off = bgp_rule();
    off.name = "off".into();
    off.enabled = false;
    let (rules, _) = EventRules::compile(vec![rule, off]);
    let down = syslog("bgpd", SyslogSeverity::Error, "neighbor 127.0.0.9 Down");
    assert!(rules.evaluate(&facts("edge", &["access"]), EventRef::Syslog(&down), at()).is_empty());
    assert_eq!(rules.evaluate(&facts("edge", &["core"]), EventRef::Syslog(&down), at()).len(), 1);
}

fn trap(oid: &str, name: Option<&str>, varbinds: &[(&str, &str, &str)]) -> TrapEvent {
    TrapEvent {
        id: Uuid::nil(),
        received_at: at(),
        source_addr: "127.0.0.1".into(),
        source_port: 40000,
        version: Some(TrapVersion::V2c),
        pdu: TrapPdu::Trap,
        user: None,
        community_matched: Some(true),
        engine_id: None,
        trap_oid: Some(oid.into()),
        trap_name: name.map(str::to_owned),
        uptime: Some(1),
        varbinds: varbinds
            .iter()
            .map(|(oid, name, value)| TrapVarbind {
                oid: (*oid).into(),
                kind: "INTEGER".into(),
                value: (*value).into(),
                name: (!name.is_empty()).then(|| (*name).to_owned()),
                display: None,
            })
            .collect(),
        device_id: None,
        device_name: None,
        raw_hex: None,
        error: None,
    }
}

#[test]
fn a_trap_rule_matches_oid_and_varbinds_and_keys_by_a_varbind() {
    // A vendor tunnel trap pair, keyed by the tunnel index varbind (by OID prefix).
    let rule = EventRule {
        name: "Tunnel down".into(),
        enabled: true,
        severity: Severity::Critical,
        scope: all(),
        raise: EventMatch::Trap {
            oid: ".1.3.6.1.4.1.99999.0.1".into(),
            varbinds: vec![VarbindMatch { name: "1.3.6.1.4.1.99999.1.2".into(), value: "2".into() }],
        },
        clear: Some(EventMatch::Trap { oid: "1.3.6.1.4.1.99999.0.2".into(), varbinds: vec![] }),
        key_varbind: Some("1.3.6.1.4.1.99999.1.1".into()),
    };
    let (rules, bad) = EventRules::compile(vec![rule]);
    assert!(bad.is_empty(), "{bad:?}");
    let dev = facts("edge", &[]);
    let down = trap(
        "1.3.6.1.4.1.99999.0.1",
        None,
        &[("1.3.6.1.4.1.99999.1.1.7", "", "7"), ("1.3.6.1.4.1.99999.1.2.7", "", "2")],
    );
    let Action::RaiseAlarm(spec) = one(rules.evaluate(&dev, EventRef::Trap(&down), at())) else { panic!() };
    assert!(spec.managed_object.ends_with(",event=Tunnel down,key=7"), "{}", spec.managed_object);
    assert_eq!(spec.perceived_severity, Severity::Critical);
    // The varbind condition must hold.
    let admin_down = trap(
        "1.3.6.1.4.1.99999.0.1",
        None,
        &[("1.3.6.1.4.1.99999.1.1.7", "", "7"), ("1.3.6.1.4.1.99999.1.2.7", "", "1")],
    );
    assert!(rules.evaluate(&dev, EventRef::Trap(&admin_down), at()).is_empty());
    let up = trap("1.3.6.1.4.1.99999.0.2", None, &[("1.3.6.1.4.1.99999.1.1.7", "", "7")]);
    assert_eq!(rules.evaluate(&dev, EventRef::Trap(&up), at()), vec![Action::ClearAlarm(spec.key())]);
    // A syslog event never matches a trap rule.
    let s = syslog("x", SyslogSeverity::Emergency, "1.3.6.1.4.1.99999.0.1");
    assert!(rules.evaluate(&dev, EventRef::Syslog(&s), at()).is_empty());
}

#[test]
fn trap_names_resolve_and_varbind_names_key() {
    let rule = EventRule {
        name: "Port down".into(),
        enabled: true,
        severity: Severity::Minor,
        scope: all(),
        raise: EventMatch::Trap { oid: "linkDown".into(), varbinds: vec![] },
        clear: Some(EventMatch::Trap { oid: "linkUp".into(), varbinds: vec![] }),
        key_varbind: Some("ifIndex".into()),
    };
    let (rules, _) = EventRules::compile(vec![rule]);
    let down = trap("1.3.6.1.6.3.1.1.5.3", Some("linkDown"), &[("1.3.6.1.2.1.2.2.1.1.3", "ifIndex.3", "3")]);
    let Action::RaiseAlarm(spec) = one(rules.evaluate(&facts("e", &[]), EventRef::Trap(&down), at())) else { panic!() };
    assert!(spec.managed_object.ends_with(",key=3"));
    assert!(spec.additional_text.contains("trap linkDown from 127.0.0.1"));
}

fn fields(e: CoreError) -> Vec<String> {
    e.fields().iter().map(|f| f.field.clone()).collect()
}

#[test]
fn every_bad_field_is_named_at_once() {
    let bad = EventRule {
        name: " ".into(),
        enabled: true,
        severity: Severity::Cleared,
        scope: RuleScope::default(),
        raise: EventMatch::Syslog { severity: None, app: None, pattern: Some("neighbor (".into()) },
        clear: Some(EventMatch::Trap { oid: "noSuchTrap".into(), varbinds: vec![] }),
        key_varbind: Some("ifIndex".into()),
    };
    let f = fields(validate(&bad).expect_err("refused"));
    for want in ["name", "severity", "scope", "raise.pattern", "clear.oid", "clear.kind", "keyVarbind"] {
        assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
    }
    let empty = EventRule {
        raise: EventMatch::Syslog { severity: None, app: None, pattern: None },
        clear: None,
        key_varbind: None,
        ..bgp_rule()
    };
    assert_eq!(fields(validate(&empty).expect_err("refused")), vec!["raise".to_owned()]);
    assert!(validate(&bgp_rule()).is_ok());
    // A stored rule that no longer checks is skipped by name, the rest load.
    let (rules, skipped) = EventRules::compile(vec![bad, bgp_rule()]);
    assert_eq!((rules.len(), skipped.len(), skipped[0].0.as_str()), (1, 1, " "));
}

#[test]
fn rules_round_trip_as_json() {
    let r = bgp_rule();
    let v = serde_json::to_value(&r).expect("valid");
    assert_eq!(v["raise"]["kind"], "syslog");
    assert_eq!(v["raise"]["severity"], "error");
    assert_eq!(serde_json::from_value::<EventRule>(v).expect("valid"), r);
}
