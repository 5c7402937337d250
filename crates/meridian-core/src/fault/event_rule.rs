//! Rules that turn received events (SNMP traps, syslog messages) into the
//! same X.733 alarms polling raises. A rule matches on a trap's OID and
//! varbinds, or on a syslog message's severity, app and a regular
//! expression; a second match (`clear`) clears the alarm it raised. A key
//! tells apart the alarms of one rule on one device: a varbind's value for
//! traps (ifIndex, a tunnel index), the regex's `key` group for syslog
//! (`neighbor (?P<key>\S+) Down` and `... Up` pair per BGP neighbour).
//!
//! Pure: the supervisor feeds each event of a managed device with its facts.

use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::{AlarmKey, AlarmSpec, EventType, Severity};
use crate::error::{CoreError, FieldError};
use crate::rules::{DeviceFacts, RuleScope};
use crate::state::Action;
use crate::syslog::{SyslogRecord, SyslogSeverity};
use crate::trap::{name_oid, TrapEvent};
use crate::validate::NAME_MAX;
use crate::DeviceId;

/// The probable cause of every event rule's alarm: the event says what
/// happened, the rule names it as the specific problem.
pub const EVENT_CAUSE: &str = "unspecifiedReason";
/// Longest regular expression a rule may hold (compiled once per load).
pub const PATTERN_MAX: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventRule {
    pub name: String,
    #[serde(default = "enabled")]
    pub enabled: bool,
    pub severity: Severity,
    pub scope: RuleScope,
    /// What raises the alarm.
    pub raise: EventMatch,
    /// What clears it (the same kind of event, giving the same key).
    #[serde(default)]
    pub clear: Option<EventMatch>,
    /// Traps: the varbind (a name such as `ifIndex`, or a numeric OID
    /// prefix) whose value keys the alarm. Syslog keys by the `key` group.
    #[serde(default)]
    pub key_varbind: Option<String>,
}

