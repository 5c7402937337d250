//! A device's place in the timing network. The role changes what a PTP
//! reading means: a grandmaster is expected to be its own grandmaster and
//! in MASTER state (for a client that reads as loss of sync), and for it the
//! alarm is its own clock class falling from "locked" (see
//! `ptp_alarms::ptp_alarms`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::CoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum TimingRole {
    /// The PTP source of time of its domain (T-GM).
    Grandmaster,
    /// Follows a master on one port, serves clients on others (T-BC).
    BoundaryClock,
    /// Corrects residence time, neither follows nor serves (T-TC).
    TransparentClock,
    /// An ordinary clock following a master (T-TSC, a host's ptp4l).
    PtpClient,
    NtpServer,
    /// A GNSS receiver feeding a grandmaster or PRTC.
    GnssReceiver,
    /// A synchronisation supply unit / building integrated timing supply.
    SsuBits,
}

impl TimingRole {
    pub const ALL: [TimingRole; 7] = [
        Self::Grandmaster,
        Self::BoundaryClock,
        Self::TransparentClock,
        Self::PtpClient,
        Self::NtpServer,
        Self::GnssReceiver,
        Self::SsuBits,
    ];

    /// The stored and typed spelling (`boundary-clock`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grandmaster => "grandmaster",
            Self::BoundaryClock => "boundary-clock",
            Self::TransparentClock => "transparent-clock",
            Self::PtpClient => "ptp-client",
            Self::NtpServer => "ntp-server",
            Self::GnssReceiver => "gnss-receiver",
            Self::SsuBits => "ssu-bits",
        }
    }

    /// "Boundary clock", for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Grandmaster => "Grandmaster",
            Self::BoundaryClock => "Boundary clock",
            Self::TransparentClock => "Transparent clock",
            Self::PtpClient => "PTP client",
            Self::NtpServer => "NTP server",
            Self::GnssReceiver => "GNSS receiver",
            Self::SsuBits => "SSU/BITS",
        }
    }

    /// Whether the clock follows a master, so its offset series is the
    /// phase a wander mask judges.
    pub fn follows_a_master(self) -> bool {
        matches!(self, Self::BoundaryClock | Self::PtpClient)
    }
}

impl fmt::Display for TimingRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TimingRole {
    type Err = CoreError;

    /// The stored spelling, or the usual short names (gm, bc, tc, client,
    /// ntp, gnss, ssu, bits), case-insensitive.
    fn from_str(s: &str) -> Result<Self, CoreError> {
        let t = s.trim().to_ascii_lowercase().replace('_', "-");
        let role = match t.as_str() {
            "gm" | "t-gm" => Self::Grandmaster,
            "bc" | "t-bc" => Self::BoundaryClock,
            "tc" | "t-tc" => Self::TransparentClock,
            "client" | "slave" | "t-tsc" => Self::PtpClient,
            "ntp" => Self::NtpServer,
            "gnss" => Self::GnssReceiver,
            "ssu" | "bits" => Self::SsuBits,
            other => match Self::ALL.into_iter().find(|r| r.as_str() == other) {
                Some(r) => r,
                None => {
                    let names: Vec<&str> = Self::ALL.iter().map(|r| r.as_str()).collect();
                    return Err(CoreError::field(
                        "role",
                        format!("unknown timing role '{}'; one of {}", s.trim(), names.join(", ")),
                    ));
                }
            },
        };
        Ok(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_spelling_and_serde_agrees() {
        for r in TimingRole::ALL {
            assert_eq!(r.as_str().parse::<TimingRole>().expect("parse"), r);
            assert_eq!(serde_json::to_value(r).expect("json"), serde_json::json!(r.as_str()));
        }
        assert_eq!("GM".parse::<TimingRole>().expect("gm"), TimingRole::Grandmaster);
        assert_eq!(" bits ".parse::<TimingRole>().expect("bits"), TimingRole::SsuBits);
        assert_eq!("ptp_client".parse::<TimingRole>().expect("client"), TimingRole::PtpClient);
    }

    #[test]
    fn an_unknown_role_is_a_field_error_listing_the_roles() {
        for bad in ["", "master", "grandmaster!", "\u{0}"] {
            let e = bad.parse::<TimingRole>().expect_err(bad);
            assert_eq!(e.fields()[0].field, "role");
            assert!(e.fields()[0].message.contains("boundary-clock"), "{e}");
        }
    }
}
