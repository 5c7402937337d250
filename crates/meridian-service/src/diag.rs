//! Diagnostic use cases: ping, sweep, SNMP get and walk.
//!
//! They need no data directory and no [`crate::App`]: each call opens its own
//! probe engine, so `meridian ping` works while the desktop app or
//! `meridian monitor` holds the store. Every input is parsed and checked
//! here before a packet leaves, so a typo gives a field error (`address`,
//! `range`, `oid`, `target`, `community`, `authProto`, ...) and sends
//! nothing.
//!
//! Errors from the probe engines are mapped to [`ApiError`] by
//! [`probe_error`]:
//! - the ICMP permission error keeps the probe's text, which names the fix
//!   (the `net.ipv4.ping_group_range` sysctl, or `setcap cap_net_raw+ep`);
//! - an SNMP agent that does not answer is "no response from ADDR within T",
//!   a `validation` error on `target` (wrong community or credentials is the
//!   usual cause);
//! - SNMPv3 reports (unknown user, wrong digest, decryption error) are
//!   `validation` errors on the credential field at fault;
//! - an agent that misbehaves on the wire (malformed replies, OIDs that do
//!   not increase, tooBig for one varbind) is `internal`.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use meridian_core::credential::{validate_community, validate_usm, SnmpCredential, SnmpVersion, UsmInput};
use meridian_core::{CoreError, FieldError};
use meridian_probe::icmp::{self, IcmpEngine, PingConfig, DEFAULT_MAX_TARGETS, HARD_MAX_TARGETS, MAX_PAYLOAD};
use meridian_probe::snmp::{EngineConfig, Oid, SnmpEngine, Target, UsmReport, Value, VarBind};
use meridian_probe::ProbeError;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiErrorKind};

/// Most addresses one `ping` call takes (a sweep is the tool for ranges).
pub const PING_MAX_ADDRESSES: usize = 1024;
/// Most echo requests per address in one `ping` call.
pub const PING_MAX_COUNT: u32 = 100_000;
/// Longest per-request timeout and ping interval accepted, in milliseconds.
pub const MAX_WAIT_MS: u64 = 60_000;
/// Most retries accepted by sweep and SNMP.
pub const MAX_RETRIES: u32 = 10;
/// Most requests in flight in one sweep.
pub const SWEEP_MAX_CONCURRENCY: usize = 65_536;
/// The SNMP port used when a target gives none.
pub const SNMP_PORT: u16 = 161;

// ---------------------------------------------------------------- ping ----

/// How `ping` probes each address.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PingOptions {
    /// Echo requests per address, 1..=[`PING_MAX_COUNT`].
    pub count: u32,
    /// Time between the starts of consecutive requests, 1..=[`MAX_WAIT_MS`].
    pub interval_ms: u64,
    /// Wait for each reply, 1..=[`MAX_WAIT_MS`].
    pub timeout_ms: u64,
    /// ICMP payload bytes, at most 65,507.
    pub size: usize,
}

impl Default for PingOptions {
    fn default() -> Self {
        Self { count: 3, interval_ms: 1000, timeout_ms: 1000, size: 56 }
    }
}

/// The outcome for one address. RTTs are in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PingResult {
    pub address: String,
    pub sent: u32,
    pub received: u32,
    pub loss_percent: f64,
    pub rtt_min_ms: Option<f64>,
    pub rtt_avg_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
    /// Mean absolute difference of consecutive RTTs (lost requests skipped);
    /// `None` with fewer than two replies.
    pub jitter_ms: Option<f64>,
    /// RTT of each request in send order, `None` when it was lost.
    pub rtts_ms: Vec<Option<f64>>,
    /// The last error other than a plain timeout (an ICMP unreachable, a
    /// send failure), if any.
    pub error: Option<String>,
}

impl PingResult {
    /// No request was answered.
    pub fn all_lost(&self) -> bool {
        self.sent > 0 && self.received == 0
    }
}