fn enabled() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum EventMatch {
    Trap {
        /// The notification: numeric (`1.3.6.1.4.1.9.9.41.2.0.1`) or a known name (`linkDown`).
        oid: String,
        /// Varbinds that must be present with these values.
        #[serde(default)]
        varbinds: Vec<VarbindMatch>,
    },
    Syslog {
        /// This severity or worse.
        #[serde(default)]
        severity: Option<SyslogSeverity>,
        /// The app name (RFC 5424 APP-NAME, RFC 3164 TAG), exactly.
        #[serde(default)]
        app: Option<String>,
        /// A regular expression the message text must match.
        #[serde(default)]
        pattern: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VarbindMatch {
    /// A name (`ifAdminStatus`) or numeric OID prefix.
    pub name: String,
    pub value: String,
}

/// An event as the rules see it.
#[derive(Debug, Clone, Copy)]
pub enum EventRef<'a> {
    Trap(&'a TrapEvent),
    Syslog(&'a SyslogRecord),
}

/// Rules checked and compiled once per load.
#[derive(Debug, Default)]
pub struct EventRules {
    rules: Vec<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    rule: EventRule,
    raise: Matcher,
    clear: Option<Matcher>,
}

#[derive(Debug)]
enum Matcher {
    Trap { oid: String, varbinds: Vec<VarbindMatch> },
    Syslog { severity: Option<SyslogSeverity>, app: Option<String>, pattern: Option<Regex> },
}

impl EventRule {
    /// Every field checked at once; the compiled rule on success.
    fn compile(self) -> Result<Compiled, CoreError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            errors.push(FieldError::new("name", format!("must be 1 to {NAME_MAX} characters, no control characters")));
        }
        if matches!(self.severity, Severity::Cleared | Severity::Indeterminate) {
            errors.push(FieldError::new("severity", "must be critical, major, minor or warning"));
        }
        if self.scope.names_nothing() {
            errors.push(FieldError::new("scope", "name at least one device, tag or site, or set all = true"));
        }
        let raise = matcher("raise", &self.raise, &mut errors);
        let clear = self.clear.as_ref().map(|c| matcher("clear", c, &mut errors));
        if let Some(c) = &self.clear {
            if std::mem::discriminant(c) != std::mem::discriminant(&self.raise) {
                errors.push(FieldError::new("clear.kind", "must be the same kind of event as raise"));
            }
        }
        if matches!(self.raise, EventMatch::Syslog { .. }) && self.key_varbind.is_some() {
            errors
                .push(FieldError::new("keyVarbind", "applies to traps; syslog rules key by the pattern's `key` group"));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let (Some(raise), clear) = (raise, clear.flatten()) else {
            return Err(CoreError::Validation(vec![FieldError::new("raise", "invalid")]));
        };
        Ok(Compiled { rule: EventRule { name: name.to_owned(), ..self }, raise, clear })
    }
}

fn matcher(field: &str, m: &EventMatch, errors: &mut Vec<FieldError>) -> Option<Matcher> {
    match m {
        EventMatch::Trap { oid, varbinds } => {
            let oid = oid.trim().trim_start_matches('.');
            let numeric = if is_numeric_oid(oid) { Some(oid.to_owned()) } else { name_oid(oid).map(str::to_owned) };
            if numeric.is_none() {
                errors.push(FieldError::new(format!("{field}.oid"), "must be a numeric OID or a known trap name"));
            }
            for (i, v) in varbinds.iter().enumerate() {
                if v.name.trim().is_empty() {
                    errors.push(FieldError::new(format!("{field}.varbinds[{i}].name"), "must not be empty"));
                }
            }
            numeric.map(|oid| Matcher::Trap { oid, varbinds: varbinds.clone() })
        }
        EventMatch::Syslog { severity, app, pattern } => {
            let regex = match pattern.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(p) if p.len() > PATTERN_MAX => {
                    errors.push(FieldError::new(format!("{field}.pattern"), format!("at most {PATTERN_MAX} bytes")));
                    return None;
                }
                Some(p) => match Regex::new(p) {
                    Ok(r) => Some(r),
                    Err(e) => {
                        let first = e.to_string().lines().last().unwrap_or_default().trim().to_owned();
                        errors.push(FieldError::new(
                            format!("{field}.pattern"),
                            format!("not a regular expression: {first}"),
                        ));
                        return None;
                    }
                },
                None => None,
            };
            if severity.is_none() && app.is_none() && regex.is_none() {
                errors.push(FieldError::new(field, "name a severity, an app or a pattern"));
            }
            Some(Matcher::Syslog { severity: *severity, app: app.clone(), pattern: regex })
        }
    }
}

fn is_numeric_oid(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks one rule as the editor saves it.
pub fn validate(rule: &EventRule) -> Result<(), CoreError> {
    rule.clone().compile().map(|_| ())
}

impl EventRules {
    /// Compiles every rule; one that no longer checks (written by another
    /// version) is skipped and returned with its errors, not fatal to all.
    pub fn compile(rules: Vec<EventRule>) -> (Self, Vec<(String, CoreError)>) {
        let mut out = Self::default();
        let mut bad = Vec::new();
        for r in rules {
            let name = r.name.clone();
            match r.compile() {
                Ok(c) => out.rules.push(c),
                Err(e) => bad.push((name, e)),
            }
        }
        (out, bad)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// The alarm actions one event of the device gives: a raise where a
    /// rule's `raise` matches, a clear where its `clear` does.
    pub fn evaluate(&self, device: &DeviceFacts, ev: EventRef<'_>, _at: DateTime<Utc>) -> Vec<Action> {
        let mut out = Vec::new();
        for c in self.rules.iter().filter(|c| c.rule.enabled && c.rule.scope.matches(device)) {
            if let Some(key) = c.raise.matches(ev, c.rule.key_varbind.as_deref()) {
                out.push(Action::RaiseAlarm(spec(&c.rule, device.id, &key, ev)));
            } else if let Some(key) = c.clear.as_ref().and_then(|m| m.matches(ev, c.rule.key_varbind.as_deref())) {
                out.push(Action::ClearAlarm(alarm_key(&c.rule, device.id, &key)));
            }
        }
        out
    }
}

impl Matcher {
    /// The key when the event matches.
    fn matches(&self, ev: EventRef<'_>, key_varbind: Option<&str>) -> Option<String> {
        match (self, ev) {
            (Matcher::Trap { oid, varbinds }, EventRef::Trap(t)) => {
                if t.trap_oid.as_deref().map(|o| o.trim_start_matches('.')) != Some(oid.as_str()) {
                    return None;
                }
                let value_of = |want: &str| {
                    t.varbinds.iter().find(|v| varbind_is(v.name.as_deref(), &v.oid, want)).map(|v| v.value.as_str())
                };
                if !varbinds.iter().all(|m| value_of(&m.name) == Some(m.value.as_str())) {
                    return None;
                }
                Some(key_varbind.and_then(value_of).unwrap_or_default().to_owned())
            }
            (Matcher::Syslog { severity, app, pattern }, EventRef::Syslog(s)) => {
                let m = &s.message;
                // Lower codes are worse; a message without a severity passes no severity test.
                if severity.is_some_and(|want| m.severity.is_none_or(|got| got.code() > want.code())) {
                    return None;
                }
                if app.as_ref().is_some_and(|a| m.app.as_deref() != Some(a.as_str())) {
                    return None;
                }
                match pattern {
                    None => Some(String::new()),
                    Some(re) => re
                        .captures(&m.message)
                        .map(|c| c.name("key").map(|k| k.as_str().to_owned()).unwrap_or_default()),
                }
            }
            _ => None,
        }
    }
}

/// `want` names the varbind (`ifIndex` for `ifIndex.2`) or is a numeric
/// prefix of its OID.
fn varbind_is(name: Option<&str>, oid: &str, want: &str) -> bool {
    let prefixed = |s: &str| s == want || s.strip_prefix(want).is_some_and(|rest| rest.starts_with('.'));
    name.is_some_and(prefixed) || prefixed(oid.trim_start_matches('.'))
}

fn alarm_key(rule: &EventRule, device: DeviceId, key: &str) -> AlarmKey {
    AlarmKey {
        managed_object: managed_object(rule, device, key),
        probable_cause: EVENT_CAUSE.to_owned(),
        specific_problem: rule.name.clone(),
    }
}

fn managed_object(rule: &EventRule, device: DeviceId, key: &str) -> String {
    let mut mo = format!("device={device},event={}", rule.name);
    if !key.is_empty() {
        mo.push_str(&format!(",key={key}"));
    }
    mo
}

/// Additional text names the rule and what matched, cut to a readable size.
fn spec(rule: &EventRule, device: DeviceId, key: &str, ev: EventRef<'_>) -> AlarmSpec {
    let (event_type, what) = match ev {
        EventRef::Trap(t) => {
            let name = t.trap_name.clone().or_else(|| t.trap_oid.clone()).unwrap_or_default();
            (EventType::Communications, format!("trap {name} from {}", t.source_addr))
        }
        EventRef::Syslog(s) => {
            let m = &s.message;
            let app = m.app.as_deref().unwrap_or("-");
            let sev = m.severity.map_or("-", SyslogSeverity::name);
            (EventType::ProcessingError, format!("syslog {app} ({sev}) from {}: {}", s.source, m.message))
        }
    };
    let mut text = format!("rule '{}': {what}", rule.name);
    if let Some((i, _)) = text.char_indices().nth(500) {
        text.truncate(i);
        text.push('…');
    }
    AlarmSpec {
        managed_object: managed_object(rule, device, key),
        event_type,
        probable_cause: EVENT_CAUSE.to_owned(),
        specific_problem: rule.name.clone(),
        perceived_severity: rule.severity,
        additional_text: text,
    }
}
