//! The ITU-T mask library against points computed by hand from each
//! Recommendation's formula (the arithmetic is in the comments; limits in
//! seconds), the verdict logic, and a phase step failing the network wander
//! masks at the tau where it first shows.

use meridian_core::timing::alarm::{describe, mask_alarm, TIMING_PROBLEM};
use meridian_core::timing::mask::judge;
#[path = "common/noise.rs"]
mod noise;

use meridian_core::timing::{find_mask, masks, mtie, tdev, Metric, PhaseSeries, TauValue};

/// `limit(tau)` of mask `id`/`metric`, equal to `want` to 1e-9 relative.
fn at(id: &str, metric: Metric, tau: f64, want: f64) {
    let mask = find_mask(id, metric).unwrap_or_else(|e| panic!("{id}: {e}"));
    let got = mask.limit(tau).unwrap_or_else(|| panic!("{id} {metric:?}: tau {tau} outside the mask"));
    assert!(((got - want) / want).abs() < 1e-9, "{id} {metric:?} at tau {tau}: got {got:e}, want {want:e}");
}

fn outside(id: &str, metric: Metric, tau: f64) {
    let mask = find_mask(id, metric).expect(id);
    assert_eq!(mask.limit(tau), None, "{id} {metric:?} should not judge tau {tau}");
}

#[test]
fn g811_prc() {
    // MTIE 0.275e-3 tau + 0.025 us: tau 100 -> 0.0275 + 0.025 = 0.0525 us.
    at("g811-prc", Metric::Mtie, 100.0, 52.5e-9);
    // tau 1000 is the first segment's end: 0.275 + 0.025 = 0.3 us.
    at("g811-prc", Metric::Mtie, 1000.0, 0.3e-6);
    // 1e-5 tau + 0.29 us: tau 2000 -> 0.02 + 0.29 = 0.31 us.
    at("g811-prc", Metric::Mtie, 2000.0, 0.31e-6);
    // TDEV 3 ns to 100 s; 0.03 tau ns: tau 500 -> 15 ns; 30 ns to 10^4 s.
    at("g811-prc", Metric::Tdev, 50.0, 3e-9);
    at("g811-prc", Metric::Tdev, 500.0, 15e-9);
    at("g811-prc", Metric::Tdev, 5000.0, 30e-9);
    outside("g811-prc", Metric::Tdev, 20_000.0);
    outside("g811-prc", Metric::Mtie, 0.05);
}

#[test]
fn g8262_eec_option_1() {
    // MTIE 40 ns to 1 s; 40 tau^0.1 ns: tau 10 -> 40 * 10^0.1 = 40 * 1.2589254118 = 50.357016472 ns.
    at("g8262-eec1", Metric::Mtie, 0.5, 40e-9);
    at("g8262-eec1", Metric::Mtie, 10.0, 50.357016472e-9);
    // 25.25 tau^0.2 ns: tau 243 = 3^5 -> 25.25 * 3 = 75.75 ns.
    at("g8262-eec1", Metric::Mtie, 243.0, 75.75e-9);
    outside("g8262-eec1", Metric::Mtie, 1001.0);
    // TDEV 3.2 ns to 25 s; 0.64 tau^0.5: tau 64 -> 0.64 * 8 = 5.12 ns; 6.4 ns to 1000 s.
    at("g8262-eec1", Metric::Tdev, 25.0, 3.2e-9);
    at("g8262-eec1", Metric::Tdev, 64.0, 5.12e-9);
    at("g8262-eec1", Metric::Tdev, 512.0, 6.4e-9);
}

#[test]
fn g8262_eec_option_2() {
    // MTIE 20 ns to 1 s; 20 tau^0.48: tau 2 -> 20 * 1.3947436664 = 27.894873327 ns; 60 ns to 1000 s.
    at("g8262-eec2", Metric::Mtie, 1.0, 20e-9);
    at("g8262-eec2", Metric::Mtie, 2.0, 27.894873327e-9);
    at("g8262-eec2", Metric::Mtie, 100.0, 60e-9);
    // TDEV 3.2 tau^-0.5: tau 0.64 -> 3.2 / 0.8 = 4 ns; 2 ns to 40 s;
    // 0.32 tau^0.5: tau 400 -> 0.32 * 20 = 6.4 ns; 10 ns to 10^4 s.
    at("g8262-eec2", Metric::Tdev, 0.64, 4e-9);
    at("g8262-eec2", Metric::Tdev, 16.0, 2e-9);
    at("g8262-eec2", Metric::Tdev, 400.0, 6.4e-9);
    at("g8262-eec2", Metric::Tdev, 4000.0, 10e-9);
}

