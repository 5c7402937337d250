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
//! so each octave is one linear pass that both judges level k's windows and
//! builds level k+1. Two pairs of buffers alternate (no aliasing, so the
//! pass vectorises) and the running maximum is kept in [`LANES`] independent
//! lanes. Values are exact (only max, min and one subtraction per window),
//! so they equal allantools' bit for bit.

use super::series::{octave_factors, PhaseSeries, TauValue};
use crate::CoreError;

/// Independent running maxima, so the reduction does not serialise the pass.
const LANES: usize = 8;

/// MTIE at tau0 * 2^k for every k whose window (2^k + 1 samples) fits.
pub fn mtie(series: &PhaseSeries) -> Result<Vec<TauValue>, CoreError> {
    series.require(2, "MTIE")?;
    let x = series.phase();
    let n = x.len();
    let mut out = Vec::new();
    // Level 0 (windows of one sample) is the series itself.
    let (mut hi, mut lo) = (x.to_vec(), x.to_vec());
    let (mut next_hi, mut next_lo) = (vec![0.0; n], vec![0.0; n]);
    let mut live = n;
    for m in octave_factors(|m| m < n) {
        // `live` = n - m + 1 windows of m samples; the next level has live - m.
        let next = live.saturating_sub(m);
        let worst = octave(&hi[..live], &lo[..live], m, &mut next_hi[..next], &mut next_lo[..next]);
        out.push(series.point(m, worst));
        std::mem::swap(&mut hi, &mut next_hi);
        std::mem::swap(&mut lo, &mut next_lo);
        live = next;
    }
    Ok(out)
}

fn fmax(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

fn fmin(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

/// One octave over the `hi.len()` live windows of `w` samples: the largest
/// peak-to-peak of a window of `w + 1` samples, and the level of `2w`
/// written into `next_hi`/`next_lo` (as many windows as they are long).
fn octave(hi: &[f64], lo: &[f64], w: usize, next_hi: &mut [f64], next_lo: &mut [f64]) -> f64 {
    let starts = hi.len() - 1;
    let both = next_hi.len();
    let mut acc = [0.0f64; LANES];
    let chunks = both / LANES;
    for c in 0..chunks {
        let b = c * LANES;
        let (h0, h1, hw) = (&hi[b..b + LANES], &hi[b + 1..b + 1 + LANES], &hi[b + w..b + w + LANES]);
        let (l0, l1, lw) = (&lo[b..b + LANES], &lo[b + 1..b + 1 + LANES], &lo[b + w..b + w + LANES]);
        let (oh, ol) = (&mut next_hi[b..b + LANES], &mut next_lo[b..b + LANES]);
        for j in 0..LANES {
            acc[j] = fmax(acc[j], fmax(h0[j], h1[j]) - fmin(l0[j], l1[j]));
            oh[j] = fmax(h0[j], hw[j]);
            ol[j] = fmin(l0[j], lw[j]);
        }
    }
    let mut worst = acc.iter().copied().fold(0.0, fmax);
    for i in chunks * LANES..starts {
        worst = fmax(worst, fmax(hi[i], hi[i + 1]) - fmin(lo[i], lo[i + 1]));
        if i < both {
            next_hi[i] = fmax(hi[i], hi[i + w]);
            next_lo[i] = fmin(lo[i], lo[i + w]);
        }
    }
    worst
}
