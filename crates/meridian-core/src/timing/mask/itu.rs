//! The ITU-T mask library: MTIE and TDEV limits as the Recommendations'
//! tables write them (coefficients in the table's unit, tau in seconds).
//!
//! | id | MTIE | TDEV | applies to |
//! |---|---|---|---|
//! | `g811-prc` | G.811 Table 1 | G.811 Table 2 | PRC output phase |
//! | `g8262-eec1` | G.8262 Table 1 | G.8262 Table 3 | EEC option 1 wander generation, locked, constant temperature |
//! | `g8262-eec2` | G.8262 Table 4 | G.8262 Table 5 | EEC option 2 wander generation, locked, constant temperature |
//! | `g8261-eec1-network` | G.8261 Table 4 | G.8261 Table 5 | network wander limit at an EEC option 1 (SyncE) interface |
//! | `g8261-eec2-network` | — | G.8261 Table 6 | network wander limit at an EEC option 2 interface (TDEV only in the Recommendation) |
//! | `g8272-prtc-a` | G.8272 Table 1 | G.8272 Table 3 | PRTC-A time output |
//! | `g8272-prtc-b` | G.8272 Table 2 | G.8272 Table 4 | PRTC-B time output |
//! | `g8272.1-eprtc` | G.8272.1 Table 1 | G.8272.1 Table 2 | ePRTC time output |
//! | `g8273.2-class-a/-b/-c` | G.8273.2 Table 7-2 | G.8273.2 Table 7-3 | dTE_L: T-BC/T-TSC time error through a 0.1 Hz first-order low-pass filter |
//!
//! G.8273.2's other class limits are single numbers, not curves: the
//! constant time error cTE (the mean of the TE series), dTE_H (peak-to-peak
//! of the 0.1 Hz high-passed TE) and max|TE| ([`G8273_2_CLASSES`], judged by
//! [`crate::timing::te::judge_te_class`]).
//!
//! G.8261.1's packet network limits at its reference point C are a floor
//! packet percentage (packets within a delay window), not an MTIE curve, so
//! no mask here models them; its PEC output limit is not in this library
//! yet (the table could not be checked against the Recommendation here).

use super::{Mask, Metric, Segment, Term, NS, US};

const fn c(coef: f64) -> Term {
    Term { coef, pow: 0.0 }
}
const fn p(coef: f64, pow: f64) -> Term {
    Term { coef, pow }
}
const fn seg(from: f64, to: f64, terms: &'static [Term]) -> Segment {
    Segment { from, to, terms }
}
const INF: f64 = f64::INFINITY;

const EEC_LOCKED: &str =
    "the clock's output phase in locked mode against a wander-free reference, constant temperature";
const PRTC_OUT: &str = "the time (1PPS or PTP) output's error against an ideal reference";
const DTE_L: &str =
    "dTE_L: the T-BC/T-TSC time error at its PTP or 1PPS output, through a 0.1 Hz first-order low-pass \
                     filter (applied before the metric), constant temperature";

/// G.8273.2 (10/2020) clause 7.1 class limits that are single numbers, in
/// seconds: (class, max|TE| unfiltered, |cTE|, dTE_H peak-to-peak).
pub const G8273_2_CLASSES: [(&str, f64, f64, f64); 3] = [
    ("A", 100.0 * NS, 50.0 * NS, 70.0 * NS),
    ("B", 70.0 * NS, 20.0 * NS, 70.0 * NS),
    ("C", 30.0 * NS, 10.0 * NS, 30.0 * NS),
];

