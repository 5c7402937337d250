//! Sites and devices: the records, the requests that create or change them,
//! and the rules a request must pass before anything is written.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use ts_rs::TS;

use crate::address::Address;
use crate::error::CoreError;
use crate::ids::{CredentialId, DeviceId, DeviceKey, SiteId};
use crate::validate::{Checker, GeoPoint, NAME_MAX, TEXT_MAX};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    Router,
    Switch,
    Firewall,
    Wireless,
    Server,
    Ups,
    Printer,
    Camera,
    Storage,
    /// Environmental sensors: temperature, humidity (ENTITY-SENSOR-MIB, vendor probes).
    Sensor,
    /// Power distribution units: outlets and phases, not batteries (that is a UPS).
    Pdu,
    /// Chassis and out-of-band managers: BMCs (iDRAC, iLO, IPMI), blade enclosure managers.
    Chassis,
    #[default]
    Unknown,
}

impl DeviceKind {
    pub const ALL: [Self; 13] = [
        Self::Router,
        Self::Switch,
        Self::Firewall,
        Self::Wireless,
        Self::Server,
        Self::Ups,
        Self::Printer,
        Self::Camera,
        Self::Storage,
        Self::Sensor,
        Self::Pdu,
        Self::Chassis,
        Self::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Router => "router",
            Self::Switch => "switch",
            Self::Firewall => "firewall",
            Self::Wireless => "wireless",
            Self::Server => "server",
            Self::Ups => "ups",
            Self::Printer => "printer",
            Self::Camera => "camera",
            Self::Storage => "storage",
            Self::Sensor => "sensor",
            Self::Pdu => "pdu",
            Self::Chassis => "chassis",
            Self::Unknown => "unknown",
        }
    }
}

impl FromStr for DeviceKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            let names: Vec<_> = Self::ALL.iter().map(|k| k.as_str()).collect();
            format!("'{s}' is not a device kind (one of: {})", names.join(", "))
        })
    }
}

/// A site as stored.
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    pub id: SiteId,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub has_floor_plan: bool,
    #[ts(type = "number")]
    pub device_count: i64,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub version: i64,
}

/// A device as stored, with its site's name resolved for display.
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub id: DeviceId,
    pub name: String,
    pub address: String,
    pub kind: DeviceKind,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub os: Option<String>,
    pub site_id: Option<SiteId>,
    pub site_name: Option<String>,
    /// Location override; when absent the device sits at its site.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub tags: Vec<String>,
    pub credential_id: Option<CredentialId>,
    pub credential_name: Option<String>,
    /// SNMP agent port; `None` means 161.
    pub snmp_port: Option<u16>,
    pub enabled: bool,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// Bumped on every change; later sync uses it for conflict detection.
    #[ts(type = "number")]
    pub version: i64,
}

/// The UDP port an SNMP agent listens on when nothing says otherwise.
pub const SNMP_PORT: u16 = 161;

/// A request to add a device, or (with every field given) the merged state of
/// an edit. Site and credential are referenced by name, as people type them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceInput {
    pub name: String,
    pub address: String,
    pub kind: Option<String>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub os: Option<String>,
    pub site: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub tags: Vec<String>,
    pub credential: Option<String>,
    pub snmp_port: Option<u16>,
    pub enabled: Option<bool>,
}

/// A partial edit. `None` keeps the current value; for optional text an
/// empty string clears it. `clear_location` removes the override.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DevicePatch {
    pub name: Option<String>,
    pub address: Option<String>,
    pub kind: Option<String>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub os: Option<String>,
    pub site: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub clear_location: bool,
    pub tags: Option<Vec<String>>,
    pub credential: Option<String>,
    pub snmp_port: Option<u16>,
    pub enabled: Option<bool>,
}

/// A device request that passed every rule; only this reaches the store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDevice {
    pub name: String,
    pub address: Address,
    pub kind: DeviceKind,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub os: Option<String>,
    pub site: Option<String>,
    pub location: Option<GeoPoint>,
    pub tags: Vec<String>,
    pub credential: Option<String>,
    pub snmp_port: Option<u16>,
    pub enabled: bool,
}

pub fn validate_device(input: &DeviceInput) -> Result<ValidDevice, CoreError> {
    let mut c = Checker::new();
    let name = c.text("name", &input.name, NAME_MAX);
    // A name that is a UUID would read as an id wherever a device is named.
    if matches!(DeviceKey::parse(&name), DeviceKey::Id(_)) {
        c.fail("name", "must not be a UUID: that is how device ids are written");
    }
    let address = c.address("address", &input.address);
    let kind = match input.kind.as_deref().map(str::trim) {
        None | Some("") => DeviceKind::Unknown,
        Some(k) => k.parse().unwrap_or_else(|e: String| {
            c.fail("kind", e);
            DeviceKind::Unknown
        }),
    };
    let valid = ValidDevice {
        name,
        kind,
        vendor: c.opt_text("vendor", input.vendor.as_deref(), TEXT_MAX),
        model: c.opt_text("model", input.model.as_deref(), TEXT_MAX),
        os: c.opt_text("os", input.os.as_deref(), TEXT_MAX),
        site: c.opt_text("site", input.site.as_deref(), NAME_MAX),
        location: c.location(input.lat, input.lon),
        tags: c.tags(&input.tags),
        credential: c.opt_text("credential", input.credential.as_deref(), NAME_MAX),
        snmp_port: match input.snmp_port {
            Some(0) => {
                c.fail("snmpPort", "must be 1..65535");
                None
            }
            p => p,
        },
        enabled: input.enabled.unwrap_or(true),
        // Placeholder only when `c` already holds an address error.
        address: address.unwrap_or(Address::Host(String::new())),
    };
    c.finish(valid)
}

