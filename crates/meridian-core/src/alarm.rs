//! ITU-T X.733 vocabulary. The alarm engine arrives with the monitoring issue;
//! these names are fixed now because the schema's CHECK constraints use them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// X.733 event types (clause 8.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Communications,
    QualityOfService,
    ProcessingError,
    Equipment,
    Environmental,
}

/// X.733 perceived severity (clause 8.1.2.3), most severe first, so the
/// derived `Ord` sorts a console the way operators read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Major,
    Minor,
    Warning,
    Indeterminate,
    Cleared,
}
