//! The tab-separated tables' shared reader: `#` comments and blank lines skipped, and
//! errors that name the file and line so a bad data edit fails its test clearly.

use super::data::DataError;

/// Rows as tab-split fields, each with its 1-based line number.
pub fn rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> + '_ {
    text.lines().enumerate().filter_map(|(i, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            return None;
        }
        Some((i + 1, line.split('\t').collect()))
    })
}

/// Field `i` of a row, or an error naming what is missing.
pub fn field<'a>(file: &'static str, line: usize, row: &[&'a str], i: usize, what: &str) -> Result<&'a str, DataError> {
    row.get(i)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| DataError::new(file, line, format!("missing column {} ({what})", i + 1)))
}

/// "-" means "no value" in the optional columns.
pub fn optional(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty() && s != "-").then_some(s)
}

/// A number column, with the file and line in the error.
pub fn number<T: std::str::FromStr>(file: &'static str, line: usize, s: &str, what: &str) -> Result<T, DataError> {
    s.trim().parse().map_err(|_| DataError::new(file, line, format!("{what} '{s}' is not a number")))
}
