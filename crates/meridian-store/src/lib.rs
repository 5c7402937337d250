//! Meridian's storage.
//!
//! One schema (`migrations/`) on two backends: embedded PGlite served on a
//! private Unix socket inside the data directory (the default, no server
//! needed), or an external PostgreSQL named by `MERIDIAN_DATABASE_URL` (the
//! team server). Both are reached through the same sqlx code.
//!
//! Secrets never enter the database: [`vault`] keeps them in the OS keyring or
//! in an encrypted file, and the `credentials` table holds only their ids.

mod alarm_counts;
mod alarm_timeline;
mod alarms;
mod audit;
mod audit_trail;
mod auth_tokens;
mod cluster;
mod config;
mod credentials;
mod damage;
mod db;
mod definitions;
mod discovery;
mod embedded;
mod error;
mod event_rules;
mod export;
mod floorplan;
mod forward;
mod forward_outbox;
pub mod history;
mod identity;
mod import;
mod inventory;
mod items;
mod latest;
mod lock;
mod login_throttle;
mod maintenance;
pub mod notify;
mod overlay;
mod partitions;
mod purge;
mod reclaim;
mod report_schedules;
mod reports;
mod rollups;
mod rules;
mod samples;
mod settings;
mod state_rollups;
mod store;
mod syslog;
mod telemetry;
mod timing;
mod topology;
mod traps;
mod tx;
mod users;
pub mod vault;

pub use audit::EventLogRow;
pub use audit_trail::{AuditQuery, AuditRow};
pub use auth_tokens::{NewToken, StoredSession, StoredToken};
pub use cluster::{Heard, Listener, OutboxEvent, EVENTS_CHANNEL, MAX_NOTIFY_PAYLOAD, OUTBOX_PAGE};
pub use config::{default_data_dir, Backend, StoreConfig};
pub use credentials::NewCredential;
pub use db::Conn;
pub use definitions::Stored;
pub use error::StoreError;
pub use floorplan::StoredPlan;
pub use forward::ForwardAttempt;
pub use forward_outbox::ForwardDelivery;
pub use identity::StoredIdentity;
pub use items::StoredItem;
pub use latest::LatestSample;
pub use lock::DataDirLock;
pub use partitions::DAYS_AHEAD as SAMPLE_PARTITION_DAYS_AHEAD;
pub use purge::Purged;
pub use reclaim::Reclaimable;
pub use report_schedules::StoredSchedule;
pub use reports::ReportSeries;
pub use rollups::TierSize;
pub use rules::StoredRule;
pub use samples::BatchRecord;
pub use store::{supported_schema_version, DbInfo, Store};
pub use telemetry::InterfaceRow;
pub use users::{NewUser, StoredUser, UserChange};
