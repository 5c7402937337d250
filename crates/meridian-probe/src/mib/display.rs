//! A value shown as its object's MIB says: enumerations by label, octet
//! strings through the display hint of their textual convention
//! (DisplayString, PhysAddress, DateAndTime, ...), InetAddress by its
//! length, and OID values by name. The formatting itself is core's
//! (`meridian_core::mib_display`); this file only finds what applies.

use meridian_core::mib_display::{enum_value, inet_address, octets_by_hint};

use super::lookup::MibSet;
use crate::snmp::Value;

impl MibSet {
    /// The value of the varbind at `oid` as its MIB shows it (`up(1)`,
    /// `eth0`, `52:54:0:12:34:56`, `SNMPv2-SMI::enterprises.8072`), or
    /// `None` when no loaded module says more than the raw value does.
    pub fn display(&self, oid: &str, value: &Value) -> Option<String> {
        if let Value::Oid(o) = value {
            return self.name(&o.to_string());
        }
        let (node, _) = self.node(oid)?;
        let obj = node.object()?;
        match value {
            Value::Integer(i) => {
                let enums = obj.effective_enums();
                if enums.is_empty() {
                    return None;
                }
                Some(enum_value(*i, enums.iter().find(|e| e.value == *i).map(|e| e.label.as_str())))
            }
            Value::OctetString(b) => {
                let hint = obj.effective_display_hint();
                if !hint.is_empty() {
                    return octets_by_hint(hint, b);
                }
                // InetAddress has no hint: its type is another column.
                let mut t = obj.ty();
                while let Some(ty) = t {
                    if ty.name() == "InetAddress" {
                        return Some(inet_address(b));
                    }
                    t = ty.parent();
                }
                None
            }
            _ => None,
        }
    }
}
