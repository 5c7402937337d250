//! How long each tier is kept, and what a purge may delete.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Tier, Watermarks};
use crate::error::{CoreError, FieldError};

/// Longest a tier may be kept, in days (100 years; `None` keeps forever).
pub const MAX_KEEP_DAYS: u32 = 36_500;

/// Days each tier is kept. `dayDays: null` keeps the 1-day tier forever.
/// Each tier must be kept at least as long as the finer one: a coarser tier
/// is built from the finer one, and charts fall back to coarser tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retention {
    pub raw_days: u32,
    pub five_min_days: u32,
    pub hour_days: u32,
    pub day_days: Option<u32>,
}

impl Default for Retention {
    fn default() -> Self {
        Self { raw_days: 7, five_min_days: 90, hour_days: 730, day_days: None }
    }
}

impl Retention {
    /// Days `tier` is kept; `None` forever.
    pub fn keep_days(&self, tier: Tier) -> Option<u32> {
        match tier {
            Tier::Raw => Some(self.raw_days),
            Tier::FiveMin => Some(self.five_min_days),
            Tier::Hour => Some(self.hour_days),
            Tier::Day => self.day_days,
        }
    }

    /// The oldest instant `tier` still holds at `now` (`None`: everything).
    pub fn horizon(&self, tier: Tier, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.keep_days(tier).map(|d| now - Duration::days(i64::from(d)))
    }

    /// Every broken rule at once, named as the setting names its fields.
    pub fn validate(&self) -> Result<(), CoreError> {
        let fields: [(&str, Option<u32>); 4] = [
            ("rawDays", Some(self.raw_days)),
            ("fiveMinDays", Some(self.five_min_days)),
            ("hourDays", Some(self.hour_days)),
            ("dayDays", self.day_days),
        ];
        let mut errors = Vec::new();
        let mut finer: Option<(&str, u32)> = None;
        for (name, days) in fields {
            let Some(days) = days else { continue };
            if !(1..=MAX_KEEP_DAYS).contains(&days) {
                errors.push(FieldError::new(name, format!("must be between 1 and {MAX_KEEP_DAYS} days")));
                // An invalid value is no bound for the coarser tiers.
                continue;
            }
            if let Some((fname, fdays)) = finer.filter(|(_, f)| days < *f) {
                errors.push(FieldError::new(name, format!("must be at least {fname} ({fdays} days)")));
            } else {
                finer = Some((name, days));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }

    /// Rows of `tier` older than this may be deleted at `now`: past the
    /// tier's retention, and already rolled into the next coarser tier (a
    /// stalled rollup job must not lose data to the purge). `None`: keep all.
    pub fn purge_before(&self, tier: Tier, now: DateTime<Utc>, marks: &Watermarks) -> Option<DateTime<Utc>> {
        let horizon = self.horizon(tier, now)?;
        let coarser = Tier::ALL.into_iter().find(|t| t.source() == Some(tier));
        match coarser {
            None => Some(horizon),
            Some(c) => marks.get(c).map(|m| m.min(horizon)),
        }
    }
}
