//! Typed identifiers. UUIDv7 rather than serial integers because desktops
//! create rows offline and later sync them to a team server: ids must not
//! collide across machines, and time-ordered ids keep btree inserts local.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;
use uuid::Uuid;

macro_rules! id_type {
    ($name:ident) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
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