/// Ping every address concurrently, `opts.count` times each; results come
/// back in input order. Takes about `(count - 1) * interval + timeout`.
/// Nothing is sent unless every address and option is valid.
pub async fn ping(addrs: &[String], opts: &PingOptions) -> Result<Vec<PingResult>, ApiError> {
    let targets = plan_ping(addrs, opts)?;
    let engine = IcmpEngine::new();
    let mut out = Vec::with_capacity(targets.len());
    for report in engine.ping_many(&targets).await {
        // Per-request failures are inside the report; an error here is about
        // the whole run (no socket, no permission), so it ends the command.
        let r = report.map_err(probe_error)?;
        let s = &r.stats;
        out.push(PingResult {
            address: r.target.to_string(),
            sent: s.sent,
            received: s.received,
            loss_percent: s.loss_percent,
            rtt_min_ms: s.rtt_min.map(ms),
            rtt_avg_ms: s.rtt_avg.map(ms),
            rtt_max_ms: s.rtt_max.map(ms),
            jitter_ms: s.jitter.map(ms),
            rtts_ms: r.rtts.iter().map(|d| d.map(ms)).collect(),
            error: r.last_error,
        });
    }
    Ok(out)
}

/// Checks a ping request without sending anything: the addresses and the
/// probe settings for each.
pub fn plan_ping(addrs: &[String], opts: &PingOptions) -> Result<Vec<(IpAddr, PingConfig)>, ApiError> {
    let mut errs = Vec::new();
    if addrs.is_empty() {
        errs.push(FieldError::new("address", "give at least one address"));
    }
    if addrs.len() > PING_MAX_ADDRESSES {
        errs.push(FieldError::new(
            "address",
            format!("{} addresses given, at most {PING_MAX_ADDRESSES}; use sweep for ranges", addrs.len()),
        ));
    }
    let mut ips = Vec::with_capacity(addrs.len());
    for a in addrs {
        match parse_ip(a) {
            Some(ip) => ips.push(ip),
            None => errs.push(FieldError::new("address", format!("'{a}' is not a valid IP address"))),
        }
    }
    if !(1..=PING_MAX_COUNT).contains(&opts.count) {
        errs.push(FieldError::new("count", format!("must be 1 to {PING_MAX_COUNT}")));
    }
    check_ms(&mut errs, "intervalMs", opts.interval_ms);
    check_ms(&mut errs, "timeoutMs", opts.timeout_ms);
    check_size(&mut errs, opts.size);
    finish(errs)?;
    let cfg = PingConfig {
        count: opts.count,
        interval: Duration::from_millis(opts.interval_ms),
        timeout: Duration::from_millis(opts.timeout_ms),
        payload_size: opts.size,
    };
    Ok(ips.into_iter().map(|ip| (ip, cfg.clone())).collect())
}

/// An IP address, optionally in brackets (`[::1]`). Host names are not
/// resolved: diagnostics must not depend on (or leak queries to) DNS.
fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(s);
    s.parse().ok()
}

// --------------------------------------------------------------- sweep ----

/// How `sweep` probes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SweepOptions {
    /// Wait per request, 1..=[`MAX_WAIT_MS`].
    pub timeout_ms: u64,
    /// Extra requests to an address that did not answer, 0..=[`MAX_RETRIES`].
    pub retries: u32,
    /// Requests in flight at most, 1..=[`SWEEP_MAX_CONCURRENCY`].
    pub concurrency: usize,
    /// ICMP payload bytes.
    pub size: usize,
}

impl Default for SweepOptions {
    fn default() -> Self {
        Self { timeout_ms: 500, retries: 1, concurrency: 512, size: 56 }
    }
}

/// Progress after each address is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepProgress {
    pub probed: usize,
    pub total: usize,
    pub alive: usize,
}

/// The outcome of a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepResult {
    /// Addresses probed (host addresses of the ranges, de-duplicated).
    pub total: usize,
    /// Addresses that answered, sorted (IPv4 first).
    pub alive: Vec<String>,
    pub elapsed_ms: u64,
    /// Requests that failed locally (counted as no reply).
    pub send_errors: usize,
}

