//! Northbound forwarding: the trap's OID and varbinds follow
//! MERIDIAN-ALARM-MIB, the syslog line is RFC 5424 with escaped structured
//! data, targets are checked by field and filter by severity.

use chrono::{TimeZone, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, EventType, Severity};
use meridian_core::forward::{syslog_line, trap, AlarmChange, ForwardKind, ForwardTarget, SyslogTransport, TrapValue};
use uuid::Uuid;

fn alarm(sev: Severity) -> Alarm {
    let at = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("time");
    let spec = AlarmSpec {
        managed_object: "device=x,ifIndex=2".into(),
        event_type: EventType::Communications,
        probable_cause: "lossOfSignal".into(),
        specific_problem: "linkDown".into(),
        perceived_severity: sev,
        additional_text: "port \"ge-0/0/1\" down]\nnext line".into(),
    };
    Alarm::raise(AlarmId(Uuid::from_u128(1)), None, spec, at)
}

#[test]
fn the_trap_follows_the_mib() {
    let (oid, vbs) = trap(&alarm(Severity::Major), AlarmChange::Raised, Some("edge"));
    assert_eq!(oid, [1, 3, 6, 1, 4, 1, 8072, 9999, 7701, 0, 1]);
    assert_eq!(vbs.len(), 7);
    assert_eq!(vbs[0].0, [1, 3, 6, 1, 4, 1, 8072, 9999, 7701, 1, 1, 0]);
    assert_eq!(vbs[1], (vec![1, 3, 6, 1, 4, 1, 8072, 9999, 7701, 1, 2, 0], TrapValue::Integer(2)));
    assert_eq!(vbs[6].1, TrapValue::Text("edge".into()));
    let (oid, vbs) = trap(&alarm(Severity::Major), AlarmChange::Cleared, None);
    assert_eq!(oid.last(), Some(&2));
    assert_eq!(vbs[1].1, TrapValue::Integer(6), "a clear says cleared(6)");
    assert_eq!(vbs[6].1, TrapValue::Text(String::new()));
}

#[test]
fn the_syslog_line_is_rfc5424_with_escaped_structured_data() {
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 1).single().expect("time");
    let line = syslog_line(&alarm(Severity::Critical), AlarmChange::Raised, Some("edge"), "nms 1", now);
    assert!(line.starts_with("<130>1 2026-12-03T12:00:01.000Z nms1 meridian - alarm [meridian@8072 "), "{line}");
    assert!(line.contains("problem=\"linkDown\""), "{line}");
    assert!(line.ends_with("raised edge: linkDown port \"ge-0/0/1\" down] next line"), "{line}");
    assert!(!line.contains('\n'));
    let cleared = syslog_line(&alarm(Severity::Critical), AlarmChange::Cleared, None, "", now);
    assert!(cleared.starts_with("<134>1 ") && cleared.contains(" - meridian - alarm "), "{cleared}");
}

#[test]
fn targets_are_checked_by_field_and_filter_by_severity() {
    let t = ForwardTarget {
        name: "noc".into(),
        enabled: true,
        kind: ForwardKind::SnmpTrap { address: "127.0.0.1".into(), port: 162, community_ref: None, user: None },
        min_severity: Severity::Major,
    };
    assert!(t.validate().is_ok());
    assert_eq!((t.log_channel().as_str(), t.community_ref()), ("forward:noc", None));
    assert_eq!(AlarmChange::Acknowledged.log_kind(), "forward_acknowledged");
    assert!(t.wants(&alarm(Severity::Critical)) && t.wants(&alarm(Severity::Major)));
    assert!(!t.wants(&alarm(Severity::Minor)));
    let bad = ForwardTarget {
        name: "".into(),
        kind: ForwardKind::Syslog {
            address: "nms.example".into(),
            port: 0,
            transport: SyslogTransport::Tcp,
            ca_file: Some("/etc/ssl/ca.pem".into()),
            server_name: None,
            cert_file: None,
            key_file: None,
        },
        min_severity: Severity::Cleared,
        ..t.clone()
    };
    let e = bad.validate().expect_err("refused");
    let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "kind.address", "kind.port", "kind.caFile", "minSeverity"]);
    // TLS takes a CA file and a DNS name to check; an empty one or a bad name is refused.
    let tls_with =
        |ca_file: Option<&str>, server_name: Option<&str>, cert: Option<&str>, key: Option<&str>| ForwardTarget {
            kind: ForwardKind::Syslog {
                address: "127.0.0.1".into(),
                port: 6514,
                transport: SyslogTransport::Tls,
                ca_file: ca_file.map(Into::into),
                server_name: server_name.map(Into::into),
                cert_file: cert.map(Into::into),
                key_file: key.map(Into::into),
            },
            ..t.clone()
        };
    let tls = |ca_file: Option<&str>, server_name: Option<&str>| tls_with(ca_file, server_name, None, None);
    assert!(tls(Some("/etc/ssl/ca.pem"), Some("syslog.example.net")).validate().is_ok());
    assert!(tls(None, None).validate().is_ok(), "the system's CAs and the address");
    let e = tls(Some(" "), Some("bad name!")).validate().expect_err("refused");
    let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["kind.caFile", "kind.serverName"]);
    // A client certificate goes with its key, and only over TLS.
    assert!(tls_with(None, None, Some("/etc/meridian/client.pem"), Some("/etc/meridian/client.key"))
        .validate()
        .is_ok());
    let e = tls_with(None, None, Some("/etc/meridian/client.pem"), None).validate().expect_err("refused");
    assert_eq!(e.fields()[0].field, "kind.keyFile");
    let e = tls_with(None, None, None, Some("/etc/meridian/client.key")).validate().expect_err("refused");
    assert_eq!(e.fields()[0].field, "kind.certFile");
    let tcp_with_cert = ForwardTarget {
        kind: ForwardKind::Syslog {
            address: "127.0.0.1".into(),
            port: 601,
            transport: SyslogTransport::Tcp,
            ca_file: None,
            server_name: None,
            cert_file: Some("/etc/meridian/client.pem".into()),
            key_file: Some("/etc/meridian/client.key".into()),
        },
        ..t.clone()
    };
    let e = tcp_with_cert.validate().expect_err("refused");
    let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["kind.certFile", "kind.keyFile"]);
}
