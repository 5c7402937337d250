//! `meridian timing mtie|tdev|adev|mdev|masks` end to end: the real binary on
//! the shared white-phase-noise file (core's copy) and on files the tests
//! write, good and bad. No data directory is given: offline analysis must
//! not need one. The metric values themselves are checked against
//! allantools in meridian-core's `timing_reference` test; here the numbers
//! are checked against the definition where that is cheap.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../meridian-core/tests/data/wpm_phase_seed12345.txt");

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("meridian")
        .expect("binary")
        .env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-timing-test")
        .env_remove("MERIDIAN_DATABASE_URL")
        .args(args)
        .output()
        .expect("run meridian")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `tau value` lines (skipping `#` notes).
fn lines(o: &Output) -> Vec<(f64, f64)> {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    stdout(o)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (t, v) = l.split_once(' ').unwrap_or_else(|| panic!("not `tau value`: {l:?}"));
            (t.parse().expect("tau"), v.parse().expect("value"))
        })
        .collect()
}

fn shared_phase() -> Vec<f64> {
    std::fs::read_to_string(SHARED).expect("data").lines().map(|l| l.trim().parse().expect("number")).collect()
}

fn mtie_by_definition(x: &[f64], m: usize) -> f64 {
    x.windows(m + 1)
        .map(|w| w.iter().copied().fold(f64::MIN, f64::max) - w.iter().copied().fold(f64::MAX, f64::min))
        .fold(0.0, f64::max)
}

/// Refused: exit 1, nothing on stdout, one line on stderr with every needle.
fn assert_refused(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(o));
    assert_eq!(err.lines().count(), 1, "one line expected: {err:?}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err:?}");
    }
}

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(text.as_bytes()).expect("write");
    f
}

fn path(f: &tempfile::NamedTempFile) -> &str {
    f.path().to_str().expect("utf-8 path")
}

#[test]
fn mtie_prints_one_line_per_octave_tau() {
    let got = lines(&run(&["timing", "mtie", SHARED]));
    let taus: Vec<f64> = got.iter().map(|p| p.0).collect();
    assert_eq!(taus, (0..14).map(|k| f64::from(1u32 << k)).collect::<Vec<_>>());
    let x = shared_phase();
    for (tau, value) in [got[0], got[5], got[13]] {
        assert_eq!(value, mtie_by_definition(&x, tau as usize), "tau {tau}");
    }
    assert!(got.windows(2).all(|w| w[1].1 >= w[0].1), "MTIE never decreases with tau");
}

#[test]
fn tdev_json_is_an_array_of_tau_and_value() {
    let o = run(&["--json", "timing", "tdev", SHARED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let points = v.as_array().expect("array");
    // TDEV needs 3m < N: m = 1 .. 2048 for 10,000 samples.
    assert_eq!(points.len(), 12);
    for (k, p) in points.iter().enumerate() {
        let keys: Vec<&String> = p.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["tau", "value"]);
        assert_eq!(p["tau"].as_f64(), Some(f64::from(1u32 << k)));
    }
    // White phase noise of sigma 1 ns: at m = 1 the second differences have
    // variance 6 sigma^2, so TDEV^2 = tau^2/3 * 6 sigma^2 / (2 tau^2) = sigma^2: about 1 ns.
    let first = points[0]["value"].as_f64().expect("value");
    assert!((0.8e-9..1.2e-9).contains(&first), "{first}");
    let text = lines(&run(&["timing", "tdev", SHARED]));
    // serde_json reads floats to within an ulp.
    let json_value = points[3]["value"].as_f64().expect("value");
    assert!(((text[3].1 - json_value) / json_value).abs() < 1e-15, "text and JSON print the same value");
}

#[test]
fn adev_and_mdev_run_too() {
    // ADEV while 2m + 2 <= N (m to 4096), MDEV while 3m < N (m to 2048).
    assert_eq!(lines(&run(&["timing", "adev", SHARED])).len(), 13);
    assert_eq!(lines(&run(&["timing", "mdev", SHARED])).len(), 12);
}

#[test]
fn mask_verdicts() {
    let ok = run(&["timing", "mtie", SHARED, "--mask", "g8262-eec1"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).lines().last().expect("verdict").starts_with("# MTIE passes G.8262 EEC option 1"));

    // A 1 us phase step halfway through 1 ns of noise: fails the G.8261
    // network wander mask (250 ns to 2.5 s) from the first tau.
    let stepped: Vec<String> = shared_phase()[..4096]
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{:e}", x + if i >= 2048 { 1e-6 } else { 0.0 }))
        .collect();
    let f = file(&stepped.join("\n"));
    let bad = run(&["timing", "mtie", path(&f), "--mask", "g8261-eec1-network"]);
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("MTIE fails G.8261 network wander limit") && err.contains("from tau 1 s"), "{err}");
    let json = run(&["--json", "timing", "mtie", path(&f), "--mask", "g8261-eec1-network"]);
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(v["verdict"]["pass"], Value::Bool(false));
    assert_eq!(v["verdict"]["firstFailingTau"].as_f64(), Some(1.0));
    // 4096 samples: windows of m + 1 fit to m = 2048.
    assert_eq!(v["points"].as_array().expect("points").len(), 12);

    // G.8273.2 dTE_L is measured through a 0.1 Hz low-pass: the curve judged
    // (and printed) is the filtered one, below the raw MTIE at every tau.
    let class_c = run(&["timing", "mtie", SHARED, "--mask", "g8273.2-class-c"]);
    assert!(stdout(&class_c).contains("# through a first-order 0.1 Hz low-pass filter"), "{}", stdout(&class_c));
    let raw = lines(&run(&["timing", "mtie", SHARED]));
    for (f, r) in lines(&class_c).iter().zip(&raw) {
        assert!(f.0 == r.0 && f.1 < r.1, "filtered {f:?} vs raw {r:?}");
    }

    assert_refused(&run(&["timing", "mtie", SHARED, "--mask", "g999"]), &["mask", "unknown mask 'g999'", "g8262-eec1"]);
    assert_refused(&run(&["timing", "mtie", SHARED, "--mask", "g8261-eec2-network"]), &["has no MTIE limit"]);
    assert_refused(&run(&["timing", "adev", SHARED, "--mask", "g811-prc"]), &["masks limit MTIE or TDEV"]);
}

