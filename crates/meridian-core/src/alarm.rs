//! ITU-T X.733 vocabulary, the alarm key, and the probable causes and
//! managed-object names Meridian's own monitors use.
//!
//! The alarm record and its lifecycle (acknowledge, clear, comment) are in
//! [`crate::alarm_record`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::DeviceId;

pub use crate::alarm_record::{Alarm, AlarmComment, AlarmId, AlarmStep, COMMENT_MAX};

/// X.733 event types (clause 8.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Communications,
    QualityOfService,
    ProcessingError,
    Equipment,
    Environmental,
}

/// X.733 perceived severity (clause 8.1.2.3), most severe first, so the
/// derived `Ord` sorts a console the way operators read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Major,
    Minor,
    Warning,
    Indeterminate,
    Cleared,
}

/// Probable causes, spelled as in X.721 / M.3100 (and so as in the
/// IANA-ITU-ALARM-TC-MIB of RFC 3877), because traps and other NMSes use
/// these strings. Stored as text: traps will bring causes we do not list.
pub mod cause {
    /// Device unreachable. From ICMP alone we cannot say whether the node, a
    /// link or the path failed, only that communication with it failed;
    /// `lossOfSignal` would claim a physical-layer fault we did not see.
    pub const COMMUNICATIONS_SUBSYSTEM_FAILURE: &str = "communicationsSubsystemFailure";
    /// SNMP agent silent while the node answers ping: the network path works,
    /// so the fault is in an application on the node (or its credentials).
    pub const APPLICATION_SUBSYSTEM_FAILURE: &str = "applicationSubsystemFailure";
    /// Interface operationally down while administratively up: the port
    /// lost its link, which is what `lossOfSignal` describes for a port.
    pub const LOSS_OF_SIGNAL: &str = "lossOfSignal";
    /// sysUpTime went back: the node (or its agent) restarted. M.3100's
    /// `reinitialized` is exactly that, and says nothing about why.
    pub const REINITIALIZED: &str = "reinitialized";
    /// Every alarm rule's cause; the rule is the specific problem.
    pub const THRESHOLD_CROSSED: &str = "thresholdCrossed";
    /// Meridian's own store is out of disk space (X.721, a processing error).
    pub const STORAGE_CAPACITY_PROBLEM: &str = "storageCapacityProblem";
    /// Meridian's own store refuses writes for another reason.
    pub const UNDERLYING_RESOURCE_UNAVAILABLE: &str = "underlyingResourceUnavailable";
}

/// Specific problems (X.733 8.1.2.2) of Meridian's built-in alarms. Short,
/// stable identifiers: they are part of the alarm key, so never reword them.
pub mod problem {
    pub const ICMP_NO_REPLY: &str = "icmpNoReply";
    pub const SNMP_NO_RESPONSE: &str = "snmpNoResponse";
    pub const LINK_DOWN: &str = "linkDown";
    pub const SYS_UPTIME_RESET: &str = "sysUpTimeReset";
    /// A link between two managed devices, down at either end.
    pub const NEIGHBOUR_LINK_DOWN: &str = "neighbourLinkDown";
    /// Meridian's sample writer cannot commit to its store.
    pub const STORE_WRITE_FAILED: &str = "storeWriteFailed";
}

/// The managed object of alarms Meridian raises about itself.
pub const SELF_OBJECT: &str = "meridian/store";

/// The alarm Meridian raises about itself when its store cannot write:
/// a full disk is a capacity problem (major: polling goes on, history is
/// lost), anything else an unavailable resource.
pub fn store_write_alarm(disk_full: bool, dropped: u64, error: &str) -> AlarmSpec {
    let (cause, what) = if disk_full {
        (cause::STORAGE_CAPACITY_PROBLEM, "disk full")
    } else {
        (cause::UNDERLYING_RESOURCE_UNAVAILABLE, "write failed")
    };
    AlarmSpec {
        managed_object: SELF_OBJECT.to_owned(),
        event_type: EventType::ProcessingError,
        probable_cause: cause.to_owned(),
        specific_problem: problem::STORE_WRITE_FAILED.to_owned(),
        perceived_severity: Severity::Major,
        additional_text: format!("store cannot write: {what} ({dropped} samples dropped so far): {error}"),
    }
}

/// What identifies an active alarm: the columns of the store's unique index
/// `alarms_active_key`. A second raise with the same key is a duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmKey {
    pub managed_object: String,
    pub probable_cause: String,
    pub specific_problem: String,
}

