//! What a scheduled report's e-mail says: the report's tables as text
//! (the figures, readable without opening an attachment) and where the
//! files were written. The files themselves go as attachments.

use super::{period_label, Period, ScheduleInput};
use crate::notification::payload::EmailText;
use crate::report::Report;

/// Table rows quoted in the body; the attachments hold them all.
pub const MAIL_ROWS: usize = 50;

pub fn mail_text(input: &ScheduleInput, period: &Period, report: &Report, files: &[String]) -> EmailText {
    let subject = format!("[Meridian] {} - {} - {}", report.title, report.scope, period_label(input.cadence, period));
    let mut shown = report.clone();
    let mut cut = false;
    for t in &mut shown.tables {
        if t.rows.len() > MAIL_ROWS {
            t.rows.truncate(MAIL_ROWS);
            cut = true;
        }
    }
    let mut body = format!("Scheduled report '{}' ({:?}).\n\n{}", input.name, input.cadence, shown.text());
    if cut {
        body.push_str(&format!("\n(Tables cut at {MAIL_ROWS} rows; the attachments hold every row.)\n"));
    }
    if !files.is_empty() {
        body.push_str("\nAttached, and written to:\n");
        for f in files {
            body.push_str(&format!("  {f}\n"));
        }
    }
    EmailText { subject, body }
}
