//! `snmp get` and `snmp walk`, printed as net-snmp prints them.

use std::fmt;
use std::time::Duration;

use meridian_core::validate::diag::{check_snmp, SnmpCredentialInput, SnmpOptions};
use meridian_core::validate::Checker;
use meridian_core::FieldError;
use meridian_probe::mib::MibSet;
use meridian_probe::snmp::{Oid, SnmpEngine, Target, Value, VarBind};
use meridian_probe::ProbeError;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{probe_error, ApiError, ApiErrorKind};
use crate::target::{snmp_engine, EngineUse};

/// One varbind. `Display` is the net-snmp line: `-On`
/// (`.1.3.6.1.2.1.1.5.0 = STRING: "host"`) when built by `From`, or named
/// as `snmpwalk` names it (`SNMPv2-MIB::sysName.0 = STRING: host`,
/// `IF-MIB::ifOperStatus.1 = INTEGER: up(1)`) when built by
/// [`VarBindView::named`]; JSON is `{oid, type, value, name, display}`.
///
/// `type` is net-snmp's label: `INTEGER`, `STRING`, `Hex-STRING`, `OID`,
/// `IpAddress`, `Counter32`, `Gauge32`, `Timeticks`, `Opaque`, `Counter64`,
/// `NULL`, or one of the exceptions `noSuchObject`, `noSuchInstance`,
/// `endOfMibView`. `value` is a JSON number for INTEGER, Counter32, Gauge32
/// and Timeticks (the tick count); a string for Counter64 (it may exceed
/// 2^53), STRING (the text, unquoted), Hex-STRING (`"32 18 8E"`), OID,
/// IpAddress and Opaque; `null` for NULL and the exceptions.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct VarBindView {
    pub oid: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[ts(type = "number | string | null")]
    pub value: serde_json::Value,
    /// `MODULE::name.instance` from the loaded MIBs.
    pub name: Option<String>,
    /// The value as its MIB says to show it (`up(1)`, `52:54:0:12:34:56`).
    pub display: Option<String>,
    /// The value as net-snmp prints it (after `= `).
    #[serde(skip)]
    #[ts(skip)]
    pub text: String,
}

impl fmt::Display for VarBindView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name.as_deref().unwrap_or(&self.oid), self.text)
    }
}

impl From<&VarBind> for VarBindView {
    fn from(vb: &VarBind) -> Self {
        use serde_json::Value as J;
        let text = vb.value.to_string();
        let (kind, value) = match &vb.value {
            Value::Integer(v) => ("INTEGER", J::from(*v)),
            Value::OctetString(b) if text.starts_with("Hex-STRING: ") => ("Hex-STRING", J::from(hex(b))),
            Value::OctetString(b) => ("STRING", J::from(String::from_utf8_lossy(b).into_owned())),
            Value::Oid(o) => ("OID", J::from(o.to_string())),
            Value::IpAddress(a) => ("IpAddress", J::from(a.to_string())),
            Value::Counter32(v) => ("Counter32", J::from(*v)),
            Value::Gauge32(v) => ("Gauge32", J::from(*v)),
            Value::TimeTicks(v) => ("Timeticks", J::from(*v)),
            Value::Opaque(_) => ("Opaque", J::from(text.split_once(": ").map_or(text.as_str(), |(_, v)| v))),
            Value::Counter64(v) => ("Counter64", J::from(v.to_string())),
            Value::Null => ("NULL", J::Null),
            Value::NoSuchObject => ("noSuchObject", J::Null),
            Value::NoSuchInstance => ("noSuchInstance", J::Null),
            Value::EndOfMibView => ("endOfMibView", J::Null),
        };
        Self { oid: vb.oid.to_string(), kind: kind.to_owned(), value, name: None, display: None, text }
    }
}

