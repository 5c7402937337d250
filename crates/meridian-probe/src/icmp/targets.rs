//! Target lists for sweeps: single addresses, CIDR blocks and address
//! ranges, IPv4 and IPv6.
//!
//! Expansion is refused above [`DEFAULT_MAX_TARGETS`] unless the caller sets
//! `force`, because a typo (`/8` for `/24`) would otherwise send millions of
//! probes. Even with `force` we stop at [`HARD_MAX_TARGETS`]: the list is
//! materialised in memory, and an IPv6 `/64` cannot be.

use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::ProbeError;

/// Largest sweep accepted without `force` (a full IPv4 /16).
pub const DEFAULT_MAX_TARGETS: u128 = 65_536;
/// Largest sweep accepted at all (a /8, 128 MiB of addresses as `IpAddr`).
pub const HARD_MAX_TARGETS: u128 = 1 << 24;

/// Why a target string did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeErrorKind {
    Empty,
    BadAddress,
    BadPrefix,
    PrefixTooLong {
        prefix: u32,
        max: u8,
    },
    /// A range whose ends are of different families, or whose end is before its start.
    BadRange,
}

impl std::fmt::Display for RangeErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("no targets given"),
            Self::BadAddress => f.write_str("not an IPv4 or IPv6 address"),
            Self::BadPrefix => f.write_str("prefix length is not a number"),
            Self::PrefixTooLong { prefix, max } => write!(f, "prefix length /{prefix} is longer than {max} bits"),
            Self::BadRange => f.write_str("a range needs two addresses of one family, the first not after the last"),
        }
    }
}

// A detail kind carried by ProbeError::InvalidRange; ProbeError is the crate's error type.
impl std::error::Error for RangeErrorKind {}

fn invalid(input: &str, kind: RangeErrorKind) -> ProbeError {
    ProbeError::InvalidRange { input: input.to_string(), kind }
}

/// An address block. A bare address is a /32 (or /128). Host bits in the
/// input are cleared, as `fping -g` and most tools do (`127.1.0.5/22` is
/// `127.1.0.0/22`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parse `ADDR` or `ADDR/PREFIX`.
    pub fn parse(input: &str) -> Result<Self, ProbeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid(input, RangeErrorKind::Empty));
        }
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| invalid(input, RangeErrorKind::BadAddress))?;
        let max = if addr.is_ipv4() { 32u8 } else { 128u8 };
        let prefix = match prefix {
            None => max,
            Some(p) => {
                // Parse wide so "/33" and "/129" get the precise error, not "not a number".
                let p: u32 = p.parse().map_err(|_| invalid(input, RangeErrorKind::BadPrefix))?;
                if p > u32::from(max) {
                    return Err(invalid(input, RangeErrorKind::PrefixTooLong { prefix: p, max }));
                }
                p as u8
            }
        };
        let network = match addr {
            IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask32(prefix))),
            IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(u128::from(a) & mask128(prefix))),
        };
        Ok(Self { network, prefix })
    }

    /// The network address (host bits cleared).
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// Every address in the block, network and broadcast included.
    pub fn address_count(&self) -> u128 {
        let bits = if self.network.is_ipv4() { 32 } else { 128 } - u32::from(self.prefix);
        1u128.checked_shl(bits).unwrap_or(u128::MAX)
    }

    /// Addresses [`Cidr::hosts`] yields. IPv4 blocks up to /30 leave out the
    /// network and broadcast addresses (as `fping -g` does; on 127/8 both would
    /// answer, elsewhere they are not hosts). /31 and /32 keep every address
    /// (RFC 3021). IPv6 has no broadcast, so every address counts.
    pub fn host_count(&self) -> u128 {
        let n = self.address_count();
        if self.network.is_ipv4() && self.prefix <= 30 {
            n - 2
        } else {
            n
        }
    }

    /// Iterate the host addresses (see [`Cidr::host_count`]). Lazy, so a huge
    /// block costs nothing until it is consumed.
    pub fn hosts(&self) -> Box<dyn Iterator<Item = IpAddr> + Send> {
        match self.network {
            IpAddr::V4(n) => {
                let first = u32::from(n);
                let last = first | !mask32(self.prefix);
                let (first, last) = if self.prefix <= 30 { (first + 1, last - 1) } else { (first, last) };
                Box::new((first..=last).map(|v| IpAddr::V4(Ipv4Addr::from(v))))
            }
            IpAddr::V6(n) => {
                let first = u128::from(n);
                let last = first | !mask128(self.prefix);
                Box::new((first..=last).map(|v| IpAddr::V6(Ipv6Addr::from(v))))
            }
        }
    }
}

