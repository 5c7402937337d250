//! Typed identifiers. UUIDv7 rather than serial integers because desktops
//! create rows offline and later sync them to a team server: ids must not
//! collide across machines, and time-ordered ids keep btree inserts local.

use serde::{Deserialize, Deserializer, Serialize};
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;
use uuid::Uuid;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema,
        )]
        #[ts(type = "string")]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new id. The caller supplies the uuid so core stays free of
            /// clocks and randomness; `Uuid::now_v7()` is the usual source.
            pub fn from_uuid(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(DeviceId);
id_type!(SiteId);
id_type!(CredentialId);
id_type!(DiscoveryRunId);

/// How a request names a device: by id, or by name as people type it. It is
/// parsed once where a request comes in (a CLI argument, a desktop command)
/// and the store has one query per variant. Text that is a UUID is an id;
/// validation refuses device names that are UUIDs, so the two cannot meet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeviceKey {
    Id(DeviceId),
    Name(String),
}

impl DeviceKey {
    pub fn parse(s: &str) -> Self {
        let s = s.trim();
        match Uuid::parse_str(s) {
            Ok(u) => Self::Id(DeviceId(u)),
            Err(_) => Self::Name(s.to_owned()),
        }
    }
}

impl FromStr for DeviceKey {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

impl From<&str> for DeviceKey {
    fn from(s: &str) -> Self {
        Self::parse(s)
    }
}

impl From<DeviceId> for DeviceKey {
    fn from(id: DeviceId) -> Self {
        Self::Id(id)
    }
}

impl fmt::Display for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => id.fmt(f),
            Self::Name(name) => f.write_str(name),
        }
    }
}

/// From the string a front end sends, parsed as [`DeviceKey::parse`] does.
impl<'de> Deserialize<'de> for DeviceKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::parse(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_an_id_and_anything_else_a_name() {
        let id = DeviceId(Uuid::from_u128(0x0192_f5e0_0000_7000_8000_0000_0000_0001));
        assert_eq!(DeviceKey::parse(&id.to_string()), DeviceKey::Id(id));
        assert_eq!(DeviceKey::parse(&format!(" {id} ")), DeviceKey::Id(id));
        assert_eq!(DeviceKey::parse(" core-1 "), DeviceKey::Name("core-1".into()));
        assert_eq!(DeviceKey::parse("0192"), DeviceKey::Name("0192".into()));
        let json: DeviceKey = serde_json::from_str(&format!("\"{id}\"")).expect("json");
        assert_eq!(json, DeviceKey::Id(id));
        assert_eq!(DeviceKey::from(id).to_string(), id.to_string());
    }
}