impl VarBindView {
    /// The varbind named and shown through `mibs`, as `snmpwalk` prints it
    /// with the same modules loaded.
    pub fn named(vb: &VarBind, mibs: &MibSet) -> Self {
        let mut v = Self::from(vb);
        let oid = vb.oid.to_string();
        v.name = mibs.name(&oid);
        v.display = mibs.display(&oid, &vb.value);
        if let Some(d) = &v.display {
            let label = match &vb.value {
                // net-snmp's word for an octet string shown through a hint.
                Value::OctetString(_) => "STRING",
                _ => v.kind.as_str(),
            };
            v.text = format!("{label}: {d}");
        }
        v
    }

    fn build(vb: &VarBind, mibs: Option<&MibSet>) -> Self {
        match mibs {
            Some(m) => Self::named(vb, m),
            None => Self::from(vb),
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02X}")).collect::<Vec<_>>().join(" ")
}

/// SNMP GET of `oids` from `target` (`ADDR`, `ADDR:PORT`, `[V6]:PORT`;
/// port 161 by default).
pub async fn snmp_get(
    target: &str,
    cred: &SnmpCredentialInput,
    oids: &[String],
    opts: &SnmpOptions,
    mibs: Option<&MibSet>,
) -> Result<Vec<VarBindView>, ApiError> {
    let (t, oids) = plan_snmp(target, cred, opts, || {
        let mut errs = Vec::new();
        if oids.is_empty() {
            errs.push(FieldError::new("oid", "give at least one OID"));
        }
        let parsed =
            oids.iter().filter_map(|o| parse_named_oid(o, mibs).map_err(|e| errs.push(e)).ok()).collect::<Vec<_>>();
        (parsed, errs)
    })?;
    let engine = snmp_engine(EngineUse::OneDevice).await?;
    let vbs = engine.get(&t, &oids).await.map_err(probe_error)?;
    Ok(vbs.iter().map(|vb| VarBindView::build(vb, mibs)).collect())
}

/// SNMP walk (GETBULK; GETNEXT for v1) of each root in turn; with no root,
/// or the root `.1`, the whole tree.
pub async fn snmp_walk(
    target: &str,
    cred: &SnmpCredentialInput,
    roots: &[String],
    opts: &SnmpOptions,
    mibs: Option<&MibSet>,
) -> Result<Vec<VarBindView>, ApiError> {
    let (t, roots) = plan_snmp(target, cred, opts, || {
        let mut errs = Vec::new();
        let mut parsed = Vec::new();
        for r in roots {
            if r.trim().trim_start_matches('.') == "1" {
                parsed.push(None);
            } else {
                match parse_named_oid(r, mibs) {
                    Ok(o) => parsed.push(Some(o)),
                    Err(e) => errs.push(e),
                }
            }
        }
        if parsed.is_empty() {
            parsed.push(None);
        }
        (parsed, errs)
    })?;
    let engine = snmp_engine(EngineUse::OneDevice).await?;
    walk_roots(&engine, &t, &roots, usize::MAX, mibs).await
}

/// Walks each root in turn (`None`: the whole tree), stopping once `limit`
/// rows are in; a root with an empty subtree is fetched with a GET, as
/// `snmpbulkwalk` does, so walking a leaf prints it. Shared by `snmp walk`
/// and the desktop's walk of a device.
pub(crate) async fn walk_roots(
    engine: &SnmpEngine,
    t: &Target,
    roots: &[Option<Oid>],
    limit: usize,
    mibs: Option<&MibSet>,
) -> Result<Vec<VarBindView>, ApiError> {
    let mut out = Vec::new();
    for root in roots {
        let left = limit.saturating_sub(out.len());
        if left == 0 {
            break;
        }
        let mut vbs = engine.walk_at_most(t, root.as_ref(), left).await.map_err(probe_error)?;
        if let (true, Some(o)) = (vbs.is_empty(), root) {
            match engine.get(t, std::slice::from_ref(o)).await {
                Ok(got) => vbs = got,
                // v1's noSuchName and the like: nothing there, as net-snmp.
                Err(ProbeError::SnmpErrorStatus { .. }) => {}
                Err(e) => return Err(probe_error(e)),
            }
        }
        out.extend(vbs.iter().map(|vb| VarBindView::build(vb, mibs)));
    }
    Ok(out)
}

/// Parses target, credential, options and (through `more`) the OIDs, and
/// reports every bad field at once.
fn plan_snmp<T>(
    target: &str,
    cred: &SnmpCredentialInput,
    opts: &SnmpOptions,
    more: impl FnOnce() -> (T, Vec<FieldError>),
) -> Result<(Target, T), ApiError> {
    let mut c = Checker::new();
    let checked = check_snmp(&mut c, target, cred, opts);
    let (extra, extra_errs) = more();
    extra_errs.into_iter().for_each(|e| c.push(e));
    match c.finish(checked)? {
        Some((addr, credential)) => Ok((
            Target { addr, credential, timeout: Duration::from_millis(opts.timeout_ms), retries: opts.retries },
            extra,
        )),
        // Unreachable: a missing part left an error behind.
        None => Err(ApiError::new(ApiErrorKind::Internal, "SNMP request incomplete after validation")),
    }
}

/// `1.3.6.1...` or `.1.3.6.1...`. Errors name field `oid`.
pub fn parse_oid(s: &str) -> Result<Oid, FieldError> {
    s.parse::<Oid>().map_err(|e| FieldError::new("oid", e.to_string()))
}

/// A numeric OID, or with MIBs loaded also a name (`IF-MIB::ifDescr`,
/// `sysName.0`). Errors name field `oid`.
pub fn parse_named_oid(s: &str, mibs: Option<&MibSet>) -> Result<Oid, FieldError> {
    let numeric = s.trim().trim_start_matches('.').starts_with(|c: char| c.is_ascii_digit());
    match mibs {
        Some(m) if !numeric => {
            let oid = m.resolve(s).map_err(|reason| FieldError::new("oid", reason))?;
            parse_oid(&oid)
        }
        _ => parse_oid(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: &ApiError) -> &str {
        e.fields.first().map_or("", |f| f.field.as_str())
    }

    fn input() -> SnmpCredentialInput {
        SnmpCredentialInput::default()
    }

    #[test]
    fn snmp_errors_name_the_field_and_nothing_is_sent() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let opts = SnmpOptions::default();
        let e = rt.block_on(snmp_get("127.0.0.1:1", &input(), &["1.3.x".into()], &opts, None)).expect_err("bad oid");
        assert_eq!(e.fields, vec![FieldError::new("oid", "invalid OID '1.3.x': arcs must be decimal numbers")]);
        let e = rt.block_on(snmp_walk("nohost:161", &input(), &[], &opts, None)).expect_err("bad target");
        assert_eq!(field(&e), "target");
        let e = rt.block_on(snmp_get("127.0.0.1:1", &input(), &[], &opts, None)).expect_err("no oid");
        assert_eq!(field(&e), "oid");
    }

    #[test]
    fn varbind_views_print_like_net_snmp_and_serialise_typed() {
        let vb = |value| VarBindView::from(&VarBind { oid: "1.3.6.1.2.1.1.3.0".parse().expect("oid"), value });
        let v = vb(Value::TimeTicks(5267));
        assert_eq!(v.to_string(), ".1.3.6.1.2.1.1.3.0 = Timeticks: (5267) 0:00:52.67");
        assert_eq!(
            serde_json::to_value(&v).expect("json"),
            serde_json::json!({"oid": ".1.3.6.1.2.1.1.3.0", "type": "Timeticks", "value": 5267, "name": null, "display": null})
        );
        let v = vb(Value::OctetString(vec![0x32, 0x18, 0x8e]));
        assert_eq!((v.kind.as_str(), v.value.as_str()), ("Hex-STRING", Some("32 18 8E")));
        let v = vb(Value::OctetString(b"a \"q\"".to_vec()));
        assert_eq!((v.kind.as_str(), v.value.as_str()), ("STRING", Some("a \"q\"")));
        assert_eq!(vb(Value::OctetString(vec![])).to_string(), ".1.3.6.1.2.1.1.3.0 = \"\"");
        assert_eq!(vb(Value::Counter64(u64::MAX)).value.as_str(), Some("18446744073709551615"));
        assert_eq!(vb(Value::NoSuchInstance).kind, "noSuchInstance");
        assert!(vb(Value::Null).value.is_null());
    }
}