impl FromStr for Cidr {
    type Err = ProbeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn mask32(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

/// One item of a target list: a CIDR block (a bare address is a /32 or
/// /128) or an inclusive range of addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Block {
    Cidr(Cidr),
    /// `first..=last`, same family. Every address counts: a range names
    /// hosts explicitly, so nothing is taken for a network or broadcast.
    Range(IpAddr, IpAddr),
}

impl Block {
    /// Parse `ADDR`, `ADDR/PREFIX`, `FIRST-LAST`, or the IPv4 shorthand
    /// `a.b.c.d-e` (last octet), as nmap and fping users type them.
    pub fn parse(input: &str) -> Result<Self, ProbeError> {
        let s = input.trim();
        let Some((a, b)) = s.split_once('-') else {
            return Cidr::parse(input).map(Block::Cidr);
        };
        let first: IpAddr = a.trim().parse().map_err(|_| invalid(input, RangeErrorKind::BadAddress))?;
        let b = b.trim();
        let last: IpAddr = match (first, b.parse::<u8>()) {
            (IpAddr::V4(f), Ok(octet)) => {
                let [x, y, z, _] = f.octets();
                IpAddr::V4(Ipv4Addr::new(x, y, z, octet))
            }
            _ => b.parse().map_err(|_| invalid(input, RangeErrorKind::BadAddress))?,
        };
        let ordered = match (first, last) {
            (IpAddr::V4(f), IpAddr::V4(l)) => f <= l,
            (IpAddr::V6(f), IpAddr::V6(l)) => f <= l,
            _ => false,
        };
        if !ordered {
            return Err(invalid(input, RangeErrorKind::BadRange));
        }
        Ok(Block::Range(first, last))
    }

    /// Addresses [`Block::hosts`] yields.
    pub fn host_count(&self) -> u128 {
        match self {
            Block::Cidr(c) => c.host_count(),
            Block::Range(f, l) => (ip_value(*l) - ip_value(*f)).saturating_add(1),
        }
    }

    /// The addresses, lazily.
    pub fn hosts(&self) -> Box<dyn Iterator<Item = IpAddr> + Send> {
        match *self {
            Block::Cidr(c) => c.hosts(),
            Block::Range(IpAddr::V4(f), IpAddr::V4(l)) => {
                Box::new((u32::from(f)..=u32::from(l)).map(|v| IpAddr::V4(Ipv4Addr::from(v))))
            }
            Block::Range(f, l) => Box::new((ip_value(f)..=ip_value(l)).map(|v| IpAddr::V6(Ipv6Addr::from(v)))),
        }
    }
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Block::Cidr(c) => c.fmt(f),
            Block::Range(a, b) => write!(f, "{a}-{b}"),
        }
    }
}

fn ip_value(a: IpAddr) -> u128 {
    match a {
        IpAddr::V4(v) => u128::from(u32::from(v)),
        IpAddr::V6(v) => u128::from(v),
    }
}

/// Parse a target list: addresses, CIDR blocks and ranges separated by
/// commas or whitespace (`"127.1.0.0/22, ::1 10.0.0.5-10.0.0.9"`).
pub fn parse_target_list(spec: &str) -> Result<Vec<Block>, ProbeError> {
    let blocks = spec.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(Block::parse);
    let blocks = blocks.collect::<Result<Vec<_>, _>>()?;
    if blocks.is_empty() {
        return Err(invalid(spec, RangeErrorKind::Empty));
    }
    Ok(blocks)
}

/// Expand blocks into a de-duplicated address list, in input order. The size
/// is checked *before* anything is allocated: more than
/// [`DEFAULT_MAX_TARGETS`] needs `force`, more than [`HARD_MAX_TARGETS`] is
/// always refused.
pub fn expand(blocks: &[Block], force: bool) -> Result<Vec<IpAddr>, ProbeError> {
    let count = blocks.iter().fold(0u128, |acc, b| acc.saturating_add(b.host_count()));
    let limit = if force { HARD_MAX_TARGETS } else { DEFAULT_MAX_TARGETS };
    if count > limit {
        return Err(ProbeError::RangeTooLarge { count, limit });
    }
    let mut seen = HashSet::with_capacity(count as usize);
    Ok(blocks.iter().flat_map(Block::hosts).filter(|a| seen.insert(*a)).collect())
}

