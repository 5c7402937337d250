//! Runs scheduled reports: what is due is decided by
//! `core::report::schedule::run_due`; this writes the files and mails them.
//!
//! A run renders every format in memory first, then writes each file to a
//! temporary name in the folder and renames it into place, so a reader of
//! the folder never sees half a report. A missing or unwritable folder, a
//! scope that no longer exists or a mail relay that refuses is recorded on
//! the schedule and in the run log; the runner goes on with the next
//! schedule. The monitor runs it every minute ([`spawn`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use meridian_core::access::SiteScope;
use meridian_core::notification::ChannelKind;
use meridian_core::report::schedule::{mail_text, run_due, Period, ScheduleInput, ScheduleRun};
use meridian_core::report::ReportFormat;
use meridian_store::vault::SecretVault;
use meridian_store::{Store, StoreError, StoredSchedule};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::error::ApiError;
use crate::notify::send::{Attachment, Network};
use crate::notify::worker::channel_secrets;

/// Runs kept in the log per schedule.
pub(crate) const RUNS_KEPT: i64 = 200;

/// What a run needs, without the `App` (it runs in a task beside the monitor).
#[derive(Clone)]
pub(crate) struct Runner {
    pub store: Arc<Store>,
    pub vault: Arc<dyn SecretVault>,
    pub smtp_timeout: Duration,
}

/// What a run produced before it stopped.
struct Outcome {
    files: Vec<String>,
    mailed: Option<String>,
    error: Option<String>,
}

impl Runner {
    /// Runs every schedule due at `now`, one after the other.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<Vec<ScheduleRun>, StoreError> {
        let mut runs = Vec::new();
        for st in self.store.list_report_schedules().await? {
            if let Some(p) = run_due(&st.schedule, now) {
                runs.push(self.run(st, p, now).await?);
            }
        }
        Ok(runs)
    }

    /// Writes (and mails) `period` of `st` at `now` and records the result.
    pub async fn run(&self, st: StoredSchedule, period: Period, now: DateTime<Utc>) -> Result<ScheduleRun, StoreError> {
        let o = self.produce(&st.schedule.input, &period, now).await;
        let mut s = st.schedule;
        s.ran(now, &period, o.error.clone());
        let run = ScheduleRun {
            schedule: s.input.name.clone(),
            at: now,
            period,
            ok: o.error.is_none(),
            files: o.files,
            mailed: o.mailed,
            error: o.error,
        };
        match &run.error {
            None => tracing::info!(schedule = %run.schedule, files = run.files.len(), "scheduled report written"),
            Some(e) => tracing::warn!(schedule = %run.schedule, error = %e, "scheduled report failed"),
        }
        self.store.record_report_run(st.id, &s, &run, RUNS_KEPT).await?;
        Ok(run)
    }

    async fn produce(&self, input: &ScheduleInput, period: &Period, now: DateTime<Utc>) -> Outcome {
        let fail = |files: Vec<String>, e: String| Outcome { files, mailed: None, error: Some(e) };
        let report = match super::compute(&self.store, input.request(period), now, &SiteScope::All).await {
            Ok(r) => r,
            Err(e) => return fail(Vec::new(), describe(&e)),
        };
        let mut rendered = Vec::new();
        for &format in &input.formats {
            match super::render(&report, format) {
                Ok(bytes) => rendered.push((input.file_name(period, format), format, bytes)),
                Err(e) => return fail(Vec::new(), describe(&e)),
            }
        }
        let folder = PathBuf::from(input.folder.trim());
        let mut files = Vec::new();
        for (name, _, bytes) in &rendered {
            match write_atomically(&folder, name, bytes).await {
                Ok(path) => files.push(path.display().to_string()),
                Err(e) => return fail(files, e),
            }
        }
        let Some(channel) = &input.channel else {
            return Outcome { files, mailed: None, error: None };
        };
        let text = mail_text(input, period, &report, &files);
        let attachments: Vec<Attachment> = rendered
            .into_iter()
            .map(|(name, format, bytes)| Attachment {
                name,
                content_type: if format == ReportFormat::Pdf { "application/pdf" } else { "text/csv; charset=utf-8" },
                bytes,
            })
            .collect();
        match self.mail(channel, &input.recipients, &text, &attachments).await {
            Ok(status) => Outcome { files, mailed: Some(status), error: None },
            Err(e) => fail(files, format!("the files were written, but the mail was not sent: {e}")),
        }
    }

    /// Mails through the e-mail channel named `channel`; the relay's reply.
    async fn mail(
        &self,
        channel: &str,
        to: &[String],
        text: &meridian_core::notification::payload::EmailText,
        files: &[Attachment],
    ) -> Result<String, String> {
        let channels = self.store.list_channels().await.map_err(|e| e.to_string())?;
        let ch =
            channels.iter().find(|c| c.def.name == channel).ok_or_else(|| format!("channel '{channel}' is gone"))?;
        let ChannelKind::Email(e) = &ch.def.kind else {
            return Err(format!("channel '{channel}' is not an e-mail channel"));
        };
        if !ch.def.enabled {
            return Err(format!("channel '{channel}' is disabled"));
        }
        let secrets = channel_secrets(&self.vault, &ch.def.kind).await?;
        let net = Network::new(self.smtp_timeout, self.smtp_timeout)?;
        let sent = net.mail_files(e, to, text, files, &secrets).await.map_err(|f| f.error)?;
        Ok(format!("SMTP {}", sent.status))
    }
}

/// The error as one line: its detail, or its fields.
fn describe(e: &ApiError) -> String {
    if e.fields.is_empty() {
        return e.detail.clone();
    }
    e.fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
}

/// Writes `bytes` to `folder/name` through a temporary file in the same
/// folder (a rename within one file system is atomic). The temporary file
/// is removed when anything fails.
async fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let (folder, name, bytes) = (folder.to_path_buf(), name.to_owned(), bytes.to_vec());
    let shown = folder.display().to_string();
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        if !folder.is_dir() {
            return Err(format!("folder {} does not exist or is not a directory", folder.display()));
        }
        let path = folder.join(&name);
        let tmp = folder.join(format!(".{name}.{}.tmp", uuid::Uuid::now_v7()));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", path.display())
        })?;
        Ok(path)
    })
    .await
    .map_err(|e| format!("writing to {shown}: {e}"))?
}

/// The job beside the monitor: every `every`, the schedules due now run.
pub(crate) struct ReportJob {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ReportJob {
    /// Waits for a run in progress (its files are never left half written).
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "report schedule job ended abnormally");
        }
    }
}

pub(crate) fn spawn(runner: Runner, every: Duration) -> ReportJob {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        loop {
            if let Err(e) = runner.run_due(Utc::now()).await {
                // The store is unreachable (full disk, lost connection): the
                // schedules' state is unchanged, so the next tick tries again.
                tracing::warn!(error = %e, "scheduled reports could not be run; retrying next tick");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stopped.changed() => break,
            }
        }
    });
    ReportJob { stop, task }
}
