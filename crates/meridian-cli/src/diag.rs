//! Diagnostic commands: `ping`, `sweep`, `snmp get|walk`. They run before
//! the App opens (no data directory, no store lock), so they work while the
//! desktop app or `meridian monitor` is running. Parsing, validation and the
//! probing itself live in `meridian_service::diag`; this file only maps flags
//! and prints.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use meridian_service::diag::{
    self, PingOptions, PingResult, SnmpCredentialInput, SnmpOptions, SweepOptions, SweepProgress, VarBindView,
};
use meridian_service::mib::Mibs;
use meridian_service::{ApiError, ApiErrorKind};
use serde::Serialize;

use crate::cli::{Cli, Command};

#[derive(Debug, Args)]
#[command(after_help = "Exit status: 0 when every address answered at least once; 1 when any address got \
no reply at all (100% loss), or the input was refused (nothing is sent then).")]
pub struct PingArgs {
    /// IPv4 or IPv6 addresses (host names are not resolved).
    #[arg(required = true, value_name = "ADDR")]
    pub addresses: Vec<String>,
    /// Echo requests per address.
    #[arg(short = 'c', long, default_value_t = 3)]
    pub count: u32,
    /// Milliseconds between requests to one address.
    #[arg(short = 'i', long, value_name = "MS", default_value_t = 1000)]
    pub interval_ms: u64,
    /// Milliseconds to wait for each reply.
    #[arg(short = 'W', long, value_name = "MS", default_value_t = 1000)]
    pub timeout_ms: u64,
    /// ICMP payload bytes.
    #[arg(short = 's', long, value_name = "BYTES", default_value_t = 56)]
    pub size: usize,
}

#[derive(Debug, Args)]
#[command(after_help = "Prints the addresses that answered, one per line (with --json: \
{total, alive: [...], elapsedMs, sendErrors}). Progress goes to stderr when it is a terminal. \
More than 65536 addresses needs --force; more than 16777216 is always refused.")]
pub struct SweepArgs {
    /// Addresses or CIDR ranges, e.g. 127.1.0.0/24 or ::1/126 (commas also separate).
    #[arg(required = true, value_name = "CIDR")]
    pub ranges: Vec<String>,
    /// Milliseconds to wait for each reply.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub timeout_ms: u64,
    /// Extra requests to an address that did not answer.
    #[arg(long, default_value_t = 1)]
    pub retries: u32,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 512)]
    pub concurrency: usize,
    /// Allow more than 65536 addresses (up to 16777216).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum SnmpCmd {
    /// GET one or more OIDs.
    Get {
        /// Agent: ADDR or ADDR:PORT, [V6ADDR]:PORT for IPv6 with a port (default port 161).
        #[arg(value_name = "TARGET[:PORT]")]
        target: String,
        /// OIDs: numeric (.1.3.6.1.2.1.1.5.0) or MIB names (SNMPv2-MIB::sysName.0, sysName.0).
        #[arg(required = true, value_name = "OID")]
        oids: Vec<String>,
        #[command(flatten)]
        flags: SnmpFlags,
    },
    /// Walk subtrees with GETBULK (GETNEXT for v1); without an OID, the whole tree (.1).
    Walk {
        /// Agent: ADDR or ADDR:PORT, [V6ADDR]:PORT for IPv6 with a port (default port 161).
        #[arg(value_name = "TARGET[:PORT]")]
        target: String,
        /// Subtree roots, walked in turn: numeric or MIB names (IF-MIB::ifTable).
        #[arg(value_name = "OID")]
        oids: Vec<String>,
        #[command(flatten)]
        flags: SnmpFlags,
    },
}

