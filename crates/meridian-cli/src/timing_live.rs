//! `meridian timing ptp|ntp`: one query to one clock, printed. The query is
//! `meridian_service::diag::{ptp_query, ntp_query}`; this file maps flags
//! and prints.

use chrono::Utc;
use meridian_service::diag::{self, NtpReading, PtpSnapshot};
use meridian_service::timing::describe_verdict;
use meridian_service::{parse_time, ApiError, App, PtpTreeNode, PtpWatchEndpoint};

use crate::output::{print_json, Out};
use crate::timing::{NtpArgs, PtpArgs, WanderArgs};

pub async fn ptp(a: PtpArgs, json: bool) -> Result<(), ApiError> {
    let endpoint = match (a.uds, a.udp) {
        (Some(path), _) => PtpWatchEndpoint::Uds { path },
        (None, address) => PtpWatchEndpoint::Udp { address },
    };
    let snap = diag::ptp_query(&endpoint, a.domain).await?;
    if json {
        return print_json(&snap);
    }
    for (name, value) in ptp_lines(&snap) {
        println!("{name:<24}{value}");
    }
    Ok(())
}

pub async fn ntp(a: NtpArgs, json: bool) -> Result<(), ApiError> {
    let r = diag::ntp_query(&a.server).await?;
    if json {
        return print_json(&r);
    }
    for (name, value) in ntp_lines(&r) {
        println!("{name:<18}{value}");
    }
    Ok(())
}

/// The fields an engineer compares with `pmc`'s output, one per line.
fn ptp_lines(s: &PtpSnapshot) -> Vec<(&'static str, String)> {
    let d = &s.default;
    let p = &s.parent;
    vec![
        ("clockIdentity", d.clock_identity.to_string()),
        ("domainNumber", d.domain.to_string()),
        ("priority1/priority2", format!("{}/{}", d.priority1, d.priority2)),
        ("clockClass", d.quality.class.to_string()),
        ("slaveOnly", d.slave_only.to_string()),
        ("portIdentity", s.port.port.to_string()),
        ("portState", format!("{:?}", s.port.state).to_uppercase()),
        ("offsetFromMaster", format!("{} ns", s.current.offset_from_master_ns)),
        ("meanPathDelay", format!("{} ns", s.current.mean_path_delay_ns)),
        ("stepsRemoved", s.current.steps_removed.to_string()),
        ("parentPortIdentity", p.parent_port.to_string()),
        ("grandmasterIdentity", p.grandmaster_identity.to_string()),
        ("gm.priority1/2", format!("{}/{}", p.grandmaster_priority1, p.grandmaster_priority2)),
        ("gm.clockClass", p.grandmaster_quality.class.to_string()),
        ("gm.clockAccuracy", format!("0x{:02x}", p.grandmaster_quality.accuracy)),
        ("gm.offsetScaledLogVar", format!("0x{:04x}", p.grandmaster_quality.offset_scaled_log_variance)),
        ("gmPresent", s.time_status.gm_present.to_string()),
        ("master_offset", format!("{} ns", s.time_status.master_offset_ns)),
    ]
}

fn ntp_lines(r: &NtpReading) -> Vec<(&'static str, String)> {
    vec![
        ("offset", format!("{:+.9} s", r.offset_s)),
        ("delay", format!("{:.9} s", r.delay_s)),
        ("stratum", r.stratum.to_string()),
        ("reference id", r.reference_id.to_string()),
        ("leap", format!("{:?}", r.leap)),
        ("root delay", format!("{:.9} s", r.root_delay_s)),
        ("root dispersion", format!("{:.9} s", r.root_dispersion_s)),
        ("version", r.version.to_string()),
    ]
}

/// `meridian timing tree`: one line per clock, indented under its parent.
pub async fn tree(app: &App, out: Out) -> Result<(), ApiError> {
    let t = app.ptp_tree().await?;
    out.one(&t, || {
        let mut lines = Vec::new();
        for r in &t.roots {
            tree_lines(r, 0, &mut lines);
        }
        if t.roots.is_empty() {
            lines.push("no watched PTP clock answered".to_owned());
        }
        lines.extend(t.unreachable.iter().map(|m| format!("unreachable: {}: {}", m.device, m.error)));
        lines.join("\n")
    })
}

fn tree_lines(n: &PtpTreeNode, depth: usize, out: &mut Vec<String>) {
    let mut line = format!("{}{}", "  ".repeat(depth), n.clock);
    line.push_str(&format!("  {}", n.device.as_deref().unwrap_or(if n.seen { "-" } else { "(not watched)" })));
    if let Some(r) = n.role {
        line.push_str(&format!(" ({})", r.label()));
    }
    if let Some(s) = &n.port_state {
        line.push_str(&format!("  {s}"));
    }
    if let (Some(o), Some(d)) = (n.offset_ns, n.path_delay_ns) {
        line.push_str(&format!("  offset {o} ns  delay {d} ns"));
    }
    out.push(line);
    for c in &n.children {
        tree_lines(c, depth + 1, out);
    }
}

/// `meridian timing wander DEV`: the verdict lines, then MTIE and TDEV per tau.
pub async fn wander(app: &App, a: WanderArgs, out: Out) -> Result<(), ApiError> {
    let now = Utc::now();
    let to = a.to.as_deref().map(|t| parse_time(t, now, "to")).transpose()?.unwrap_or(now);
    let from = match a.from.as_deref() {
        Some(t) => parse_time(t, now, "from")?,
        None => to - chrono::Duration::hours(1),
    };
    let r = app.wander(&a.device, from, to, &a.mask).await?;
    out.one(&r, || {
        let mut lines: Vec<String> = r.verdicts.iter().map(describe_verdict).collect();
        lines.push(format!("{} offset samples, tau0 {} s", r.points, r.tau0));
        lines.push(format!("{:>12}  {:>14}  {:>14}", "tau (s)", "MTIE (s)", "TDEV (s)"));
        for (i, m) in r.mtie.iter().enumerate() {
            let tdev = r.tdev.get(i).map_or(String::new(), |t| format!("{:.6e}", t.value));
            lines.push(format!("{:>12}  {:>14.6e}  {:>14}", m.tau, m.value, tdev));
        }
        lines.join("\n")
    })
}