/// Sweep the ranges (addresses or CIDR blocks; an argument may hold several
/// separated by commas or spaces) and return the addresses that answer.
/// More than 65,536 addresses needs `force`; more than 16,777,216 is always
/// refused. `progress` is called from the probe tasks once per address: keep
/// it cheap.
pub async fn sweep<F>(ranges: &[String], force: bool, opts: &SweepOptions, progress: F) -> Result<SweepResult, ApiError>
where
    F: Fn(SweepProgress) + Send + Sync + 'static,
{
    let (targets, probe_opts) = plan_sweep(ranges, force, opts)?;
    let engine = IcmpEngine::new();
    let report = engine
        .sweep(targets, &probe_opts, move |p| {
            progress(SweepProgress { probed: p.probed, total: p.total, alive: p.alive })
        })
        .await
        .map_err(probe_error)?;
    Ok(SweepResult {
        total: report.total,
        alive: report.alive.iter().map(IpAddr::to_string).collect(),
        elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
        send_errors: report.send_errors,
    })
}

/// Checks a sweep without sending anything: the expanded address list and
/// the probe options.
pub fn plan_sweep(
    ranges: &[String],
    force: bool,
    opts: &SweepOptions,
) -> Result<(Vec<IpAddr>, icmp::SweepOptions), ApiError> {
    let mut errs = Vec::new();
    let mut blocks = Vec::new();
    for r in ranges {
        match icmp::parse_target_list(r) {
            Ok(b) => blocks.extend(b),
            Err(e) => errs.push(FieldError::new("range", e.to_string())),
        }
    }
    if ranges.is_empty() {
        errs.push(FieldError::new("range", "give at least one address or CIDR range"));
    }
    check_ms(&mut errs, "timeoutMs", opts.timeout_ms);
    if opts.retries > MAX_RETRIES {
        errs.push(FieldError::new("retries", format!("must be 0 to {MAX_RETRIES}")));
    }
    if !(1..=SWEEP_MAX_CONCURRENCY).contains(&opts.concurrency) {
        errs.push(FieldError::new("concurrency", format!("must be 1 to {SWEEP_MAX_CONCURRENCY}")));
    }
    check_size(&mut errs, opts.size);
    finish(errs)?;
    let targets = icmp::expand(&blocks, force).map_err(|e| match e {
        ProbeError::RangeTooLarge { count, .. } => too_large(count, force),
        other => probe_error(other),
    })?;
    let probe_opts = icmp::SweepOptions {
        concurrency: opts.concurrency,
        timeout: Duration::from_millis(opts.timeout_ms),
        retries: opts.retries,
        payload_size: opts.size,
    };
    Ok((targets, probe_opts))
}

fn too_large(count: u128, force: bool) -> ApiError {
    let msg = if force || count > HARD_MAX_TARGETS {
        format!("{count} addresses requested, more than the hard limit of {HARD_MAX_TARGETS} even with force; narrow the range")
    } else {
        format!(
            "{count} addresses requested, more than the limit of {DEFAULT_MAX_TARGETS}; narrow the range, \
             or force it (--force) to sweep up to {HARD_MAX_TARGETS}"
        )
    };
    ApiError::field("range", msg)
}

// ---------------------------------------------------------------- SNMP ----

/// The credential fields of an SNMP diagnostic, as typed. With no `user`
/// (and no v3 field) it is a community credential: `community` defaults to
/// `public` and `version` to 2c. A `user` makes it SNMPv3.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SnmpCredentialInput {
    /// `1`, `2c` or `3` (a leading `v` is accepted).
    pub version: Option<String>,
    pub community: Option<String>,
    pub user: Option<String>,
    pub auth_proto: Option<String>,
    pub auth_pass: Option<String>,
    pub priv_proto: Option<String>,
    pub priv_pass: Option<String>,
}

impl fmt::Debug for SnmpCredentialInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hide = |s: &Option<String>| s.as_ref().map(|_| "***");
        f.debug_struct("SnmpCredentialInput")
            .field("version", &self.version)
            .field("community", &hide(&self.community))
            .field("user", &self.user)
            .field("auth_proto", &self.auth_proto)
            .field("auth_pass", &hide(&self.auth_pass))
            .field("priv_proto", &self.priv_proto)
            .field("priv_pass", &hide(&self.priv_pass))
            .finish()
    }
}

/// Per-request timing of an SNMP diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SnmpOptions {
    /// Wait per attempt, 1..=[`MAX_WAIT_MS`].
    pub timeout_ms: u64,
    /// Extra attempts after the first, 0..=[`MAX_RETRIES`].
    pub retries: u32,
}

impl Default for SnmpOptions {
    /// net-snmp's defaults: 1 s and 2 retries.
    fn default() -> Self {
        Self { timeout_ms: 1000, retries: 2 }
    }
}

