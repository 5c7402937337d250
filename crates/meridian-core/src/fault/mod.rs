//! What happens to an alarm between the monitor deciding it and the
//! operator hearing of it: flapping ([`flap`]), maintenance windows
//! ([`maintenance`], with [`cron`] for recurring ones) and root-cause
//! suppression from the topology ([`suppress`], and one alarm per failed link
//! in [`link`]). Pure; the supervisor runs
//! every raise and clear through them. Event rules ([`event_rule`]) turn
//! received traps and syslog messages into alarms on the same path.

pub mod cron;
pub mod event_rule;
pub mod flap;
pub mod link;
pub mod maintenance;
pub mod suppress;

pub use event_rule::{EventMatch, EventRef, EventRule, EventRules, VarbindMatch};
pub use flap::{condition_key, FlapConfig, FlapDetector, FLAPPING_PREFIX};
pub use link::{is_link_object, link_down, link_object, link_on, LINK_FAILURE};
pub use maintenance::{open_window, Day, MaintenanceWindow, WindowSchedule};
pub use suppress::{judge, Reach, Verdict};
