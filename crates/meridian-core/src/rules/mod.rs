//! Alarm rules: the model users edit ([`model`]) and the engine that
//! evaluates it on every sample ([`engine`]). Pure; the service stores the
//! rules, feeds the engine and carries out its actions.

pub mod engine;
pub mod model;

pub use engine::{RuleAction, RuleEngine, THRESHOLD_CROSSED};
pub use model::{glob_match, Comparison, DeviceFacts, Hold, Level, Override, Rule, RuleScope};
