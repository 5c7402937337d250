//! One alarm for a link, not one per end: when an interface that LLDP or
//! CDP says leads to another managed device goes down, the link is what
//! failed. Its alarm names both ends; the interface alarms at either end are
//! recorded as its symptoms (suppressed under it) and not notified.

use crate::alarm::{problem, AlarmSpec, EventType, Severity};
use crate::ids::DeviceId;
use crate::topology::Link;

/// X.721's cause for a failed link between two nodes.
pub const LINK_FAILURE: &str = "linkFailure";

/// The matched link on `device`'s interface `if_index` (named `if_name`),
/// if discovery found one. LLDP numbers ports its own way, usually as the
/// ifIndex; CDP reports the ifIndex. The port name is the fallback.
pub fn link_on<'a>(links: &'a [Link], device: DeviceId, if_index: u32, if_name: &str) -> Option<&'a Link> {
    let here = |l: &&Link| l.local_device == device && l.remote_device.is_some_and(|r| r != device);
    links
        .iter()
        .filter(here)
        .find(|l| l.local_port_num == if_index)
        .or_else(|| links.iter().filter(here).find(|l| !if_name.is_empty() && l.local_port == if_name))
}

/// Whether a managed object names a link (see [`link_object`]).
pub fn is_link_object(object: &str) -> bool {
    object.starts_with("link=")
}

/// The link's managed object, the same from either end: the two devices in
/// id order, each with its port.
pub fn link_object(l: &Link) -> String {
    let local = (l.local_device, l.local_port.as_str());
    let remote = (l.remote_device.unwrap_or(l.local_device), l.remote_port.as_str());
    let (a, b) = if local.0 <= remote.0 { (local, remote) } else { (remote, local) };
    format!("link={}:{},{}:{}", a.0, a.1, b.0, b.1)
}

/// The link alarm. `local_name` and `remote_name` are the devices' names
/// now (the object keeps ids, so a rename does not orphan it).
pub fn link_down(l: &Link, local_name: &str, remote_name: &str) -> AlarmSpec {
    AlarmSpec {
        managed_object: link_object(l),
        event_type: EventType::Communications,
        probable_cause: LINK_FAILURE.into(),
        specific_problem: problem::NEIGHBOUR_LINK_DOWN.into(),
        perceived_severity: Severity::Major,
        additional_text: format!(
            "link {local_name} {} — {remote_name} {} is down (seen by {:?})",
            l.local_port, l.remote_port, l.protocol
        )
        .replace("Lldp", "LLDP")
        .replace("Cdp", "CDP"),
    }
}