impl Device {
    /// The UDP port of the device's SNMP agent.
    pub fn agent_port(&self) -> u16 {
        self.snmp_port.unwrap_or(SNMP_PORT)
    }

    /// The current state as an input, so an edit can be validated as a whole.
    pub fn apply(&self, p: &DevicePatch) -> DeviceInput {
        let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
        let (lat, lon) = match (p.clear_location, p.lat, p.lon) {
            (true, _, _) => (None, None),
            (false, None, None) => (self.lat, self.lon),
            (false, lat, lon) => (lat, lon),
        };
        DeviceInput {
            name: p.name.clone().unwrap_or_else(|| self.name.clone()),
            address: p.address.clone().unwrap_or_else(|| self.address.clone()),
            kind: Some(p.kind.clone().unwrap_or_else(|| self.kind.as_str().to_owned())),
            vendor: keep(&p.vendor, &self.vendor),
            model: keep(&p.model, &self.model),
            os: keep(&p.os, &self.os),
            site: keep(&p.site, &self.site_name),
            lat,
            lon,
            tags: p.tags.clone().unwrap_or_else(|| self.tags.clone()),
            credential: keep(&p.credential, &self.credential_name),
            snmp_port: p.snmp_port.or(self.snmp_port),
            enabled: Some(p.enabled.unwrap_or(self.enabled)),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct SiteInput {
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidSite {
    pub name: String,
    pub location: Option<GeoPoint>,
}

pub fn validate_site(input: &SiteInput) -> Result<ValidSite, CoreError> {
    let mut c = Checker::new();
    let valid = ValidSite { name: c.text("name", &input.name, NAME_MAX), location: c.location(input.lat, input.lon) };
    c.finish(valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, address: &str) -> DeviceInput {
        DeviceInput { name: name.into(), address: address.into(), ..Default::default() }
    }

    fn fields(r: Result<ValidDevice, CoreError>) -> Vec<String> {
        match r {
            Ok(_) => vec![],
            Err(e) => e.fields().iter().map(|f| f.field.clone()).collect(),
        }
    }

    #[test]
    fn a_good_device_passes_and_is_normalised() {
        let mut i = input("  r1 ", "Router1.LAB");
        i.tags = vec!["core".into(), "core".into(), "lab".into()];
        i.kind = Some("Router".into());
        let v = validate_device(&i).expect("valid");
        assert_eq!(v.name, "r1");
        assert_eq!(v.address, Address::Host("router1.lab".into()));
        assert_eq!(v.kind, DeviceKind::Router);
        assert_eq!(v.tags, vec!["core", "lab"]);
        assert!(v.enabled);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut i = input("", "999.1.1.1");
        i.lat = Some(91.0);
        i.lon = Some(-181.0);
        i.kind = Some("toaster".into());
        i.vendor = Some("x".repeat(TEXT_MAX + 1));
        i.tags = vec!["has space".into()];
        assert_eq!(fields(validate_device(&i)), ["name", "address", "kind", "vendor", "lat", "lon", "tags"]);
    }

    #[test]
    fn name_limits() {
        assert_eq!(fields(validate_device(&input(&"n".repeat(NAME_MAX), "::1"))), Vec::<String>::new());
        assert_eq!(fields(validate_device(&input(&"n".repeat(NAME_MAX + 1), "::1"))), ["name"]);
        assert_eq!(fields(validate_device(&input("a\u{7}b", "::1"))), ["name"]);
        assert_eq!(fields(validate_device(&input("   ", "::1"))), ["name"]);
        let uuid = "0192f5e0-0000-7000-8000-000000000001";
        assert_eq!(fields(validate_device(&input(uuid, "::1"))), ["name"]);
    }

    #[test]
    fn location_needs_both_halves_and_finite_values() {
        let mut i = input("r", "127.0.0.1");
        i.lat = Some(10.0);
        assert_eq!(fields(validate_device(&i)), ["lon"]);
        i.lon = Some(f64::NAN);
        assert_eq!(fields(validate_device(&i)), ["lon"]);
        i.lon = Some(180.0);
        i.lat = Some(-90.0);
        assert!(validate_device(&i).is_ok());
    }

    #[test]
    fn site_rules() {
        assert!(validate_site(&SiteInput { name: "HQ".into(), lat: Some(51.5), lon: Some(-0.1) }).is_ok());
        let e = validate_site(&SiteInput { name: "".into(), lat: Some(100.0), lon: Some(0.0) }).expect_err("invalid");
        let f: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(f, ["name", "lat"]);
    }
}
