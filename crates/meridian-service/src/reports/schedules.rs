//! Scheduled reports as the front ends see them: add and edit (checked
//! against the disk and the store, so a schedule that could never run is
//! refused with field errors and nothing is written), list, remove, run
//! now, and the run log. Running them is [`super::runner`].

use chrono::{DateTime, Utc};
use meridian_core::access::SiteScope;
use meridian_core::notification::ChannelKind;
use meridian_core::report::schedule::{last_whole_period, ReportSchedule, ScheduleInput, ScheduleRun};
use meridian_core::report::Scope;
use meridian_core::{CoreError, FieldError};

use super::runner::Runner;
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

const ACTOR: &str = "local";

fn not_found(name: &str) -> ApiError {
    ApiError::new(ApiErrorKind::NotFound, format!("report schedule '{name}' not found"))
}

impl App {
    /// Every schedule with its next run and last result, by name.
    pub async fn list_report_schedules(&self) -> Result<Vec<ReportSchedule>, ApiError> {
        Ok(self.store.list_report_schedules().await?.into_iter().map(|s| s.schedule).collect())
    }

    /// One schedule by name (what an edit starts from).
    pub async fn report_schedule(&self, name: &str) -> Result<ReportSchedule, ApiError> {
        match self.store.get_report_schedule(name.trim()).await? {
            Some(s) => Ok(s.schedule),
            None => Err(not_found(name)),
        }
    }

    /// Adds a schedule; its first run is at the end of the current period.
    pub async fn add_report_schedule(&self, input: ScheduleInput) -> Result<ReportSchedule, ApiError> {
        self.add_report_schedule_at(input, Utc::now()).await
    }

    /// [`App::add_report_schedule`] as if made at `now`.
    pub async fn add_report_schedule_at(
        &self,
        input: ScheduleInput,
        now: DateTime<Utc>,
    ) -> Result<ReportSchedule, ApiError> {
        let input = self.checked_schedule(input, None).await?;
        let schedule = ReportSchedule::new(input, now);
        self.store.insert_report_schedule(&schedule, ACTOR).await?;
        tracing::info!(schedule = %schedule.input.name, "report schedule added");
        Ok(schedule)
    }

    /// Replaces the input of the schedule called `name`, checked exactly
    /// like an add (a new name in use is a field error). Its id, run log and
    /// run state stay, so no period already written is written again; a new
    /// cadence first runs when its current period ends
    /// (`ReportSchedule::edited` says why).
    pub async fn update_report_schedule(&self, name: &str, input: ScheduleInput) -> Result<ReportSchedule, ApiError> {
        self.update_report_schedule_at(name, input, Utc::now()).await
    }

    /// [`App::update_report_schedule`] as if made at `now`.
    pub async fn update_report_schedule_at(
        &self,
        name: &str,
        input: ScheduleInput,
        now: DateTime<Utc>,
    ) -> Result<ReportSchedule, ApiError> {
        let Some(old) = self.store.get_report_schedule(name.trim()).await? else {
            return Err(not_found(name));
        };
        let input = self.checked_schedule(input, Some(&old.schedule.input.name)).await?;
        let edited = old.schedule.edited(input, now);
        // Removed between the read and the write: as if never there.
        let Some(stored) = self.store.update_report_schedule(old.id, &edited, now, ACTOR).await? else {
            return Err(not_found(name));
        };
        tracing::info!(schedule = %name, now_named = %stored.schedule.input.name, "report schedule edited");
        Ok(stored.schedule)
    }

