//! What a notification says on each kind of channel: Meridian's generic
//! JSON, Slack, Microsoft Teams, and e-mail. Alarm fields, the device's
//! name, site and tags only: never an address, credential or secret.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};

use crate::alarm::Severity;
use crate::alarm_words::problem_text;
use crate::notification::route::{AlarmContext, DeliveryKind};
use crate::notify::{notification_text, severity_label};

/// One alarm in words, shared by every flavour.
struct Said {
    title: String,
    problem: String,
    detail: String,
    device: String,
}

fn said(ctx: &AlarmContext) -> Said {
    let a = &ctx.alarm;
    Said {
        title: notification_text(a, ctx.device_name.as_deref()).title,
        problem: problem_text(&a.probable_cause, &a.specific_problem),
        detail: a.additional_text.trim().to_owned(),
        device: ctx.device_name.clone().unwrap_or_else(|| a.managed_object.clone()),
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The message's one-line heading.
pub fn heading(kind: DeliveryKind, items: &[AlarmContext]) -> String {
    match (kind, items) {
        (DeliveryKind::Test, _) | (_, []) => "Meridian test message".to_owned(),
        (DeliveryKind::Digest, many) if many.len() > 1 => format!("Meridian digest: {} alarms", many.len()),
        (DeliveryKind::Escalation, [one, ..]) => format!("Unacknowledged: {}", said(one).title),
        (_, [one, ..]) => said(one).title,
    }
}

/// Meridian's own JSON: a stable shape for scripts and other systems.
pub fn generic(kind: DeliveryKind, items: &[AlarmContext], now: DateTime<Utc>) -> Value {
    let alarms: Vec<Value> = items
        .iter()
        .map(|ctx| {
            let a = &ctx.alarm;
            let s = said(ctx);
            json!({
                "id": a.id.to_string(),
                "title": s.title,
                "problem": s.problem,
                "additionalText": s.detail,
                "severity": a.perceived_severity,
                "device": ctx.device_name,
                "deviceId": a.device_id.map(|d| d.to_string()),
                "site": ctx.site,
                "tags": ctx.tags,
                "managedObject": a.managed_object,
                "eventType": a.event_type,
                "probableCause": a.probable_cause,
                "specificProblem": a.specific_problem,
                "raisedAt": time(a.raised_at),
                "clearedAt": a.cleared_at.map(time),
                "acknowledged": a.is_acked(),
            })
        })
        .collect();
    json!({
        "source": "meridian",
        "kind": kind.as_str(),
        "title": heading(kind, items),
        "sentAt": time(now),
        "alarms": alarms,
    })
}

/// Slack's mrkdwn treats `&`, `<` and `>` as markup.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn lines(ctx: &AlarmContext) -> String {
    let s = said(ctx);
    let mut out = format!("*{}* {}\n{}", severity_label(ctx.alarm.perceived_severity), s.device, s.problem);
    if !s.detail.is_empty() {
        out.push_str(&format!("\n{}", s.detail));
    }
    out.push_str(&format!("\nRaised {}", time(ctx.alarm.raised_at)));
    out
}

/// A Slack incoming-webhook body: `text` (notifications, fallbacks) and
/// blocks (the message itself), one section per alarm.
pub fn slack(kind: DeliveryKind, items: &[AlarmContext]) -> Value {
    let head = heading(kind, items);
    let mut blocks = vec![json!({"type": "header", "text": {"type": "plain_text", "text": clip(&head, 150)}})];
    if items.is_empty() {
        blocks.push(section("This channel works: Meridian can reach it."));
    }
    // Slack allows 50 blocks a message.
    for ctx in items.iter().take(45) {
        blocks.push(section(&slack_escape(&lines(ctx))));
    }
    if items.len() > 45 {
        blocks.push(section(&format!("…and {} more in the console", items.len() - 45)));
    }
    json!({ "text": slack_escape(&head), "blocks": blocks })
}

fn section(text: &str) -> Value {
    // Slack's limit for a section's text is 3000 characters.
    json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000)}})
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn colour(items: &[AlarmContext]) -> &'static str {
    match items.iter().map(|c| c.alarm.perceived_severity).min() {
        Some(Severity::Critical) => "C50F1F",
        Some(Severity::Major) => "DA3B01",
        Some(Severity::Minor) => "F7A000",
        Some(Severity::Warning) => "FFD335",
        _ => "0078D4",
    }
}

