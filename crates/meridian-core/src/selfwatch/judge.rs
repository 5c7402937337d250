//! The state machine: per watched figure a grade (none, warning, major),
//! moved only by a change that outlasts its hold-down.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

use super::{SelfReadings, SelfWatchSettings, Watched};
use crate::alarm::{AlarmKey, AlarmSpec, Severity};

/// What the service does with the store and the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelfAction {
    /// Raise this alarm, or re-grade the active one with its key.
    Raise(AlarmSpec),
    Clear(AlarmKey),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Grade {
    None,
    Warning,
    Major,
}

impl Grade {
    fn severity(self) -> Option<Severity> {
        match self {
            Self::None => None,
            Self::Warning => Some(Severity::Warning),
            Self::Major => Some(Severity::Major),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Cond {
    grade: Grade,
    /// The alarm as last raised, while `grade` is not `None`.
    spec: Option<AlarmSpec>,
    /// Since when the figure has wanted a worse (true) or better (false) grade.
    pending: Option<(bool, DateTime<Utc>)>,
}

/// One figure judged at one tick: its value (higher is worse), thresholds,
/// and the alarm text should it be raised. `None` keeps the grade as it is
/// (the figure could not be read).
struct Judged {
    value: f64,
    warn: f64,
    major: f64,
    hysteresis: f64,
    text: String,
}

/// Totals at one tick, for differences over the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    at: DateTime<Utc>,
    started: u64,
    late: u64,
    dropped: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SelfWatch {
    settings: SelfWatchSettings,
    conds: [Cond; 4],
    marks: VecDeque<Mark>,
}

impl SelfWatch {
    /// A watch started with the monitor at `now`: every counter is zero then.
    pub fn new(settings: SelfWatchSettings, now: DateTime<Utc>) -> Self {
        let idle = Cond { grade: Grade::None, spec: None, pending: None };
        Self {
            settings,
            conds: [idle.clone(), idle.clone(), idle.clone(), idle],
            marks: VecDeque::from([Mark { at: now, started: 0, late: 0, dropped: 0 }]),
        }
    }

    pub fn settings(&self) -> &SelfWatchSettings {
        &self.settings
    }

    /// New thresholds; raised alarms are judged against them from the next tick.
    pub fn set_settings(&mut self, settings: SelfWatchSettings) {
        self.settings = settings;
    }

    /// The alarms this watch holds raised.
    pub fn active(&self) -> Vec<AlarmSpec> {
        self.conds.iter().filter_map(|c| c.spec.clone()).collect()
    }

    /// Judges one tick's readings; returns what to raise, re-grade or clear.
    pub fn tick(&mut self, r: &SelfReadings, now: DateTime<Utc>) -> Vec<SelfAction> {
        self.mark(r, now);
        let mut out = Vec::new();
        for (i, w) in Watched::ALL.into_iter().enumerate() {
            let judged = self.judge(w, r);
            if let Some(a) = self.step(i, w, judged, now) {
                out.push(a);
            }
        }
        out
    }

    /// Adds this tick's totals and forgets marks older than the window,
    /// keeping one at or before its start as the baseline.
    fn mark(&mut self, r: &SelfReadings, now: DateTime<Utc>) {
        self.marks.push_back(Mark {
            at: now,
            started: r.polls_started,
            late: r.polls_late,
            dropped: r.samples_dropped,
        });
        let start = now - self.window();
        while self.marks.len() > 1 && self.marks.get(1).is_some_and(|m| m.at <= start) {
            self.marks.pop_front();
        }
    }

    fn window(&self) -> Duration {
        Duration::seconds(i64::try_from(self.settings.window_secs).unwrap_or(i64::MAX / 1000).max(1))
    }

    /// (started, late, dropped) within the window.
    fn in_window(&self) -> (u64, u64, u64) {
        match (self.marks.front(), self.marks.back()) {
            (Some(a), Some(b)) => (
                b.started.saturating_sub(a.started),
                b.late.saturating_sub(a.late),
                b.dropped.saturating_sub(a.dropped),
            ),
            _ => (0, 0, 0),
        }
    }

    fn judge(&self, w: Watched, r: &SelfReadings) -> Option<Judged> {
        let s = &self.settings;
        let hysteresis = s.hysteresis_pct;
        match w {
            Watched::StoreCap => {
                let Some(cap) = s.store_cap_bytes else {
                    // No cap: nothing to be near; a raised alarm clears.
                    return Some(Judged { value: 0.0, warn: 1.0, major: 1.0, hysteresis: 0.0, text: String::new() });
                };
                let bytes = r.store_bytes?;
                let pct = bytes as f64 * 100.0 / cap as f64;
                let text = format!("the store uses {} ({pct:.0}% of its {} cap)", mb(bytes), mb(cap));
                Some(Judged { value: pct, warn: s.store_warn_pct, major: s.store_major_pct, hysteresis, text })
            }
            Watched::Disk => {
                let d = r.disk?;
                let free = d.free_pct()?;
                let text = format!(
                    "{free:.1}% free ({} of {}) on the data directory's filesystem",
                    mb(d.free_bytes),
                    mb(d.total_bytes)
                );
                // Used space, so that higher is worse like the others;
                // above the floor in bytes, nothing is used up.
                let (warn, major) = (100.0 - s.disk_free_warn_pct, 100.0 - s.disk_free_major_pct);
                let value = if d.free_bytes >= s.disk_free_floor_bytes { 0.0 } else { 100.0 - free };
                Some(Judged { value, warn, major, hysteresis, text })
            }
            Watched::Lag => {
                let (started, late, _) = self.in_window();
                let pct = if started >= s.late_min_polls.max(1) { late as f64 * 100.0 / started as f64 } else { 0.0 };
                let text = format!(
                    "{late} of {started} polls ({pct:.0}%) in the last {} s started more than one interval late",
                    s.window_secs
                );
                Some(Judged { value: pct, warn: s.late_warn_pct, major: s.late_major_pct, hysteresis, text })
            }
            Watched::Drops => {
                let (_, _, dropped) = self.in_window();
                let text = format!("{dropped} samples dropped in the last {} s", s.window_secs);
                Some(Judged { value: dropped as f64, warn: 1.0, major: 1.0, hysteresis: 0.0, text })
            }
        }
    }

    fn step(&mut self, i: usize, w: Watched, judged: Option<Judged>, now: DateTime<Utc>) -> Option<SelfAction> {
        let j = judged?;
        let (raise_after, clear_after) = (secs(self.settings.raise_after_secs), secs(self.settings.clear_after_secs));
        let c = &mut self.conds[i];
        let target = graded(&j, c.grade);
        if target == c.grade {
            c.pending = None;
            return None;
        }
        let worse = target > c.grade;
        let since = match c.pending {
            Some((w, since)) if w == worse => since,
            _ => {
                c.pending = Some((worse, now));
                now
            }
        };
        if now - since < if worse { raise_after } else { clear_after } {
            return None;
        }
        c.pending = None;
        c.grade = target;
        match target.severity() {
            Some(sev) => {
                let spec = w.spec(sev, j.text);
                c.spec = Some(spec.clone());
                Some(SelfAction::Raise(spec))
            }
            None => {
                c.spec = None;
                Some(SelfAction::Clear(w.key()))
            }
        }
    }
}

/// The grade `j` calls for, coming from `current`: a worse grade as soon as
/// its threshold is reached, a better one only `hysteresis` below it.
fn graded(j: &Judged, current: Grade) -> Grade {
    let raw = if j.value >= j.major {
        Grade::Major
    } else if j.value >= j.warn {
        Grade::Warning
    } else {
        Grade::None
    };
    if raw >= current {
        return raw;
    }
    let held = |threshold: f64| j.value >= threshold - j.hysteresis;
    match current {
        Grade::Major if held(j.major) => Grade::Major,
        Grade::Major | Grade::Warning if held(j.warn) => Grade::Warning,
        _ => raw,
    }
}

fn secs(s: u64) -> Duration {
    Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000))
}

/// Bytes in MB with one decimal: the alarm texts' only unit.
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}
