//! A scheduled report as a front end asks for it ([`ScheduleInput`]), as it
//! is stored with how far it has run ([`ReportSchedule`]), one logged run
//! ([`ScheduleRun`]), and the one decision the runner takes: what is due now
//! ([`run_due`]). The period arithmetic is in the parent module.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{due, next_run, period_label, Cadence, Period};
use crate::error::{CoreError, FieldError};
use crate::notification::channel::check_mailbox;
use crate::report::{ReportFormat, ReportKind, ReportRequest, MAX_TOP_N};

/// Most addresses one schedule mails.
pub const MAX_RECIPIENTS: usize = 50;

/// A schedule as a front end asks for it: which report, how often, where
/// the files go and who gets them by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleInput {
    /// Unique; part of every file name (letters, digits, `-` and `_`).
    pub name: String,
    pub cadence: Cadence,
    pub kind: ReportKind,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub top_n: Option<u32>,
    /// PDF, CSV or both: one file each per run.
    pub formats: Vec<ReportFormat>,
    /// An absolute directory the files are written to.
    pub folder: String,
    /// The e-mail notification channel whose SMTP server (and, without
    /// `recipients`, whose recipients) the files are mailed through.
    #[serde(default)]
    pub channel: Option<String>,
    /// Who gets the files, instead of the channel's recipients.
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

/// A stored schedule and how far it has run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportSchedule {
    #[serde(flatten)]
    pub input: ScheduleInput,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    /// The end of the last period written (`None`: none yet).
    #[ts(type = "string | null")]
    pub last_period_to: Option<DateTime<Utc>>,
    /// When it last ran (by itself or by hand).
    #[ts(type = "string | null")]
    pub last_run_at: Option<DateTime<Utc>>,
    /// The runner looks at it again from here on.
    #[ts(type = "string")]
    pub next_due: DateTime<Utc>,
    /// Whether the last run succeeded (`None`: never ran).
    pub last_ok: Option<bool>,
    /// Why the last run failed, until one succeeds.
    pub last_error: Option<String>,
}

/// One run of a schedule, as the run log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRun {
    pub schedule: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub period: Period,
    pub ok: bool,
    /// The files written (full paths).
    pub files: Vec<String>,
    /// What the mail relay said, when the report was mailed.
    pub mailed: Option<String>,
    pub error: Option<String>,
}

impl ScheduleInput {
    /// Every broken rule at once, named as the input names its fields.
    /// That the folder exists, the scope names something and the channel
    /// is an e-mail channel is checked by the service, against the disk
    /// and the store.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !name_ok {
            errors.push(FieldError::new("name", "1 to 64 letters, digits, '-' or '_'"));
        }
        if self.formats.is_empty() {
            errors.push(FieldError::new("formats", "choose pdf, csv or both"));
        } else if self.formats.iter().any(|f| !matches!(f, ReportFormat::Pdf | ReportFormat::Csv)) {
            errors.push(FieldError::new("formats", "must be pdf or csv"));
        } else if self.formats.len() == 2 && self.formats[0] == self.formats[1] {
            errors.push(FieldError::new("formats", "names a format twice"));
        } else if self.formats.len() > 2 {
            errors.push(FieldError::new("formats", "at most pdf and csv"));
        }
        let folder = std::path::Path::new(self.folder.trim());
        if self.folder.trim().is_empty() || !folder.is_absolute() {
            errors.push(FieldError::new("folder", "must be an absolute directory path"));
        }
        if [&self.site, &self.tag, &self.device].iter().filter(|s| s.is_some()).count() > 1 {
            errors.push(FieldError::new("site", "give at most one of site, tag and device"));
        }
        if self.top_n.is_some_and(|n| n == 0 || n > MAX_TOP_N) {
            errors.push(FieldError::new("topN", format!("must be between 1 and {MAX_TOP_N}")));
        }
        if self.channel.as_deref().is_some_and(|c| c.trim().is_empty()) {
            errors.push(FieldError::new("channel", "must name an e-mail channel"));
        }
        if !self.recipients.is_empty() && self.channel.is_none() {
            errors.push(FieldError::new("recipients", "need a channel to send through"));
        }
        if self.recipients.len() > MAX_RECIPIENTS {
            errors.push(FieldError::new("recipients", format!("at most {MAX_RECIPIENTS}")));
        }
        if let Some((to, why)) = self.recipients.iter().find_map(|r| check_mailbox(r).err().map(|m| (r, m))) {
            errors.push(FieldError::new("recipients", format!("'{to}' {why}")));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }

    /// The report of `period`.
    pub fn request(&self, period: &Period) -> ReportRequest {
        ReportRequest {
            kind: self.kind,
            from: period.from,
            to: period.to,
            site: self.site.clone(),
            tag: self.tag.clone(),
            device: self.device.clone(),
            top_n: self.top_n,
        }
    }

    /// The file `period` is written to as `format`, inside `folder`.
    pub fn file_name(&self, period: &Period, format: ReportFormat) -> String {
        format!("{}-{}.{}", self.name, period_label(self.cadence, period), format.extension())
    }
}

impl ReportSchedule {
    /// A new schedule: its first period is the one that holds `now`, so it
    /// is first looked at when that period ends.
    pub fn new(input: ScheduleInput, now: DateTime<Utc>) -> Self {
        let next_due = next_run(input.cadence, now);
        Self {
            input,
            created_at: now,
            last_period_to: None,
            last_run_at: None,
            next_due,
            last_ok: None,
            last_error: None,
        }
    }

    /// The schedule after an edit at `now` to `input`: its creation time
    /// and run state (last period written, last result) stay, so an edit
    /// never writes again a period already written. With the same cadence
    /// the next due time stays too. A new cadence waits for the end of its
    /// period holding `now`, as a new schedule would: running at once would
    /// write a period chosen by when the edit happened, and the written
    /// mark still keeps any period that ended at or before the last one
    /// written from being written again (a daily schedule made weekly on
    /// Thursday first writes the week that ends on Sunday night).
    pub fn edited(&self, input: ScheduleInput, now: DateTime<Utc>) -> Self {
        let next_due = if input.cadence == self.input.cadence { self.next_due } else { next_run(input.cadence, now) };
        Self { input, next_due, ..self.clone() }
    }

    /// After a run at `now` (which wrote `period` when `ok`): a success
    /// moves the written mark; either way the runner waits for the next
    /// period's end, so a failure is retried then (with the latest period,
    /// not a backlog) rather than every tick.
    pub fn ran(&mut self, now: DateTime<Utc>, period: &Period, error: Option<String>) {
        if error.is_none() && self.last_period_to.is_none_or(|t| t < period.to) {
            self.last_period_to = Some(period.to);
        }
        self.last_run_at = Some(now);
        self.next_due = next_run(self.input.cadence, now);
        self.last_ok = Some(error.is_none());
        self.last_error = error;
    }
}

/// The period `s` must write at `now`, if any: enabled, its next due time
/// reached, and a whole period ended since the last one written (at most
/// one: the latest, however long the monitor was down).
pub fn run_due(s: &ReportSchedule, now: DateTime<Utc>) -> Option<Period> {
    if !s.input.enabled || now < s.next_due {
        return None;
    }
    due(s.input.cadence, s.last_period_to, s.created_at, now)
}