/// A Microsoft Teams incoming-webhook body: a MessageCard, one section
/// (with facts) per alarm.
pub fn teams(kind: DeliveryKind, items: &[AlarmContext]) -> Value {
    let head = heading(kind, items);
    let sections: Vec<Value> = items
        .iter()
        .take(10)
        .map(|ctx| {
            let s = said(ctx);
            let a = &ctx.alarm;
            let mut facts = vec![
                json!({"name": "Device", "value": s.device}),
                json!({"name": "Severity", "value": severity_label(a.perceived_severity)}),
                json!({"name": "Raised", "value": time(a.raised_at)}),
            ];
            if let Some(site) = &ctx.site {
                facts.push(json!({"name": "Site", "value": site}));
            }
            if !s.detail.is_empty() {
                facts.push(json!({"name": "Detail", "value": s.detail}));
            }
            json!({"activityTitle": s.title, "text": s.problem, "facts": facts})
        })
        .collect();
    let text = if items.is_empty() { "This channel works: Meridian can reach it.".to_owned() } else { String::new() };
    json!({
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": head,
        "themeColor": colour(items),
        "title": head,
        "text": text,
        "sections": sections,
    })
}

/// An e-mail's subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailText {
    pub subject: String,
    pub body: String,
}

pub fn email(kind: DeliveryKind, items: &[AlarmContext], now: DateTime<Utc>) -> EmailText {
    let subject = format!("[Meridian] {}", heading(kind, items));
    let mut body = String::new();
    match kind {
        DeliveryKind::Test => body.push_str("This is a test message: Meridian can send mail through this channel.\n"),
        DeliveryKind::Escalation => body.push_str("Nobody has acknowledged this alarm yet.\n\n"),
        DeliveryKind::Digest => body.push_str(&format!("{} alarm(s) since the last digest.\n\n", items.len())),
        DeliveryKind::Immediate => {}
    }
    for ctx in items {
        let s = said(ctx);
        let a = &ctx.alarm;
        body.push_str(&format!("{}\n", s.title));
        body.push_str(&format!("  Problem:  {}\n", s.problem));
        if !s.detail.is_empty() {
            body.push_str(&format!("  Detail:   {}\n", s.detail));
        }
        body.push_str(&format!("  Device:   {}\n", s.device));
        if let Some(site) = &ctx.site {
            body.push_str(&format!("  Site:     {site}\n"));
        }
        body.push_str(&format!("  Severity: {}\n", severity_label(a.perceived_severity)));
        body.push_str(&format!("  Raised:   {}\n", time(a.raised_at)));
        body.push_str(&format!("  Alarm id: {}\n\n", a.id));
    }
    body.push_str(&format!("Sent by Meridian at {}.\n", time(now)));
    EmailText { subject: subject.chars().filter(|c| !c.is_control()).collect(), body }
}

/// A message ready for one channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Rendered {
    Email(EmailText),
    /// A webhook body in the channel's flavour.
    Json(Value),
}

/// What `channel` is sent for these alarms; `None` for the desktop, which
/// the desktop shell notifies itself.
pub fn render(
    channel: &crate::notification::ChannelKind,
    kind: DeliveryKind,
    items: &[AlarmContext],
    now: DateTime<Utc>,
) -> Option<Rendered> {
    use crate::notification::{ChannelKind, WebhookFlavour};
    match channel {
        ChannelKind::Email(_) => Some(Rendered::Email(email(kind, items, now))),
        ChannelKind::Webhook(w) => Some(Rendered::Json(match w.flavour {
            WebhookFlavour::Generic => generic(kind, items, now),
            WebhookFlavour::Slack => slack(kind, items),
            WebhookFlavour::Teams => teams(kind, items),
        })),
        ChannelKind::Desktop => None,
    }
}
