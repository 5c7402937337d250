//! MTIE and TDEV of 1,000,000 phase samples at every octave tau (goal: both
//! under 0.1 s in release), against allantools on the same series in the
//! same run (its TDEV at every octave tau; its MTIE, O(N * m) per tau, only
//! up to tau = 1024 s, the longest it finishes in seconds). Median of 3
//! rounds for ours; allantools' time is measured inside Python around each
//! call, so interpreter start-up and file loading are not counted.
//!
//!     cargo bench -p meridian-core --bench timing
//!
//! Needs the allantools venv (`bash scripts/install-snmpsim.sh`); without it
//! the bench prints our figures and says so.

#[path = "../tests/common/noise.rs"]
mod noise;

use std::hint::black_box;
use std::io::Write;
use std::time::Instant;

use meridian_core::timing::{mtie, tdev, PhaseSeries, TauValue};

const N: usize = 1_000_000;
const MTIE_MAX_TAU: f64 = 1024.0;

/// CPU time this thread has run, in seconds (Linux schedstat, ns), so a
/// busy shared machine inflates the figure less than wall time does.
fn thread_cpu() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(text.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

/// Median wall and CPU seconds of 3 rounds, and the last result.
fn median(mut f: impl FnMut() -> Vec<TauValue>) -> (f64, Option<f64>, Vec<TauValue>) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut out = Vec::new();
    for _ in 0..3 {
        let (start, cpu0) = (Instant::now(), thread_cpu());
        out = black_box(f());
        wall.push(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu0, thread_cpu()) {
            cpu.push(b - a);
        }
    }
    wall.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    (wall[1], cpu.get(1).copied(), out)
}

fn main() {
    let x = noise::white_phase(N, 12345, 1e-9);
    let series = PhaseSeries::new(x.clone(), 1.0).expect("series");
    let (mtie_s, mtie_cpu, mtie_curve) = median(|| mtie(&series).expect("mtie"));
    let (tdev_s, tdev_cpu, tdev_curve) = median(|| tdev(&series).expect("tdev"));
    let cpu = |c: Option<f64>| c.map_or_else(|| "-".to_owned(), |c| format!("{c:.4}"));
    println!("{N} samples, tau0 = 1 s (white phase noise, 1 ns); median of 3, wall (CPU) seconds");
    println!(
        "ours: MTIE {} taus {:.4} ({}) s; TDEV {} taus {:.4} ({}) s; together {:.4} s wall (goal < 0.1 s)",
        mtie_curve.len(),
        mtie_s,
        cpu(mtie_cpu),
        tdev_curve.len(),
        tdev_s,
        cpu(tdev_cpu),
        mtie_s + tdev_s
    );

    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    for v in &x {
        writeln!(file, "{v:e}").expect("write");
    }
    file.flush().expect("flush");
    let tdev_ref = meridian_testkit::allantools(file.path(), 1.0, &["tdev"], None);
    let mtie_ref = meridian_testkit::allantools(file.path(), 1.0, &["mtie"], Some(MTIE_MAX_TAU));
    match (tdev_ref, mtie_ref) {
        (Ok(t), Ok(m)) => {
            let (t, m) = (&t[0], &m[0]);
            let ratio =
                |theirs: f64, ours: Option<f64>| ours.map_or_else(|| "-".to_owned(), |o| format!("{:.0}", theirs / o));
            println!(
                "allantools 2024.6: TDEV {} taus {:.3} ({:.3}) s -> ours is {:.0}x faster wall, {}x CPU",
                t.points.len(),
                t.wall_seconds,
                t.cpu_seconds,
                t.wall_seconds / tdev_s,
                ratio(t.cpu_seconds, tdev_cpu)
            );
            println!(
                "allantools 2024.6: MTIE {} taus (to {MTIE_MAX_TAU} s) {:.3} ({:.3}) s -> ours ({} taus) is {:.0}x \
                 faster wall, {}x CPU",
                m.points.len(),
                m.wall_seconds,
                m.cpu_seconds,
                mtie_curve.len(),
                m.wall_seconds / mtie_s,
                ratio(m.cpu_seconds, mtie_cpu)
            );
            let worst = |ours: &[TauValue], theirs: &[(f64, f64)]| {
                theirs.iter().zip(ours).map(|(r, p)| ((p.value - r.1) / r.1).abs()).fold(0.0, f64::max)
            };
            println!(
                "largest relative difference: TDEV {:.1e}, MTIE {:.1e}",
                worst(&tdev_curve, &t.points),
                worst(&mtie_curve, &m.points)
            );
        }
        (Err(e), _) | (_, Err(e)) => println!("allantools not run: {e}"),
    }
}