/// [`parse_target_list`] then [`expand`].
pub fn expand_targets(spec: &str, force: bool) -> Result<Vec<IpAddr>, ProbeError> {
    expand(&parse_target_list(spec)?, force)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(input: &str) -> RangeErrorKind {
        match Cidr::parse(input) {
            Err(ProbeError::InvalidRange { kind, .. }) => kind,
            other => panic!("{input}: expected InvalidRange, got {other:?}"),
        }
    }

    #[test]
    fn bad_input_gets_a_typed_reason() {
        assert_eq!(kind("10.0.0.0/33"), RangeErrorKind::PrefixTooLong { prefix: 33, max: 32 });
        assert_eq!(kind("::1/129"), RangeErrorKind::PrefixTooLong { prefix: 129, max: 128 });
        assert_eq!(kind("1.2.3"), RangeErrorKind::BadAddress);
        assert_eq!(kind("1.2.3.4/"), RangeErrorKind::BadPrefix);
        assert_eq!(kind("1.2.3.4/-1"), RangeErrorKind::BadPrefix);
        assert_eq!(kind("1.2.3.4/x"), RangeErrorKind::BadPrefix);
        assert_eq!(kind("host.example/24"), RangeErrorKind::BadAddress);
        assert_eq!(kind("  "), RangeErrorKind::Empty);
        let msg = Cidr::parse("10.0.0.0/33").expect_err("bad").to_string();
        assert!(msg.contains("10.0.0.0/33") && msg.contains("/33"), "{msg}");
    }

    #[test]
    fn host_bits_are_cleared() {
        let c = Cidr::parse("127.1.0.5/22").expect("parses");
        assert_eq!(c.to_string(), "127.1.0.0/22");
        assert_eq!(Cidr::parse("2001:db8::1/64").expect("parses").to_string(), "2001:db8::/64");
    }

    #[test]
    fn ipv4_hosts_skip_network_and_broadcast_up_to_slash_30() {
        let c = Cidr::parse("127.1.0.0/22").expect("parses");
        assert_eq!((c.address_count(), c.host_count()), (1024, 1022));
        let hosts: Vec<_> = c.hosts().collect();
        assert_eq!(hosts.len(), 1022);
        assert_eq!(hosts[0], "127.1.0.1".parse::<IpAddr>().expect("ip"));
        assert_eq!(hosts[1021], "127.1.3.254".parse::<IpAddr>().expect("ip"));
        assert_eq!(Cidr::parse("127.0.0.0/31").expect("parses").hosts().count(), 2);
        assert_eq!(Cidr::parse("127.0.0.7").expect("parses").hosts().count(), 1);
        assert_eq!(Cidr::parse("0.0.0.0/0").expect("parses").host_count(), (1 << 32) - 2);
    }

    #[test]
    fn ipv6_hosts_include_every_address() {
        let c = Cidr::parse("::1/126").expect("parses");
        let hosts: Vec<String> = c.hosts().map(|a| a.to_string()).collect();
        assert_eq!(hosts, ["::", "::1", "::2", "::3"]);
        assert_eq!(Cidr::parse("::/0").expect("parses").address_count(), u128::MAX);
    }

    #[test]
    fn lists_are_deduplicated_in_order() {
        let v = expand_targets("127.0.0.2, 127.0.0.0/30 ::1", false).expect("expands");
        let v: Vec<String> = v.iter().map(|a| a.to_string()).collect();
        assert_eq!(v, ["127.0.0.2", "127.0.0.1", "::1"]);
        assert!(matches!(
            expand_targets(" , ", false),
            Err(ProbeError::InvalidRange { kind: RangeErrorKind::Empty, .. })
        ));
    }

    #[test]
    fn too_large_needs_force_and_has_a_hard_cap() {
        assert_eq!(expand_targets("127.1.0.0/16", false).expect("a /16 is allowed").len(), 65_534);
        let err = expand_targets("127.0.0.0/15", false).expect_err("too large");
        assert!(matches!(err, ProbeError::RangeTooLarge { count: 131_070, limit: DEFAULT_MAX_TARGETS }), "{err:?}");
        assert_eq!(expand_targets("127.0.0.0/15", true).expect("forced").len(), 131_070);
        let err = expand_targets("2001:db8::/64", true).expect_err("beyond the hard cap");
        assert!(matches!(err, ProbeError::RangeTooLarge { limit: HARD_MAX_TARGETS, .. }), "{err:?}");
        // Two /16s add up past the limit.
        assert!(expand_targets("127.1.0.0/16 127.2.0.0/16", false).is_err());
    }

    #[test]
    fn ranges_are_inclusive_and_checked() {
        let v: Vec<String> =
            expand_targets("127.1.0.254-127.1.1.1", false).expect("range").iter().map(|a| a.to_string()).collect();
        assert_eq!(v, ["127.1.0.254", "127.1.0.255", "127.1.1.0", "127.1.1.1"]);
        assert_eq!(expand_targets("127.1.0.10-12", false).expect("shorthand").len(), 3);
        assert_eq!(expand_targets("::1-::3", false).expect("v6").len(), 3);
        let kind = |s: &str| match Block::parse(s) {
            Err(ProbeError::InvalidRange { kind, .. }) => kind,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(kind("127.1.0.9-127.1.0.1"), RangeErrorKind::BadRange);
        assert_eq!(kind("127.1.0.1-::1"), RangeErrorKind::BadRange);
        assert_eq!(kind("127.1.0.1-300"), RangeErrorKind::BadAddress);
        assert_eq!(kind("x-127.0.0.1"), RangeErrorKind::BadAddress);
        assert!(matches!(expand_targets("0.0.0.0-255.255.255.255", true), Err(ProbeError::RangeTooLarge { .. })));
    }
}