#[test]
fn tau0_from_flag_or_time_column() {
    let half = lines(&run(&["timing", "mtie", SHARED, "--tau0", "0.5"]));
    assert_eq!((half[0].0, half[13].0), (0.5, 4096.0));
    let two = file("# t x\n0 1e-9\n0.25 3e-9\n0.5 0\n0.75 2e-9\n1.0 1e-9\n");
    let got = lines(&run(&["timing", "mtie", path(&two)]));
    // Steps 2, 3, 2, 1 ns -> MTIE(0.25 s) = 3 ns; windows of 3: 3, 3, 2 -> 3 ns; of 5: 3 ns.
    assert_eq!(got, vec![(0.25, 3e-9), (0.5, 3e-9), (1.0, 3e-9)]);
    assert_eq!(lines(&run(&["timing", "mtie", path(&two), "--tau0", "0.25"])), got);
    assert_refused(&run(&["timing", "mtie", path(&two), "--tau0", "1"]), &["tau0", "disagrees", "0.25 s"]);
    assert_refused(&run(&["timing", "mtie", SHARED, "--tau0", "0"]), &["tau0", "positive"]);
}

#[test]
fn bad_files_get_one_line_naming_the_problem() {
    let cases = [
        ("1e-9\n2e-9\nhello\n4e-9\n", vec!["file", "line 3", "'hello' is not a number"]),
        ("1e-9\nnan\n3e-9\n4e-9\n", vec!["file", "line 2", "not a finite number"]),
        ("1e-9\n2e-9\n", vec!["file", "2 phase value(s); at least 4 are needed"]),
        ("0 1e-9\n1 2e-9\n2 3e-9\n5 4e-9\n", vec!["file", "line 4", "evenly spaced"]),
        ("", vec!["file", "0 phase value(s)"]),
    ];
    for (text, needles) in cases {
        let f = file(text);
        for cmd in ["mtie", "tdev"] {
            assert_refused(&run(&["timing", cmd, path(&f)]), &needles);
        }
    }
    let missing = "/nonexistent/meridian/phase.txt";
    assert!(!Path::new(missing).exists());
    assert_refused(&run(&["timing", "mtie", missing]), &["file", "cannot read /nonexistent/meridian/phase.txt"]);
    // With --json the error is also a document on stdout, as for every command.
    let o = run(&["--json", "timing", "tdev", missing]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON error");
    assert_eq!(v["error"]["fields"][0]["field"], "file");
}

#[test]
fn masks_lists_the_library() {
    let o = run(&["--json", "timing", "masks"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let ids: Vec<&str> = v.as_array().expect("array").iter().filter_map(|m| m["id"].as_str()).collect();
    for id in [
        "g811-prc",
        "g8262-eec1",
        "g8262-eec2",
        "g8261-eec1-network",
        "g8272-prtc-a",
        "g8272.1-eprtc",
        "g8273.2-class-c",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(stdout(&run(&["timing", "masks"])).contains("G.8272/Y.1367 Table 1"));
}
