//! Agreement with allantools (PyPI, pinned in `scripts/install-snmpsim.sh`),
//! the reference the issue names: MTIE, TDEV, MDEV and overlapping ADEV at
//! every octave tau, to 1e-9 relative, on the shared white-phase-noise file
//! and on seeded random series written to temporary files.
//!
//! This runs Python from core's tests on purpose: what is checked is core's
//! pure maths, the reference is a lab peer like snmpd (started through
//! meridian-testkit), and core's tests build in seconds. Without the venv
//! the test fails and names the install script; it never skips.
//!
//! MTIE at tau = tau0: allantools' rolling window holds `mj + 1` samples, as
//! ours does, but its fallback loop starts from `phase[0:mj]`, one sample
//! short. So we compare MTIE from tau = 2 tau0 with allantools, and check
//! tau0 against the definition computed here (the largest |x[i+1] - x[i]|);
//! allantools 2024.6 takes the rolling-window path on these series, and we
//! also record that it agrees there.

#[path = "common/noise.rs"]
mod noise;

use std::io::Write;
use std::path::Path;

use meridian_core::timing::{compute, parse_phase, Metric, PhaseSeries, TauValue};
use meridian_testkit::{allantools, Reference};

const TOLERANCE: f64 = 1e-9;

/// Ours against allantools for every metric on the phase file at `path`.
fn agree(path: &Path, series: &PhaseSeries) {
    let rate = 1.0 / series.tau0();
    let refs = allantools(path, rate, &["mtie", "tdev", "mdev", "oadev"], None).unwrap_or_else(|e| panic!("{e}"));
    let get = |name: &str| refs.iter().find(|r| r.function == name).unwrap_or_else(|| panic!("no {name}"));
    for (metric, reference) in [
        (Metric::Mtie, get("mtie")),
        (Metric::Tdev, get("tdev")),
        (Metric::Mdev, get("mdev")),
        (Metric::Adev, get("oadev")),
    ] {
        let ours = compute(metric, series).expect("metric");
        compare(metric, series, &ours, reference);
    }
}

fn compare(metric: Metric, series: &PhaseSeries, ours: &[TauValue], reference: &Reference) {
    let n = series.len();
    // allantools drops a tau whose estimate has one term; for MTIE that is
    // the window of all N samples (m = N - 1), which we report.
    let ours: Vec<&TauValue> =
        ours.iter().filter(|p| metric != Metric::Mtie || ((p.tau / series.tau0()).round() as usize) < n - 1).collect();
    let taus = |v: Vec<f64>| v.iter().map(|t| format!("{t}")).collect::<Vec<_>>().join(" ");
    assert_eq!(
        taus(ours.iter().map(|p| p.tau).collect()),
        taus(reference.points.iter().map(|p| p.0).collect()),
        "{metric:?}: tau lists differ (N = {n})"
    );
    for (p, &(tau, theirs)) in ours.iter().zip(&reference.points) {
        let rel = ((p.value - theirs) / theirs).abs();
        if metric == Metric::Mtie && tau == series.tau0() {
            let by_hand = series.phase().windows(2).map(|w| (w[1] - w[0]).abs()).fold(0.0, f64::max);
            assert_eq!(p.value, by_hand, "MTIE at tau0 against its definition");
            // Recorded, not relied on: allantools' rolling-window path agrees at tau0 too.
            assert!(rel <= TOLERANCE, "allantools MTIE at tau0 {theirs:e} vs definition {by_hand:e}");
            continue;
        }
        assert!(rel <= TOLERANCE, "{metric:?} at tau {tau}: ours {:e}, allantools {theirs:e} (rel {rel:e})", p.value);
    }
}

#[test]
fn shared_white_phase_noise_file_agrees_with_allantools() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/wpm_phase_seed12345.txt");
    let parsed = parse_phase(&std::fs::read(&path).expect("data file")).expect("parse");
    let series = PhaseSeries::new(parsed.phase, 1.0).expect("series");
    agree(&path, &series);
}

/// A file of `x` with each value printed so it reads back exactly.
fn write(x: &[f64]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    for v in x {
        writeln!(f, "{v:e}").expect("write");
    }
    f.flush().expect("flush");
    f
}

#[test]
fn random_series_agree_with_allantools() {
    // (samples, tau0, seed): white phase noise; 2^12 + 1 samples puts the
    // whole-series MTIE window at an octave; a non-unit tau0.
    for (n, tau0, seed) in [(1000, 1.0, 1), (4097, 1.0, 2), (777, 0.125, 3)] {
        let x = noise::white_phase(n, seed, 1e-9);
        let file = write(&x);
        agree(file.path(), &PhaseSeries::new(x, tau0).expect("series"));
    }
    // Random-walk phase (white frequency noise) on a 1 ms offset and a
    // 1e-8 frequency offset: large values, small differences.
    let steps = noise::white_phase(3000, 4, 1e-9);
    let mut walk = 0.0;
    let x: Vec<f64> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            walk += s;
            1e-3 + 1e-8 * i as f64 + walk
        })
        .collect();
    let file = write(&x);
    agree(file.path(), &PhaseSeries::new(x, 1.0).expect("series"));
}
