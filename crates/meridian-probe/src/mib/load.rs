//! Reading and parsing MIB files. The directory reading here is the MIB
//! code's only I/O; [`load_texts`] is pure (text in, [`MibSet`] out), so the
//! fuzz target and the tests drive it without files.
//!
//! One bad file must not cost the others: the parser's own diagnostics are
//! reported per file with their line, a file with no module in it is
//! reported, and if the parser gives up on the whole set (or panics, which
//! would be its bug) the user's files are retried one by one and the ones
//! that break the set are left out, each with its error.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use meridian_core::mib_info::{MibLoadError, MibModuleInfo, MibReport};
use mib_rs::types::{DiagnosticConfig, Severity};

use super::lookup::MibSet;
use super::shipped::SHIPPED;

/// Files larger than this are not MIBs (the largest IETF modules are
/// about 300 KB); refusing them keeps a wrong directory from filling memory.
const FILE_MAX: u64 = 4 << 20;
/// Files read from one directory tree at most.
const FILES_MAX: usize = 5_000;

/// One file's text and the name it is reported under.
#[derive(Debug, Clone)]
pub struct MibText {
    /// `shipped:IF-MIB.txt` or the file's path.
    pub file: String,
    pub text: Vec<u8>,
}

/// The shipped modules, then every file under each of `dirs` (recursively,
/// in name order). Unreadable files and directories are load errors.
pub fn load(dirs: &[PathBuf]) -> MibSet {
    let mut texts: Vec<MibText> =
        SHIPPED.iter().map(|(f, t)| MibText { file: format!("shipped:{f}"), text: t.as_bytes().to_vec() }).collect();
    let mut errors = Vec::new();
    for d in dirs {
        read_tree(d, &mut texts, &mut errors);
    }
    load_texts(texts, errors)
}

fn read_tree(root: &Path, texts: &mut Vec<MibText>, errors: &mut Vec<MibLoadError>) {
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                errors.push(file_error(&dir, format!("cannot read the MIB directory: {e}")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) => files.push(path),
                Err(e) => errors.push(file_error(&path, e.to_string())),
            }
        }
    }
    files.sort();
    if files.len() > FILES_MAX {
        errors.push(file_error(root, format!("more than {FILES_MAX} files; only the first {FILES_MAX} are read")));
        files.truncate(FILES_MAX);
    }
    for path in files {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > FILE_MAX => {
                errors.push(file_error(&path, format!("larger than {} MiB; not a MIB module", FILE_MAX >> 20)));
            }
            Ok(_) => match std::fs::read(&path) {
                Ok(text) => texts.push(MibText { file: path.display().to_string(), text }),
                Err(e) => errors.push(file_error(&path, format!("cannot read: {e}"))),
            },
            Err(e) => errors.push(file_error(&path, format!("cannot read: {e}"))),
        }
    }
}

fn file_error(path: &Path, message: String) -> MibLoadError {
    MibLoadError { file: path.display().to_string(), line: None, column: None, message }
}

/// Parses and resolves `texts` (earlier files win a module name), adding
/// what went wrong to `errors`. Pure; never panics on any input.
pub fn load_texts(texts: Vec<MibText>, mut errors: Vec<MibLoadError>) -> MibSet {
    // Module name -> (file, text); the first file to define a name keeps it.
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut modules: Vec<(String, usize)> = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let names = module_names(&t.text);
        if names.is_empty() {
            errors.push(MibLoadError {
                file: t.file.clone(),
                line: None,
                column: None,
                message: "no MIB module in this file (no `NAME DEFINITIONS ::= BEGIN`)".into(),
            });
        }
        for name in names {
            if let Some(&first) = owner.get(&name) {
                errors.push(MibLoadError {
                    file: t.file.clone(),
                    line: None,
                    column: None,
                    message: format!(
                        "module {name} is already loaded from {}; this copy is ignored",
                        texts[first].file
                    ),
                });
                continue;
            }
            owner.insert(name.clone(), i);
            modules.push((name, i));
        }
    }
    let shipped = |i: usize| texts[i].file.starts_with("shipped:");
    let mut excluded: Vec<usize> = Vec::new();
    let mib = match try_load(&texts, &modules, &excluded) {
        Ok(m) => Some(m),
        Err(_) => {
            // Find the user files that break the set: each alone with the shipped ones.
            let user: Vec<usize> = modules.iter().map(|(_, i)| *i).filter(|i| !shipped(*i)).collect();
            for &f in &user {
                if excluded.contains(&f) {
                    continue;
                }
                let alone: Vec<(String, usize)> =
                    modules.iter().filter(|(_, i)| shipped(*i) || *i == f).cloned().collect();
                if let Err(reason) = try_load(&texts, &alone, &[]) {
                    errors.push(MibLoadError {
                        file: texts[f].file.clone(),
                        line: None,
                        column: None,
                        message: reason,
                    });
                    excluded.push(f);
                }
            }
            try_load(&texts, &modules, &excluded).ok()
        }
    };
    let Some(mib) = mib else {
        errors.push(MibLoadError {
            file: "(all)".into(),
            line: None,
            column: None,
            message: "the MIB modules could not be loaded together; names are not available".into(),
        });
        return MibSet::new(None, MibReport { modules: Vec::new(), errors });
    };
    for d in mib.diagnostics() {
        if !matches!(d.severity, Severity::Fatal | Severity::Severe | Severity::Error) {
            continue;
        }
        let file = d
            .module
            .as_ref()
            .and_then(|m| owner.get(m))
            .map_or_else(|| d.module.clone().unwrap_or_else(|| "(unknown file)".into()), |&i| texts[i].file.clone());
        // The parser keeps each source's text: its range gives line and column.
        let at = d.range.and_then(|r| mib.source(r.source()).and_then(|doc| doc.line_column(r.start()).ok()));
        errors.push(MibLoadError {
            file,
            line: at.and_then(|(l, _)| u32::try_from(l).ok()),
            column: at.and_then(|(_, c)| u32::try_from(c).ok()),
            message: d.message.clone(),
        });
    }
    let loaded = modules
        .iter()
        .filter(|(name, i)| !excluded.contains(i) && mib.module(name).is_some())
        .map(|(name, i)| MibModuleInfo {
            name: name.clone(),
            source: if shipped(*i) { "shipped".into() } else { texts[*i].file.clone() },
        })
        .collect();
    MibSet::new(Some(mib), MibReport { modules: loaded, errors })
}

