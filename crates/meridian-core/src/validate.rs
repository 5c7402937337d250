//! Field-rule checking that collects every problem in one pass, so a form
//! shows all its mistakes at once instead of one per submit.

use crate::address::Address;
use crate::error::{CoreError, FieldError};

pub mod diag;

/// Longest name of a device, site or credential.
pub const NAME_MAX: usize = 64;
/// Longest free-text field (vendor, model, os).
pub const TEXT_MAX: usize = 255;
/// Longest tag, and most tags per device.
pub const TAG_MAX: usize = 32;
pub const TAGS_MAX: usize = 32;

/// How many rows a listing returns: at least 1, and at most `max` (a larger
/// request gets `max`, since asking for "everything" is not a mistake). Zero
/// or a negative count is one: it is refused rather than read as 1.
pub fn list_limit(limit: i64, max: i64) -> Result<i64, CoreError> {
    if limit < 1 {
        return Err(CoreError::field("limit", format!("must be at least 1 (at most {max} are returned), not {limit}")));
    }
    Ok(limit.min(max))
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// The value of a check made elsewhere, or `None` with its field errors
    /// added to these.
    pub fn absorb<T>(&mut self, checked: Result<T, CoreError>) -> Option<T> {
        checked.map_err(|e| self.errors.extend(e.fields().iter().cloned())).ok()
    }

    /// Required text: trimmed, non-empty, at most `max` characters, no
    /// control characters (they break terminals, logs and CSV exports).
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.fail(field, "must not be empty");
        } else if v.chars().count() > max {
            self.fail(field, format!("must be at most {max} characters"));
        } else if v.chars().any(char::is_control) {
            self.fail(field, "must not contain control characters");
        }
        v.to_owned()
    }

    /// Optional text: absent or blank means "none".
    pub fn opt_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        match value.map(str::trim) {
            None | Some("") => None,
            Some(v) => Some(self.text(field, v, max)),
        }
    }

    pub fn address(&mut self, field: &str, value: &str) -> Option<Address> {
        match value.parse::<Address>() {
            Ok(a) => Some(a),
            Err(e) => {
                self.fail(field, e.to_string());
                None
            }
        }
    }

    /// Latitude and longitude come as a pair or not at all.
    pub fn location(&mut self, lat: Option<f64>, lon: Option<f64>) -> Option<GeoPoint> {
        match (lat, lon) {
            (None, None) => None,
            (Some(_), None) => {
                self.fail("lon", "must be given together with lat");
                None
            }
            (None, Some(_)) => {
                self.fail("lat", "must be given together with lon");
                None
            }
            (Some(lat), Some(lon)) => {
                let lat_ok = lat.is_finite() && (-90.0..=90.0).contains(&lat);
                let lon_ok = lon.is_finite() && (-180.0..=180.0).contains(&lon);
                if !lat_ok {
                    self.fail("lat", format!("{lat} is out of range -90..90"));
                }
                if !lon_ok {
                    self.fail("lon", format!("{lon} is out of range -180..180"));
                }
                (lat_ok && lon_ok).then_some(GeoPoint { lat, lon })
            }
        }
    }

    pub fn tags(&mut self, tags: &[String]) -> Vec<String> {
        if tags.len() > TAGS_MAX {
            self.fail("tags", format!("at most {TAGS_MAX} tags"));
        }
        let mut out: Vec<String> = Vec::with_capacity(tags.len());
        for t in tags {
            let t = self.text("tags", t, TAG_MAX);
            if t.chars().any(|c| c.is_whitespace() || c == ',') {
                self.fail("tags", format!("tag '{t}' must not contain spaces or commas"));
            }
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    pub fn finish<T>(self, value: T) -> Result<T, CoreError> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(CoreError::Validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_limit_is_at_least_one_and_capped() {
        assert_eq!(list_limit(1, 100).expect("one"), 1);
        assert_eq!(list_limit(500, 100).expect("capped"), 100);
        for bad in [0, -1, i64::MIN] {
            let e = list_limit(bad, 100).expect_err("refused");
            assert_eq!(e.fields()[0].field, "limit", "{bad}");
        }
    }
}
