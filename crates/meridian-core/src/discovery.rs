//! Discovery: what a run is asked to do, what it found, and how a found
//! device is recognised as one we already have.
//!
//! The service runs the job (sweep, SNMP probe, classification); this module
//! holds the rules that need no I/O, so re-discovery's "no duplicates"
//! promise is a unit-tested function rather than a side effect of SQL.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::classify::Classification;
use crate::ids::{CredentialId, DeviceId, DiscoveryRunId};
use crate::validate::Checker;
use crate::CoreError;

/// What a run probes with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum DiscoveryMode {
    /// ICMP sweep, then SNMP on the addresses that answered.
    #[default]
    IcmpThenSnmp,
    /// ICMP sweep only: alive addresses, no identity.
    IcmpOnly,
    /// SNMP on every address, no ICMP at all (firewalled networks).
    SnmpOnly,
}

/// A discovery request as a front end sends it. Credentials are referenced
/// by the name or id of saved credentials, tried in order; ad-hoc
/// communities given on the command line travel separately and are never
/// stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DiscoveryRequest {
    /// CIDR blocks, ranges (`a.b.c.d-e.f.g.h` or `a.b.c.d-h`) or addresses.
    pub targets: Vec<String>,
    /// Saved credentials to try, in order.
    pub credentials: Vec<String>,
    pub mode: DiscoveryMode,
    /// Probe SNMP on addresses that did not answer ICMP too.
    pub snmp_without_ping: bool,
    /// UDP port of the SNMP agents.
    pub port: u16,
    /// Allow more than 65,536 addresses.
    pub force: bool,
    /// Wait per ICMP or SNMP request.
    #[ts(type = "number")]
    pub timeout_ms: u64,
    /// Extra attempts per address and credential.
    pub retries: u32,
    /// The site (by name) of the devices this run adds; none when unset.
    pub site: Option<String>,
    /// Tags of the devices this run adds.
    pub tags: Vec<String>,
}

impl Default for DiscoveryRequest {
    fn default() -> Self {
        Self {
            targets: Vec::new(),
            credentials: Vec::new(),
            mode: DiscoveryMode::default(),
            snmp_without_ping: false,
            port: crate::inventory::SNMP_PORT,
            force: false,
            timeout_ms: 1000,
            retries: 1,
            site: None,
            tags: Vec::new(),
        }
    }
}

/// Longest wait per request a run accepts.
pub const MAX_TIMEOUT_MS: u64 = 30_000;
/// Most retries a run accepts.
pub const MAX_RETRIES: u32 = 5;
/// Most credential sets tried per address.
pub const MAX_CREDENTIALS: usize = 16;

/// Checks the parts of a request that need no network or store: target
/// syntax and size are the prober's to check, since it expands them.
pub fn validate_request(r: &DiscoveryRequest, adhoc_credentials: usize) -> Result<(), CoreError> {
    let mut c = Checker::new();
    if r.targets.iter().all(|t| t.trim().is_empty()) {
        c.fail("targets", "give at least one CIDR, range or address");
    }
    if r.port == 0 {
        c.fail("port", "must be 1 to 65535");
    }
    if !(1..=MAX_TIMEOUT_MS).contains(&r.timeout_ms) {
        c.fail("timeoutMs", format!("must be 1 to {MAX_TIMEOUT_MS}"));
    }
    if r.retries > MAX_RETRIES {
        c.fail("retries", format!("must be 0 to {MAX_RETRIES}"));
    }
    let creds = r.credentials.len() + adhoc_credentials;
    if r.mode != DiscoveryMode::IcmpOnly && creds == 0 {
        c.fail("credentials", "SNMP discovery needs at least one credential or community to try");
    }
    if creds > MAX_CREDENTIALS {
        c.fail("credentials", format!("at most {MAX_CREDENTIALS} credential sets per run"));
    }
    if r.credentials.iter().any(|n| n.trim().is_empty()) {
        c.fail("credentials", "a credential name is empty");
    }
    c.opt_text("site", r.site.as_deref(), crate::validate::NAME_MAX);
    c.tags(&r.tags);
    c.finish(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum RunState {
    Running,
    Completed,
    Cancelled,
    /// Stopped by an error (the store went away, no socket); `error` says why.
    Failed,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Running, Self::Completed, Self::Cancelled, Self::Failed].into_iter().find(|r| r.as_str() == s)
    }
}

/// Which step a run is in, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum DiscoveryPhase {
    Sweep,
    Snmp,
    Done,
}

/// Progress of a run: `probed` of `total` in the current phase, `found` so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryProgress {
    pub run_id: DiscoveryRunId,
    pub phase: DiscoveryPhase,
    #[ts(type = "number")]
    pub probed: u64,
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub found: u64,
}

/// One stored run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscoveryRun {
    pub id: DiscoveryRunId,
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub finished_at: Option<DateTime<Utc>>,
    pub state: RunState,
    /// The request, with ad-hoc communities reduced to a count.
    pub request: DiscoveryRequest,
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub probed: u64,
    #[ts(type = "number")]
    pub found: u64,
    pub error: Option<String>,
}

