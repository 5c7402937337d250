//! Wander metrics for the timing half: TIE, MTIE, TDEV, ADEV and MDEV of a
//! phase (time error) series, the ITU-T masks they are judged against, and
//! the phase-file parser of the offline `meridian timing` commands.
//!
//! Everything here is pure: a [`PhaseSeries`] goes in (phase or offset in
//! seconds, evenly spaced by `tau0` seconds), values in seconds come out at
//! every octave tau (`tau0 * 2^k`) the series is long enough for.
//!
//! The estimators are the ones `allantools` computes with
//! `data_type="phase"` (its `mtie`, `tdev`, `mdev` and `oadev`; our ADEV is
//! the overlapping estimator), checked against it to 1e-9 relative in
//! `tests/timing_reference.rs`. Where a window convention matters it is
//! stated on the function.

pub mod alarm;
pub mod deviation;
pub mod filter;
pub mod live;
pub mod mask;
pub mod mtie;
pub mod parse;
mod series;
pub mod settings;
pub mod te;

pub use deviation::{adev, mdev, tdev};
pub use mask::{find_mask, masks, Mask, MaskInfo, MaskVerdict, Metric};
pub use mtie::mtie;
pub use parse::{parse_phase, ParsedPhase, MIN_POINTS, STEP_TOLERANCE};
pub use series::{octave_factors, PhaseSeries, TauValue};

/// One metric of a series at every octave tau.
pub fn compute(metric: Metric, series: &PhaseSeries) -> Result<Vec<TauValue>, crate::CoreError> {
    match metric {
        Metric::Mtie => mtie(series),
        Metric::Tdev => tdev(series),
        Metric::Adev => adev(series),
        Metric::Mdev => mdev(series),
    }
}
