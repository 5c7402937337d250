//! TypeScript types for the UI, generated from the Rust types with ts-rs so
//! the two cannot drift. `ui/src/generated/bindings.ts` is this function's
//! output; a test regenerates it and fails on any difference.

use ts_rs::TS;

use meridian_core::alarm::{Alarm, AlarmComment, AlarmId, EventType, Severity};
use meridian_core::classify::{Classification, Field};
use meridian_core::credential::{AuthProtocol, CredentialSummary, PrivProtocol, SnmpVersion, UsmInput};
use meridian_core::discovery::{
    DiscoveryMode, DiscoveryPhase, DiscoveryProgress, DiscoveryRequest, DiscoveryRun, FoundDevice, IdentityMatch,
    RunState, SnmpIdentity,
};
use meridian_core::entity::PhysicalEntity;
use meridian_core::inventory::{Device, DeviceInput, DeviceKind, DevicePatch, Site, SiteInput};
use meridian_core::state::DeviceState;
use meridian_core::topology::{Link, MatchKey, NeighbourProtocol};
use meridian_core::{CredentialId, DeviceId, DiscoveryRunId, FieldError, SiteId};

use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

pub fn typescript_bindings() -> String {
    let decls = [
        DeviceId::decl(),
        SiteId::decl(),
        CredentialId::decl(),
        Device::decl(),
        DeviceKind::decl(),
        DeviceInput::decl(),
        DevicePatch::decl(),
        Site::decl(),
        SiteInput::decl(),
        meridian_core::inventory_csv::ImportReport::decl(),
        meridian_core::export::ExportRequest::decl(),
        meridian_core::export::ExportWhat::decl(),
        meridian_core::export::ExportFormat::decl(),
        meridian_core::report::ReportRequest::decl(),
        meridian_core::report::ReportKind::decl(),
        meridian_core::report::ReportFormat::decl(),
        meridian_core::report::Report::decl(),
        meridian_core::report::schedule::Cadence::decl(),
        meridian_core::report::schedule::Period::decl(),
        meridian_core::report::schedule::ScheduleInput::decl(),
        meridian_core::report::schedule::ReportSchedule::decl(),
        meridian_core::report::schedule::ScheduleRun::decl(),
        meridian_core::report::Table::decl(),
        meridian_core::report::Chart::decl(),
        CredentialSummary::decl(),
        SnmpVersion::decl(),
        AuthProtocol::decl(),
        PrivProtocol::decl(),
        UsmInput::decl(),
        meridian_core::credential_edit::CredentialPatch::decl(),
        meridian_core::credential_edit::SecretInput::decl(),
        crate::credential_ops::CredentialTest::decl(),
        crate::notify::DesktopDelivery::decl(),
        crate::credentials::VaultInfo::decl(),
        crate::credentials::VaultProtection::decl(),
        crate::credentials::VaultStatus::decl(),
        ApiError::decl(),
        ApiErrorKind::decl(),
        FieldError::decl(),
        CoreEvent::decl(),
        crate::rules::RuleView::decl(),
        meridian_core::rules::Rule::decl(),
        meridian_core::items::CustomItem::decl(),
        meridian_core::items::ItemKind::decl(),
        meridian_core::items::ItemTarget::decl(),
        crate::items::ItemInput::decl(),
        crate::items::ItemView::decl(),
        crate::items::DeviceItemValue::decl(),
        meridian_core::rules::Comparison::decl(),
        meridian_core::rules::Level::decl(),
        meridian_core::rules::Hold::decl(),
        meridian_core::rules::RuleScope::decl(),
        meridian_core::rules::Override::decl(),
        crate::maintenance::MaintenanceView::decl(),
        crate::counts::DeviceCounts::decl(),
        crate::ntp::NtpWatchConfig::decl(),
        meridian_core::clock::ptp_watch::PtpWatchConfig::decl(),
        meridian_core::clock::ptp_watch::PtpWatchEndpoint::decl(),
        crate::events::PtpChange::decl(),
        crate::diag::PingResult::decl(),
        crate::diag::VarBindView::decl(),
        crate::diag::DeviceWalk::decl(),
        crate::ptp::PtpTree::decl(),
        crate::ptp::PtpTreeNode::decl(),
        crate::ptp::PtpTreeMiss::decl(),
        meridian_core::clock::role::TimingRole::decl(),
        crate::roles::DeviceTimingRole::decl(),
        crate::wander::WanderReport::decl(),
        crate::wander::MaskCurve::decl(),
        crate::ntp::NtpServerView::decl(),
        crate::synce::SynceSourceView::decl(),
        crate::wander_settings::WanderSettingsView::decl(),
        meridian_core::timing::settings::WanderSettings::decl(),
        meridian_core::state::CountOverride::decl(),
        meridian_core::fault::MaintenanceWindow::decl(),
        meridian_core::fault::WindowSchedule::decl(),
        meridian_core::fault::Day::decl(),
        meridian_core::event::InventoryEntity::decl(),
        meridian_core::event::ChangeAction::decl(),
        meridian_core::metric::Builtin::decl(),
        meridian_core::metric::MetricKey::decl(),
        DeviceState::decl(),
        crate::monitor::DeviceLive::decl(),
        Alarm::decl(),
        AlarmId::decl(),
        AlarmComment::decl(),
        crate::alarms::EventLogEntry::decl(),
        EventType::decl(),
        Severity::decl(),
        DiscoveryRunId::decl(),
        DiscoveryRequest::decl(),
        DiscoveryMode::decl(),
        DiscoveryRun::decl(),
        RunState::decl(),
        DiscoveryPhase::decl(),
        DiscoveryProgress::decl(),
        FoundDevice::decl(),
        SnmpIdentity::decl(),
        IdentityMatch::decl(),
        Classification::decl(),
        Field::<String>::decl(),
        Link::decl(),
        NeighbourProtocol::decl(),
        MatchKey::decl(),
        crate::topology::LinkView::decl(),
        crate::topology::InventoryReport::decl(),
        crate::topology::TemplateChoice::decl(),
        PhysicalEntity::decl(),
        meridian_core::floorplan::ImageMime::decl(),
        meridian_core::floorplan::PlanPosition::decl(),
        crate::floorplan::FloorPlan::decl(),
        crate::floorplan::FloorPlanInfo::decl(),
        meridian_core::history::DeviceHistory::decl(),
        meridian_core::history::SeriesData::decl(),
        meridian_core::history::StateChange::decl(),
        meridian_core::history::InterfaceView::decl(),
        meridian_core::rollup::Tier::decl(),
        meridian_core::rollup::retention::Retention::decl(),
        meridian_store::TierSize::decl(),
        crate::rollups::StoreStatus::decl(),
        meridian_core::alarm::AlarmSpec::decl(),
        meridian_core::selfwatch::DiskSpace::decl(),
        meridian_core::selfwatch::SelfWatchSettings::decl(),
        meridian_core::maptiles::MapTiles::decl(),
        crate::system::SystemStatus::decl(),
        crate::system::IntakeFigures::decl(),
        meridian_core::notify::AlarmCounts::decl(),
        crate::notify::NotificationSettings::decl(),
        crate::timing::WanderAnalysis::decl(),
        crate::timing::Metric::decl(),
        crate::timing::TauValue::decl(),
        crate::timing::MaskVerdict::decl(),
        crate::timing::MaskPoint::decl(),
        crate::timing::MaskInfo::decl(),
        meridian_core::timing::te::TeClassVerdict::decl(),
        meridian_core::timing::te::TeCheck::decl(),
        meridian_core::rule_preview::PreviewHit::decl(),
        crate::identity::SnmpIdentityView::decl(),
        meridian_core::notification::Channel::decl(),
        meridian_core::notification::ChannelKind::decl(),
        meridian_core::notification::EmailChannel::decl(),
        meridian_core::notification::SmtpSecurity::decl(),
        meridian_core::notification::WebhookChannel::decl(),
        meridian_core::notification::WebhookFlavour::decl(),
        meridian_core::notification::RateLimit::decl(),
        meridian_core::notification::Route::decl(),
        meridian_core::notification::Escalation::decl(),
        crate::notify::ChannelInput::decl(),
        crate::notify::ChannelView::decl(),
        crate::notify::RouteView::decl(),
        crate::notify::DeliveryLogEntry::decl(),
        crate::notify::DeliveryLogFilter::decl(),
        crate::notify::OutboxEntry::decl(),
        meridian_core::alarm::AlarmStep::decl(),
        meridian_core::alarm_timeline::TimelineKind::decl(),
        meridian_core::alarm_timeline::TimelineEntry::decl(),
        meridian_core::syslog::SyslogSeverity::decl(),
        meridian_core::syslog::SyslogFormat::decl(),
        meridian_core::syslog::SdElement::decl(),
        meridian_core::syslog::SdParam::decl(),
        meridian_core::syslog::SyslogEntry::decl(),
        meridian_core::syslog::SyslogQuery::decl(),
        meridian_core::syslog::SyslogCounters::decl(),
        crate::syslog::SyslogStatus::decl(),
        meridian_core::trap::TrapVersion::decl(),
        meridian_core::trap::TrapPdu::decl(),
        meridian_core::trap::TrapVarbind::decl(),
        meridian_core::mib_info::MibTranslation::decl(),
        meridian_core::mib_info::MibEnum::decl(),
        meridian_core::mib_info::MibObject::decl(),
        meridian_core::mib_info::MibTreeNode::decl(),
        meridian_core::mib_info::MibModuleInfo::decl(),
        meridian_core::mib_info::MibLoadError::decl(),
        meridian_core::mib_info::MibReport::decl(),
        meridian_core::trap::TrapEvent::decl(),
        crate::traps::TrapSettings::decl(),
        crate::traps::TrapCredential::decl(),
        meridian_core::fault::EventRule::decl(),
        meridian_core::fault::EventMatch::decl(),
        meridian_core::fault::VarbindMatch::decl(),
        crate::event_rules::EventRuleView::decl(),
        meridian_core::forward::ForwardTarget::decl(),
        meridian_core::forward::ForwardKind::decl(),
        meridian_core::forward::SyslogTransport::decl(),
        crate::forward::ForwardTargetView::decl(),
        // Team server: identity, tokens, audit.
        meridian_core::access::Role::decl(),
        meridian_core::access::Action::decl(),
        meridian_core::access::SiteScope::decl(),
        meridian_core::access::Actor::decl(),
        crate::auth::UserView::decl(),
        crate::auth::UserInput::decl(),
        crate::auth::UserPatch::decl(),
        crate::auth::LoginRequest::decl(),
        crate::auth::LoginOutcome::decl(),
        crate::auth::TokenInput::decl(),
        crate::auth::TokenView::decl(),
        crate::auth::TokenCreated::decl(),
        crate::auth::AuditEntry::decl(),
        crate::auth::AuditFilter::decl(),
        crate::auth::AlarmQuery::decl(),
        crate::auth::AckInput::decl(),
        crate::auth::CommentInput::decl(),
    ];
    let mut out = String::from("// Generated from Rust by meridian-service (ts-rs). Do not edit.\n");
    out.push_str("// Regenerate: UPDATE_BINDINGS=1 cargo test -p meridian-service --test bindings\n\n");
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(&word_tables());
    // The flapping alarm's specific problem is this prefix and its condition's.
    out.push_str(&format!(
        "/** meridian-core fault::FLAPPING_PREFIX */\nexport const FLAPPING_PREFIX = {};\n\n",
        serde_json::json!(meridian_core::fault::FLAPPING_PREFIX)
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The alarm words of `meridian_core::alarm_words` as TypeScript constants,
/// so the console reads alarms in the same words as the notifications.
fn word_tables() -> String {
    let table = |name: &str, doc: &str, rows: &[(&str, &str)]| {
        let body: Vec<String> = rows
            .iter()
            .map(|(code, words)| format!("  {}: {},", serde_json::json!(code), serde_json::json!(words)))
            .collect();
        format!(
            "/** {doc} */\nexport const {name}: Readonly<Record<string, string>> = {{\n{}\n}};\n\n",
            body.join("\n")
        )
    };
    let mut out = table(
        "PROBLEM_WORDS",
        "Meridian's own specific problems in words (meridian-core alarm_words::PROBLEMS).",
        &meridian_core::alarm_words::PROBLEMS,
    );
    out.push_str(&table(
        "CAUSE_WORDS",
        "Known X.733 probable causes in words (meridian-core alarm_words::CAUSES).",
        &meridian_core::alarm_words::CAUSES,
    ));
    out
}
