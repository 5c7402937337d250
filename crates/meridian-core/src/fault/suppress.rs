//! Root-cause suppression from the topology: a device that stops answering
//! because the device in front of it is down is a symptom, not a fault.
//!
//! Parents are [`crate::topology::derive_parents`]'s (child → next device
//! towards the monitoring station). When a device's parent is down, its own
//! unreachability is recorded as suppressed by the topmost down device of
//! the chain above it, so a dead core switch gives one notified alarm with
//! everything behind it grouped under it.

use std::collections::BTreeMap;

use crate::ids::DeviceId;

/// Where an unreachable device's alarm belongs, judged by its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No ancestor is down or failing: the device's own fault.
    Own,
    /// Behind this down device (the topmost of a chain of down ancestors).
    Behind(DeviceId),
    /// The parent is failing pings but not yet declared down: wait for it.
    Wait,
}

/// How an ancestor stands, as its monitor says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Down,
    /// Answering, but its last ping failed: it may be going down.
    Failing,
    Up,
}

/// The verdict for `device`. `reach` says how each device stands; devices
/// it does not know count as up. Bounded by the number of parents, so a
/// cycle in a hand-made map cannot loop.
pub fn judge(device: DeviceId, parents: &BTreeMap<DeviceId, DeviceId>, reach: impl Fn(DeviceId) -> Reach) -> Verdict {
    let mut root = None;
    let mut current = device;
    for _ in 0..parents.len() {
        let Some(parent) = parents.get(&current).copied().filter(|p| *p != device) else { break };
        match reach(parent) {
            Reach::Down => root = Some(parent),
            Reach::Failing if root.is_none() => return Verdict::Wait,
            _ => break,
        }
        current = parent;
    }
    root.map_or(Verdict::Own, Verdict::Behind)
}