/// Everything a monitor decides about an alarm; the service adds the id,
/// device and time when it stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmSpec {
    pub managed_object: String,
    pub event_type: EventType,
    pub probable_cause: String,
    pub specific_problem: String,
    pub perceived_severity: Severity,
    pub additional_text: String,
}

impl AlarmSpec {
    pub fn key(&self) -> AlarmKey {
        AlarmKey {
            managed_object: self.managed_object.clone(),
            probable_cause: self.probable_cause.clone(),
            specific_problem: self.specific_problem.clone(),
        }
    }
}

/// Meridian's built-in alarms. Event types and severities, and why:
/// - unreachable: communications, critical: everything on the device is lost
///   to the network;
/// - SNMP silent: processing error (an application on the node), minor: the
///   device still forwards traffic, only our view of it is lost;
/// - link down while admin up: communications, major: a port someone meant
///   to be up has failed;
/// - reboot: processing error (M.3100 files `reinitialized` there), warning:
///   it is over by the time we see it, but someone should know.
impl AlarmSpec {
    pub fn device_unreachable(device: DeviceId, polls: u32) -> Self {
        Self {
            managed_object: device_object(device),
            event_type: EventType::Communications,
            probable_cause: cause::COMMUNICATIONS_SUBSYSTEM_FAILURE.into(),
            specific_problem: problem::ICMP_NO_REPLY.into(),
            perceived_severity: Severity::Critical,
            additional_text: format!("no ICMP echo reply to {polls} consecutive polls"),
        }
    }

    pub fn snmp_not_responding(device: DeviceId, polls: u32) -> Self {
        Self {
            managed_object: device_object(device),
            event_type: EventType::ProcessingError,
            probable_cause: cause::APPLICATION_SUBSYSTEM_FAILURE.into(),
            specific_problem: problem::SNMP_NO_RESPONSE.into(),
            perceived_severity: Severity::Minor,
            additional_text: format!(
                "SNMP agent did not respond to {polls} consecutive polls while the device answers ICMP echo; \
                 check the agent and its credentials"
            ),
        }
    }

    pub fn interface_down(device: DeviceId, if_index: u32, name: &str) -> Self {
        let label =
            if name.is_empty() { format!("ifIndex {if_index}") } else { format!("{name} (ifIndex {if_index})") };
        Self {
            managed_object: interface_object(device, if_index),
            event_type: EventType::Communications,
            probable_cause: cause::LOSS_OF_SIGNAL.into(),
            specific_problem: problem::LINK_DOWN.into(),
            perceived_severity: Severity::Major,
            additional_text: format!("interface {label} is operationally down while administratively up"),
        }
    }

    pub fn device_rebooted(device: DeviceId, uptime_ticks: u64) -> Self {
        let secs = uptime_ticks / 100;
        Self {
            managed_object: device_object(device),
            event_type: EventType::ProcessingError,
            probable_cause: cause::REINITIALIZED.into(),
            specific_problem: problem::SYS_UPTIME_RESET.into(),
            perceived_severity: Severity::Warning,
            additional_text: format!("the device or its SNMP agent restarted: sysUpTime is {secs} s"),
        }
    }
}

/// Managed-object names, distinguished-name style. The device id rather than
/// its name, so renaming a device does not orphan its alarms; the ifIndex
/// rather than ifName, because every agent has ifIndex and names can repeat.
pub fn device_object(device: DeviceId) -> String {
    format!("device={device}")
}

pub fn interface_object(device: DeviceId, if_index: u32) -> String {
    format!("device={device},ifIndex={if_index}")
}

/// Which interface of `device` a managed-object name denotes, if any.
pub fn parse_interface_object(device: DeviceId, object: &str) -> Option<u32> {
    object.strip_prefix(&device_object(device))?.strip_prefix(",ifIndex=")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn object_names_round_trip() {
        let d = DeviceId::from_uuid(Uuid::from_u128(0x42));
        let o = interface_object(d, 17);
        assert_eq!(o, "device=00000000-0000-0000-0000-000000000042,ifIndex=17");
        assert_eq!(parse_interface_object(d, &o), Some(17));
        assert_eq!(parse_interface_object(d, &device_object(d)), None);
        let other = DeviceId::from_uuid(Uuid::from_u128(0x43));
        assert_eq!(parse_interface_object(other, &o), None);
        assert_eq!(parse_interface_object(d, &format!("{o}x")), None);
    }

    #[test]
    fn vocabulary_serialises_as_the_schema_checks_expect() {
        let s = serde_json::to_string(&(EventType::ProcessingError, Severity::Major)).expect("json");
        assert_eq!(s, r#"["processing_error","major"]"#);
    }
}
