//! The first-order low-pass filter G.8273.2 puts before its dTE_L limits
//! ("measured through a first-order low-pass filter with bandwidth of
//! 0.1 Hz"): `y_0 = x_0`, `y_i = y_{i-1} + a (x_i - y_{i-1})` with
//! `a = 1 - exp(-2 pi f_c tau0)`, the sampled RC filter (impulse
//! invariance), which has unit gain at DC and a -3 dB corner at `f_c` for
//! `f_c` well below the Nyquist frequency.

use super::series::PhaseSeries;
use crate::CoreError;

/// The series through a first-order low-pass filter of corner `corner_hz`.
pub fn low_pass(series: &PhaseSeries, corner_hz: f64) -> Result<PhaseSeries, CoreError> {
    if !(corner_hz.is_finite() && corner_hz > 0.0) {
        return Err(CoreError::field(
            "cornerHz",
            format!("the filter corner must be a positive frequency, not {corner_hz}"),
        ));
    }
    let a = 1.0 - (-2.0 * std::f64::consts::PI * corner_hz * series.tau0()).exp();
    let mut y = series.phase()[0];
    let out = series
        .phase()
        .iter()
        .map(|&x| {
            y += a * (x - y);
            y
        })
        .collect();
    PhaseSeries::new(out, series.tau0())
}