/// One varbind. `Display` is the net-snmp `-On` line
/// (`.1.3.6.1.2.1.1.5.0 = STRING: "host"`); JSON is `{oid, type, value}`.
///
/// `type` is net-snmp's label: `INTEGER`, `STRING`, `Hex-STRING`, `OID`,
/// `IpAddress`, `Counter32`, `Gauge32`, `Timeticks`, `Opaque`, `Counter64`,
/// `NULL`, or one of the exceptions `noSuchObject`, `noSuchInstance`,
/// `endOfMibView`. `value` is a JSON number for INTEGER, Counter32, Gauge32
/// and Timeticks (the tick count); a string for Counter64 (it may exceed
/// 2^53), STRING (the text, unquoted), Hex-STRING (`"32 18 8E"`), OID,
/// IpAddress and Opaque; `null` for NULL and the exceptions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VarBindView {
    pub oid: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: serde_json::Value,
    /// The value as net-snmp prints it (after `= `).
    #[serde(skip)]
    pub text: String,
}

impl fmt::Display for VarBindView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.oid, self.text)
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
        Self { oid: vb.oid.to_string(), kind: kind.to_owned(), value, text }
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
) -> Result<Vec<VarBindView>, ApiError> {
    let (t, oids) = plan_snmp(target, cred, opts, || {
        let mut errs = Vec::new();
        if oids.is_empty() {
            errs.push(FieldError::new("oid", "give at least one OID"));
        }
        let parsed = oids.iter().filter_map(|o| parse_oid(o).map_err(|e| errs.push(e)).ok()).collect::<Vec<_>>();
        (parsed, errs)
    })?;
    let engine = snmp_engine().await?;
    let vbs = engine.get(&t, &oids).await.map_err(probe_error)?;
    Ok(vbs.iter().map(VarBindView::from).collect())
}

/// SNMP walk (GETBULK; GETNEXT for v1) of each root in turn; with no root,
/// or the root `.1`, the whole tree. As `snmpbulkwalk` does, a root whose
/// subtree is empty is fetched with a GET, so walking a leaf prints it.
pub async fn snmp_walk(
    target: &str,
    cred: &SnmpCredentialInput,
    roots: &[String],
    opts: &SnmpOptions,
) -> Result<Vec<VarBindView>, ApiError> {
    let (t, roots) = plan_snmp(target, cred, opts, || {
        let mut errs = Vec::new();
        let mut parsed = Vec::new();
        for r in roots {
            if r.trim().trim_start_matches('.') == "1" {
                parsed.push(None);
            } else {
                match parse_oid(r) {
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
    let engine = snmp_engine().await?;
    let mut out = Vec::new();
    for root in &roots {
        let mut vbs = match root {
            None => engine.walk_all(&t).await,
            Some(o) => engine.walk(&t, o).await,
        }
        .map_err(probe_error)?;
        if let (true, Some(o)) = (vbs.is_empty(), root) {
            match engine.get(&t, std::slice::from_ref(o)).await {
                Ok(got) => vbs = got,
                // v1's noSuchName and the like: nothing there, as net-snmp.
                Err(ProbeError::SnmpErrorStatus { .. }) => {}
                Err(e) => return Err(probe_error(e)),
            }
        }
        out.extend(vbs.iter().map(VarBindView::from));
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
    let mut errs = Vec::new();
    let addr = parse_target(target).map_err(|e| errs.push(e)).ok();
    let credential = snmp_credential(cred).map_err(|e| errs.extend(e.fields)).ok();
    check_ms(&mut errs, "timeoutMs", opts.timeout_ms);
    if opts.retries > MAX_RETRIES {
        errs.push(FieldError::new("retries", format!("must be 0 to {MAX_RETRIES}")));
    }
    let (extra, extra_errs) = more();
    errs.extend(extra_errs);
    finish(errs)?;
    match (addr, credential) {
        (Some(addr), Some(credential)) => Ok((
            Target { addr, credential, timeout: Duration::from_millis(opts.timeout_ms), retries: opts.retries },
            extra,
        )),
        // Unreachable: a missing part left an error behind.
        _ => Err(ApiError::new(ApiErrorKind::Internal, "SNMP request incomplete after validation")),
    }
}

async fn snmp_engine() -> Result<SnmpEngine, ApiError> {
    let cfg = EngineConfig { sockets_per_family: 1, max_in_flight: 16, ..EngineConfig::default() };
    SnmpEngine::new(cfg)
        .await
        .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("cannot open an SNMP socket: {e}")))
}

/// `127.0.0.1`, `127.0.0.1:16161`, `::1`, `[::1]` or `[::1]:161`; the port
/// defaults to 161. Host names are not resolved. Errors name field `target`.
pub fn parse_target(s: &str) -> Result<SocketAddr, FieldError> {
    let bad = || {
        FieldError::new(
            "target",
            format!("'{s}' is not an IP address with an optional port (127.0.0.1, 127.0.0.1:16161, ::1, [::1]:161)"),
        )
    };
    let t = s.trim();
    let (ip, port): (IpAddr, Option<&str>) = if let Some(rest) = t.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        let ip: Ipv6Addr = host.parse().map_err(|_| bad())?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or_else(bad)?),
        };
        (IpAddr::V6(ip), port)
    } else if let Ok(ip) = t.parse::<IpAddr>() {
        (ip, None)
    } else {
        let (host, port) = t.rsplit_once(':').ok_or_else(bad)?;
        (IpAddr::V4(host.parse().map_err(|_| bad())?), Some(port))
    };
    let port = match port {
        None => SNMP_PORT,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => n,
            _ => return Err(FieldError::new("target", format!("'{s}': port must be a number from 1 to 65535"))),
        },
    };
    Ok(SocketAddr::new(ip, port))
}