    /// The input trimmed, or every field error at once: core's rules, then
    /// the disk and the store (folder, scope, channel, a name in use by
    /// another schedule than `own`, the one being edited). Writes nothing.
    async fn checked_schedule(&self, mut input: ScheduleInput, own: Option<&str>) -> Result<ScheduleInput, ApiError> {
        input.name = input.name.trim().to_owned();
        input.folder = input.folder.trim().to_owned();
        let trim = |s: &mut Option<String>| *s = s.take().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        trim(&mut input.site);
        trim(&mut input.tag);
        trim(&mut input.device);
        trim(&mut input.channel);
        input.recipients = input.recipients.iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect();
        let core = input.validate().err().map(|e| e.fields().to_vec()).unwrap_or_default();
        let mut errors = core.clone();
        let checked = |field: &str| !core.iter().any(|f| f.field == field);
        let renamed = own != Some(input.name.as_str());
        if checked("name") && renamed && self.store.get_report_schedule(&input.name).await?.is_some() {
            errors.push(FieldError::new("name", format!("report schedule '{}' already exists", input.name)));
        }
        if checked("folder") && !std::path::Path::new(&input.folder).is_dir() {
            errors.push(FieldError::new("folder", format!("{} is not an existing directory", input.folder)));
        }
        if checked("site") {
            errors.extend(self.scope_errors(&input).await?);
        }
        if let Some(name) = input.channel.as_deref().filter(|_| checked("channel")) {
            let channels = self.store.list_channels().await?;
            match channels.iter().find(|c| c.def.name == name) {
                None => errors.push(FieldError::new("channel", format!("channel '{name}' does not exist"))),
                Some(c) if !matches!(c.def.kind, ChannelKind::Email(_)) => {
                    errors.push(FieldError::new("channel", format!("channel '{name}' is not an e-mail channel")))
                }
                Some(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors).into());
        }
        Ok(input)
    }

    /// The site, tag or device the schedule names must exist now (it may
    /// vanish later: that run then records the error).
    async fn scope_errors(&self, input: &ScheduleInput) -> Result<Vec<FieldError>, ApiError> {
        let scope = match (&input.site, &input.tag, &input.device) {
            (Some(s), _, _) => Scope::Site(s.clone()),
            (_, Some(t), _) => Scope::Tag(t.clone()),
            (_, _, Some(d)) => Scope::Device(d.clone()),
            _ => return Ok(Vec::new()),
        };
        match super::report_devices(&self.store, &scope, &SiteScope::All).await {
            Ok(_) => Ok(Vec::new()),
            Err(e) if e.kind == ApiErrorKind::Validation => Ok(e.fields),
            Err(e) => Err(e),
        }
    }

    /// Removes a schedule and its run log; the files it wrote stay.
    pub async fn remove_report_schedule(&self, name: &str) -> Result<(), ApiError> {
        match self.store.delete_report_schedule(name, Utc::now(), ACTOR).await? {
            Some(_) => Ok(()),
            None => Err(not_found(name)),
        }
    }

    /// Runs a schedule now for its last whole period, whether or not it is
    /// due (or enabled); the result is logged like any run.
    pub async fn run_report_schedule(&self, name: &str) -> Result<ScheduleRun, ApiError> {
        self.run_report_schedule_at(name, Utc::now()).await
    }

    pub async fn run_report_schedule_at(&self, name: &str, now: DateTime<Utc>) -> Result<ScheduleRun, ApiError> {
        let Some(st) = self.store.get_report_schedule(name).await? else {
            return Err(not_found(name));
        };
        let period = last_whole_period(st.schedule.input.cadence, now);
        Ok(self.report_runner().run(st, period, now).await?)
    }

    /// Runs every schedule due at `now` (what the monitor does each minute).
    pub async fn run_due_reports(&self, now: DateTime<Utc>) -> Result<Vec<ScheduleRun>, ApiError> {
        Ok(self.report_runner().run_due(now).await?)
    }

    /// The run log, newest first: one schedule's, or every schedule's.
    pub async fn report_schedule_runs(&self, name: Option<String>, limit: u32) -> Result<Vec<ScheduleRun>, ApiError> {
        let name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if let Some(n) = &name {
            if self.store.get_report_schedule(n).await?.is_none() {
                return Err(not_found(n));
            }
        }
        Ok(self.store.report_runs(name.as_deref(), i64::from(limit.clamp(1, 1000))).await?)
    }

    pub(crate) fn report_runner(&self) -> Runner {
        Runner { store: self.store.clone(), vault: self.vault.clone(), smtp_timeout: self.notify_config().smtp_timeout }
    }
}