/// What an SNMP agent said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnmpIdentity {
    pub sys_name: String,
    pub sys_descr: String,
    pub sys_object_id: String,
    pub sys_location: String,
    pub sys_services: Option<u8>,
    /// snmpEngineID in lower-case hex: the identity that survives readdressing.
    pub engine_id: Option<String>,
    /// lldpLocChassisId as neighbours report it (see `topology`).
    pub chassis_id: Option<String>,
    pub port: u16,
}

/// How a found device was recognised as an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum IdentityMatch {
    Address,
    EngineId,
    SysName,
}

/// One responder of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FoundDevice {
    pub run_id: DiscoveryRunId,
    pub address: String,
    /// Other addresses of the same agent (same engine id) in this run.
    pub other_addresses: Vec<String>,
    /// Answered ICMP.
    pub alive: bool,
    pub rtt_ms: Option<f64>,
    pub snmp: Option<SnmpIdentity>,
    /// The saved credential that worked.
    pub credential_id: Option<CredentialId>,
    /// Which credential worked, in words (`"lab-v3"`, `"community #2 (ad hoc)"`).
    pub credential_label: Option<String>,
    pub classification: Option<Classification>,
    /// The existing device this is, and how we know.
    pub existing: Option<DeviceId>,
    pub matched_by: Option<IdentityMatch>,
    /// Set once the user added it from the review.
    pub added: Option<DeviceId>,
    /// A device name to propose: sysName cleaned up, else the address.
    pub suggested_name: String,
}

/// What the store knows about an existing device's identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownIdentity {
    pub id: Option<DeviceId>,
    pub address: String,
    pub engine_id: Option<String>,
    pub sys_name: Option<String>,
    /// lldpLocChassisId as neighbours report it, for topology matching.
    pub chassis_id: Option<String>,
}

/// The existing device a responder is, by address, then SNMP engine id, then
/// sysName. Address first because it is what the user typed; engine id
/// catches a readdressed agent; sysName last because it is only as unique as
/// the operators kept it (so an empty or default one never matches).
pub fn match_existing(
    address: &str,
    snmp: Option<&SnmpIdentity>,
    known: &[KnownIdentity],
) -> Option<(DeviceId, IdentityMatch)> {
    let by = |pred: &dyn Fn(&KnownIdentity) -> bool, how| {
        known.iter().find(|k| pred(k)).and_then(|k| k.id).map(|id| (id, how))
    };
    if let Some(hit) = by(&|k| k.address == address, IdentityMatch::Address) {
        return Some(hit);
    }
    let snmp = snmp?;
    if let Some(e) = snmp.engine_id.as_deref().filter(|e| meaningful_engine_id(e)) {
        if let Some(hit) = by(&|k| k.engine_id.as_deref() == Some(e), IdentityMatch::EngineId) {
            return Some(hit);
        }
    }
    let name = snmp.sys_name.trim();
    if meaningful_sys_name(name) {
        return by(&|k| k.sys_name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)), IdentityMatch::SysName);
    }
    None
}

/// Engine ids that many agents share say nothing about identity: empty, and
/// all-zero ones that some cheap agents ship. Shared with trap matching.
pub fn meaningful_engine_id(hex: &str) -> bool {
    hex.len() >= 10 && hex.chars().any(|c| c != '0')
}

/// Factory-default names match too many boxes to identify one.
fn meaningful_sys_name(name: &str) -> bool {
    const DEFAULTS: [&str; 6] = ["", "localhost", "switch", "router", "default", "(none)"];
    !DEFAULTS.iter().any(|d| name.eq_ignore_ascii_case(d))
}

/// Folds responders that are the same agent (same meaningful engine id)
/// into one entry, keeping the first address in input order and listing the
/// others, so a router answering on five interfaces is one device.
pub fn fold_same_agent(found: Vec<FoundDevice>) -> Vec<FoundDevice> {
    let mut out: Vec<FoundDevice> = Vec::with_capacity(found.len());
    let mut by_engine: BTreeMap<String, usize> = BTreeMap::new();
    for f in found {
        let engine = f.snmp.as_ref().and_then(|s| s.engine_id.clone()).filter(|e| meaningful_engine_id(e));
        match engine.as_ref().and_then(|e| by_engine.get(e)) {
            Some(&i) => out[i].other_addresses.push(f.address),
            None => {
                if let Some(e) = engine {
                    by_engine.insert(e, out.len());
                }
                out.push(f);
            }
        }
    }
    out
}

/// A device name from sysName: the first DNS label when the rest is a
/// domain, limited to name-safe characters; the address when nothing is left.
pub fn suggested_name(sys_name: Option<&str>, address: &str) -> String {
    let raw = sys_name.map(str::trim).unwrap_or("");
    // An address as sysName names nothing; the responder's own address is clearer.
    let label = if raw.parse::<std::net::IpAddr>().is_ok() { "" } else { raw.split('.').next().unwrap_or("") };
    let clean: String =
        label.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).take(64).collect();
    if clean.is_empty() || !meaningful_sys_name(&clean) {
        address.to_string()
    } else {
        clean
    }
}