/// `1.3.6.1...` or `.1.3.6.1...`. Errors name field `oid`.
pub fn parse_oid(s: &str) -> Result<Oid, FieldError> {
    s.parse::<Oid>().map_err(|e| FieldError::new("oid", e.to_string()))
}

fn parse_version(v: &str) -> Option<SnmpVersion> {
    let v = v.trim().to_ascii_lowercase();
    match v.strip_prefix('v').unwrap_or(&v) {
        "1" => Some(SnmpVersion::V1),
        "2c" | "2" => Some(SnmpVersion::V2c),
        "3" => Some(SnmpVersion::V3),
        _ => None,
    }
}

/// The credential an SNMP diagnostic uses, checked by the same rules as a
/// stored credential (`credential add-*`), so a bad community or protocol
/// gets the same field error.
pub fn snmp_credential(input: &SnmpCredentialInput) -> Result<SnmpCredential, ApiError> {
    const NAME: &str = "diagnostic";
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|v| v.trim().is_empty());
    let mut errs = Vec::new();
    let version = match input.version.as_deref() {
        None => None,
        Some(v) => match parse_version(v) {
            Some(v) => Some(v),
            None => {
                errs.push(FieldError::new("version", format!("'{v}' is not an SNMP version (1, 2c or 3)")));
                None
            }
        },
    };
    let v3_fields = [&input.auth_proto, &input.auth_pass, &input.priv_proto, &input.priv_pass];
    let wants_v3 = !blank(&input.user) || version == Some(SnmpVersion::V3) || v3_fields.iter().any(|f| f.is_some());
    if wants_v3 {
        if let Some(v @ (SnmpVersion::V1 | SnmpVersion::V2c)) = version {
            errs.push(FieldError::new(
                "version",
                format!("SNMP {} uses a community; a user and pass phrases need version 3", v.as_str()),
            ));
        }
        if input.community.is_some() {
            errs.push(FieldError::new("community", "is for SNMP v1/v2c; SNMPv3 uses a user"));
        }
        let usm = UsmInput {
            name: NAME.into(),
            user: input.user.clone().unwrap_or_default(),
            auth_proto: input.auth_proto.clone(),
            auth_pass: input.auth_pass.clone(),
            priv_proto: input.priv_proto.clone(),
            priv_pass: input.priv_pass.clone(),
        };
        merge(errs, validate_usm(&usm))
    } else {
        let community = input.community.as_deref().unwrap_or("public");
        merge(errs, validate_community(NAME, version.unwrap_or(SnmpVersion::V2c), community))
    }
}