fn try_load(texts: &[MibText], modules: &[(String, usize)], excluded: &[usize]) -> Result<mib_rs::Mib, String> {
    let chosen: Vec<(String, Vec<u8>)> = modules
        .iter()
        .filter(|(_, i)| !excluded.contains(i))
        .map(|(name, i)| (name.clone(), texts[*i].text.clone()))
        .collect();
    // Collect errors, but let only a fatal one fail the set: a vendor MIB
    // with a broken clause should still name everything else it defines.
    // An integer INDEX without a range is how every SMIv1 table was written
    // (MIB-II's ifIndex among them): a style note, not an error for users.
    let ignore = vec!["index-integer-no-range".to_owned()];
    let diag = DiagnosticConfig { fail_at: Severity::Fatal, ignore, ..DiagnosticConfig::quiet() };
    let run = || mib_rs::Loader::new().source(mib_rs::source::memory_modules(chosen)).diagnostic_config(diag).load();
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(Ok(mib)) => Ok(mib),
        Ok(Err(e)) => Err(format!("does not load: {e}")),
        Err(_) => {
            tracing::warn!("the MIB parser panicked; the files involved are left out");
            Err("the MIB parser failed on this file".into())
        }
    }
}

/// The module names a file defines: every `NAME DEFINITIONS ::= BEGIN`
/// (an OID between the name and DEFINITIONS is allowed), outside comments
/// and strings.
pub(crate) fn module_names(text: &[u8]) -> Vec<String> {
    let words = words(text);
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if *w != "DEFINITIONS" || i == 0 {
            continue;
        }
        let mut j = i - 1;
        // `NAME { iso ... } DEFINITIONS`: step back over the braces.
        if words[j] == "}" {
            while j > 0 && words[j] != "{" {
                j -= 1;
            }
            if j == 0 {
                continue;
            }
            j -= 1;
        }
        let name = words[j];
        let is_name = name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if is_name && !out.iter().any(|n: &String| n == name) {
            out.push(name.to_owned());
        }
    }
    out
}

/// Identifiers and the braces, skipping `--` comments and quoted strings.
fn words(text: &[u8]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == b'-' && text.get(i + 1) == Some(&b'-') {
            // A comment ends at the line's end or at the next `--`.
            i += 2;
            while i < text.len() && text[i] != b'\n' && !(text[i] == b'-' && text.get(i + 1) == Some(&b'-')) {
                i += 1;
            }
            // Past a closing `--`; a newline is left for the whitespace skip.
            if text.get(i) == Some(&b'-') {
                i += 2;
            }
        } else if c == b'"' {
            i += 1;
            while i < text.len() && text[i] != b'"' {
                i += 1;
            }
            i += 1;
        } else if c == b'{' || c == b'}' {
            out.push(if c == b'{' { "{" } else { "}" });
            i += 1;
        } else if c.is_ascii_alphanumeric() {
            let start = i;
            while i < text.len() && (text[i].is_ascii_alphanumeric() || text[i] == b'-' || text[i] == b'_') {
                if text[i] == b'-' && text.get(i + 1) == Some(&b'-') {
                    break;
                }
                i += 1;
            }
            // ASCII only, so this slice is valid UTF-8.
            out.push(std::str::from_utf8(&text[start..i]).unwrap_or(""));
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_skip_comments_and_strings() {
        let t = b"-- FAKE-MIB DEFINITIONS ::= BEGIN\nA-MIB DEFINITIONS ::= BEGIN\n x \"B-MIB DEFINITIONS\" END\n\
                  C-MIB { iso 3 } DEFINITIONS ::= BEGIN END";
        assert_eq!(module_names(t), vec!["A-MIB".to_owned(), "C-MIB".to_owned()]);
        assert!(module_names(b"").is_empty());
        assert!(module_names(b"DEFINITIONS").is_empty());
        assert!(module_names(b"} DEFINITIONS").is_empty());
    }
}
