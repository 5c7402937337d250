//! NTPv4 readings (RFC 5905): timestamps, the on-wire offset and delay
//! formulas, and the 8-bit reachability register kept the way ntpd keeps
//! it. Pure: the probe passes the four timestamps in.

use std::fmt;

use serde::Serialize;

/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch.
pub const NTP_UNIX_OFFSET_S: u64 = 2_208_988_800;

/// A 64-bit NTP timestamp: seconds since 1900 (era 0) in the high 32 bits,
/// fraction in the low 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct NtpTimestamp(pub u64);

impl NtpTimestamp {
    /// From Unix seconds and nanoseconds.
    pub fn from_unix(secs: u64, nanos: u32) -> Self {
        let s = secs.wrapping_add(NTP_UNIX_OFFSET_S) & 0xffff_ffff;
        let frac = (u64::from(nanos) << 32) / 1_000_000_000;
        Self((s << 32) | frac)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self - earlier` in seconds. The difference is taken modulo 2^64 and
    /// read as signed, so it is right across an era rollover (RFC 5905
    /// 6: differences within 68 years are unambiguous).
    pub fn minus(self, earlier: Self) -> f64 {
        self.0.wrapping_sub(earlier.0) as i64 as f64 / 4_294_967_296.0
    }
}

/// Offset and round-trip delay from the four timestamps (RFC 5905 8):
/// t1 client transmit, t2 server receive, t3 server transmit, t4 client
/// receive. offset = ((t2 - t1) + (t3 - t4)) / 2, delay = (t4 - t1) - (t3 - t2).
pub fn offset_delay(t1: NtpTimestamp, t2: NtpTimestamp, t3: NtpTimestamp, t4: NtpTimestamp) -> (f64, f64) {
    let offset = (t2.minus(t1) + t3.minus(t4)) / 2.0;
    let delay = t4.minus(t1) - t3.minus(t2);
    (offset, delay)
}

/// The leap indicator (RFC 5905 7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Leap {
    None,
    /// The last minute of the day has 61 seconds.
    Insert,
    /// The last minute of the day has 59 seconds.
    Delete,
    /// The server's clock is not synchronised.
    Unsynchronised,
}

impl Leap {
    pub fn from_bits(li: u8) -> Self {
        match li & 3 {
            0 => Self::None,
            1 => Self::Insert,
            2 => Self::Delete,
            _ => Self::Unsynchronised,
        }
    }
}

/// The reference id: a kiss code or reference clock name at stratum 0-1,
/// an IPv4 address (or an IPv6 hash) above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReferenceId {
    pub raw: u32,
    pub stratum: u8,
}

impl fmt::Display for ReferenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.raw.to_be_bytes();
        if self.stratum <= 1 {
            let text: String = b.iter().take_while(|c| **c != 0).map(|c| char::from(*c)).collect();
            if text.chars().all(|c| c.is_ascii_graphic()) && !text.is_empty() {
                return f.write_str(&text);
            }
        }
        write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3])
    }
}

/// One answered NTP query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NtpReading {
    /// Server clock minus ours, seconds.
    pub offset_s: f64,
    /// Round trip minus the server's processing time, seconds.
    pub delay_s: f64,
    pub stratum: u8,
    pub reference_id: ReferenceId,
    pub leap: Leap,
    pub root_delay_s: f64,
    pub root_dispersion_s: f64,
    pub version: u8,
    pub poll: i8,
    pub precision: i8,
}

impl NtpReading {
    /// Stratum 16 (or 0, "unspecified", outside a kiss) or leap 3: the
    /// server says its own clock is not synchronised.
    pub fn unsynchronised(&self) -> bool {
        self.leap == Leap::Unsynchronised || self.stratum == 0 || self.stratum >= 16
    }
}

/// The 8-bit reachability register (RFC 5905 13, ntpd's `reach`): shifted
/// left at every poll, bit 0 set when that poll was answered. Zero means
/// the last eight polls went unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Reach(pub u8);

impl Reach {
    /// The register after one more poll.
    #[must_use]
    pub fn after_poll(self, answered: bool) -> Self {
        Self((self.0 << 1) | u8::from(answered))
    }

    pub fn reachable(self) -> bool {
        self.0 != 0
    }

    /// Printed in octal, as `ntpq -p` shows it (377 = the last eight answered).
    pub fn octal(self) -> String {
        format!("{:o}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: f64) -> NtpTimestamp {
        NtpTimestamp((secs * 4_294_967_296.0) as u64)
    }

    #[test]
    fn offset_and_delay_follow_rfc_5905() {
        // Server 0.5 s ahead, 0.1 s each way, 0.02 s inside the server.
        let (t1, t2, t3, t4) = (ts(1000.0), ts(1000.6), ts(1000.62), ts(1000.22));
        let (offset, delay) = offset_delay(t1, t2, t3, t4);
        assert!((offset - 0.5).abs() < 1e-9, "{offset}");
        assert!((delay - 0.2).abs() < 1e-9, "{delay}");
    }

    #[test]
    fn differences_cross_the_era_boundary() {
        let before = NtpTimestamp(0xffff_ffff_8000_0000); // era 0, 0.5 s before rollover
        let after = NtpTimestamp(0x0000_0000_8000_0000); // era 1, 0.5 s after
        assert_eq!(after.minus(before), 1.0);
        assert_eq!(before.minus(after), -1.0);
    }

    #[test]
    fn unix_conversion() {
        let t = NtpTimestamp::from_unix(0, 500_000_000);
        assert_eq!(t.0 >> 32, NTP_UNIX_OFFSET_S);
        assert_eq!(t.0 & 0xffff_ffff, 1 << 31);
    }

    #[test]
    fn reach_register_shifts_like_ntpd() {
        let mut r = Reach::default();
        assert!(!r.reachable());
        for _ in 0..8 {
            r = r.after_poll(true);
        }
        assert_eq!((r.0, r.octal().as_str()), (0xff, "377"));
        r = r.after_poll(false);
        assert_eq!(r.octal(), "376");
        for _ in 0..6 {
            r = r.after_poll(false);
        }
        assert_eq!(r.octal(), "200", "seven silent polls: one answer left");
        assert!(!r.after_poll(false).reachable(), "eight silent polls empty it");
    }

    #[test]
    fn reference_ids_print_by_stratum() {
        assert_eq!(ReferenceId { raw: u32::from_be_bytes(*b"GPS\0"), stratum: 1 }.to_string(), "GPS");
        assert_eq!(ReferenceId { raw: u32::from_be_bytes(*b"RATE"), stratum: 0 }.to_string(), "RATE");
        assert_eq!(ReferenceId { raw: 0x7f7f_0101, stratum: 8 }.to_string(), "127.127.1.1");
    }

    #[test]
    fn leap_bits() {
        assert_eq!(Leap::from_bits(1), Leap::Insert);
        assert_eq!(Leap::from_bits(3), Leap::Unsynchronised);
    }
}