/// Credential and timing flags, spelled as net-snmp's tools spell them.
/// A pass phrase or community of `-` is read from stdin (one line each).
#[derive(Debug, Args)]
pub struct SnmpFlags {
    /// SNMP version: 1, 2c or 3 [default: 2c, or 3 with --user].
    #[arg(short = 'v', long = "version", value_name = "1|2c|3")]
    pub snmp_version: Option<String>,
    /// v1/v2c community [default: public].
    #[arg(short = 'c', long)]
    pub community: Option<String>,
    /// SNMPv3 user name.
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512.
    #[arg(short = 'a', long)]
    pub auth_proto: Option<String>,
    /// Auth pass phrase, 8 characters or more.
    #[arg(short = 'A', long)]
    pub auth_pass: Option<String>,
    /// DES, AES-128, AES-192, AES-256.
    #[arg(short = 'x', long)]
    pub priv_proto: Option<String>,
    /// Privacy pass phrase, 8 characters or more.
    #[arg(short = 'X', long)]
    pub priv_pass: Option<String>,
    /// Milliseconds to wait for each reply.
    #[arg(short = 't', long, value_name = "MS", default_value_t = 1000)]
    pub timeout_ms: u64,
    /// Extra attempts after the first.
    #[arg(short = 'r', long, default_value_t = 2)]
    pub retries: u32,
    /// Output options as net-snmp's: `-On` prints numeric OIDs and raw values
    /// (no MIB lookups); by default names come from the loaded MIBs.
    #[arg(short = 'O', value_name = "n")]
    pub output: Option<String>,
}

pub enum Handled {
    Done(Result<ExitCode, ApiError>),
    NotDiag(Box<Cli>),
}

/// The commands [`run`] handles (they need no data directory). Offline
/// `timing` analysis reads files only, so it runs here too.
pub fn is_diag(command: &Command) -> bool {
    match command {
        Command::Ping(_) | Command::Sweep(_) | Command::Snmp(_) | Command::Mib(_) => true,
        Command::Timing(c) => c.is_offline(),
        _ => false,
    }
}

pub async fn run(cli: Cli) -> Handled {
    let json = cli.json;
    let result = match cli.command {
        Command::Ping(a) => ping(a, json).await,
        Command::Sweep(a) => sweep(a, json).await.map(|()| ExitCode::SUCCESS),
        Command::Snmp(c) => snmp(c, cli.mib_dir, json).await.map(|()| ExitCode::SUCCESS),
        Command::Mib(c) => meridian_service::mib_dir(cli.mib_dir)
            .and_then(|dir| crate::mib::run(c, &Mibs::load(dir.as_deref()), json))
            .map(|()| ExitCode::SUCCESS),
        Command::Timing(c) if c.is_offline() => crate::timing::run(c, json).await,
        _ => return Handled::NotDiag(Box::new(cli)),
    };
    Handled::Done(result)
}

/// Exit status 1 when some address never replied, like ping(8).
async fn ping(a: PingArgs, json: bool) -> Result<ExitCode, ApiError> {
    let opts = PingOptions { count: a.count, interval_ms: a.interval_ms, timeout_ms: a.timeout_ms, size: a.size };
    let results = diag::ping(&a.addresses, &opts).await?;
    if json {
        write_json(&results)?;
    } else {
        write_lines(results.iter().map(ping_line))?;
    }
    let dead: Vec<&str> = results.iter().filter(|r| r.all_lost()).map(|r| r.address.as_str()).collect();
    if dead.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    // A run that completed without a reply is a result, not a refused
    // request: no error document on stdout (that would be a second JSON
    // value), only the status and a line on stderr.
    let _ = writeln!(std::io::stderr(), "error: no reply from {} (100% loss)", dead.join(", "));
    Ok(ExitCode::from(1))
}

/// `127.0.0.1: 3/3 replies, rtt min/avg/max/jitter = 0.031/0.045/0.062/0.010 ms, loss 0%`
fn ping_line(r: &PingResult) -> String {
    let f = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
    let loss =
        if r.loss_percent.fract() == 0.0 { format!("{:.0}", r.loss_percent) } else { format!("{:.1}", r.loss_percent) };
    let mut line = format!("{}: {}/{} replies", r.address, r.received, r.sent);
    if r.received > 0 {
        line.push_str(&format!(
            ", rtt min/avg/max/jitter = {}/{}/{}/{} ms",
            f(r.rtt_min_ms),
            f(r.rtt_avg_ms),
            f(r.rtt_max_ms),
            f(r.jitter_ms)
        ));
    }
    line.push_str(&format!(", loss {loss}%"));
    if let Some(e) = &r.error {
        line.push_str(&format!(" ({e})"));
    }
    line
}

