//! Northbound forwarding: every alarm change (raised, cleared,
//! acknowledged) sent on to a manager of managers, as an SNMPv2 trap of
//! the shipped MERIDIAN-ALARM-MIB (`mibs/`) or as an RFC 5424 syslog line.
//! What is sent is decided here; the service sends it and logs each attempt.

use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::{Alarm, Severity};
use crate::error::CoreError;
use crate::notification::RetryPolicy;
use crate::validate::{Checker, NAME_MAX};

/// How a forwarded change is retried from the outbox: quickly at first (a
/// collector restarting), then every 30 min, about four hours in all. The
/// outbox is in the store, so a restart of Meridian resumes the schedule.
pub fn retry_policy() -> RetryPolicy {
    let s = std::time::Duration::from_secs;
    RetryPolicy { delays: vec![s(1), s(4), s(30), s(120), s(600), s(1800)], max_attempts: 12 }
}

/// MERIDIAN-ALARM-MIB::meridianAlarmMIB (net-snmp's playpen arc until the
/// project has an enterprise number).
pub const MIB_ROOT: [u32; 10] = [1, 3, 6, 1, 4, 1, 8072, 9999, 7701, 0];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyslogTransport {
    /// RFC 6587 octet counting over TCP.
    Tcp,
    Udp,
    /// RFC 5425: octet counting over TLS.
    Tls,
}

impl SyslogTransport {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tcp => "tcp",
            Self::Udp => "udp",
            Self::Tls => "tls",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ForwardKind {
    /// SNMPv2 traps: v2c with the community kept in the vault under
    /// `communityRef`, or, when `user` names a stored SNMPv3 credential,
    /// v3 with that user's auth and privacy, sent as Meridian's own engine.
    SnmpTrap {
        address: String,
        port: u16,
        #[serde(default, rename = "communityRef")]
        community_ref: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        user: Option<String>,
    },
    Syslog {
        address: String,
        port: u16,
        transport: SyslogTransport,
        /// TLS only: a PEM file of the CA certificates to trust instead of
        /// the system's.
        #[serde(default, rename = "caFile")]
        ca_file: Option<String>,
        /// TLS only: the name the receiver's certificate must carry (default:
        /// its address, which the certificate then lists as an IP).
        #[serde(default, rename = "serverName")]
        server_name: Option<String>,
        /// TLS only: a PEM certificate (leaf first) that Meridian presents
        /// when the receiver asks for one (RFC 5425 mutual authentication),
        /// with `keyFile`, its PEM private key. Paths, not contents: the key
        /// stays in a file the operator protects and never enters the store.
        #[serde(default, rename = "certFile", skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        cert_file: Option<String>,
        #[serde(default, rename = "keyFile", skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        key_file: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ForwardTarget {
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub kind: ForwardKind,
    /// Changes of alarms this severe or worse are sent; clears follow
    /// the severity the alarm had.
    pub min_severity: Severity,
}

fn yes() -> bool {
    true
}

/// Letters, digits, hyphens and dots, in labels of 1 to 63 characters.
fn is_dns_name(n: &str) -> bool {
    n.len() <= 253
        && n.split('.').all(|l| {
            (1..=63).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmChange {
    Raised,
    Cleared,
    Acknowledged,
}

impl AlarmChange {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Raised => "raised",
            Self::Cleared => "cleared",
            Self::Acknowledged => "acknowledged",
        }
    }

    /// The inverse of [`AlarmChange::as_str`], for rows read back.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Raised, Self::Cleared, Self::Acknowledged].into_iter().find(|c| c.as_str() == s)
    }

    /// The delivery log's kind for an attempt to forward this change.
    pub fn log_kind(self) -> &'static str {
        match self {
            Self::Raised => "forward_raised",
            Self::Cleared => "forward_cleared",
            Self::Acknowledged => "forward_acknowledged",
        }
    }

    /// The arc under meridianAlarmNotifications.
    fn arc(self) -> u32 {
        match self {
            Self::Raised => 1,
            Self::Cleared => 2,
            Self::Acknowledged => 3,
        }
    }
}

impl ForwardTarget {
    /// Every field at once. Addresses are IP literals: a forward must not
    /// depend on name resolution during the outage it reports.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut c = Checker::new();
        c.text("name", &self.name, NAME_MAX);
        let (address, port) = match &self.kind {
            ForwardKind::SnmpTrap { address, port, .. } | ForwardKind::Syslog { address, port, .. } => (address, port),
        };
        if address.trim().parse::<IpAddr>().is_err() {
            c.fail("kind.address", "must be an IPv4 or IPv6 address");
        }
        if *port == 0 {
            c.fail("kind.port", "must be between 1 and 65535");
        }
        if let ForwardKind::SnmpTrap { user: Some(u), .. } = &self.kind {
            if u.trim().is_empty() {
                c.fail("kind.user", "must name an SNMPv3 credential; leave it out for v2c");
            }
        }
        if let ForwardKind::Syslog { transport, ca_file, server_name, cert_file, key_file, .. } = &self.kind {
            let tls = *transport == SyslogTransport::Tls;
            let fields = [
                ("kind.caFile", ca_file),
                ("kind.serverName", server_name),
                ("kind.certFile", cert_file),
                ("kind.keyFile", key_file),
            ];
            for (field, value) in fields {
                match value.as_deref().map(str::trim) {
                    Some(_) if !tls => c.fail(field, "is for the tls transport only"),
                    Some("") => c.fail(field, "must not be empty; leave it out for the default"),
                    _ => {}
                }
            }
            // A certificate without its key (or the reverse) cannot be presented.
            match (cert_file, key_file) {
                (Some(_), None) => c.fail("kind.keyFile", "must be given with certFile"),
                (None, Some(_)) => c.fail("kind.certFile", "must be given with keyFile"),
                _ => {}
            }
            if server_name.as_deref().is_some_and(|n| !n.trim().is_empty() && !is_dns_name(n.trim())) {
                c.fail("kind.serverName", "must be a DNS name such as syslog.example.net");
            }
        }
        if matches!(self.min_severity, Severity::Cleared | Severity::Indeterminate) {
            c.fail("minSeverity", "must be critical, major, minor or warning");
        }
        c.finish(())
    }

