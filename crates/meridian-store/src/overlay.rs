//! Making the embedded store's files its own before PostgreSQL runs.
//!
//! pglite-oxide lays each store's PGDATA (the upper layer, in the data
//! directory) over a template shared by every store (the lower layer, in the
//! user's cache directory). The first time PostgreSQL opens a template file
//! for writing, pglite-oxide copies it up with a plain `fs::copy`; when the
//! disk is full (or the process is killed) mid-copy, a short file is left in
//! the upper layer, hides the template for good, and the store fails with
//! `could not read blocks ... read only 0 of 8192 bytes` on every write
//! from then on, across restarts. The disk-full test found this.
//!
//! So before each start every template file the store does not have yet is
//! copied up here instead, atomically: into a temporary file, fsynced, then
//! hard-linked into place (which never replaces a file that appeared
//! meanwhile). With every file in the upper layer, pglite-oxide has nothing
//! left to copy while the store runs. A full disk here fails the open with a
//! clear error and leaves nothing half-written.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use crate::error::StoreError;

const MANIFEST: &str = ".pglite-oxide-pgdata-overlay.json";
/// pglite-oxide rewrites this one on every start, in place.
const RUNTIME_MANIFEST: &str = ".pglite-oxide-runtime-layout.json";
/// The overlay's deletion markers: `.wh.NAME` hides NAME of the lower layer.
const WHITEOUT: &str = ".wh.";
const TMP_SUFFIX: &str = ".meridian-copy";

/// Copies every template file missing from `pgdata` into it; the number
/// copied. A store without an overlay manifest (not yet created, or laid
/// out without a template) needs nothing.
pub(crate) fn materialize(pgdata: &Path) -> Result<usize, StoreError> {
    let Some(lower) = template_of(pgdata)? else { return Ok(0) };
    copy_missing(&lower, pgdata).map_err(|e| {
        if e.raw_os_error() == Some(28) {
            StoreError::DiskFull { path: pgdata.to_path_buf(), detail: e.to_string() }
        } else {
            StoreError::io(pgdata, e)
        }
    })
}

/// pglite-oxide rewrites its runtime layout manifest on every start with a
/// plain `fs::write`; a kill between the truncate and the write leaves it
/// empty, and every later start failed with "parse runtime layout
/// manifest" (found by `crash_edit.rs`). It only records how the runtime is
/// laid out, which pglite-oxide works out again from its marker files when
/// the manifest is missing, so an unreadable one is removed. True if it was.
pub(crate) fn repair_runtime_manifest(runtime_root: &Path) -> Result<bool, StoreError> {
    let path = runtime_root.join(RUNTIME_MANIFEST);
    match fs::read(&path) {
        Ok(body) if serde_json::from_slice::<serde_json::Value>(&body).is_err() => {
            tracing::warn!(path = %path.display(), "removing a runtime layout manifest cut short by a crash");
            fs::remove_file(&path).map_err(|e| StoreError::io(&path, e))?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// The template directory the manifest names, if it is on this machine.
fn template_of(pgdata: &Path) -> Result<Option<PathBuf>, StoreError> {
    let manifest = pgdata.join(MANIFEST);
    let body = match fs::read(&manifest) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(manifest, e)),
    };
    // A damaged manifest is pglite-oxide's to report, with its path.
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else { return Ok(None) };
    let Some(sha) = v.get("templateArchiveSha256").and_then(|s| s.as_str()) else { return Ok(None) };
    let Some(dirs) = directories::ProjectDirs::from("dev", "pglite-oxide", "pglite-oxide") else { return Ok(None) };
    let cache = dirs.cache_dir().join("pgdata-template");
    // One directory per cache format version (`v2/`), each holding templates by hash.
    let found = fs::read_dir(&cache)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|format| format.path().join(sha).join("base"))
        .find(|p| p.join("PG_VERSION").is_file());
    if found.is_none() {
        tracing::debug!(template = sha, "PGDATA template not in the cache; nothing to copy up");
    }
    Ok(found)
}

fn copy_missing(lower: &Path, upper: &Path) -> io::Result<usize> {
    let mut copied = 0;
    for entry in fs::read_dir(upper)? {
        let p = entry?.path();
        // A copy cut short by a crash or a full disk last time.
        if p.to_string_lossy().ends_with(TMP_SUFFIX) {
            fs::remove_file(&p)?;
        }
    }
    for entry in fs::read_dir(lower)? {
        let entry = entry?;
        let name = entry.file_name();
        let to = upper.join(&name);
        let mut whiteout = std::ffi::OsString::from(WHITEOUT);
        whiteout.push(&name);
        if upper.join(&whiteout).exists() || fs::symlink_metadata(&to).is_ok_and(|m| !m.is_dir()) {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if !to.exists() {
                fs::create_dir(&to)?;
            }
            copied += copy_missing(&entry.path(), &to)?;
        } else if kind.is_file() {
            copy_atomically(&entry.path(), &to)?;
            copied += 1;
        }
    }
    Ok(copied)
}

fn copy_atomically(from: &Path, to: &Path) -> io::Result<()> {
    let mut tmp = to.as_os_str().to_owned();
    tmp.push(TMP_SUFFIX);
    let tmp = PathBuf::from(tmp);
    let result = (|| {
        fs::copy(from, &tmp)?;
        File::open(&tmp)?.sync_all()?;
        match fs::hard_link(&tmp, to) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(()),
        }
    })();
    let _ = fs::remove_file(&tmp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_runtime_manifest_is_removed_and_a_good_one_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = dir.path().join(RUNTIME_MANIFEST);
        assert!(!repair_runtime_manifest(dir.path()).expect("absent"));
        fs::write(&m, b"{\"kind\": \"sharedRuntimeOverlay\"}").expect("write");
        assert!(!repair_runtime_manifest(dir.path()).expect("good"));
        for cut in [&b""[..], b"{\"kind\": \"shar", b"\x00\x00"] {
            fs::write(&m, cut).expect("write");
            assert!(repair_runtime_manifest(dir.path()).expect("cut"));
            assert!(!m.exists());
        }
    }

    #[test]
    fn copies_what_is_missing_keeps_what_is_there_and_respects_whiteouts() {
        let lower = tempfile::tempdir().expect("tempdir");
        let upper = tempfile::tempdir().expect("tempdir");
        let (l, u) = (lower.path(), upper.path());
        fs::create_dir_all(l.join("base/1")).expect("dirs");
        fs::write(l.join("base/1/100"), b"template").expect("write");
        fs::write(l.join("base/1/200"), b"template").expect("write");
        fs::write(l.join("gone"), b"deleted by the store").expect("write");
        fs::create_dir_all(u.join("base/1")).expect("dirs");
        fs::write(u.join("base/1/200"), b"the store's own").expect("write");
        fs::write(u.join(".wh.gone"), b"").expect("whiteout");
        fs::write(u.join("base/1/300.meridian-copy"), b"half").expect("leftover");
        assert_eq!(copy_missing(l, u).expect("copy"), 1);
        assert_eq!(fs::read(u.join("base/1/100")).expect("copied"), b"template");
        assert_eq!(fs::read(u.join("base/1/200")).expect("kept"), b"the store's own");
        assert!(!u.join("gone").exists(), "a whited-out file came back");
        assert!(!u.join("base/1/300.meridian-copy").exists(), "a leftover copy stayed");
        assert_eq!(copy_missing(l, u).expect("again"), 0);
    }
}