/// A name not in `taken`: `name`, else `name-2`, `name-3`, ...
pub fn unique_name(name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (2u32..).map(|i| format!("{name}-{i}")).find(|n| !taken(n)).unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn id(n: u128) -> DeviceId {
        DeviceId(Uuid::from_u128(n))
    }

    fn snmp(name: &str, engine: Option<&str>) -> SnmpIdentity {
        SnmpIdentity { sys_name: name.into(), engine_id: engine.map(str::to_string), port: 161, ..Default::default() }
    }

    fn known() -> Vec<KnownIdentity> {
        vec![
            KnownIdentity {
                id: Some(id(1)),
                address: "127.1.0.1".into(),
                engine_id: None,
                sys_name: Some("core1".into()),
                chassis_id: None,
            },
            KnownIdentity {
                id: Some(id(2)),
                address: "127.1.0.2".into(),
                engine_id: Some("80001f8880aabbccdd".into()),
                sys_name: Some("edge".into()),
                chassis_id: None,
            },
        ]
    }

    #[test]
    fn address_then_engine_id_then_sys_name() {
        let k = known();
        assert_eq!(match_existing("127.1.0.1", None, &k), Some((id(1), IdentityMatch::Address)));
        let moved = snmp("edge", Some("80001f8880aabbccdd"));
        assert_eq!(match_existing("127.1.0.9", Some(&moved), &k), Some((id(2), IdentityMatch::EngineId)));
        assert_eq!(match_existing("127.1.0.9", Some(&snmp("CORE1", None)), &k), Some((id(1), IdentityMatch::SysName)));
        assert_eq!(match_existing("127.1.0.9", Some(&snmp("other", None)), &k), None);
    }

    #[test]
    fn default_names_and_blank_engine_ids_never_match() {
        let mut k = known();
        k.push(KnownIdentity {
            id: Some(id(3)),
            address: "127.1.0.3".into(),
            engine_id: Some("0000000000".into()),
            sys_name: Some("localhost".into()),
            chassis_id: None,
        });
        let s = snmp("localhost", Some("0000000000"));
        assert_eq!(match_existing("127.1.0.9", Some(&s), &k), None);
    }

    #[test]
    fn one_agent_on_many_addresses_is_one_device() {
        let run = DiscoveryRunId(Uuid::from_u128(9));
        let f = |a: &str, e: Option<&str>| FoundDevice {
            run_id: run,
            address: a.into(),
            other_addresses: vec![],
            alive: true,
            rtt_ms: None,
            snmp: Some(snmp("r", e)),
            credential_id: None,
            credential_label: None,
            classification: None,
            existing: None,
            matched_by: None,
            added: None,
            suggested_name: a.into(),
        };
        let out = fold_same_agent(vec![
            f("127.1.0.1", Some("80001f8880aa01")),
            f("127.1.0.2", None),
            f("127.1.0.3", Some("80001f8880aa01")),
            f("127.1.0.4", Some("00000000000000")),
            f("127.1.0.5", Some("00000000000000")),
        ]);
        let addrs: Vec<_> = out.iter().map(|f| (f.address.as_str(), f.other_addresses.len())).collect();
        assert_eq!(addrs, [("127.1.0.1", 1), ("127.1.0.2", 0), ("127.1.0.4", 0), ("127.1.0.5", 0)]);
    }

    #[test]
    fn names_come_from_sys_name_and_stay_unique() {
        assert_eq!(suggested_name(Some("sw-7.lab.example.net"), "127.0.0.1"), "sw-7");
        assert_eq!(suggested_name(Some("  "), "127.0.0.1"), "127.0.0.1");
        assert_eq!(suggested_name(Some("localhost"), "127.0.0.1"), "127.0.0.1");
        assert_eq!(suggested_name(Some("10.0.0.1"), "127.0.0.1"), "127.0.0.1");
        assert_eq!(suggested_name(Some("héllo wörld"), "::1"), "hllowrld");
        let taken = |n: &str| n == "sw" || n == "sw-2";
        assert_eq!(unique_name("sw", &taken), "sw-3");
        assert_eq!(unique_name("x", &taken), "x");
    }

    #[test]
    fn requests_are_checked_field_by_field() {
        let ok = DiscoveryRequest { targets: vec!["127.1.0.0/24".into()], ..Default::default() };
        assert!(validate_request(&ok, 1).is_ok());
        let e = validate_request(&ok, 0).expect_err("no credentials");
        assert_eq!(e.fields()[0].field, "credentials");
        let icmp = DiscoveryRequest { mode: DiscoveryMode::IcmpOnly, ..ok.clone() };
        assert!(validate_request(&icmp, 0).is_ok());
        let bad = DiscoveryRequest { targets: vec![" ".into()], port: 0, timeout_ms: 0, retries: 9, ..ok };
        let fields: Vec<_> =
            validate_request(&bad, 1).expect_err("bad").fields().iter().map(|f| f.field.clone()).collect();
        assert_eq!(fields, ["targets", "port", "timeoutMs", "retries"]);
    }
}
