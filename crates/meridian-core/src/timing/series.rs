//! The validated input of every metric: finite phase samples, evenly spaced.

use serde::Serialize;
use ts_rs::TS;

use crate::CoreError;

/// A metric's value at one observation interval. Both in seconds; `value`
/// is a time (MTIE, TDEV) or a dimensionless deviation (ADEV, MDEV).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
pub struct TauValue {
    pub tau: f64,
    pub value: f64,
}

/// Phase (time error) samples `x_i` in seconds, taken every `tau0` seconds.
/// An offset series (a PTP slave's offset from master, an NTP offset) is a
/// phase series of the local clock against its reference, so it goes in as
/// it is.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseSeries {
    phase: Vec<f64>,
    tau0: f64,
}

impl PhaseSeries {
    /// Refuses a `tau0` that is not a positive finite number, any sample
    /// that is NaN or infinite (naming it, counting from 1) and a series of
    /// fewer than two samples (no interval to measure).
    pub fn new(phase: Vec<f64>, tau0: f64) -> Result<Self, CoreError> {
        if !(tau0.is_finite() && tau0 > 0.0) {
            return Err(CoreError::field(
                "tau0",
                format!("the sample interval must be a positive number of seconds, not {tau0}"),
            ));
        }
        if let Some(i) = phase.iter().position(|v| !v.is_finite()) {
            return Err(CoreError::field("phase", format!("sample {} is {}, not a finite number", i + 1, phase[i])));
        }
        if phase.len() < 2 {
            return Err(CoreError::field("phase", format!("{} sample(s); at least 2 are needed", phase.len())));
        }
        Ok(Self { phase, tau0 })
    }

    pub fn phase(&self) -> &[f64] {
        &self.phase
    }

    pub fn tau0(&self) -> f64 {
        self.tau0
    }

    pub fn len(&self) -> usize {
        self.phase.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phase.is_empty()
    }

    /// TIE, G.810's time interval error of every sample against the first:
    /// `TIE_i = x_i - x_0`. MTIE is the largest peak-to-peak TIE within a
    /// window, so this is what a TIE chart shows beside it.
    pub fn tie(&self) -> Vec<f64> {
        let x0 = self.phase[0];
        self.phase.iter().map(|x| x - x0).collect()
    }

    /// Samples `start..start + len` as a series of their own (a window
    /// chosen on a chart).
    pub fn window(&self, start: usize, len: usize) -> Result<Self, CoreError> {
        let end = start.checked_add(len).filter(|&e| e <= self.phase.len()).ok_or_else(|| {
            CoreError::field("window", format!("samples {start}..{start}+{len} are outside the {} samples", self.len()))
        })?;
        Self::new(self.phase[start..end].to_vec(), self.tau0)
    }

    /// Refuses a series shorter than `min` samples for `what` (a metric).
    pub(crate) fn require(&self, min: usize, what: &str) -> Result<(), CoreError> {
        if self.phase.len() < min {
            return Err(CoreError::field(
                "phase",
                format!("{what} needs at least {min} samples; the series has {}", self.phase.len()),
            ));
        }
        Ok(())
    }

    pub(crate) fn point(&self, m: usize, value: f64) -> TauValue {
        TauValue { tau: m as f64 * self.tau0, value }
    }
}

/// Averaging factors `m = 1, 2, 4, ...` (tau = m * tau0) while `fits(m)`.
pub fn octave_factors(fits: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut out = Vec::new();
    let mut m = 1usize;
    while fits(m) {
        out.push(m);
        match m.checked_mul(2) {
            Some(next) => m = next,
            None => break,
        }
    }
    out
}
