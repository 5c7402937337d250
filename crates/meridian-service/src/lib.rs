//! Meridian's one API surface.
//!
//! The desktop shell, the `meridian` CLI and (later) the team server call
//! [`App`] and nothing else, so every front end gets the same validation,
//! the same errors and the same events. Methods are use cases: they check
//! input with `meridian-core`, then read or write through `meridian-store`.

mod alarms;
mod app;
pub mod auth;
mod batching;
mod bindings;
mod cluster;
mod config;
mod counts;
mod credential_ops;
mod credentials;
mod default_rules;
mod devicemap;
pub mod diag;
mod discovery;
mod error;
mod event_rules;
mod events;
mod export;
mod floorplan;
mod forward;
mod history;
mod identity;
mod import;
mod inventory;
mod items;
mod maintenance;
mod maptiles;
mod metrics;
pub mod mib;
pub mod monitor;
mod notify;
mod ntp;
mod ptp;
mod reclaim;
mod reports;
mod roles;
mod rollups;
mod rules;
mod selfwatch;
mod synce;
mod syslog;
mod system;
mod target;
pub mod timing;
mod topology;
mod traps;
mod tx;
mod wander;
mod wander_settings;
pub mod writer;

pub use alarms::EventLogEntry;
pub use app::App;
pub use batching::{spaced_batches, Spaced};
pub use bindings::typescript_bindings;
pub use config::{mib_dir, AppConfig};
pub use counts::DeviceCounts;
pub use credential_ops::CredentialTest;
pub use credentials::{VaultInfo, VaultProtection, VaultStatus};
pub use discovery::DiscoveryHandle;
pub use error::{ApiError, ApiErrorKind};
pub use events::{CoreEvent, PtpChange};
pub use floorplan::{decode_image_base64, FloorPlan, FloorPlanInfo};
pub use identity::SnmpIdentityView;
pub use items::{DeviceItemValue, ItemInput, ItemView};
pub use maintenance::MaintenanceView;
pub use meridian_core::alarm::{Alarm, AlarmComment};
pub use meridian_core::alarm_timeline::{TimelineEntry, TimelineKind};
pub use meridian_core::credential::{CredentialSummary, SnmpCredential, SnmpVersion, UsmInput};
pub use meridian_core::credential_edit::{CredentialPatch, SecretInput};
pub use meridian_core::discovery::{
    DiscoveryMode, DiscoveryProgress, DiscoveryRequest, DiscoveryRun, FoundDevice, RunState,
};
pub use meridian_core::event::{ChangeAction, InventoryEntity};
pub use meridian_core::export::{ExportFormat, ExportRequest, ExportWhat};
pub use meridian_core::fault::MaintenanceWindow;
pub use meridian_core::floorplan::{ImageMime, PlanPosition};
pub use meridian_core::history::{DeviceHistory, InterfaceView, SeriesData, StateChange};
pub use meridian_core::inventory::{Device, DeviceInput, DeviceKind, DevicePatch, Site, SiteInput};
pub use meridian_core::inventory_csv::ImportReport;
pub use meridian_core::items::{CustomItem, ItemKind, ItemTarget};
pub use meridian_core::maptiles::MapTiles;
pub use meridian_core::metric::{Builtin, MetricKey, SeriesKey};
pub use meridian_core::notification::{
    Channel, ChannelKind, EmailChannel, Escalation, RateLimit, Route, SmtpSecurity, WebhookChannel, WebhookFlavour,
};
pub use meridian_core::notify::{AlarmCounts, NotificationText};
pub use meridian_core::report::schedule::{
    Cadence, Period as ReportPeriod, ReportSchedule, ScheduleInput, ScheduleRun,
};
pub use meridian_core::report::{
    Chart as ReportChart, Report, ReportFormat, ReportKind, ReportRequest, Table as ReportTable,
};
pub use meridian_core::rollup::retention::Retention;
pub use meridian_core::rollup::Tier;
pub use meridian_core::rule_preview::PreviewHit;
pub use meridian_core::selfwatch::SelfWatchSettings;
pub use metrics::{MetricsListener, DEFAULT_METRICS_ADDR, MAX_DEVICE_SERIES};
pub use selfwatch::disk_space;
pub use system::{system_status_offline, IntakeFigures, StoreSide, SystemStatus};
// The tray's words and icon choice (src-tauri/tray.rs).
pub use event_rules::EventRuleView;
pub use forward::ForwardTargetView;
pub use meridian_core::alarm::Severity;
pub use meridian_core::clock::ptp_watch::{PtpWatchConfig, PtpWatchEndpoint};
pub use meridian_core::clock::role::TimingRole;
pub use meridian_core::fault::{EventMatch, EventRule, VarbindMatch};
pub use meridian_core::forward::{ForwardKind, ForwardTarget, SyslogTransport};
pub use meridian_core::notify::mute_state_text;
pub use meridian_core::rules::Rule;
pub use meridian_core::state::CountOverride;
pub use meridian_core::syslog::{
    facility_name, parse_time, SyslogCounters, SyslogEntry, SyslogFormat, SyslogQuery, SyslogRecord, SyslogSeverity,
};
pub use meridian_core::timing::settings::WanderSettings;
pub use meridian_core::trap::{TrapEvent, TrapPdu, TrapVarbind, TrapVersion};
pub use meridian_core::{DeviceKey, FieldError};
pub use meridian_store::{DbInfo, TierSize};
pub use notify::{
    ChannelInput, ChannelView, DeliveryLogEntry, DeliveryLogFilter, DesktopDelivery, NotificationSettings,
    NotifyConfig, OutboxEntry, RouteView, DESKTOP_CHANNEL, SIGNATURE_HEADER,
};
pub use ntp::{NtpServerView, NtpWatchConfig, NTP_PORT};
pub use ptp::{PtpTree, PtpTreeMiss, PtpTreeNode};
pub use reports::render as render_report;
pub use roles::DeviceTimingRole;
pub use rollups::{run_pass as run_rollup_pass, RollupConfig, RollupReport, StoreStatus};
pub use rules::{known_metric, RuleView};
pub use synce::SynceSourceView;
pub use syslog::{SyslogConfig, SyslogSettings, SyslogStatus, SyslogTls, DEFAULT_SYSLOG_PORT, DEFAULT_SYSLOG_TLS_PORT};
pub use topology::{DeviceInventory, InventoryReport, LinkView, ParentView, TemplateChoice, ROOT_TAG};
pub use traps::{trap_bind, IntakeCounts, TrapCredential, TrapService, TrapSettings};
pub use wander::{MaskCurve, WanderCheckConfig, WanderReport, DEFAULT_WANDER_MASKS};
pub use wander_settings::WanderSettingsView;
