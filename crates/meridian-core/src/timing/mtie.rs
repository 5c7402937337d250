//! MTIE, maximum time interval error (ITU-T G.810 / O.172), at every octave
//! tau, in O(N log N) for all of them together.
//!
//! MTIE(tau) for tau = m * tau0 is the largest peak-to-peak phase within any
//! window of `m + 1` consecutive samples (the samples an interval of m steps
//! spans):
//!
//! ```text
//! MTIE(m tau0) = max_{0 <= i <= N-1-m} ( max_{i<=j<=i+m} x_j - min_{i<=j<=i+m} x_j )
//! ```
//!
//! This is allantools' window: its `mtie()` takes the max and min of a
//! rolling window of `mj + 1` samples. (Its fallback loop, which runs only
//! when building that window raises, starts from `phase[0:mj]`, one sample
//! short; we never follow it. The reference test compares tau >= 2 tau0
//! with allantools and checks tau0 against this definition directly.)
//!
//! Algorithm (binary decomposition, Bregni's): level k holds the max and min
//! of every window of `2^k` samples, built from level k-1 in one pass
//! (`hi_k[i] = max(hi_{k-1}[i], hi_{k-1}[i + 2^(k-1)])`). A window of
//! `2^k + 1` samples is the union of the level-k windows at `i` and `i + 1`,
//! so each octave costs two linear passes and two arrays of N, updated in
//! place. Values are exact (only max, min and one subtraction per window),
//! so they equal allantools' bit for bit.

use super::series::{octave_factors, PhaseSeries, TauValue};
use crate::CoreError;

/// MTIE at tau0 * 2^k for every k whose window (2^k + 1 samples) fits.
pub fn mtie(series: &PhaseSeries) -> Result<Vec<TauValue>, CoreError> {
    series.require(2, "MTIE")?;
    let x = series.phase();
    let n = x.len();
    // hi[i] / lo[i]: max / min of x[i .. i + w], w = 2^k samples; the first
    // n - w + 1 entries are live.
    let mut hi = x.to_vec();
    let mut lo = x.to_vec();
    let mut w = 1usize;
    let mut out = Vec::new();
    for m in octave_factors(|m| m < n) {
        debug_assert_eq!(m, w);
        // Windows of m + 1 samples start at 0 ..= n - 1 - m.
        let starts = n - m;
        let mut worst = 0.0f64;
        for i in 0..starts {
            let top = hi[i].max(hi[i + 1]);
            let bottom = lo[i].min(lo[i + 1]);
            worst = worst.max(top - bottom);
        }
        out.push(series.point(m, worst));
        // Next level: windows of 2w samples, n - 2w + 1 of them.
        if 2 * w <= n {
            for i in 0..=(n - 2 * w) {
                hi[i] = hi[i].max(hi[i + w]);
                lo[i] = lo[i].min(lo[i + w]);
            }
        }
        w *= 2;
    }
    Ok(out)
}
