//! Meridian's pure domain: identifiers, inventory and credential types, the
//! validation rules every front end shares, and the monitoring logic the
//! pollers feed: the metric and event vocabulary, the step from a poll's
//! reading to observations and named samples (counters to rates), the poll
//! schedule, and the device state machine with its X.733 alarms.
//!
//! Nothing here does I/O or reads the clock: callers pass time in, so the
//! rules are testable without sockets, databases or sleeps.

pub mod access;
pub mod address;
pub mod alarm;
pub mod alarm_record;
pub mod alarm_timeline;
pub mod alarm_words;
pub mod classify;
pub mod clock;
pub mod counter;
pub mod credential;
pub mod credential_edit;
pub mod csv;
pub mod discovery;
pub mod entity;
pub mod error;
pub mod event;
pub mod export;
pub mod fault;
pub mod floorplan;
pub mod forward;
pub mod history;
pub mod ids;
pub mod interpret;
pub mod inventory;
pub mod inventory_csv;
pub mod items;
pub mod maptiles;
pub mod metric;
pub mod mib;
pub mod mib_display;
pub mod mib_info;
pub mod notification;
pub mod notify;
pub mod ntp;
pub mod observation;
pub mod poll;
pub mod ptp;
pub mod reclaim;
pub mod report;
pub mod rollup;
pub mod rule_preview;
pub mod rules;
pub mod sample;
pub mod schedule;
pub mod selfwatch;
pub mod state;
pub mod syslog;
pub mod throttle;
pub mod timing;
pub mod topology;
pub mod trap;
pub mod uptime;
pub mod validate;

pub use address::Address;
pub use error::{CoreError, FieldError};
pub use ids::{CredentialId, DeviceId, DeviceKey, DiscoveryRunId, SiteId};
