//! `meridian timing`: the timing half from the command line. Today the
//! offline wander analysis of a phase file (`mtie`, `tdev`, `adev`, `mdev`)
//! and the mask list; these need no data directory, so they run beside the
//! desktop app. `ptp` and `ntp` ask one clock once (`timing_live`), like `ping`; `tree`
//! asks every watched clock and `wander` reads a stored series, through the App.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use meridian_service::timing::{self, AnalyseOptions, Metric, WanderAnalysis};
use meridian_service::ApiError;

use crate::output::{print_json, table};

#[derive(Debug, Subcommand)]
pub enum TimingCmd {
    /// MTIE of a phase file, one line per octave tau: `tau value` in seconds.
    Mtie(FileArgs),
    /// TDEV of a phase file, one line per octave tau: `tau value` in seconds.
    Tdev(FileArgs),
    /// Overlapping Allan deviation of a phase file (value dimensionless).
    Adev(FileArgs),
    /// Modified Allan deviation of a phase file (value dimensionless).
    Mdev(FileArgs),
    /// The ITU-T masks `--mask` takes.
    Masks,
    /// One PTP clock's data sets (DEFAULT, CURRENT, PARENT, PORT, TIME_STATUS_NP), read once.
    Ptp(PtpArgs),
    /// One NTP exchange: offset, delay, stratum, reference id, leap, root delay and dispersion.
    Ntp(NtpArgs),
    /// The hierarchy of the watched PTP clocks (`meridian device ptp`), asked now:
    /// grandmasters at the roots, each clock under the one its port follows.
    Tree,
    /// MTIE and TDEV of a watched clock's stored offset over a window, judged
    /// against masks (default g8261-eec1-network).
    Wander(WanderArgs),
}

#[derive(Debug, Args)]
pub struct WanderArgs {
    /// The device whose PTP offset series is analysed.
    pub device: meridian_service::DeviceKey,
    /// Start of the window: RFC 3339 or an age like 1h [default: 1h before --to].
    #[arg(long)]
    pub from: Option<String>,
    /// End of the window: RFC 3339 or an age [default: now].
    #[arg(long)]
    pub to: Option<String>,
    /// A mask id (repeat for more; see `meridian timing masks`).
    #[arg(long, value_name = "NAME")]
    pub mask: Vec<String>,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("ptp_endpoint").required(true).args(["uds", "udp"])))]
pub struct PtpArgs {
    /// A local ptp4l's UNIX management socket (its uds_address).
    #[arg(long, value_name = "PATH")]
    pub uds: Option<String>,
    /// A clock's IPv4 address, asked on UDP port 320 (needs root or CAP_NET_BIND_SERVICE).
    #[arg(long, value_name = "ADDR")]
    pub udp: Option<String>,
    /// PTP domain number.
    #[arg(long, default_value_t = 0)]
    pub domain: u8,
}

#[derive(Debug, Args)]
pub struct NtpArgs {
    /// The server: ADDR, ADDR:PORT, [IPV6]:PORT or HOST[:PORT] (port 123 by default).
    #[arg(value_name = "ADDR[:PORT]")]
    pub server: String,
}

#[derive(Debug, Args)]
#[command(after_help = "The file holds one phase (time error) value in seconds per line, or two columns: time and \
phase, evenly spaced. `#` starts a comment. With --json: an array of {\"tau\": s, \"value\": s}; with --mask as well, \
{\"points\": [...], \"verdict\": {...}}. Exit status 1 when the file is refused or the curve fails the mask.")]
pub struct FileArgs {
    /// Phase file.
    pub file: PathBuf,
    /// Sample interval in seconds [default: the time column's step, else 1].
    #[arg(long, value_name = "S")]
    pub tau0: Option<f64>,
    /// Judge the curve against an ITU-T mask, e.g. g8262-eec1 (see `meridian timing masks`).
    #[arg(long, value_name = "NAME")]
    pub mask: Option<String>,
}

impl TimingCmd {
    /// Whether the command works without the App: files, or one query to
    /// one clock (like `ping`), so it runs beside a monitor holding the store.
    /// `tree` reads the watched devices, so it opens the data directory.
    pub fn is_offline(&self) -> bool {
        !matches!(self, Self::Tree | Self::Wander(_))
    }
}

pub async fn run(cmd: TimingCmd, json: bool) -> Result<ExitCode, ApiError> {
    let (metric, args) = match cmd {
        TimingCmd::Ptp(a) => return crate::timing_live::ptp(a, json).await.map(|()| ExitCode::SUCCESS),
        TimingCmd::Ntp(a) => return crate::timing_live::ntp(a, json).await.map(|()| ExitCode::SUCCESS),
        TimingCmd::Tree | TimingCmd::Wander(_) => {
            return Err(ApiError::new(meridian_service::ApiErrorKind::Internal, "this timing command needs the app"))
        }
        TimingCmd::Mtie(a) => (Metric::Mtie, a),
        TimingCmd::Tdev(a) => (Metric::Tdev, a),
        TimingCmd::Adev(a) => (Metric::Adev, a),
        TimingCmd::Mdev(a) => (Metric::Mdev, a),
        TimingCmd::Masks => return masks(json).map(|()| ExitCode::SUCCESS),
    };
    let opts = AnalyseOptions { metric, tau0: args.tau0, mask: args.mask };
    let analysis = timing::analyse_file(&args.file, &opts)?;
    print(&analysis, json)?;
    match &analysis.verdict {
        Some(v) if !v.pass => {
            eprintln!("error: {}", timing::describe_verdict(v));
            Ok(ExitCode::from(1))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn print(a: &WanderAnalysis, json: bool) -> Result<(), ApiError> {
    if json {
        return match &a.verdict {
            Some(v) => print_json(&serde_json::json!({ "points": a.points, "verdict": v })),
            None => print_json(&a.points),
        };
    }
    for p in &a.points {
        println!("{} {:e}", p.tau, p.value);
    }
    if let Some(hz) = a.prefilter_hz {
        println!("# through a first-order {hz} Hz low-pass filter, as the mask's Recommendation measures");
    }
    if let Some(v) = a.verdict.as_ref().filter(|v| v.pass) {
        println!("# {}", timing::describe_verdict(v));
    }
    Ok(())
}

fn masks(json: bool) -> Result<(), ApiError> {
    let masks = timing::masks();
    if json {
        return print_json(&masks);
    }
    let range = |from: f64, to: Option<f64>| format!("{from}..{}", to.map_or_else(|| "".to_owned(), |t| t.to_string()));
    let rows = masks
        .iter()
        .map(|m| vec![m.id.clone(), m.metric.label().to_owned(), range(m.tau_from, m.tau_to), m.source.clone()])
        .collect();
    table(&["NAME", "METRIC", "TAU (S)", "SOURCE"], rows);
    Ok(())
}
