//! Routes: which alarms go to which channel, now or in a digest, and where
//! they escalate when nobody acknowledges them. Matching is pure: the
//! service passes the alarm with its device's name, site and tags.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::delay::notify_due;
use crate::alarm::{Alarm, Severity};
use crate::error::CoreError;
use crate::notify::may_notify;
use crate::validate::{Checker, NAME_MAX, TAG_MAX, TEXT_MAX};

/// Digest period bounds, in minutes: a minute to a day.
pub const DIGEST_MINUTES_MIN: u32 = 1;
pub const DIGEST_MINUTES_MAX: u32 = 1440;
/// A digest minute as routes mean it; only tests pass `plan` a shorter one.
pub const DIGEST_MINUTE: Duration = Duration::seconds(60);
/// Escalation delay bounds, in seconds: a second (tests, drills) to a week.
pub const ESCALATE_SECS_MIN: u32 = 1;
pub const ESCALATE_SECS_MAX: u32 = 7 * 24 * 3600;
/// Most entries in one of a route's filter lists.
pub const FILTER_MAX: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Escalation {
    /// Seconds an alarm may stay active and unacknowledged first.
    pub after_secs: u32,
    /// The channel told then.
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Route {
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub channel: String,
    /// The least severe alarm that matches (critical is the most severe).
    pub min_severity: Severity,
    /// Site names; empty matches every site (and devices without one).
    #[serde(default)]
    pub sites: Vec<String>,
    /// Device tags, any of; empty matches every device.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Specific problems, e.g. `rule:<id>` for one alarm rule or `icmpNoReply`;
    /// empty matches every problem.
    #[serde(default)]
    pub problems: Vec<String>,
    /// None: every match is sent at once. Some(n): critical alarms still
    /// go at once, the rest are batched into one message every n minutes.
    #[serde(default)]
    pub digest_minutes: Option<u32>,
    #[serde(default)]
    pub escalate: Option<Escalation>,
}

fn yes() -> bool {
    true
}

/// What routing knows about an alarm besides the alarm: its device's name,
/// site and tags at the time it was raised. Also what payloads show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmContext {
    pub alarm: Alarm,
    pub device_name: Option<String>,
    pub site: Option<String>,
    pub tags: Vec<String>,
}

impl Route {
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut c = Checker::new();
        c.text("name", &self.name, NAME_MAX);
        c.text("channel", &self.channel, NAME_MAX);
        if self.min_severity == Severity::Cleared {
            c.fail("minSeverity", "must be an active severity (critical to indeterminate)");
        }
        list(&mut c, "sites", &self.sites, NAME_MAX);
        list(&mut c, "tags", &self.tags, TAG_MAX);
        list(&mut c, "problems", &self.problems, TEXT_MAX);
        if let Some(m) = self.digest_minutes {
            if !(DIGEST_MINUTES_MIN..=DIGEST_MINUTES_MAX).contains(&m) {
                c.fail("digestMinutes", format!("must be between {DIGEST_MINUTES_MIN} and {DIGEST_MINUTES_MAX}"));
            }
        }
        if let Some(e) = &self.escalate {
            if !(ESCALATE_SECS_MIN..=ESCALATE_SECS_MAX).contains(&e.after_secs) {
                c.fail("escalate.afterSecs", format!("must be between {ESCALATE_SECS_MIN} and {ESCALATE_SECS_MAX}"));
            }
            let to = c.text("escalate.channel", &e.channel, NAME_MAX);
            if to == self.channel.trim() {
                c.fail("escalate.channel", "must differ from the route's own channel");
            }
        }
        c.finish(())
    }

    /// Whether `ctx` falls under this route (the gate is not checked here).
    pub fn matches(&self, ctx: &AlarmContext) -> bool {
        let a = &ctx.alarm;
        // Severity's order is most severe first.
        self.enabled
            && a.perceived_severity != Severity::Cleared
            && a.perceived_severity <= self.min_severity
            && (self.sites.is_empty() || ctx.site.as_ref().is_some_and(|s| self.sites.contains(s)))
            && (self.tags.is_empty() || ctx.tags.iter().any(|t| self.tags.contains(t)))
            && (self.problems.is_empty() || self.problems.contains(&a.specific_problem))
    }
}