async fn sweep(a: SweepArgs, json: bool) -> Result<(), ApiError> {
    let opts =
        SweepOptions { timeout_ms: a.timeout_ms, retries: a.retries, concurrency: a.concurrency, ..Default::default() };
    let tty = std::io::stderr().is_terminal();
    let meter = Arc::new(Meter { last: Mutex::new(None) });
    let progress = {
        let meter = Arc::clone(&meter);
        move |p: SweepProgress| {
            if tty {
                meter.show(p);
            }
        }
    };
    let result = diag::sweep(&a.ranges, a.force, &opts, progress).await;
    if tty && meter.shown() {
        // Clear the progress line.
        let _ = write!(std::io::stderr(), "\r\x1b[K");
    }
    let result = result?;
    if json {
        write_json(&result)
    } else {
        write_lines(result.alive.iter())
    }
}

/// The in-place progress line: at most ten updates a second, and the last.
struct Meter {
    last: Mutex<Option<Instant>>,
}

impl Meter {
    fn show(&self, p: SweepProgress) {
        let done = p.probed == p.total;
        // try_lock: called from the probe tasks, which must not wait on us.
        let guard = if done { self.last.lock().ok() } else { self.last.try_lock().ok() };
        let Some(mut last) = guard else { return };
        if !done && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let _ = write!(std::io::stderr(), "\r\x1b[Ksweep: {}/{} probed, {} alive", p.probed, p.total, p.alive);
    }

    fn shown(&self) -> bool {
        self.last.lock().map(|l| l.is_some()).unwrap_or(true)
    }
}

async fn snmp(c: SnmpCmd, mib_dir: Option<PathBuf>, json: bool) -> Result<(), ApiError> {
    let (target, oids, flags, walk) = match c {
        SnmpCmd::Get { target, oids, flags } => (target, oids, flags, false),
        SnmpCmd::Walk { target, oids, flags } => (target, oids, flags, true),
    };
    let mibs = match flags.output.as_deref() {
        None => Some(Mibs::load(meridian_service::mib_dir(mib_dir)?.as_deref())),
        Some("n") => None,
        Some(o) => return Err(ApiError::field("O", format!("-O{o}: only -On (numeric OIDs) is supported"))),
    };
    let mibs = mibs.as_ref().map(Mibs::set);
    let opts = SnmpOptions { timeout_ms: flags.timeout_ms, retries: flags.retries };
    let cred = SnmpCredentialInput {
        version: flags.snmp_version,
        community: stdin_if_dash(flags.community)?,
        user: flags.user,
        auth_proto: flags.auth_proto,
        auth_pass: stdin_if_dash(flags.auth_pass)?,
        priv_proto: flags.priv_proto,
        priv_pass: stdin_if_dash(flags.priv_pass)?,
    };
    let vbs = if walk {
        diag::snmp_walk(&target, &cred, &oids, &opts, mibs).await?
    } else {
        diag::snmp_get(&target, &cred, &oids, &opts, mibs).await?
    };
    if json {
        write_json(&vbs)
    } else {
        write_lines(vbs.iter().map(VarBindView::to_string))
    }
}

/// `-` reads one line from stdin, so a secret need not sit in the shell
/// history or the process list.
fn stdin_if_dash(v: Option<String>) -> Result<Option<String>, ApiError> {
    match v.as_deref() {
        Some("-") => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| ApiError::new(ApiErrorKind::Validation, format!("reading a secret from stdin: {e}")))?;
            Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
        }
        _ => Ok(v),
    }
}

/// One line per item on stdout. A closed pipe (`| head`) ends the output
/// quietly instead of panicking as `println!` would.
fn write_lines<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> Result<(), ApiError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let write = || -> std::io::Result<()> {
        for item in items {
            writeln!(out, "{item}")?;
        }
        out.flush()
    };
    write().or_else(stdout_error)
}

fn write_json<T: Serialize + ?Sized>(value: &T) -> Result<(), ApiError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .or_else(stdout_error)
}

fn stdout_error(e: std::io::Error) -> Result<(), ApiError> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(ApiError::new(ApiErrorKind::Internal, format!("writing to stdout: {e}")))
    }
}
