//! Telling a damaged embedded store apart from other failures to open it,
//! and saying which file and what to do. PostgreSQL names the file it
//! choked on relative to its data directory (`could not read file
//! "global/pg_control"`, `invalid page in block 0 of relation base/1/1259`);
//! the user needs the full path and a way out that does not lose more.
//!
//! One case PostgreSQL cannot see: pglite-oxide lays the database over a
//! shared template, so a data directory whose database files were deleted
//! opens as a fresh, empty store. A marker written after the first
//! migration catches that (`check_marker`).

use std::path::{Path, PathBuf};

use crate::error::StoreError;

/// Where pglite-oxide keeps PostgreSQL's own data directory inside ours.
const PGDATA: &str = "pglite/tmp/pglite/base";
/// Written once the store has a schema; its presence with an empty database
/// means the database vanished.
pub(crate) const MARKER: &str = "store-initialized";

pub(crate) fn pgdata(data_dir: &Path) -> PathBuf {
    data_dir.join(PGDATA)
}

/// Turns an error met while starting or first querying the embedded store
/// into one naming the damaged file, when the error says the files are bad;
/// anything else is returned as it was.
pub(crate) fn classify(data_dir: &Path, e: StoreError) -> StoreError {
    let detail = match &e {
        StoreError::Embedded(m) => m.clone(),
        StoreError::Database(d) => d.to_string(),
        StoreError::Migrate(m) => m.to_string(),
        _ => return e,
    };
    if detail.contains("No space left on device") {
        return StoreError::DiskFull { path: data_dir.to_path_buf(), detail: short(&detail) };
    }
    match damaged_file(data_dir, &detail) {
        Some(path) => StoreError::Damaged { path, data_dir: data_dir.to_path_buf(), detail: short(&detail) },
        None => e,
    }
}

/// The file a damage message points at, or None when the message is not
/// about damaged files.
fn damaged_file(data_dir: &Path, detail: &str) -> Option<PathBuf> {
    let pg = pgdata(data_dir);
    // pglite-oxide's own manifests: it prints their absolute path.
    if detail.contains("manifest") {
        if let Some(p) = detail.split_whitespace().find(|w| w.starts_with('/')) {
            return Some(PathBuf::from(p.trim_end_matches(':')));
        }
    }
    if let Some(rel) = quoted_after(detail, "file \"") {
        return Some(pg.join(rel));
    }
    if let Some(rel) = detail.split("of relation ").nth(1).and_then(|r| r.split_whitespace().next()) {
        return Some(pg.join(rel.trim_end_matches([')', ',', ':'])));
    }
    if detail.contains("valid checkpoint record") {
        return Some(pg.join("pg_wal"));
    }
    if detail.contains("status of transaction") {
        return Some(pg.join("pg_xact"));
    }
    let damage = ["PANIC", "invalid page", "could not read", "unexpected zero page", "checksum"];
    damage.iter().any(|w| detail.contains(w)).then_some(pg)
}

fn quoted_after<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &s[s.find(prefix)? + prefix.len()..];
    rest.split('"').next().filter(|r| !r.is_empty())
}

/// The part of a long backend log tail that says what broke: from the
/// backend's PANIC line when there is one, cut to a line of reasonable size.
fn short(detail: &str) -> String {
    let from = detail.find("PANIC:").map(|i| &detail[i..]).unwrap_or(detail);
    let line = from.lines().next().unwrap_or_default();
    let line = line.split(" Program re").next().unwrap_or(line);
    line.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect()
}

/// Refuses an empty database in a data directory that had a store, and
/// leaves the marker once the store has a schema.
pub(crate) fn check_marker(data_dir: &Path, schema_version: i64) -> Result<(), StoreError> {
    let marker = data_dir.join(MARKER);
    if schema_version == 0 && marker.exists() {
        return Err(StoreError::Damaged {
            path: pgdata(data_dir),
            data_dir: data_dir.to_path_buf(),
            detail: format!(
                "the database files are missing, though {} says this directory had a store",
                marker.display()
            ),
        });
    }
    if schema_version > 0 && !marker.exists() {
        std::fs::write(&marker, b"meridian store\n").map_err(|e| StoreError::io(&marker, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_of(detail: &str) -> Option<PathBuf> {
        match classify(Path::new("/d"), StoreError::Embedded(detail.into())) {
            StoreError::Damaged { path, .. } => Some(path),
            _ => None,
        }
    }

    #[test]
    fn names_the_file_postgres_complained_about() {
        let pg = Path::new("/d/pglite/tmp/pglite/base");
        assert_eq!(
            path_of("PANIC:  could not read file \"global/pg_control\": read 100 of 296"),
            Some(pg.join("global/pg_control"))
        );
        assert_eq!(path_of("invalid page in block 0 of relation global/1262"), Some(pg.join("global/1262")));
        assert_eq!(path_of("could not locate a valid checkpoint record at 0/1574648"), Some(pg.join("pg_wal")));
        assert_eq!(path_of("could not access status of transaction 766"), Some(pg.join("pg_xact")));
        assert_eq!(
            path_of("parse PGDATA overlay manifest /d/x/.overlay.json: expected value"),
            Some(PathBuf::from("/d/x/.overlay.json"))
        );
    }

    #[test]
    fn other_failures_and_a_full_disk_are_not_called_damage() {
        assert_eq!(path_of("connection refused"), None);
        assert!(matches!(
            classify(Path::new("/d"), StoreError::Embedded("write: No space left on device".into())),
            StoreError::DiskFull { .. }
        ));
    }

    #[test]
    fn garbage_messages_do_not_panic() {
        for m in ["file \"", "of relation ", "manifest /", "\"\"\"", "", "PANIC"] {
            let _ = classify(Path::new("/d"), StoreError::Embedded(m.into()));
        }
    }

    #[test]
    fn a_vanished_database_is_refused_once_marked() {
        let dir = tempfile::tempdir().expect("tempdir");
        check_marker(dir.path(), 0).expect("fresh directory");
        check_marker(dir.path(), 14).expect("first schema leaves the marker");
        assert!(matches!(check_marker(dir.path(), 0), Err(StoreError::Damaged { .. })));
    }
}