fn list(c: &mut Checker, field: &str, items: &[String], max: usize) {
    if items.len() > FILTER_MAX {
        c.fail(field, format!("at most {FILTER_MAX} entries"));
    }
    for (i, s) in items.iter().enumerate() {
        c.text(&format!("{field}[{i}]"), s, max);
    }
}

/// How one planned delivery goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// On its own, as soon as the channel allows.
    Immediate,
    /// With the channel's other digest entries due at the same time.
    Digest,
    /// Only if the alarm is still active and unacknowledged when due.
    Escalation,
    /// The "send test" action.
    Test,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Immediate => "immediate",
            Self::Digest => "digest",
            Self::Escalation => "escalation",
            Self::Test => "test",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Immediate, Self::Digest, Self::Escalation, Self::Test].into_iter().find(|k| k.as_str() == s)
    }
}

/// One delivery an alarm calls for: to `channel`, not before `due`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub route: String,
    pub channel: String,
    pub kind: DeliveryKind,
    pub due: DateTime<Utc>,
}

/// Every delivery a newly raised alarm calls for. Nothing at all unless the
/// shared gate ([`may_notify`]: active, raised since `started`, not muted)
/// lets it through, so no channel can bypass what silences the desktop. One
/// delivery per channel: two routes to one channel send once (the first
/// route, in order, decides how). Nothing is due before the alarm has
/// outlasted the notification delay (`delay_secs`, see [`super::delay`]);
/// the deliverer puts the alarm through the gate again when it sends.
/// `digest_minute` is how long one of a route's `digest_minutes` lasts:
/// [`DIGEST_MINUTE`] everywhere but tests, which shorten it.
pub fn plan(
    ctx: &AlarmContext,
    routes: &[Route],
    started: DateTime<Utc>,
    muted_until: Option<DateTime<Utc>>,
    delay_secs: u32,
    digest_minute: Duration,
    now: DateTime<Utc>,
) -> Vec<Planned> {
    if !may_notify(&ctx.alarm, started, muted_until, now) {
        return Vec::new();
    }
    let settled = now.max(notify_due(&ctx.alarm, delay_secs));
    let mut out: Vec<Planned> = Vec::new();
    for r in routes.iter().filter(|r| r.matches(ctx)) {
        let (kind, due) = match r.digest_minutes {
            Some(m) if ctx.alarm.perceived_severity != Severity::Critical => {
                (DeliveryKind::Digest, digest_due(settled, m, digest_minute))
            }
            _ => (DeliveryKind::Immediate, settled),
        };
        if !out.iter().any(|p| p.channel == r.channel && p.kind != DeliveryKind::Escalation) {
            out.push(Planned { route: r.name.clone(), channel: r.channel.clone(), kind, due });
        }
        if let Some(e) = &r.escalate {
            let due = ctx.alarm.raised_at + Duration::seconds(i64::from(e.after_secs));
            if !out.iter().any(|p| p.channel == e.channel && p.kind == DeliveryKind::Escalation) {
                out.push(Planned {
                    route: r.name.clone(),
                    channel: e.channel.clone(),
                    kind: DeliveryKind::Escalation,
                    due,
                });
            }
        }
    }
    out
}

/// When a digest collecting at `now` goes out: the end of the current
/// `minutes`-long period counted from the Unix epoch, so every entry of one
/// period shares a due time (and so one message) across restarts. A minute
/// is `minute` long ([`DIGEST_MINUTE`]; at least a second).
pub fn digest_due(now: DateTime<Utc>, minutes: u32, minute: Duration) -> DateTime<Utc> {
    let period = i64::from(minutes.max(1)) * minute.num_seconds().max(1);
    let t = now.timestamp();
    let end = (t.div_euclid(period) + 1) * period;
    DateTime::from_timestamp(end, 0).unwrap_or(now)
}

/// Whether a due escalation still fires: the alarm (as stored now) passes the
/// shared gate and nobody has acknowledged it. `started` is the alarm's own
/// raise time: an escalation queued before a restart still counts.
pub fn escalation_fires(alarm: &Alarm, muted_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    !alarm.is_acked() && may_notify(alarm, alarm.raised_at, muted_until, now)
}
