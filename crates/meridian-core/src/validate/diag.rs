//! Checks of diagnostic requests (ping, sweep, SNMP get and walk), run before
//! a packet leaves so that a typo gives a field error and sends nothing.
//! What only the probe knows (the largest ICMP payload, CIDR ranges, OIDs) is
//! passed in or checked by the service with the probe's own parsers.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use serde::Deserialize;

use super::Checker;
use crate::credential::{validate_community, validate_usm, SnmpCredential, SnmpVersion, UsmInput};
use crate::error::{CoreError, FieldError};
use crate::inventory::SNMP_PORT;

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

/// A ping request: every address an IP, every option in range (`max_payload`
/// is the probe's limit). Returns the addresses in input order.
pub fn check_ping(addrs: &[String], opts: &PingOptions, max_payload: usize) -> Result<Vec<IpAddr>, CoreError> {
    let mut c = Checker::new();
    if addrs.is_empty() {
        c.fail("address", "give at least one address");
    }
    if addrs.len() > PING_MAX_ADDRESSES {
        c.fail(
            "address",
            format!("{} addresses given, at most {PING_MAX_ADDRESSES}; use sweep for ranges", addrs.len()),
        );
    }
    let mut ips = Vec::with_capacity(addrs.len());
    for a in addrs {
        match parse_ip(a) {
            Some(ip) => ips.push(ip),
            None => c.fail("address", format!("'{a}' is not a valid IP address")),
        }
    }
    if !(1..=PING_MAX_COUNT).contains(&opts.count) {
        c.fail("count", format!("must be 1 to {PING_MAX_COUNT}"));
    }
    c.wait_ms("intervalMs", opts.interval_ms);
    c.wait_ms("timeoutMs", opts.timeout_ms);
    c.payload(opts.size, max_payload);
    c.finish(ips)
}

/// A sweep's options (its ranges are parsed by the probe, into the same
/// checker so every error comes back at once).
pub fn check_sweep_options(c: &mut Checker, opts: &SweepOptions, max_payload: usize) {
    c.wait_ms("timeoutMs", opts.timeout_ms);
    c.retries(opts.retries);
    if !(1..=SWEEP_MAX_CONCURRENCY).contains(&opts.concurrency) {
        c.fail("concurrency", format!("must be 1 to {SWEEP_MAX_CONCURRENCY}"));
    }
    c.payload(opts.size, max_payload);
}

/// An SNMP diagnostic's target, credential and timing; `None` when a field
/// failed (the checker holds why). OIDs are the probe's to parse.
pub fn check_snmp(
    c: &mut Checker,
    target: &str,
    cred: &SnmpCredentialInput,
    opts: &SnmpOptions,
) -> Option<(SocketAddr, SnmpCredential)> {
    let addr = parse_target(target).map_err(|e| c.push(e)).ok();
    let credential = c.absorb(snmp_credential(cred));
    c.wait_ms("timeoutMs", opts.timeout_ms);
    c.retries(opts.retries);
    addr.zip(credential)
}

impl Checker {
    fn wait_ms(&mut self, field: &str, v: u64) {
        if !(1..=MAX_WAIT_MS).contains(&v) {
            self.fail(field, format!("must be 1 to {MAX_WAIT_MS} ms"));
        }
    }

    fn retries(&mut self, v: u32) {
        if v > MAX_RETRIES {
            self.fail("retries", format!("must be 0 to {MAX_RETRIES}"));
        }
    }

    fn payload(&mut self, v: usize, max: usize) {
        if v > max {
            self.fail("size", format!("must be at most {max} bytes"));
        }
    }
}

/// An IP address, optionally in brackets (`[::1]`). Host names are not
/// resolved: diagnostics must not depend on (or leak queries to) DNS.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(s);
    s.parse().ok()
}

/// `127.0.0.1`, `127.0.0.1:16161`, `::1`, `[::1]` or `[::1]:161`; the port
/// defaults to [`SNMP_PORT`]. Host names are not resolved. Errors name field
/// `target`.
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
pub fn snmp_credential(input: &SnmpCredentialInput) -> Result<SnmpCredential, CoreError> {
    const NAME: &str = "diagnostic";
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|v| v.trim().is_empty());
    let mut c = Checker::new();
    let version = match input.version.as_deref() {
        None => None,
        Some(v) => match parse_version(v) {
            Some(v) => Some(v),
            None => {
                c.fail("version", format!("'{v}' is not an SNMP version (1, 2c or 3)"));
                None
            }
        },
    };
    let v3_fields = [&input.auth_proto, &input.auth_pass, &input.priv_proto, &input.priv_pass];
    let wants_v3 = !blank(&input.user) || version == Some(SnmpVersion::V3) || v3_fields.iter().any(|f| f.is_some());
    let checked = if wants_v3 {
        if let Some(v @ (SnmpVersion::V1 | SnmpVersion::V2c)) = version {
            c.fail("version", format!("SNMP {} uses a community; a user and pass phrases need version 3", v.as_str()));
        }
        if input.community.is_some() {
            c.fail("community", "is for SNMP v1/v2c; SNMPv3 uses a user");
        }
        let usm = UsmInput {
            name: NAME.into(),
            user: input.user.clone().unwrap_or_default(),
            auth_proto: input.auth_proto.clone(),
            auth_pass: input.auth_pass.clone(),
            priv_proto: input.priv_proto.clone(),
            priv_pass: input.priv_pass.clone(),
        };
        validate_usm(&usm)
    } else {
        let community = input.community.as_deref().unwrap_or("public");
        validate_community(NAME, version.unwrap_or(SnmpVersion::V2c), community)
    };
    let cred = c.absorb(checked).map(|(_, cred)| cred);
    c.finish(cred)?.ok_or_else(|| CoreError::field("credential", "incomplete"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(e: &CoreError) -> &str {
        e.fields().first().map_or("", |f| f.field.as_str())
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
        let e = check_ping(&addrs, &PingOptions::default(), 65_507).expect_err("bad address");
        assert_eq!(e.fields(), [FieldError::new("address", "'999.1.1.1' is not a valid IP address")]);
        let opts = PingOptions { count: 0, interval_ms: 0, timeout_ms: 60_001, size: 70_000 };
        let e = check_ping(&addrs[..1], &opts, 65_507).expect_err("bad options");
        let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["count", "intervalMs", "timeoutMs", "size"]);
        let ips = check_ping(&[addrs[0].clone(), addrs[3].clone()], &PingOptions::default(), 65_507).expect("ok");
        assert_eq!(ips, [IpAddr::from([127, 0, 0, 1]), IpAddr::V6(Ipv6Addr::LOCALHOST)]);
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
}