/// The credential when neither check failed, else every field error.
fn merge(
    mut errs: Vec<FieldError>,
    checked: Result<(String, SnmpCredential), CoreError>,
) -> Result<SnmpCredential, ApiError> {
    match checked {
        Ok((_, cred)) => finish(errs).map(|()| cred),
        Err(CoreError::Validation(more)) => {
            errs.extend(more);
            Err(CoreError::Validation(errs).into())
        }
        Err(e) => Err(e.into()),
    }
}

// -------------------------------------------------------------- errors ----

/// Maps a probe error to the API error a front end shows (see the module
/// documentation for the rules).
pub fn probe_error(e: ProbeError) -> ApiError {
    match e {
        // The probe's text names the fix (sysctl or setcap); keep it whole.
        ProbeError::Permission(msg) => ApiError::new(ApiErrorKind::Permission, msg),
        ProbeError::InvalidRange { .. } => ApiError::field("range", e.to_string()),
        ProbeError::RangeTooLarge { count, limit } => too_large(count, limit > DEFAULT_MAX_TARGETS),
        ProbeError::InvalidOid { .. } => ApiError::field("oid", e.to_string()),
        ProbeError::InvalidTarget(msg) => ApiError::new(ApiErrorKind::Validation, msg),
        ProbeError::Timeout(d) => network("target", format!("no response within {}", duration(d))),
        ProbeError::SnmpTimeout { target, attempts, timeout } => network(
            "target",
            format!(
                "no response from {target} within {} ({attempts} attempt{}); wrong community or credentials, \
                 or the agent is down",
                duration(timeout),
                if attempts == 1 { "" } else { "s" }
            ),
        ),
        ProbeError::SnmpUsm { ref report, .. } => {
            let field = match report {
                UsmReport::UnknownUserName | UsmReport::UnsupportedSecLevel => "user",
                UsmReport::WrongDigest => "authPass",
                UsmReport::DecryptionError => "privPass",
                _ => "target",
            };
            ApiError::field(field, e.to_string())
        }
        ProbeError::SnmpErrorStatus { status: "noSuchName", .. } => ApiError::field("oid", e.to_string()),
        ProbeError::SnmpErrorStatus { status: "authorizationError" | "noAccess", .. } => {
            ApiError::field("target", e.to_string())
        }
        ProbeError::Cancelled => ApiError::new(ApiErrorKind::Internal, e.to_string()),
        ProbeError::Malformed(_)
        | ProbeError::Io(_)
        | ProbeError::Icmp { .. }
        | ProbeError::SnmpDecode(_)
        | ProbeError::SnmpErrorStatus { .. }
        | ProbeError::SnmpOidNotIncreasing { .. }
        | ProbeError::SnmpTooBig { .. }
        | ProbeError::SnmpProtocol { .. } => ApiError::new(ApiErrorKind::Network, e.to_string()),
    }
}

/// A network failure that still names the input it concerns, so a form can
/// show it next to the target field.
fn network(field: &str, message: String) -> ApiError {
    let mut e = ApiError::field(field, message);
    e.kind = ApiErrorKind::Network;
    e
}

