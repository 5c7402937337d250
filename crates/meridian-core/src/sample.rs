//! One time-series point. Series ids are assigned by the store; a sample is
//! the narrow row the pollers produce by the million.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub at: DateTime<Utc>,
    pub series: i64,
    pub value: f64,
}
