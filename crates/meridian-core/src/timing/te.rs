//! G.8273.2's single-number class limits on a time-error series (clause
//! 7.1): max|TE| (unfiltered), the constant time error cTE (the mean of TE,
//! here over the whole series; the Recommendation averages over 1000 s) and
//! dTE_H, the peak-to-peak of TE through a 0.1 Hz first-order high-pass
//! filter (`x - low_pass(x)`, the complement of the dTE_L filter). dTE_L is
//! judged as a curve by the `g8273.2-class-*` MTIE and TDEV masks.

use serde::Serialize;
use ts_rs::TS;

use super::filter::low_pass;
use super::mask::itu::G8273_2_CLASSES;
use super::series::PhaseSeries;
use crate::CoreError;

/// The 0.1 Hz corner that splits dTE into dTE_L and dTE_H.
pub const DTE_CORNER_HZ: f64 = 0.1;

/// One class limit checked: `quantity` is `max|TE|`, `|cTE|` or `dTE_H p-p`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeCheck {
    pub quantity: String,
    pub value: f64,
    pub limit: f64,
    pub pass: bool,
}

/// A TE series against one G.8273.2 class (A, B or C).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeClassVerdict {
    pub class: String,
    pub pass: bool,
    pub checks: Vec<TeCheck>,
}

/// Judge a time-error series (seconds) against class `class` ("A", "b", ...).
pub fn judge_te_class(series: &PhaseSeries, class: &str) -> Result<TeClassVerdict, CoreError> {
    let class = class.trim().to_ascii_uppercase();
    let &(name, max_te, cte_limit, dte_h_limit) = G8273_2_CLASSES.iter().find(|c| c.0 == class).ok_or_else(|| {
        let names: Vec<&str> = G8273_2_CLASSES.iter().map(|c| c.0).collect();
        CoreError::field("class", format!("unknown G.8273.2 class '{class}'; classes: {}", names.join(", ")))
    })?;
    let x = series.phase();
    let max_abs = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let cte = x.iter().sum::<f64>() / x.len() as f64;
    let low = low_pass(series, DTE_CORNER_HZ)?;
    let high: Vec<f64> = x.iter().zip(low.phase()).map(|(a, b)| a - b).collect();
    let (hi, lo) = high.iter().fold((f64::MIN, f64::MAX), |(h, l), v| (h.max(*v), l.min(*v)));
    let check = |quantity: &str, value: f64, limit: f64| TeCheck {
        quantity: quantity.to_owned(),
        value,
        limit,
        pass: value <= limit,
    };
    let checks = vec![
        check("max|TE|", max_abs, max_te),
        check("|cTE|", cte.abs(), cte_limit),
        check("dTE_H p-p", hi - lo, dte_h_limit),
    ];
    Ok(TeClassVerdict { class: name.to_owned(), pass: checks.iter().all(|c| c.pass), checks })
}
