//! The kinds of change the service announces about the inventory, as types
//! so every listener (the monitor, the CLI, the UI through generated
//! TypeScript) matches them by the compiler, not by spelling.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InventoryEntity {
    Device,
    Site,
    /// A device's LLDP/CDP links (the id is the device's).
    Link,
}

/// How it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Added,
    Updated,
    Removed,
    /// A device's poll template was chosen by hand.
    TemplateChanged,
    /// A site's floor plan, or a device's place on one.
    FloorPlanChanged,
    /// An inventory pass found different links.
    LinksRefreshed,
}

impl InventoryEntity {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Device => "device",
            Self::Site => "site",
            Self::Link => "link",
        }
    }
}

impl ChangeAction {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Updated => "updated",
            Self::Removed => "removed",
            Self::TemplateChanged => "template_changed",
            Self::FloorPlanChanged => "floor_plan_changed",
            Self::LinksRefreshed => "links_refreshed",
        }
    }
}

impl fmt::Display for InventoryEntity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for ChangeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Display is what the CLI prints and serde what the UI matches: one spelling.
    #[test]
    fn display_matches_the_serialised_name() {
        for e in [InventoryEntity::Device, InventoryEntity::Site, InventoryEntity::Link] {
            assert_eq!(serde_json::to_value(e).expect("json"), e.name());
        }
        for a in [
            ChangeAction::Added,
            ChangeAction::Updated,
            ChangeAction::Removed,
            ChangeAction::TemplateChanged,
            ChangeAction::FloorPlanChanged,
            ChangeAction::LinksRefreshed,
        ] {
            assert_eq!(serde_json::to_value(a).expect("json"), a.name());
        }
    }
}
