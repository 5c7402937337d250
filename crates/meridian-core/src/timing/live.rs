//! A stored series (a clock's offset from its master, polled every few
//! seconds) as a phase series the wander metrics take: points at the times
//! the monitor polled, put on an even grid of `tau0` by linear
//! interpolation between neighbours. The poll interval is the grid step
//! when known; otherwise the typical spacing of the points.
//!
//! A gap longer than [`MAX_GAP_STEPS`] steps (the clock was not answering,
//! or the monitor was off) is refused rather than bridged: a straight line
//! across minutes of silence would hide exactly the wander being judged.

use chrono::{DateTime, Utc};

use super::{PhaseSeries, MIN_POINTS};
use crate::CoreError;

/// Longest gap, in grid steps, interpolated across.
pub const MAX_GAP_STEPS: f64 = 3.0;

/// Points `(time, value)` in ascending time, `scale` seconds per unit of
/// value (1e-9 for a series in ns), on a grid of `tau0` seconds (the typical
/// spacing when `None`). Errors name the field `window`.
pub fn regular_series(
    points: &[(DateTime<Utc>, f64)],
    scale: f64,
    tau0: Option<f64>,
) -> Result<PhaseSeries, CoreError> {
    let window = |m: String| CoreError::field("window", m);
    if points.len() < MIN_POINTS {
        return Err(window(format!("{} sample(s) in the window; at least {MIN_POINTS} are needed", points.len())));
    }
    let t0 = points[0].0;
    let secs: Vec<f64> =
        points.iter().map(|(t, _)| (*t - t0).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6).collect();
    if secs.windows(2).any(|w| w[1] <= w[0]) {
        return Err(window("sample times must be strictly ascending".into()));
    }
    let tau0 = match tau0 {
        Some(t) => t,
        None => typical_step(&secs),
    };
    if !(tau0.is_finite() && tau0 > 0.0) {
        return Err(CoreError::field(
            "tau0",
            format!("the grid step must be a positive number of seconds, not {tau0}"),
        ));
    }
    if let Some(w) = secs.windows(2).find(|w| w[1] - w[0] > MAX_GAP_STEPS * tau0) {
        let at = t0 + chrono::Duration::microseconds((w[0] * 1e6) as i64);
        return Err(window(format!(
            "a gap of {:.0} s after {} (more than {MAX_GAP_STEPS} polls of {tau0} s); choose a window without it",
            w[1] - w[0],
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )));
    }
    let last = secs[secs.len() - 1];
    let n = (last / tau0).floor() as usize + 1;
    let mut phase = Vec::with_capacity(n);
    let mut j = 0;
    for k in 0..n {
        let t = k as f64 * tau0;
        while j + 2 < secs.len() && secs[j + 1] < t {
            j += 1;
        }
        let (ta, tb) = (secs[j], secs[j + 1]);
        let (va, vb) = (points[j].1, points[j + 1].1);
        let f = ((t - ta) / (tb - ta)).clamp(0.0, 1.0);
        phase.push((va + f * (vb - va)) * scale);
    }
    PhaseSeries::new(phase, tau0)
}

/// As [`regular_series`] with the typical spacing, snapped to `expected`
/// (the configured poll interval, seconds) when within 2 % of it: polls
/// taken every 10 s read 9.99 s from their times, and the taus should be
/// the interval's multiples.
pub fn regular_series_near(
    points: &[(DateTime<Utc>, f64)],
    scale: f64,
    expected: f64,
) -> Result<PhaseSeries, CoreError> {
    let series = regular_series(points, scale, None)?;
    if expected > 0.0 && ((series.tau0() - expected) / expected).abs() <= 0.02 {
        return regular_series(points, scale, Some(expected));
    }
    Ok(series)
}

/// The poll interval the times show: the mean of the spacings within half
/// of the median one. The median alone follows a jitter pattern (1.1, 1.1,
/// 0.8 s gives 1.1); the mean alone follows a gap. Rounded to the
/// millisecond, the resolution poll intervals are set in, so the taus read
/// as the interval's multiples (1 s, not 1.0003 s).
fn typical_step(secs: &[f64]) -> f64 {
    let steps: Vec<f64> = secs.windows(2).map(|w| w[1] - w[0]).collect();
    let mut sorted = steps.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let near: Vec<f64> = steps.into_iter().filter(|s| (s - median).abs() <= median / 2.0).collect();
    let mean = near.iter().sum::<f64>() / near.len() as f64;
    let ms = (mean * 1000.0).round() / 1000.0;
    if ms > 0.0 {
        ms
    } else {
        mean
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(ms: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("time") + Duration::milliseconds(ms)
    }

    #[test]
    fn jittered_polls_land_on_the_grid_by_interpolation() {
        // Polls 10 s apart with up to 0.3 s of jitter; values in ns.
        let pts = [(at(0), 0.0), (at(10_300), 10.3), (at(19_900), 19.9), (at(30_100), 30.1), (at(40_000), 40.0)];
        let s = regular_series(&pts, 1e-9, Some(10.0)).expect("series");
        assert_eq!(s.tau0(), 10.0);
        assert_eq!(s.len(), 5);
        // A line stays a line: value(t) = t ns.
        for (k, v) in s.phase().iter().enumerate() {
            assert!((v - k as f64 * 10e-9).abs() < 1e-15, "{k}: {v}");
        }
        // Without a given step: the typical spacing, not the jitter pattern's median.
        assert!((regular_series(&pts, 1e-9, None).expect("typical").tau0() - 10.0).abs() < 1e-9);
        let gapped = [(at(0), 0.0), (at(1000), 0.0), (at(2000), 0.0), (at(4500), 0.0), (at(5500), 0.0)];
        assert!((regular_series(&gapped, 1.0, None).expect("gap within 3 steps").tau0() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn short_gapped_or_unordered_windows_are_refused_by_field() {
        let few = [(at(0), 0.0), (at(1000), 1.0)];
        assert_eq!(regular_series(&few, 1.0, None).expect_err("few").fields()[0].field, "window");
        let gap = [(at(0), 0.0), (at(1000), 1.0), (at(2000), 1.0), (at(60_000), 1.0), (at(61_000), 1.0)];
        let e = regular_series(&gap, 1.0, Some(1.0)).expect_err("gap");
        assert!(e.fields()[0].message.contains("gap of 58 s"), "{e}");
        let near = [(at(0), 0.0), (at(9_990), 0.0), (at(19_980), 0.0), (at(29_970), 0.0)];
        assert!((regular_series_near(&near, 1.0, 10.0).expect("snapped").tau0() - 10.0).abs() < 1e-12);
        assert!((regular_series_near(&near, 1.0, 5.0).expect("far").tau0() - 9.99).abs() < 1e-9);
        let back = [(at(0), 0.0), (at(2000), 1.0), (at(1000), 1.0), (at(3000), 1.0)];
        assert_eq!(regular_series(&back, 1.0, None).expect_err("order").fields()[0].field, "window");
        let nan = [(at(0), 0.0), (at(1000), f64::NAN), (at(2000), 1.0), (at(3000), 1.0)];
        assert!(regular_series(&nan, 1.0, Some(1.0)).is_err(), "NaN refused by PhaseSeries");
        assert_eq!(regular_series(&back[..0], 1.0, Some(0.0)).expect_err("empty").fields()[0].field, "window");
        let ok = [(at(0), 0.0), (at(1000), 1.0), (at(2000), 1.0), (at(3000), 1.0)];
        assert_eq!(regular_series(&ok, 1.0, Some(-1.0)).expect_err("tau0").fields()[0].field, "tau0");
    }
}
