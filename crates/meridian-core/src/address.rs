//! Device addresses: an IP literal or a DNS host name, normalised so that the
//! uniqueness rule ("one device per address") cannot be dodged by spelling.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// Why a string is not an address: a detail kind that validation turns into
/// a `CoreError` field message (the crate's one error type). Messages are
/// written for the person who typed the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressError {
    Empty,
    BadIp(String),
    BadHost(String),
    TooLong,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("must not be empty"),
            Self::BadIp(s) => write!(f, "'{s}' is not a valid IP address"),
            Self::BadHost(s) => write!(f, "'{s}' is not a valid IP address or host name"),
            Self::TooLong => f.write_str("host name is longer than 253 characters"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    Ip(IpAddr),
    /// Lower-case, without a trailing dot.
    Host(String),
}

impl Address {
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Self::Ip(ip) => Some(*ip),
            Self::Host(_) => None,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(ip) => ip.fmt(f),
            Self::Host(h) => f.write_str(h),
        }
    }
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        // Bracketed IPv6 as people paste it from URLs.
        let unbracketed = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')).unwrap_or(s);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            return Ok(Self::Ip(ip));
        }
        if s.contains(':') {
            return Err(AddressError::BadIp(s.to_owned()));
        }
        parse_host(s).map(Self::Host)
    }
}

/// RFC 1123 host name. A name whose last label is all digits is rejected:
/// that is what a mistyped IPv4 literal such as `999.1.1.1` looks like, and
/// no top-level domain is numeric.
fn parse_host(s: &str) -> Result<String, AddressError> {
    let name = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
    if name.len() > 253 {
        return Err(AddressError::TooLong);
    }
    let bad = || AddressError::BadHost(s.to_owned());
    let labels: Vec<&str> = name.split('.').collect();
    for label in &labels {
        let ok_len = (1..=63).contains(&label.len());
        let ok_chars = label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let ok_ends = !label.starts_with('-') && !label.ends_with('-');
        if !(ok_len && ok_chars && ok_ends) {
            return Err(bad());
        }
    }
    match labels.last() {
        Some(last) if last.bytes().all(|b| b.is_ascii_digit()) => Err(AddressError::BadIp(s.to_owned())),
        _ => Ok(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ips_and_hosts() {
        assert_eq!("127.0.0.1".parse::<Address>().ok(), Some(Address::Ip([127, 0, 0, 1].into())));
        assert_eq!("[::1]".parse::<Address>().ok().and_then(|a| a.ip()), Some("::1".parse().ok()).flatten());
        assert_eq!("Core-SW1.Example.NET.".parse::<Address>().ok(), Some(Address::Host("core-sw1.example.net".into())));
        assert_eq!("localhost".parse::<Address>().ok(), Some(Address::Host("localhost".into())));
    }

    #[test]
    fn rejects_bad_addresses() {
        for bad in [
            "",
            "  ",
            "999.1.1.1",
            "1.2.3",
            "256.0.0.1",
            "fe80::zz",
            "-bad.example",
            "a..b",
            "has space",
            "x_y.example",
            "1:2",
        ] {
            assert!(bad.parse::<Address>().is_err(), "{bad:?} should be rejected");
        }
        assert_eq!("999.1.1.1".parse::<Address>().err(), Some(AddressError::BadIp("999.1.1.1".into())));
        let long = format!("{}.com", "a".repeat(250));
        assert_eq!(long.parse::<Address>().err(), Some(AddressError::TooLong));
    }

    #[test]
    fn ipv6_is_canonical() {
        let a: Address = "2001:DB8:0:0::1".parse().expect("valid v6");
        assert_eq!(a.to_string(), "2001:db8::1");
    }
}
