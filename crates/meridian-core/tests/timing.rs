//! MTIE, TDEV, ADEV and MDEV on series worked by hand, the fast MTIE
//! against its definition, and input validation.

use meridian_core::timing::filter::low_pass;
use meridian_core::timing::{adev, compute, mdev, mtie, tdev, Metric, PhaseSeries, TauValue};
use proptest::prelude::*;

#[path = "common/noise.rs"]
mod noise;

fn series(x: &[f64], tau0: f64) -> PhaseSeries {
    PhaseSeries::new(x.to_vec(), tau0).expect("valid series")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[test]
fn mtie_by_hand() {
    // x = 0 1 0 3 0 2 2 (tau0 = 0.5 s).
    // m=1, pairs: |1-0| |0-1| |3-0| |0-3| |2-0| |2-2| -> 3.
    // m=2, triples: 0 1 0 -> 1; 1 0 3 -> 3; 0 3 0 -> 3; 3 0 2 -> 3; 0 2 2 -> 2 -> 3.
    // m=4, five samples: 0..4 -> 3; 1..5 -> 3; 2..6 -> 3 -> 3. m=8 does not fit.
    let got = mtie(&series(&[0.0, 1.0, 0.0, 3.0, 0.0, 2.0, 2.0], 0.5)).expect("mtie");
    let want = [(0.5, 3.0), (1.0, 3.0), (2.0, 3.0)];
    assert_eq!(got, want.map(|(tau, value)| TauValue { tau, value }));
    // A ramp of one unit per sample: MTIE(m) = m.
    let ramp: Vec<f64> = (0..9).map(f64::from).collect();
    let got: Vec<f64> = mtie(&series(&ramp, 1.0)).expect("mtie").iter().map(|p| p.value).collect();
    assert_eq!(got, vec![1.0, 2.0, 4.0, 8.0]);
}

#[test]
fn deviations_by_hand() {
    // x = 0 0 1 0 0, tau0 = 1: second differences at m=1 are 1, -2, 1.
    // ADEV(1) = sqrt((1 + 4 + 1) / (2 * 3)) / 1 = 1.
    // MDEV(1): v_j are the same three terms -> sqrt(6 / (2 * 1 * 1 * 3)) = 1.
    // TDEV(1) = 1 * 1 / sqrt(3) = 0.5773502692.
    // m=2 needs N - 2m >= 2 (ADEV) or N - 3m + 1 >= 2 (MDEV): neither fits.
    let s = series(&[0.0, 0.0, 1.0, 0.0, 0.0], 1.0);
    assert_eq!(adev(&s).expect("adev"), vec![TauValue { tau: 1.0, value: 1.0 }]);
    assert_eq!(mdev(&s).expect("mdev"), vec![TauValue { tau: 1.0, value: 1.0 }]);
    let t = tdev(&s).expect("tdev");
    assert_eq!(t.len(), 1);
    assert!(close(t[0].value, 0.5773502692), "{t:?}");
    // tau0 = 2 s: ADEV(2 s) = sqrt(6/6) / 2 = 0.5, TDEV = 2 * MDEV / sqrt 3 with MDEV = 0.5.
    let s2 = series(&[0.0, 0.0, 1.0, 0.0, 0.0], 2.0);
    assert!(close(adev(&s2).expect("adev")[0].value, 0.5));
    assert!(close(tdev(&s2).expect("tdev")[0].value, 0.5773502692));
}

#[test]
fn mdev_at_m_2_by_hand() {
    // x = 0 0 0 0 4 0 0 (N=7), m=2, tau=2: N - 3m + 1 = 2 terms.
    // v_0 = sum_{i=0,1} x[i+4] - 2 x[i+2] + x[i] = (4 - 0 + 0) + (0 - 0 + 0) = 4
    // v_1 = sum_{i=1,2} = (0 - 0 + 0) + (0 - 2*4 + 0) = -8
    // MDEV = sqrt((16 + 64) / (2 * 4 * 4 * 2)) = sqrt(80 / 64) = 1.1180339887.
    let got = mdev(&series(&[0.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0], 1.0)).expect("mdev");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].tau, 2.0);
    assert!(close(got[1].value, 1.1180339887), "{got:?}");
}

#[test]
fn a_line_has_no_deviation_and_an_offset_changes_nothing() {
    // Phase x = a + b t (a constant frequency offset): all second differences vanish.
    let line: Vec<f64> = (0..64).map(|i| 3e-3 + i as f64 * 1e-9).collect();
    for p in tdev(&series(&line, 1.0)).expect("tdev") {
        assert!(p.value < 1e-18, "{p:?}");
    }
    let noise = wpm(1000, 7);
    let shifted: Vec<f64> = noise.iter().map(|x| x + 1e-3).collect();
    let (a, b) = (tdev(&series(&noise, 1.0)).expect("tdev"), tdev(&series(&shifted, 1.0)).expect("tdev"));
    for (p, q) in a.iter().zip(&b) {
        assert!(((p.value - q.value) / p.value).abs() < 1e-5, "{p:?} {q:?}");
    }
}

