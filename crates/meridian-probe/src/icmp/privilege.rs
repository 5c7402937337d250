//! Which kind of ICMP socket this process may open.
//!
//! The decision is a pure function of the credentials and the
//! `net.ipv4.ping_group_range` sysctl so it can be unit-tested for every case;
//! only [`Credentials::current`] and [`read_ping_group_range`] touch `/proc`.
//! We read `/proc/self/status` rather than calling `getuid()` because the
//! workspace forbids `unsafe`, and because `CapEff` tells us about
//! `cap_net_raw` granted by `setcap` (and about a root without it in a
//! container), which the uid alone cannot.

use crate::ProbeError;

/// The fix we print whenever neither socket kind is allowed.
pub const PERMISSION_FIX: &str = "run as root, or allow ICMP datagram sockets with \
     `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`, \
     or grant the binary raw sockets with `setcap cap_net_raw+ep <binary>`";

/// The fix for uid 0 without CAP_NET_RAW (a container runtime or a dropped
/// bounding set): "run as root" would be no advice, and `setcap` cannot
/// exceed the bounding set, so name the capability and the sysctl.
const ROOT_PERMISSION_FIX: &str = "this root process lacks CAP_NET_RAW (a container runtime or the \
     capability bounding set dropped it): give it back, e.g. `docker run --cap-add=NET_RAW`, or allow ICMP \
     datagram sockets with `sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"`";

/// Linux capability number of CAP_NET_RAW (see capability.h).
const CAP_NET_RAW: u32 = 13;

/// How the engine talks ICMP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SocketMode {
    /// `SOCK_RAW`: needs root or CAP_NET_RAW. We build the whole ICMP header,
    /// identifier included, and see every ICMP packet the host receives.
    Raw,
    /// `SOCK_DGRAM` with `IPPROTO_ICMP` ("ping sockets"): allowed to users
    /// whose group is in `net.ipv4.ping_group_range` (the same sysctl governs
    /// IPv6). The kernel sets the identifier and only hands us our replies.
    Datagram,
}

/// The parts of the process credentials the decision needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Effective uid (only used to explain a refusal).
    pub uid: u32,
    /// Effective gid first, then the supplementary groups; the kernel checks
    /// the same set when a ping socket is created.
    pub gids: Vec<u32>,
    /// CAP_NET_RAW is in the effective set (root normally has it).
    pub cap_net_raw: bool,
}

impl Credentials {
    /// Credentials of this process, from `/proc/self/status`.
    pub fn current() -> Result<Self, ProbeError> {
        let text = std::fs::read_to_string("/proc/self/status")?;
        parse_status(&text).ok_or_else(|| ProbeError::Permission("cannot parse /proc/self/status".into()))
    }
}

/// Parse the `Uid:`, `Gid:`, `Groups:` and `CapEff:` lines of a
/// `/proc/<pid>/status` text. The second column of Uid/Gid is the effective id.
pub fn parse_status(text: &str) -> Option<Credentials> {
    let mut uid = None;
    let mut egid = None;
    let mut groups = Vec::new();
    let mut cap_eff = None;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let mut fields = value.split_whitespace();
        match key {
            "Uid" => uid = fields.nth(1).and_then(|v| v.parse::<u32>().ok()),
            "Gid" => egid = fields.nth(1).and_then(|v| v.parse::<u32>().ok()),
            "Groups" => groups = fields.filter_map(|v| v.parse::<u32>().ok()).collect(),
            "CapEff" => cap_eff = fields.next().and_then(|v| u64::from_str_radix(v, 16).ok()),
            _ => {}
        }
    }
    let egid = egid?;
    let mut gids = vec![egid];
    gids.extend(groups.into_iter().filter(|g| *g != egid));
    Some(Credentials { uid: uid?, gids, cap_net_raw: cap_eff? & (1 << CAP_NET_RAW) != 0 })
}

/// Parse the sysctl's "low high" pair. The kernel default "1 0" (low > high)
/// is a valid value meaning "nobody"; it parses and simply contains no gid.
pub fn parse_ping_group_range(text: &str) -> Option<(u32, u32)> {
    let mut it = text.split_whitespace().map(str::parse::<u32>);
    match (it.next(), it.next(), it.next()) {
        (Some(Ok(lo)), Some(Ok(hi)), None) => Some((lo, hi)),
        _ => None,
    }
}

/// The sysctl of this process's network namespace; `None` if unreadable.
pub fn read_ping_group_range() -> Option<(u32, u32)> {
    std::fs::read_to_string("/proc/sys/net/ipv4/ping_group_range").ok().and_then(|t| parse_ping_group_range(&t))
}

/// Decide the socket mode: raw when we hold CAP_NET_RAW (root, or `setcap`),
/// else datagram when one of our groups is inside the range, else a
/// [`ProbeError::Permission`] naming the fixes.
/// The error for an ICMP socket that would not open in `mode`: a permission
/// problem names the fix, anything else is plain I/O.
pub(crate) fn open_error(e: std::io::Error, mode: SocketMode) -> ProbeError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            ProbeError::Permission(format!("cannot open an ICMP socket ({mode:?}): {e}. Fix: {PERMISSION_FIX}"))
        }
        _ => ProbeError::Io(e),
    }
}

pub fn decide_mode(creds: &Credentials, ping_group_range: Option<(u32, u32)>) -> Result<SocketMode, ProbeError> {
    if creds.cap_net_raw {
        return Ok(SocketMode::Raw);
    }
    if let Some((lo, hi)) = ping_group_range {
        if creds.gids.iter().any(|g| (lo..=hi).contains(g)) {
            return Ok(SocketMode::Datagram);
        }
    }
    let range = match ping_group_range {
        Some((lo, hi)) => format!("\"{lo} {hi}\""),
        None => "unreadable".to_string(),
    };
    let fix = if creds.uid == 0 { ROOT_PERMISSION_FIX } else { PERMISSION_FIX };
    Err(ProbeError::Permission(format!(
        "ICMP needs privileges: uid {} has no CAP_NET_RAW and none of its groups {:?} is inside \
         net.ipv4.ping_group_range ({range}). Fix: {fix}",
        creds.uid, creds.gids
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(uid: u32, gids: &[u32], cap_net_raw: bool) -> Credentials {
        Credentials { uid, gids: gids.to_vec(), cap_net_raw }
    }

    #[test]
    fn root_with_cap_net_raw_is_raw_whatever_the_range() {
        assert_eq!(decide_mode(&creds(0, &[0], true), Some((1, 0))).ok(), Some(SocketMode::Raw));
        assert_eq!(decide_mode(&creds(0, &[0], true), None).ok(), Some(SocketMode::Raw));
    }

    #[test]
    fn setcap_user_is_raw() {
        assert_eq!(decide_mode(&creds(1000, &[1000], true), Some((1, 0))).ok(), Some(SocketMode::Raw));
    }

    #[test]
    fn user_inside_range_is_datagram() {
        let c = creds(65534, &[65534], false);
        assert_eq!(decide_mode(&c, Some((0, 2_147_483_647))).ok(), Some(SocketMode::Datagram));
        // A supplementary group is enough.
        let c = creds(1000, &[1000, 27], false);
        assert_eq!(decide_mode(&c, Some((27, 27))).ok(), Some(SocketMode::Datagram));
    }

    #[test]
    fn user_outside_range_gets_a_permission_error_naming_both_fixes() {
        for range in [Some((1, 0)), Some((100, 200)), None] {
            let err = decide_mode(&creds(1000, &[1000], false), range).err();
            let Some(ProbeError::Permission(msg)) = err else { panic!("expected Permission, got {err:?}") };
            assert!(msg.contains("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""), "{msg}");
            assert!(msg.contains("setcap cap_net_raw+ep"), "{msg}");
        }
    }

    #[test]
    fn root_without_cap_net_raw_falls_back_like_a_user() {
        // A container may drop CAP_NET_RAW even for uid 0.
        assert_eq!(decide_mode(&creds(0, &[0], false), Some((0, 0))).ok(), Some(SocketMode::Datagram));
        let err = decide_mode(&creds(0, &[0], false), Some((1, 0))).err();
        let Some(ProbeError::Permission(msg)) = err else { panic!("expected Permission, got {err:?}") };
        // Telling root to "run as root" would be no fix at all.
        assert!(!msg.contains("run as root"), "{msg}");
        assert!(msg.contains("--cap-add=NET_RAW"), "{msg}");
        assert!(msg.contains("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""), "{msg}");
    }

    #[test]
    fn parses_proc_status() {
        let text = "Name:\tx\nUid:\t1000\t1001\t1001\t1001\nGid:\t100\t200\t200\t200\n\
                    Groups:\t4 24 200 \nCapEff:\t0000000000002000\n";
        let c = parse_status(text).expect("parses");
        assert_eq!(c, creds(1001, &[200, 4, 24], true));
        let text = "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t\nCapEff:\t0000000000000000\n";
        assert_eq!(parse_status(text).expect("parses"), creds(0, &[0], false));
        assert_eq!(parse_status("Uid:\t0\t0\t0\t0\n"), None);
    }

    #[test]
    fn parses_ping_group_range() {
        assert_eq!(parse_ping_group_range("1\t0\n"), Some((1, 0)));
        assert_eq!(parse_ping_group_range("0 2147483647"), Some((0, 2_147_483_647)));
        assert_eq!(parse_ping_group_range("0"), None);
        assert_eq!(parse_ping_group_range("a b"), None);
        assert_eq!(parse_ping_group_range("1 2 3"), None);
    }
}