#[test]
fn g8261_network_wander() {
    // MTIE 250 ns to 2.5 s; 100 tau ns: tau 8 -> 800 ns; 2 us to 2000 s;
    // 433 tau^0.2 + 0.01 tau ns: tau 3125 = 5^5 -> 433 * 5 + 31.25 = 2196.25 ns.
    at("g8261-eec1-network", Metric::Mtie, 2.0, 250e-9);
    at("g8261-eec1-network", Metric::Mtie, 8.0, 800e-9);
    at("g8261-eec1-network", Metric::Mtie, 1024.0, 2e-6);
    at("g8261-eec1-network", Metric::Mtie, 3125.0, 2196.25e-9);
    // TDEV 12 ns to 17.14 s; 0.7 tau: tau 50 -> 35 ns;
    // 58 + 1.2 tau^0.5 + 0.0003 tau: tau 10^4 -> 58 + 120 + 3 = 181 ns.
    at("g8261-eec1-network", Metric::Tdev, 16.0, 12e-9);
    at("g8261-eec1-network", Metric::Tdev, 50.0, 35e-9);
    at("g8261-eec1-network", Metric::Tdev, 10_000.0, 181e-9);
    // Option 2 networks: TDEV only, 10 ns to 10 s; 3.1623 tau^0.5: tau 100 -> 31.623 ns.
    at("g8261-eec2-network", Metric::Tdev, 4.0, 10e-9);
    at("g8261-eec2-network", Metric::Tdev, 100.0, 31.623e-9);
    let e = find_mask("g8261-eec2-network", Metric::Mtie).expect_err("no MTIE mask");
    assert_eq!(e.fields()[0].field, "mask");
    assert!(e.to_string().contains("has no MTIE limit"), "{e}");
}

#[test]
fn g8272_prtc() {
    // PRTC-A MTIE 0.275e-3 tau + 0.025 us: tau 100 -> 52.5 ns; 100 ns beyond 273 s.
    at("g8272-prtc-a", Metric::Mtie, 100.0, 52.5e-9);
    at("g8272-prtc-a", Metric::Mtie, 1000.0, 100e-9);
    // PRTC-B: same slope to 54.5 s: tau 40 -> 0.011 + 0.025 = 0.036 us; 40 ns beyond.
    at("g8272-prtc-b", Metric::Mtie, 40.0, 36e-9);
    at("g8272-prtc-b", Metric::Mtie, 64.0, 40e-9);
    // PRTC-A TDEV 3 ns, 0.03 tau (tau 200 -> 6 ns), 30 ns; PRTC-B 1 ns, 0.01 tau (tau 200 -> 2 ns), 5 ns.
    at("g8272-prtc-a", Metric::Tdev, 10.0, 3e-9);
    at("g8272-prtc-a", Metric::Tdev, 200.0, 6e-9);
    at("g8272-prtc-a", Metric::Tdev, 2000.0, 30e-9);
    at("g8272-prtc-b", Metric::Tdev, 10.0, 1e-9);
    at("g8272-prtc-b", Metric::Tdev, 200.0, 2e-9);
    at("g8272-prtc-b", Metric::Tdev, 1000.0, 5e-9);
}

#[test]
fn g8272_1_eprtc() {
    // MTIE 0.11114 tau + 3.89 ns: tau 10 -> 1.1114 + 3.89 = 5.0014 ns;
    // 0.0375e-3 tau + 15 ns: tau 10^5 -> 3.75 + 15 = 18.75 ns; 30 ns beyond 4e5 s.
    at("g8272.1-eprtc", Metric::Mtie, 10.0, 5.0014e-9);
    at("g8272.1-eprtc", Metric::Mtie, 100_000.0, 18.75e-9);
    at("g8272.1-eprtc", Metric::Mtie, 1e6, 30e-9);
    // TDEV 1 ns to 3e4 s; 3.33333e-5 tau: tau 1.2e5 -> 3.999996 ns; 10 ns to 1e6 s.
    at("g8272.1-eprtc", Metric::Tdev, 1000.0, 1e-9);
    at("g8272.1-eprtc", Metric::Tdev, 120_000.0, 3.999996e-9);
    at("g8272.1-eprtc", Metric::Tdev, 500_000.0, 10e-9);
}

