//! What every peer harness does with processes: run a tool and keep its
//! stdout, and make sure a peer dies with the test process.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::TestkitError;

pub(crate) fn io(what: &str, e: std::io::Error) -> TestkitError {
    TestkitError::Io { what: what.to_owned(), source: e }
}

/// Runs `cmd` to completion; its stdout, or an error carrying its stderr.
pub(crate) fn stdout_of(mut cmd: Command, name: &str) -> Result<String, TestkitError> {
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| io(&format!("run {name}"), e))?;
    if !out.status.success() {
        return Err(TestkitError::Peer(format!(
            "{name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Starts a detached shell that waits for this test process to exit,
/// however it exits (statics are never dropped, a panic may abort), then
/// runs `cleanup`.
pub(crate) fn spawn_watchdog(what: &str, cleanup: &str) -> Result<(), TestkitError> {
    let script = format!("while kill -0 {} 2>/dev/null; do sleep 0.5; done; {cleanup}", std::process::id());
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| io(&format!("spawn {what} watchdog"), e))?;
    Ok(())
}

/// A net-snmp client tool (`snmpget`, `snmpbulkwalk`, `snmpset`, ...) with
/// MIB loading off, a private persistent dir under `dir` and the C locale,
/// so its output depends only on the agent.
pub fn net_snmp_tool(dir: &Path, name: &str, args: &[&str]) -> Command {
    let mut c = Command::new(name);
    c.args(["-M", "/nonexistent", "-m", ""])
        .args(args)
        .env("SNMP_PERSISTENT_DIR", dir.join("client"))
        .env("SNMPCONFPATH", dir.join("client"))
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    c
}

/// `fping -a -q -r 0 -t 200 -i 0 -g RANGE`, the benchmarks' ICMP anchor:
/// the alive addresses it printed, or None when fping is missing. fping
/// bounds itself; a watchdog kills it after `limit` as a backstop. The
/// watchdog is not joined, so a caller timing this call times fping alone.
pub fn fping_alive(range: &str, limit: std::time::Duration) -> Option<Vec<String>> {
    let child = Command::new("fping")
        .args(["-a", "-q", "-r", "0", "-t", "200", "-i", "0", "-g", range])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let pid = child.id();
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if !Path::new(&format!("/proc/{pid}")).exists() {
                return;
            }
        }
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
    let out = child.wait_with_output().ok()?;
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    )
}

/// Runs `script` with the test venv's Python and `args`, returning its
/// stdout. A missing venv or module is an error naming the install script
/// (`package` is what it would install); any other failure carries the
/// script's stderr under `what`.
pub(crate) fn venv_script(
    package: &str,
    what: &str,
    script: &str,
    args: &[std::ffi::OsString],
) -> Result<Vec<u8>, TestkitError> {
    let python = crate::snmpsim::snmpsim_venv().join("bin/python3");
    let missing = |detail: String| {
        TestkitError::Peer(format!(
            "{package} is not installed ({detail}); run `bash scripts/install-snmpsim.sh` (or `make deps`), \
             which installs it in the venv at {} (MERIDIAN_SNMPSIM_VENV overrides the path)",
            crate::snmpsim::snmpsim_venv().display()
        ))
    };
    if !python.exists() {
        return Err(missing(format!("no {}", python.display())));
    }
    let out = std::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| io(&format!("run {}", python.display()), e))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        if stderr.contains("No module named") {
            return Err(missing(stderr.trim().lines().last().unwrap_or_default().to_owned()));
        }
        return Err(TestkitError::Peer(format!("{what} failed ({}): {}", out.status, stderr.trim())));
    }
    Ok(out.stdout)
}
