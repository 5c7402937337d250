//! A device's wander analysis settings: the masks its offset is judged
//! against and the window each periodic check reads. Kept per device by
//! the service; a device without its own uses the monitor's.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::mask::{find_mask, Metric};
use crate::error::{CoreError, FieldError};

/// The shortest window: four samples at the fastest (1 s) PTP poll, the
/// fewest MTIE/TDEV are computed from.
pub const MIN_WINDOW_SECS: u32 = 4;
/// The longest: a week, which at a 10 s poll is about 60,000 samples,
/// well under what one analysis reads (`MAX_WANDER_POINTS`).
pub const MAX_WINDOW_SECS: u32 = 7 * 24 * 3600;
/// Enough for every mask of the library at once.
pub const MAX_MASKS: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WanderSettings {
    /// Mask ids (`meridian timing masks`); at least one.
    pub masks: Vec<String>,
    /// How far back each check (and the Timing tab's first analysis) reads, seconds.
    pub window_secs: u32,
}

impl WanderSettings {
    /// Every field error at once; ids are kept as the library spells them.
    pub fn validate(&self) -> Result<Self, CoreError> {
        let mut errors = Vec::new();
        let mut masks: Vec<String> = Vec::new();
        if self.masks.is_empty() {
            errors.push(FieldError::new("masks", "choose at least one mask"));
        } else if self.masks.len() > MAX_MASKS {
            errors.push(FieldError::new("masks", format!("at most {MAX_MASKS} masks")));
        }
        for id in self.masks.iter().take(MAX_MASKS) {
            let found = find_mask(id, Metric::Mtie).or_else(|_| find_mask(id, Metric::Tdev));
            match found {
                Ok(m) if !masks.iter().any(|x| x == m.id) => masks.push(m.id.to_owned()),
                Ok(_) => {}
                Err(e) => {
                    let why = e.fields().first().map_or_else(|| e.to_string(), |f| f.message.clone());
                    errors.push(FieldError::new("masks", why));
                }
            }
        }
        if !(MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(&self.window_secs) {
            errors.push(FieldError::new(
                "windowSecs",
                format!("must be {MIN_WINDOW_SECS} s to {MAX_WINDOW_SECS} s (a week)"),
            ));
        }
        if errors.is_empty() {
            Ok(Self { masks, window_secs: self.window_secs })
        } else {
            Err(CoreError::Validation(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: CoreError) -> Vec<String> {
        e.fields().iter().map(|f| f.field.clone()).collect()
    }

    #[test]
    fn valid_settings_keep_the_librarys_spelling_once() {
        let s =
            WanderSettings { masks: vec!["G8261-EEC1-NETWORK".into(), "g8261-eec1-network".into()], window_secs: 3600 };
        assert_eq!(s.validate().expect("valid").masks, ["g8261-eec1-network"]);
    }

    #[test]
    fn every_bad_field_is_reported_together() {
        let s = WanderSettings { masks: vec!["no-such-mask".into()], window_secs: 3 };
        assert_eq!(fields(s.validate().expect_err("bad")), ["masks", "windowSecs"]);
        let s = WanderSettings { masks: Vec::new(), window_secs: MAX_WINDOW_SECS + 1 };
        assert_eq!(fields(s.validate().expect_err("bad")), ["masks", "windowSecs"]);
        let many = WanderSettings { masks: vec!["g8261-eec1-network".into(); MAX_MASKS + 1], window_secs: 60 };
        assert_eq!(fields(many.validate().expect_err("too many")), ["masks"]);
    }
}