#[test]
fn g8273_2_classes_are_dte_l_after_a_0_1_hz_filter() {
    // dTE_L MTIE 40/40/10 ns and TDEV 4/4/2 ns, flat to 1000 s.
    for (class, mtie_ns, tdev_ns) in [("a", 40e-9, 4e-9), ("b", 40e-9, 4e-9), ("c", 10e-9, 2e-9)] {
        let id = format!("g8273.2-class-{class}");
        at(&id, Metric::Mtie, 1.0, mtie_ns);
        at(&id, Metric::Mtie, 1000.0, mtie_ns);
        at(&id, Metric::Tdev, 100.0, tdev_ns);
        outside(&id, Metric::Mtie, 2000.0);
        assert_eq!(find_mask(&id, Metric::Mtie).expect("mask").prefilter_hz, Some(0.1));
    }
}

#[test]
fn every_mask_is_continuous_and_has_a_source() {
    // Adjacent segments meet within 2 % (the tables round their
    // coefficients: G.8262 option 1 MTIE is 63.40 / 62.84 ns at 100 s,
    // option 2 TDEV 2.024 / 2 ns at 2.5 s).
    for m in masks() {
        assert!(!m.source.is_empty() && !m.applies_to.is_empty(), "{}", m.id);
        for w in m.segments.windows(2) {
            assert_eq!(w[0].to, w[1].from, "{} {:?}", m.id, m.metric);
            let left = m.limit(w[0].to).expect("inside");
            let right = m.limit(w[0].to * (1.0 + 1e-12)).expect("inside");
            assert!(
                (left - right).abs() <= 0.02 * left,
                "{} {:?} at {}: {left:e} vs {right:e}",
                m.id,
                m.metric,
                w[0].to
            );
        }
    }
}

#[test]
fn unknown_mask_names_the_choices() {
    let e = find_mask("g999", Metric::Mtie).expect_err("unknown");
    assert!(e.to_string().contains("g8262-eec1"), "{e}");
    assert!(find_mask(" G8262-EEC1 ", Metric::Tdev).is_ok());
}

fn curve(points: &[(f64, f64)]) -> Vec<TauValue> {
    points.iter().map(|&(tau, value)| TauValue { tau, value }).collect()
}

#[test]
fn verdict_names_first_failing_tau_and_worst_margin() {
    let mask = find_mask("g8262-eec1", Metric::Tdev).expect("mask");
    // 3.2 ns limit to 25 s, 6.4 ns from 100 s: fail at 8 s (4 ns) and 512 s (12.8 ns).
    let v = judge(mask, &curve(&[(1.0, 1e-9), (8.0, 4e-9), (64.0, 1e-9), (512.0, 12.8e-9), (4096.0, 1.0)]));
    assert!(!v.pass);
    assert_eq!(v.first_failing_tau, Some(8.0));
    // 512 s: (6.4 - 12.8) / 6.4 = -1.0, worse than 8 s: (3.2 - 4) / 3.2 = -0.25.
    assert_eq!(v.worst_tau, Some(512.0));
    assert!((v.worst_margin.expect("margin") + 1.0).abs() < 1e-12);
    // 4096 s is beyond the mask: not judged.
    assert_eq!(v.points.len(), 4);
    let ok = judge(mask, &curve(&[(1.0, 1.6e-9), (2.0, 3.2e-9)]));
    // At the limit passes; margin (3.2 - 1.6) / 3.2 = 0.5 at 1 s, 0 at 2 s.
    assert!(ok.pass && ok.first_failing_tau.is_none());
    assert_eq!(ok.worst_tau, Some(2.0));
    assert!(ok.worst_margin.expect("margin").abs() < 1e-12);
    let none = judge(mask, &curve(&[(5000.0, 1e-9)]));
    assert!(!none.pass && none.points.is_empty(), "nothing judged is not a pass");
    assert!(describe(&none).contains("not judged"), "{}", describe(&none));
}

/// 4096 s of 1 ns white phase noise with a 1 us phase step at 2000 s.
fn stepped() -> PhaseSeries {
    let phase = noise::white_phase(4096, 1, 1e-9)
        .into_iter()
        .enumerate()
        .map(|(i, x)| x + if i >= 2000 { 1e-6 } else { 0.0 })
        .collect();
    PhaseSeries::new(phase, 1.0).expect("series")
}