/// `300 ms`, `1 s`, `2.5 s`.
fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        let s = format!("{:.3}", d.as_secs_f64());
        format!("{} s", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Milliseconds, as the shortest decimal of the nanosecond count (no
/// `0.006240000000000001` from a float multiply).
fn ms(d: Duration) -> f64 {
    d.as_nanos() as f64 / 1e6
}

fn check_ms(errs: &mut Vec<FieldError>, field: &str, v: u64) {
    if !(1..=MAX_WAIT_MS).contains(&v) {
        errs.push(FieldError::new(field, format!("must be 1 to {MAX_WAIT_MS} ms")));
    }
}

fn check_size(errs: &mut Vec<FieldError>, v: usize) {
    if v > MAX_PAYLOAD {
        errs.push(FieldError::new("size", format!("must be at most {MAX_PAYLOAD} bytes")));
    }
}

fn finish(errs: Vec<FieldError>) -> Result<(), ApiError> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errs).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: &ApiError) -> &str {
        e.fields.first().map_or("", |f| f.field.as_str())
    }

    #[test]
    fn targets_parse_with_and_without_port() {
        let ok = |s: &str| parse_target(s).map(|a| a.to_string()).expect(s);
        assert_eq!(ok("127.0.0.1"), "127.0.0.1:161");
        assert_eq!(ok("127.0.0.1:16161"), "127.0.0.1:16161");
        assert_eq!(ok("[::1]:161"), "[::1]:161");
        assert_eq!(ok("[::1]"), "[::1]:161");
        assert_eq!(ok("::1"), "[::1]:161");
        assert_eq!(ok(" ::ffff:127.0.0.1 "), "[::ffff:127.0.0.1]:161");
        for bad in
            ["", "host.example", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000", "[::1", "[::1]x", "::1:x", "1.2.3"]
        {
            let e = parse_target(bad).expect_err(bad);
            assert_eq!(e.field, "target", "{bad}");
            assert!(e.message.contains(bad.trim()), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn ping_refuses_bad_addresses_and_options_all_at_once() {
        let addrs = vec!["127.0.0.1".to_owned(), "999.1.1.1".to_owned(), "::1".to_owned(), "[::1]".to_owned()];
        let e = plan_ping(&addrs, &PingOptions::default()).expect_err("bad address");
        assert_eq!(e.kind, ApiErrorKind::Validation);
        assert_eq!(e.fields, vec![FieldError::new("address", "'999.1.1.1' is not a valid IP address")]);
        let opts = PingOptions { count: 0, interval_ms: 0, timeout_ms: 60_001, size: 70_000 };
        let e = plan_ping(&addrs[..1], &opts).expect_err("bad options");
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["count", "intervalMs", "timeoutMs", "size"]);
        let plan = plan_ping(&[addrs[0].clone(), addrs[3].clone()], &PingOptions::default()).expect("valid");
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[1].0, IpAddr::V6(Ipv6Addr::LOCALHOST));
        assert_eq!(plan[0].1.count, 3);
    }

    #[test]
    fn sweep_plans_ranges_and_refuses_bad_or_huge_ones() {
        let opts = SweepOptions::default();
        let (targets, _) = plan_sweep(&["127.1.0.0/28".to_owned()], false, &opts).expect("valid");
        assert_eq!(targets.len(), 14);
        let (targets, _) =
            plan_sweep(&["127.0.0.1, ::1".to_owned(), "127.0.0.1".to_owned()], false, &opts).expect("ok");
        assert_eq!(targets.len(), 2);

        let e = plan_sweep(&["10.0.0.0/33".to_owned()], false, &opts).expect_err("bad prefix");
        assert_eq!(field(&e), "range");
        assert!(e.detail.contains("10.0.0.0/33") && e.detail.contains("/33 is longer than 32 bits"), "{}", e.detail);

        let e = plan_sweep(&["127.0.0.0/15".to_owned()], false, &opts).expect_err("too large");
        assert_eq!(field(&e), "range");
        assert!(e.detail.contains("131070 addresses") && e.detail.contains("65536"), "{}", e.detail);
        assert!(e.detail.contains("--force"), "{}", e.detail);
        assert_eq!(plan_sweep(&["127.0.0.0/15".to_owned()], true, &opts).expect("forced").0.len(), 131_070);

        let e = plan_sweep(&["2001:db8::/64".to_owned()], true, &opts).expect_err("hard cap");
        assert!(e.detail.contains("hard limit of 16777216"), "{}", e.detail);
        let e = plan_sweep(&[], false, &opts).expect_err("empty");
        assert_eq!(field(&e), "range");
        let bad = SweepOptions { timeout_ms: 0, retries: 11, concurrency: 0, size: 56 };
        let e = plan_sweep(&["127.0.0.1".to_owned()], false, &bad).expect_err("bad options");
        let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["timeoutMs", "retries", "concurrency"]);
    }

    fn input() -> SnmpCredentialInput {
        SnmpCredentialInput::default()
    }

    #[test]
    fn credentials_follow_the_stored_credential_rules() {
        let c = snmp_credential(&input()).expect("public v2c");
        assert_eq!(c.version(), SnmpVersion::V2c);
        let c = snmp_credential(&SnmpCredentialInput { version: Some("1".into()), ..input() }).expect("v1");
        assert_eq!(c.version(), SnmpVersion::V1);

        let e = snmp_credential(&SnmpCredentialInput { community: Some(String::new()), ..input() }).expect_err("empty");
        assert_eq!(field(&e), "community");
        let e = snmp_credential(&SnmpCredentialInput { community: Some("caf\u{e9}".into()), ..input() })
            .expect_err("non-ascii");
        assert_eq!(field(&e), "community");
        let e = snmp_credential(&SnmpCredentialInput { version: Some("4".into()), ..input() }).expect_err("v4");
        assert_eq!(field(&e), "version");

        let v3 = SnmpCredentialInput {
            user: Some("u".into()),
            auth_proto: Some("SHA-256".into()),
            auth_pass: Some("authpass123".into()),
            priv_proto: Some("AES".into()),
            priv_pass: Some("privpass123".into()),
            ..input()
        };
        assert_eq!(snmp_credential(&v3).expect("v3").version(), SnmpVersion::V3);
        let e = snmp_credential(&SnmpCredentialInput { auth_proto: Some("SHA-999".into()), ..v3.clone() })
            .expect_err("auth proto");
        assert_eq!(field(&e), "authProto");
        let e = snmp_credential(&SnmpCredentialInput { priv_proto: Some("rot13".into()), ..v3.clone() })
            .expect_err("priv proto");
        assert_eq!(field(&e), "privProto");
        let e = snmp_credential(&SnmpCredentialInput { version: Some("2c".into()), ..v3.clone() }).expect_err("2c");
        assert_eq!(field(&e), "version");
        let e =
            snmp_credential(&SnmpCredentialInput { community: Some("public".into()), ..v3.clone() }).expect_err("both");
        assert_eq!(field(&e), "community");
        let e = snmp_credential(&SnmpCredentialInput { user: None, ..v3 }).expect_err("no user");
        assert_eq!(field(&e), "user");
        assert!(
            !format!("{:?}", SnmpCredentialInput { auth_pass: Some("s3cret".into()), ..input() }).contains("s3cret")
        );
    }

    #[test]
    fn snmp_errors_name_the_field_and_nothing_is_sent() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let opts = SnmpOptions::default();
        let e = rt.block_on(snmp_get("127.0.0.1:1", &input(), &["1.3.x".into()], &opts)).expect_err("bad oid");
        assert_eq!(e.fields, vec![FieldError::new("oid", "invalid OID '1.3.x': arcs must be decimal numbers")]);
        let e = rt.block_on(snmp_walk("nohost:161", &input(), &[], &opts)).expect_err("bad target");
        assert_eq!(field(&e), "target");
        let e = rt.block_on(snmp_get("127.0.0.1:1", &input(), &[], &opts)).expect_err("no oid");
        assert_eq!(field(&e), "oid");
    }

    #[test]
    fn probe_errors_map_to_clear_api_errors() {
        let e = probe_error(ProbeError::SnmpTimeout {
            target: "127.0.0.1:161".parse().expect("addr"),
            attempts: 1,
            timeout: Duration::from_millis(300),
        });
        assert_eq!(field(&e), "target");
        assert!(e.detail.contains("no response from 127.0.0.1:161 within 300 ms (1 attempt)"), "{}", e.detail);
        assert_eq!(e.kind, ApiErrorKind::Network);
        let e =
            probe_error(ProbeError::Permission(format!("cannot open an ICMP socket. Fix: {}", icmp::PERMISSION_FIX)));
        assert_eq!(e.kind, ApiErrorKind::Permission);
        assert!(e.detail.contains("ping_group_range") && e.detail.contains("cap_net_raw"), "{}", e.detail);
        assert_eq!(duration(Duration::from_millis(2500)), "2.5 s");
        assert_eq!(duration(Duration::from_secs(1)), "1 s");
    }

    #[test]
    fn varbind_views_print_like_net_snmp_and_serialise_typed() {
        let vb = |value| VarBindView::from(&VarBind { oid: "1.3.6.1.2.1.1.3.0".parse().expect("oid"), value });
        let v = vb(Value::TimeTicks(5267));
        assert_eq!(v.to_string(), ".1.3.6.1.2.1.1.3.0 = Timeticks: (5267) 0:00:52.67");
        assert_eq!(
            serde_json::to_value(&v).expect("json"),
            serde_json::json!({"oid": ".1.3.6.1.2.1.1.3.0", "type": "Timeticks", "value": 5267})
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