pub static MASKS: &[Mask] = &[
    Mask {
        id: "g811-prc",
        metric: Metric::Mtie,
        title: "G.811 PRC output wander",
        source: "ITU-T G.811 (09/1997) Table 1",
        applies_to: "a primary reference clock's output phase",
        prefilter_hz: None,
        unit: US,
        segments: &[seg(0.1, 1000.0, &[p(0.275e-3, 1.0), c(0.025)]), seg(1000.0, INF, &[p(1e-5, 1.0), c(0.29)])],
    },
    Mask {
        id: "g811-prc",
        metric: Metric::Tdev,
        title: "G.811 PRC output wander",
        source: "ITU-T G.811 (09/1997) Table 2",
        applies_to: "a primary reference clock's output phase",
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(0.1, 100.0, &[c(3.0)]), seg(100.0, 1000.0, &[p(0.03, 1.0)]), seg(1000.0, 10_000.0, &[c(30.0)])],
    },
    Mask {
        id: "g8262-eec1",
        metric: Metric::Mtie,
        title: "G.8262 EEC option 1 wander generation",
        source: "ITU-T G.8262/Y.1362 Table 1 (constant temperature)",
        applies_to: EEC_LOCKED,
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(0.1, 1.0, &[c(40.0)]), seg(1.0, 100.0, &[p(40.0, 0.1)]), seg(100.0, 1000.0, &[p(25.25, 0.2)])],
    },
    Mask {
        id: "g8262-eec1",
        metric: Metric::Tdev,
        title: "G.8262 EEC option 1 wander generation",
        source: "ITU-T G.8262/Y.1362 Table 3 (constant temperature)",
        applies_to: EEC_LOCKED,
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(0.1, 25.0, &[c(3.2)]), seg(25.0, 100.0, &[p(0.64, 0.5)]), seg(100.0, 1000.0, &[c(6.4)])],
    },
    Mask {
        id: "g8262-eec2",
        metric: Metric::Mtie,
        title: "G.8262 EEC option 2 wander generation",
        source: "ITU-T G.8262/Y.1362 Table 4 (constant temperature)",
        applies_to: EEC_LOCKED,
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(0.1, 1.0, &[c(20.0)]), seg(1.0, 10.0, &[p(20.0, 0.48)]), seg(10.0, 1000.0, &[c(60.0)])],
    },
    Mask {
        id: "g8262-eec2",
        metric: Metric::Tdev,
        title: "G.8262 EEC option 2 wander generation",
        source: "ITU-T G.8262/Y.1362 Table 5 (constant temperature)",
        applies_to: EEC_LOCKED,
        prefilter_hz: None,
        unit: NS,
        segments: &[
            seg(0.1, 2.5, &[p(3.2, -0.5)]),
            seg(2.5, 40.0, &[c(2.0)]),
            seg(40.0, 1000.0, &[p(0.32, 0.5)]),
            seg(1000.0, 10_000.0, &[c(10.0)]),
        ],
    },
    Mask {
        id: "g8261-eec1-network",
        metric: Metric::Mtie,
        title: "G.8261 network wander limit, EEC option 1 interface",
        source: "ITU-T G.8261/Y.1361 (08/2013) clause 9.2.1.1, Table 4",
        applies_to: "the phase of a synchronous Ethernet interface (EEC option 1 network) against a reference",
        prefilter_hz: None,
        unit: NS,
        segments: &[
            seg(0.1, 2.5, &[c(250.0)]),
            seg(2.5, 20.0, &[p(100.0, 1.0)]),
            seg(20.0, 2000.0, &[c(2000.0)]),
            seg(2000.0, INF, &[p(433.0, 0.2), p(0.01, 1.0)]),
        ],
    },
    Mask {
        id: "g8261-eec1-network",
        metric: Metric::Tdev,
        title: "G.8261 network wander limit, EEC option 1 interface",
        source: "ITU-T G.8261/Y.1361 (08/2013) clause 9.2.1.1, Table 5",
        applies_to: "the phase of a synchronous Ethernet interface (EEC option 1 network) against a reference",
        prefilter_hz: None,
        unit: NS,
        segments: &[
            seg(0.1, 17.14, &[c(12.0)]),
            seg(17.14, 100.0, &[p(0.7, 1.0)]),
            seg(100.0, 1e6, &[c(58.0), p(1.2, 0.5), p(0.0003, 1.0)]),
        ],
    },
    Mask {
        id: "g8261-eec2-network",
        metric: Metric::Tdev,
        title: "G.8261 network wander limit, EEC option 2 interface",
        source: "ITU-T G.8261/Y.1361 (08/2013) clause 9.2.1.2, Table 6",
        applies_to: "the phase of a synchronous Ethernet interface (EEC option 2 network) against a reference",
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(0.05, 10.0, &[c(10.0)]), seg(10.0, 1000.0, &[p(3.1623, 0.5)])],
    },
    Mask {
        id: "g8272-prtc-a",
        metric: Metric::Mtie,
        title: "G.8272 PRTC-A wander",
        source: "ITU-T G.8272/Y.1367 Table 1",
        applies_to: PRTC_OUT,
        prefilter_hz: None,
        unit: US,
        segments: &[seg(1.0, 273.0, &[p(0.275e-3, 1.0), c(0.025)]), seg(273.0, INF, &[c(0.1)])],
    },
    Mask {
        id: "g8272-prtc-a",
        metric: Metric::Tdev,
        title: "G.8272 PRTC-A wander",
        source: "ITU-T G.8272/Y.1367 Table 3",
        applies_to: PRTC_OUT,
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(1.0, 100.0, &[c(3.0)]), seg(100.0, 1000.0, &[p(0.03, 1.0)]), seg(1000.0, 10_000.0, &[c(30.0)])],
    },
    Mask {
        id: "g8272-prtc-b",
        metric: Metric::Mtie,
        title: "G.8272 PRTC-B wander",
        source: "ITU-T G.8272/Y.1367 Table 2",
        applies_to: PRTC_OUT,
        prefilter_hz: None,
        unit: US,
        segments: &[seg(1.0, 54.5, &[p(0.275e-3, 1.0), c(0.025)]), seg(54.5, INF, &[c(0.04)])],
    },
    Mask {
        id: "g8272-prtc-b",
        metric: Metric::Tdev,
        title: "G.8272 PRTC-B wander",
        source: "ITU-T G.8272/Y.1367 Table 4",
        applies_to: PRTC_OUT,
        prefilter_hz: None,
        unit: NS,
        segments: &[seg(1.0, 100.0, &[c(1.0)]), seg(100.0, 500.0, &[p(0.01, 1.0)]), seg(500.0, 100_000.0, &[c(5.0)])],
    },
    Mask {
        id: "g8272.1-eprtc",
        metric: Metric::Mtie,
        title: "G.8272.1 ePRTC wander",
        source: "ITU-T G.8272.1/Y.1367.1 Table 1",
        applies_to: PRTC_OUT,
        prefilter_hz: None,
        unit: NS,
        segments: &[
            seg(1.0, 100.0, &[p(0.11114, 1.0), c(3.89)]),
            seg(100.0, 400_000.0, &[p(0.0375e-3, 1.0), c(15.0)]),
            seg(400_000.0, INF, &[c(30.0)]),
        ],
    },
    Mask {
        id: "g8272.1-eprtc",
        metric: Metric::Tdev,
        title: "G.8272.1 ePRTC wander",
        source: "ITU-T G.8272.1/Y.1367.1 Table 2",
        applies_to: PRTC_OUT,
        prefilter_hz: None,
        unit: NS,
        segments: &[
            seg(1.0, 30_000.0, &[c(1.0)]),
            seg(30_000.0, 300_000.0, &[p(3.33333e-5, 1.0)]),
            seg(300_000.0, 1_000_000.0, &[c(10.0)]),
        ],
    },
    class("g8273.2-class-a", "G.8273.2 T-BC/T-TSC class A dTE_L", Metric::Mtie, DTE_L_MTIE, FLAT_40_NS),
    class("g8273.2-class-a", "G.8273.2 T-BC/T-TSC class A dTE_L", Metric::Tdev, DTE_L_TDEV, FLAT_4_NS),
    class("g8273.2-class-b", "G.8273.2 T-BC/T-TSC class B dTE_L", Metric::Mtie, DTE_L_MTIE, FLAT_40_NS),
    class("g8273.2-class-b", "G.8273.2 T-BC/T-TSC class B dTE_L", Metric::Tdev, DTE_L_TDEV, FLAT_4_NS),
    class("g8273.2-class-c", "G.8273.2 T-BC/T-TSC class C dTE_L", Metric::Mtie, DTE_L_MTIE, FLAT_10_NS),
    class("g8273.2-class-c", "G.8273.2 T-BC/T-TSC class C dTE_L", Metric::Tdev, DTE_L_TDEV, FLAT_2_NS),
];

// G.8273.2's dTE_L limits are flat from the measurement's sampling interval
// (m, 1/16 s at 16 packets/s) to 1000 s.
const DTE_L_MTIE: &str = "ITU-T G.8273.2/Y.1368.2 Table 7-2 (constant temperature)";
const DTE_L_TDEV: &str = "ITU-T G.8273.2/Y.1368.2 Table 7-3 (constant temperature)";
const FLAT_40_NS: &[Segment] = &[seg(0.0625, 1000.0, &[c(40.0)])];
const FLAT_10_NS: &[Segment] = &[seg(0.0625, 1000.0, &[c(10.0)])];
const FLAT_4_NS: &[Segment] = &[seg(0.0625, 1000.0, &[c(4.0)])];
const FLAT_2_NS: &[Segment] = &[seg(0.0625, 1000.0, &[c(2.0)])];

const fn class(
    id: &'static str,
    title: &'static str,
    metric: Metric,
    source: &'static str,
    segments: &'static [Segment],
) -> Mask {
    Mask { id, metric, title, source, applies_to: DTE_L, prefilter_hz: Some(0.1), unit: NS, segments }
}