#[test]
fn octave_taus_stop_where_the_estimator_runs_out() {
    // N = 100: MTIE to m = 64 (65 samples fit), MDEV/TDEV while 3m < 100
    // (m = 32), ADEV while 2m + 2 <= 100 (m = 32).
    let s = series(&wpm(100, 1), 0.25);
    let taus = |m: Metric| compute(m, &s).expect("metric").iter().map(|p| p.tau).collect::<Vec<_>>();
    assert_eq!(taus(Metric::Mtie), vec![0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]);
    assert_eq!(taus(Metric::Tdev), vec![0.25, 0.5, 1.0, 2.0, 4.0, 8.0]);
    assert_eq!(taus(Metric::Adev), vec![0.25, 0.5, 1.0, 2.0, 4.0, 8.0]);
    assert_eq!(taus(Metric::Mdev), taus(Metric::Tdev));
}

#[test]
fn bad_input_is_a_field_error() {
    let field = |r: Result<PhaseSeries, meridian_core::CoreError>| r.expect_err("refused").fields()[0].clone();
    let f = field(PhaseSeries::new(vec![0.0, f64::NAN, 1.0], 1.0));
    assert_eq!(f.field, "phase");
    assert!(f.message.contains("sample 2 is NaN"), "{}", f.message);
    assert!(field(PhaseSeries::new(vec![0.0, 1.0, f64::INFINITY], 1.0)).message.contains("sample 3 is inf"));
    for tau0 in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(field(PhaseSeries::new(vec![0.0; 8], tau0)).field, "tau0", "{tau0}");
    }
    assert_eq!(field(PhaseSeries::new(vec![1.0], 1.0)).field, "phase");
    assert_eq!(field(PhaseSeries::new(vec![], 1.0)).field, "phase");
    // Two samples make an MTIE (one interval) but no deviation.
    let two = series(&[0.0, 1.0], 1.0);
    assert_eq!(mtie(&two).expect("mtie"), vec![TauValue { tau: 1.0, value: 1.0 }]);
    for m in [Metric::Tdev, Metric::Adev, Metric::Mdev] {
        let e = compute(m, &two).expect_err("too short");
        assert!(e.to_string().contains("needs at least 4 samples"), "{e}");
    }
}

#[test]
fn tie_and_window() {
    let s = series(&[2.0, 3.0, 1.0, 2.0], 1.0);
    assert_eq!(s.tie(), vec![0.0, 1.0, -1.0, 0.0]);
    assert_eq!(s.window(1, 2).expect("window").phase(), &[3.0, 1.0]);
    assert_eq!(s.window(3, 2).expect_err("past the end").fields()[0].field, "window");
    assert!(s.window(usize::MAX, 2).is_err());
}

#[test]
fn low_pass_keeps_dc_and_smooths_a_step() {
    let step: Vec<f64> = (0..200).map(|i| if i < 100 { 0.0 } else { 1.0 }).collect();
    let y = low_pass(&series(&step, 1.0), 0.1).expect("filter");
    let a = 1.0 - (-2.0 * std::f64::consts::PI * 0.1f64).exp();
    // One sample after the step the output has moved by a = 1 - e^(-0.2 pi) = 0.4665.
    assert!(close(y.phase()[100], a), "{}", y.phase()[100]);
    assert!((y.phase()[199] - 1.0).abs() < 1e-12 && y.phase()[99] == 0.0);
    assert!(low_pass(&series(&step, 1.0), 0.0).is_err());
}

/// MTIE by its definition, window by window: O(N * m).
fn mtie_naive(x: &[f64], m: usize) -> f64 {
    x.windows(m + 1)
        .map(|w| {
            let top = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let bottom = w.iter().copied().fold(f64::INFINITY, f64::min);
            top - bottom
        })
        .fold(0.0, f64::max)
}

fn wpm(n: usize, seed: u64) -> Vec<f64> {
    noise::white_phase(n, seed, 1e-9)
}

#[test]
fn mtie_at_tau0_is_the_largest_step_of_the_shared_file() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wpm_phase_seed12345.txt"))
        .expect("data file");
    let x: Vec<f64> = text.lines().map(|l| l.trim().parse().expect("number")).collect();
    let by_hand = x.windows(2).map(|w| (w[1] - w[0]).abs()).fold(0.0, f64::max);
    let got = mtie(&series(&x, 1.0)).expect("mtie");
    assert_eq!(got[0], TauValue { tau: 1.0, value: by_hand });
    assert_eq!(got.len(), 14, "octaves 1 .. 8192 s of 10,000 samples");
}

proptest! {
    #[test]
    fn fast_mtie_equals_the_definition(x in prop::collection::vec(-1e-6f64..1e-6, 2..300)) {
        let got = mtie(&series(&x, 1.0)).expect("mtie");
        for p in &got {
            prop_assert_eq!(p.value, mtie_naive(&x, p.tau as usize));
        }
        // Every m = 2^k with a window of m + 1 samples is there.
        prop_assert_eq!(got.len(), (usize::BITS - (x.len() - 1).leading_zeros()) as usize);
    }
}