    /// The vault key of a trap target's community.
    pub fn community_ref(&self) -> Option<&str> {
        match &self.kind {
            ForwardKind::SnmpTrap { community_ref, .. } => community_ref.as_deref(),
            ForwardKind::Syslog { .. } => None,
        }
    }

    /// The channel its attempts are logged under in the delivery log.
    pub fn log_channel(&self) -> String {
        format!("forward:{}", self.name)
    }

    /// Whether a change of `alarm` goes to this target.
    pub fn wants(&self, alarm: &Alarm) -> bool {
        // Severity orders most severe first.
        self.enabled && alarm.perceived_severity <= self.min_severity
    }
}

/// A varbind value, in the MIB's two syntaxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapValue {
    Integer(i64),
    Text(String),
}

/// The notification: its OID and its varbinds (after sysUpTime.0 and
/// snmpTrapOID.0), as MERIDIAN-ALARM-MIB defines them.
pub fn trap(alarm: &Alarm, change: AlarmChange, device: Option<&str>) -> (Vec<u32>, Vec<(Vec<u32>, TrapValue)>) {
    let mut oid = MIB_ROOT.to_vec();
    oid.push(change.arc());
    let object = |n: u32| {
        let mut o = MIB_ROOT[..MIB_ROOT.len() - 1].to_vec();
        o.extend([1, n, 0]);
        o
    };
    let severity = if change == AlarmChange::Cleared { Severity::Cleared } else { alarm.perceived_severity };
    let text = |s: &str, max: usize| TrapValue::Text(s.chars().take(max).collect());
    let varbinds = vec![
        (object(1), TrapValue::Text(alarm.id.to_string())),
        (object(2), TrapValue::Integer(severity_code(severity))),
        (object(3), text(&alarm.managed_object, 255)),
        (object(4), text(&alarm.probable_cause, 64)),
        (object(5), text(&alarm.specific_problem, 128)),
        (object(6), text(&alarm.additional_text, 1024)),
        (object(7), text(device.unwrap_or_default(), 64)),
    ];
    (oid, varbinds)
}

/// meridianAlarmSeverity's enumeration.
fn severity_code(s: Severity) -> i64 {
    match s {
        Severity::Critical => 1,
        Severity::Major => 2,
        Severity::Minor => 3,
        Severity::Warning => 4,
        Severity::Indeterminate => 5,
        Severity::Cleared => 6,
    }
}

/// One RFC 5424 message (facility local0; severity from the alarm's:
/// critical 2, major 3, minor 4, warning and the rest 5, cleared 6), with
/// the alarm in structured data `meridian@8072` and a short text.
pub fn syslog_line(alarm: &Alarm, change: AlarmChange, device: Option<&str>, host: &str, now: DateTime<Utc>) -> String {
    let sev = match (change, alarm.perceived_severity) {
        (AlarmChange::Cleared, _) => 6,
        (_, Severity::Critical) => 2,
        (_, Severity::Major) => 3,
        (_, Severity::Minor) => 4,
        _ => 5,
    };
    let pri = 16 * 8 + sev;
    let device = device.unwrap_or("-");
    let sd = format!(
        "[meridian@8072 id=\"{}\" change=\"{}\" severity=\"{}\" object=\"{}\" problem=\"{}\"]",
        alarm.id,
        change.as_str(),
        sd_escape(&format!("{:?}", alarm.perceived_severity).to_lowercase()),
        sd_escape(&alarm.managed_object),
        sd_escape(&alarm.specific_problem),
    );
    let text: String = format!("{} {}: {} {}", change.as_str(), device, alarm.specific_problem, alarm.additional_text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let host: String = host.chars().filter(|c| c.is_ascii_graphic()).take(255).collect();
    format!(
        "<{pri}>1 {} {} meridian - alarm {sd} {}",
        now.to_rfc3339_opts(SecondsFormat::Millis, true),
        if host.is_empty() { "-" } else { &host },
        text.trim_end()
    )
}

/// RFC 5424 6.3.3: `"`, `\` and `]` are escaped in PARAM-VALUE.
fn sd_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
