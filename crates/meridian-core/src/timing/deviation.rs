//! ADEV, MDEV and TDEV from phase data, at every octave tau, O(N) per tau.
//!
//! The estimators are NIST SP 1065's, computed the way allantools computes
//! them (so the two agree to rounding):
//!
//! - overlapping ADEV (SP 1065 eq. 11; allantools `oadev`), over the
//!   `N - 2m` second differences of phase:
//!   `sigma_y^2(tau) = sum (x_{i+2m} - 2 x_{i+m} + x_i)^2 / (2 (N - 2m) tau^2)`;
//! - MDEV (eq. 14; allantools `mdev`), over `N - 3m + 1` sums of m second
//!   differences: `Mod sigma_y^2(tau) = sum_j v_j^2 / (2 m^2 tau^2 (N - 3m + 1))`
//!   with `v_j = sum_{i=j}^{j+m-1} (x_{i+2m} - 2 x_{i+m} + x_i)`; `v_{j+1}`
//!   follows from `v_j` by adding `x_{j+3m} - 3 x_{j+2m} + 3 x_{j+m} - x_j`
//!   (allantools' loop-unrolled form, after leapsecond.com's adev_lib.c),
//!   which keeps it O(N) per tau and insensitive to a phase offset;
//! - TDEV (eq. 15): `tau * MDEV / sqrt(3)`.
//!
//! A tau is reported while its estimator has at least two terms; allantools
//! drops single-term results the same way (`remove_small_ns`).

use super::series::{octave_factors, PhaseSeries, TauValue};
use crate::CoreError;

/// Fewest samples a deviation needs: two second-difference terms at m = 1.
pub const MIN_DEVIATION_SAMPLES: usize = 4;

/// Overlapping Allan deviation (dimensionless) at every octave tau with
/// `N - 2m >= 2`.
pub fn adev(series: &PhaseSeries) -> Result<Vec<TauValue>, CoreError> {
    series.require(MIN_DEVIATION_SAMPLES, "ADEV")?;
    let x = series.phase();
    let n = x.len();
    Ok(octave_factors(|m| 2 * m + 2 <= n)
        .into_iter()
        .map(|m| {
            let terms = n - 2 * m;
            let s: f64 = (0..terms)
                .map(|i| {
                    let d = x[i + 2 * m] - 2.0 * x[i + m] + x[i];
                    d * d
                })
                .sum();
            let tau = m as f64 * series.tau0();
            series.point(m, (s / (2.0 * terms as f64)).sqrt() / tau)
        })
        .collect())
}

/// Modified Allan deviation (dimensionless) at every octave tau with
/// `N - 3m + 1 >= 2`.
pub fn mdev(series: &PhaseSeries) -> Result<Vec<TauValue>, CoreError> {
    series.require(MIN_DEVIATION_SAMPLES, "MDEV")?;
    Ok(mdev_points(series).into_iter().map(|(m, md)| series.point(m, md)).collect())
}

/// Time deviation (seconds) at every octave tau with `N - 3m + 1 >= 2`.
pub fn tdev(series: &PhaseSeries) -> Result<Vec<TauValue>, CoreError> {
    series.require(MIN_DEVIATION_SAMPLES, "TDEV")?;
    Ok(mdev_points(series)
        .into_iter()
        .map(|(m, md)| {
            let tau = m as f64 * series.tau0();
            series.point(m, tau * md / 3f64.sqrt())
        })
        .collect())
}

fn mdev_points(series: &PhaseSeries) -> Vec<(usize, f64)> {
    let x = series.phase();
    let n = x.len();
    octave_factors(|m| 3 * m < n)
        .into_iter()
        .map(|m| {
            let mut v: f64 = (0..m).map(|i| x[i + 2 * m] - 2.0 * x[i + m] + x[i]).sum();
            let mut s = v * v;
            let more = n - 3 * m;
            for j in 0..more {
                v += x[j + 3 * m] - 3.0 * x[j + 2 * m] + 3.0 * x[j + m] - x[j];
                s += v * v;
            }
            let terms = (more + 1) as f64;
            let tau = m as f64 * series.tau0();
            (m, (s / (2.0 * (m * m) as f64 * tau * tau * terms)).sqrt())
        })
        .collect()
}