#[test]
fn a_phase_step_fails_network_and_eec_wander_at_the_first_tau() {
    let series = stepped();
    let curve = mtie(&series).expect("mtie");
    // The step is in every window from tau0 on: MTIE(1 s) >= 1 us - 2 ns.
    assert!(curve[0].value > 0.99e-6, "{:?}", curve[0]);
    // G.8261 EEC option 1 network: 250 ns at 1 s -> fails at the first tau.
    let network = judge(find_mask("g8261-eec1-network", Metric::Mtie).expect("mask"), &curve);
    assert!(!network.pass);
    assert_eq!(network.first_failing_tau, Some(1.0));
    // From 20 s the network limit is 2 us, above the 1 us step: those pass.
    assert!(network.points.iter().filter(|p| p.tau >= 20.0).all(|p| p.pass), "{:?}", network.points);
    // G.8262 EEC option 1 (40 ns at 1 s) fails at 1 s too.
    let eec = judge(find_mask("g8262-eec1", Metric::Mtie).expect("mask"), &curve);
    assert_eq!(eec.first_failing_tau, Some(1.0));
    let alarm = mask_alarm("device=x,clock=0", &network).expect("a failing verdict raises");
    assert_eq!(alarm.probable_cause, TIMING_PROBLEM);
    assert_eq!(alarm.specific_problem, "wanderMask:g8261-eec1-network:mtie");
    assert!(alarm.additional_text.contains("from tau 1 s"), "{}", alarm.additional_text);
    // The same noise without the step passes G.8262 option 1's MTIE (2 ns p-p << 40 ns).
    let clean: Vec<f64> =
        series.phase().iter().enumerate().map(|(i, x)| if i >= 2000 { x - 1e-6 } else { *x }).collect();
    let clean = PhaseSeries::new(clean, 1.0).expect("series");
    let verdict = judge(find_mask("g8262-eec1", Metric::Mtie).expect("mask"), &mtie(&clean).expect("mtie"));
    assert!(verdict.pass, "{}", describe(&verdict));
    assert!(mask_alarm("device=x", &verdict).is_none());
}

#[test]
fn tdev_of_a_step_grows_with_tau_and_fails_the_network_mask_from_4_s() {
    // At tau0 the step adds two second differences of +-1 us among the
    // 4094 terms: TDEV(1 s) ~ sqrt(2 / (6 * 4094)) * 1 us = 9.02 ns, under the
    // 12 ns network limit. TDEV of a step grows as sqrt(tau), so the limit is
    // crossed a few octaves later: 4 s is the first failing tau.
    let v = judge(find_mask("g8261-eec1-network", Metric::Tdev).expect("mask"), &tdev(&stepped()).expect("tdev"));
    let first = v.points[0];
    assert!(first.pass && (first.value - 9.02e-9).abs() < 0.5e-9, "{first:?}");
    assert_eq!(v.first_failing_tau, Some(4.0), "{}", describe(&v));
}

#[test]
fn g8273_2_scalar_class_limits() {
    use meridian_core::timing::te::judge_te_class;
    // TE = 25 ns constant plus a +-5 ns square wave of period 2 s (1 Hz,
    // well above the 0.1 Hz corner, so nearly all of it is dTE_H).
    let x: Vec<f64> = (0..1000).map(|i| 25e-9 + if i % 2 == 0 { 5e-9 } else { -5e-9 }).collect();
    let s = PhaseSeries::new(x, 1.0).expect("series");
    // Class A: max|TE| 30 <= 100 ns, |cTE| 25 <= 50 ns, dTE_H p-p ~10 <= 70 ns: pass.
    let a = judge_te_class(&s, "a").expect("class A");
    assert!(a.pass, "{a:?}");
    assert_eq!(a.checks[0].value, 30e-9);
    assert!((a.checks[1].value - 25e-9).abs() < 1e-18);
    // The high-passed square wave swings by nearly its full 10 ns.
    assert!((8e-9..=12e-9).contains(&a.checks[2].value), "{:?}", a.checks[2]);
    // Class B: |cTE| 25 > 20 ns fails; class C: max|TE| 30 <= 30 ns passes, cTE 25 > 10 fails.
    let b = judge_te_class(&s, "B").expect("class B");
    assert!(!b.pass && !b.checks[1].pass && b.checks[0].pass, "{b:?}");
    let c = judge_te_class(&s, "c").expect("class C");
    assert!(c.checks[0].pass && !c.checks[1].pass, "{c:?}");
    assert_eq!(judge_te_class(&s, "e").expect_err("no class E").fields()[0].field, "class");
}
