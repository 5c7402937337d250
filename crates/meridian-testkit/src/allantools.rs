//! `allantools` (PyPI), the reference for Meridian's MTIE/TDEV/ADEV/MDEV:
//! runs its functions on a phase file with the venv's Python.
//!
//! `scripts/install-snmpsim.sh` (run by `make deps`) installs it into the
//! same venv as snmpsim ([`snmpsim_venv`]). Without it [`allantools`] fails
//! with a message naming the script; tests never skip silently.

use std::path::Path;

use crate::process::venv_script;
use crate::TestkitError;

/// One allantools function's curve and how long it took: wall and process
/// CPU seconds, measured inside Python around the call (interpreter
/// start-up and file loading are not counted).
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub function: String,
    pub points: Vec<(f64, f64)>,
    pub wall_seconds: f64,
    pub cpu_seconds: f64,
}

/// Loads the file with `numpy.loadtxt` once, then for each function calls
/// `allantools.<function>(x, rate, "phase", taus)` with `taus="octave"`, or
/// the octave taus up to `max_tau` when given (allantools' MTIE is O(N * m)
/// per tau, too slow at long taus on a million samples). Values are printed
/// with `repr`, which round-trips a float64 exactly.
pub fn allantools(
    file: &Path,
    rate: f64,
    functions: &[&str],
    max_tau: Option<f64>,
) -> Result<Vec<Reference>, TestkitError> {
    const SCRIPT: &str = r#"
import sys, time
import numpy as np
import allantools as at
x = np.loadtxt(sys.argv[1], ndmin=1)
rate = float(sys.argv[2])
max_tau = float(sys.argv[3])
taus = "octave"
if max_tau > 0:
    taus = [2.0 ** k / rate for k in range(64) if 2.0 ** k / rate <= max_tau]
for name in sys.argv[4:]:
    wall, cpu = time.perf_counter(), time.process_time()
    t, d, _, _ = getattr(at, name)(x, rate=rate, data_type="phase", taus=taus)
    print("function", name, repr(time.perf_counter() - wall), repr(time.process_time() - cpu))
    for a, b in zip(t, d):
        print(repr(float(a)), repr(float(b)))
"#;
    let mut args: Vec<std::ffi::OsString> =
        vec![file.into(), rate.to_string().into(), max_tau.unwrap_or(0.0).to_string().into()];
    args.extend(functions.iter().map(Into::into));
    let out = venv_script("allantools", "allantools", SCRIPT, &args)?;
    parse(&String::from_utf8_lossy(&out))
}

fn parse(text: &str) -> Result<Vec<Reference>, TestkitError> {
    let bad = |line: &str| TestkitError::Peer(format!("unexpected allantools output line: {line:?}"));
    let mut refs: Vec<Reference> = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["function", name, wall, cpu] => refs.push(Reference {
                function: (*name).to_owned(),
                points: Vec::new(),
                wall_seconds: wall.parse().map_err(|_| bad(line))?,
                cpu_seconds: cpu.parse().map_err(|_| bad(line))?,
            }),
            [tau, value] => {
                let point = (tau.parse().map_err(|_| bad(line))?, value.parse().map_err(|_| bad(line))?);
                refs.last_mut().ok_or_else(|| bad(line))?.points.push(point);
            }
            _ => return Err(bad(line)),
        }
    }
    Ok(refs)
}
