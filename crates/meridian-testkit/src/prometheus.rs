//! The `prometheus_client` (PyPI) text parser as the judge of Meridian's
//! `/metrics` output. `scripts/install-snmpsim.sh` installs it into the
//! snmpsim venv ([`snmpsim_venv`]); without it [`prometheus_parse`] fails
//! naming the script, so tests never skip silently.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::process::io;
use crate::snmpsim::snmpsim_venv;
use crate::TestkitError;

/// One parsed sample: family name, sample name, labels (sorted), value.
#[derive(Debug, Clone, PartialEq)]
pub struct PromSample {
    pub family: String,
    pub kind: String,
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

/// Family, type, sample name, labels, value: as the parser script prints them.
type Row = (String, String, String, Vec<(String, String)>, f64);

/// Parses exposition text with `prometheus_client.parser`; a parse error
/// (the parser raises) is `Err` with its message.
pub fn prometheus_parse(text: &str) -> Result<Vec<PromSample>, TestkitError> {
    const SCRIPT: &str = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for fam in text_string_to_metric_families(sys.stdin.read()):
    for s in fam.samples:
        out.append([fam.name, fam.type, s.name, sorted(s.labels.items()), s.value])
print(json.dumps(out))
"#;
    let python = snmpsim_venv().join("bin/python3");
    let missing = |detail: String| {
        TestkitError::Peer(format!(
            "prometheus_client is not installed ({detail}); run `bash scripts/install-snmpsim.sh` (or `make deps`), \
             which installs it in the venv at {}",
            snmpsim_venv().display()
        ))
    };
    if !python.exists() {
        return Err(missing(format!("no {}", python.display())));
    }
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| io(&format!("run {}", python.display()), e))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).map_err(|e| io("write to the parser", e))?;
    }
    let out = child.wait_with_output().map_err(|e| io("wait for the parser", e))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        if stderr.contains("No module named") {
            return Err(missing(stderr.trim().lines().last().unwrap_or_default().to_owned()));
        }
        return Err(TestkitError::Peer(format!("prometheus_client refused the text: {}", stderr.trim())));
    }
    let rows: Vec<Row> = serde_json::from_slice(&out.stdout)
        .map_err(|e| TestkitError::Peer(format!("unexpected parser output: {e}")))?;
    Ok(rows
        .into_iter()
        .map(|(family, kind, name, labels, value)| PromSample { family, kind, name, labels, value })
        .collect())
}
