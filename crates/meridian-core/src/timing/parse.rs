//! Phase files for offline analysis (`meridian timing mtie FILE`): one phase
//! value in seconds per line, or two columns, time and phase (seconds).
//!
//! - `#` starts a comment (to the end of the line); blank lines are skipped.
//! - Columns are separated by blanks or one comma (CSV).
//! - The first data line fixes the column count; every later line must have
//!   the same.
//! - With a time column, times must increase by a constant step (within
//!   0.1 %, which absorbs the rounding of printed timestamps); that step is
//!   the series' tau0. An irregular series is refused, naming the line.
//! - Text, NaN or infinity, and fewer than [`MIN_POINTS`] values are refused
//!   with an error naming the line (or the count).
//!
//! Everything here reads outside bytes: any input gives values or a typed
//! error, never a panic (fuzzed by `fuzz/fuzz_targets/phase_file.rs`).

use crate::CoreError;

/// Fewest samples a phase file must hold: enough for every metric at the
/// first tau (TDEV needs two terms of three samples each).
pub const MIN_POINTS: usize = 4;

/// How far a time step may stray from the first step and still count as
/// regular, relative to it; also how closely a given tau0 must match the
/// time column's.
pub const STEP_TOLERANCE: f64 = 1e-3;

/// What a phase file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPhase {
    pub phase: Vec<f64>,
    /// The sample interval the time column gives; `None` for one column.
    pub tau0: Option<f64>,
}

fn err(line: usize, message: impl std::fmt::Display) -> CoreError {
    CoreError::field("file", format!("line {line}: {message}"))
}

/// Parse a phase file's bytes.
pub fn parse_phase(bytes: &[u8]) -> Result<ParsedPhase, CoreError> {
    let mut columns = None;
    let mut times: Vec<(usize, f64)> = Vec::new();
    let mut phase = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i + 1;
        let text = std::str::from_utf8(raw).map_err(|_| err(line, "is not UTF-8 text"))?;
        let data = text.split('#').next().unwrap_or_default().trim();
        if data.is_empty() {
            continue;
        }
        let fields: Vec<&str> = if data.contains(',') {
            data.split(',').map(str::trim).collect()
        } else {
            data.split_whitespace().collect()
        };
        let n = fields.len();
        if n > 2 {
            return Err(err(line, format!("{n} columns; expected one (phase) or two (time and phase)")));
        }
        match columns {
            None => columns = Some(n),
            Some(c) if c != n => {
                return Err(err(line, format!("{n} column(s), but the first data line has {c}")));
            }
            Some(_) => {}
        }
        let value = number(line, fields[n - 1], "phase")?;
        if n == 2 {
            times.push((line, number(line, fields[0], "time")?));
        }
        phase.push(value);
    }
    if phase.len() < MIN_POINTS {
        return Err(CoreError::field(
            "file",
            format!("{} phase value(s); at least {MIN_POINTS} are needed", phase.len()),
        ));
    }
    let tau0 = if times.is_empty() { None } else { Some(regular_step(&times)?) };
    Ok(ParsedPhase { phase, tau0 })
}

fn number(line: usize, field: &str, what: &str) -> Result<f64, CoreError> {
    let shown: String = field.chars().take(40).collect();
    if field.is_empty() {
        return Err(err(line, format!("empty {what} field")));
    }
    let v: f64 = field.parse().map_err(|_| err(line, format!("{what} '{shown}' is not a number")))?;
    if !v.is_finite() {
        return Err(err(line, format!("{what} '{shown}' is not a finite number")));
    }
    Ok(v)
}

/// The constant step of the time column (the mean step, which averages out
/// the rounding of printed times), or the first line that breaks it.
fn regular_step(times: &[(usize, f64)]) -> Result<f64, CoreError> {
    let first = times[1].1 - times[0].1;
    for w in times.windows(2) {
        let dt = w[1].1 - w[0].1;
        if dt <= 0.0 {
            return Err(err(w[1].0, format!("time {} does not increase (previous {})", w[1].1, w[0].1)));
        }
        if (dt - first).abs() > STEP_TOLERANCE * first {
            return Err(err(
                w[1].0,
                format!(
                    "time step {dt} s differs from the first step {first} s; samples must be evenly spaced \
                     (irregular series are not supported)"
                ),
            ));
        }
    }
    let step = (times[times.len() - 1].1 - times[0].1) / (times.len() - 1) as f64;
    if !(step.is_finite() && step > 0.0) {
        return Err(err(times[0].0, "the time column does not give a usable sample interval"));
    }
    Ok(step)
}
