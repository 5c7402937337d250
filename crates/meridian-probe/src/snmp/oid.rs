//! Object identifiers: parsed from dotted text, printed the way net-snmp's
//! `-On` prints them (leading dot), ordered arc by arc (the SNMP
//! lexicographic order a walk must follow).

use std::fmt;
use std::str::FromStr;

use crate::ProbeError;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Oid(Vec<u32>);

impl Oid {
    /// An OID from arcs. Fewer than two arcs cannot be BER-encoded, and the
    /// first two are packed into one byte (X.690 8.19.4), hence the limits.
    pub fn from_arcs(arcs: impl Into<Vec<u32>>) -> Result<Self, ProbeError> {
        let arcs = arcs.into();
        check_arcs(&arcs).map_err(|reason| ProbeError::InvalidOid { input: dotted(&arcs), reason })?;
        Ok(Self(arcs))
    }

    pub fn arcs(&self) -> &[u32] {
        &self.0
    }

    /// True when `self` is `root` or lies below it.
    pub fn starts_with(&self, root: &Oid) -> bool {
        self.0.starts_with(&root.0)
    }

    /// A child OID: `self` followed by `arcs`.
    pub fn child(&self, arcs: &[u32]) -> Oid {
        let mut v = self.0.clone();
        v.extend_from_slice(arcs);
        Oid(v)
    }

    /// Used by the decoder, which has already checked the encoding.
    pub(crate) fn from_decoded(arcs: Vec<u32>) -> Self {
        Self(arcs)
    }
}

fn check_arcs(arcs: &[u32]) -> Result<(), &'static str> {
    match arcs {
        [] | [_] => Err("needs at least two arcs"),
        [first, ..] if *first > 2 => Err("first arc must be 0, 1 or 2"),
        [first, second, ..] if *first < 2 && *second >= 40 => Err("second arc must be below 40 under 0 and 1"),
        // The packed first byte is 40*first+second and must fit a u32.
        [_, second, ..] if *second > u32::MAX - 80 => Err("second arc too large"),
        _ => Ok(()),
    }
}

fn dotted(arcs: &[u32]) -> String {
    arcs.iter().map(|a| format!(".{a}")).collect()
}

impl FromStr for Oid {
    type Err = ProbeError;

    /// Accepts `1.3.6.1` and `.1.3.6.1` (net-snmp's numeric form).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |reason| ProbeError::InvalidOid { input: s.to_owned(), reason };
        let body = s.trim();
        let body = body.strip_prefix('.').unwrap_or(body);
        if body.is_empty() {
            return Err(bad("empty"));
        }
        let mut arcs = Vec::new();
        for part in body.split('.') {
            if part.is_empty() {
                return Err(bad("empty arc (two dots in a row or a trailing dot)"));
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("arcs must be decimal numbers"));
            }
            arcs.push(part.parse::<u32>().map_err(|_| bad("arc larger than 4294967295"))?);
        }
        check_arcs(&arcs).map_err(bad)?;
        Ok(Self(arcs))
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for a in &self.0 {
            write!(f, ".{a}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let o: Oid = "1.3.6.1.2.1.1.1.0".parse().expect("valid");
        assert_eq!(o.to_string(), ".1.3.6.1.2.1.1.1.0");
        assert_eq!(".1.3.6".parse::<Oid>().expect("valid").arcs(), &[1, 3, 6]);
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        for (input, why) in [
            ("", "empty"),
            (".", "empty"),
            ("1", "at least two"),
            ("1.3.x", "decimal"),
            ("1..3", "empty arc"),
            ("1.3.", "empty arc"),
            ("1.3.4294967296", "larger"),
            ("3.1", "first arc"),
            ("1.40", "below 40"),
            ("1.-3", "decimal"),
        ] {
            match input.parse::<Oid>() {
                Err(ProbeError::InvalidOid { reason, .. }) => assert!(reason.contains(why), "{input}: {reason}"),
                other => panic!("{input}: {other:?}"),
            }
        }
    }

    #[test]
    fn orders_lexicographically_by_arc() {
        let a: Oid = "1.3.6.1.2".parse().expect("valid");
        let b: Oid = "1.3.6.1.2.0".parse().expect("valid");
        let c: Oid = "1.3.6.1.10".parse().expect("valid");
        assert!(a < b && b < c);
        assert!(b.starts_with(&a) && !c.starts_with(&a));
    }
}
