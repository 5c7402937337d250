//! `meridian discover`, `meridian discovery ...` and `meridian topology`.
//!
//! Plain output: a progress line on a terminal (stderr), then one row per
//! responder. `--json`: one JSON object per line as the run goes (the
//! service's discovery events), ending with the finished run.

use std::io::{IsTerminal, Write};

use clap::{Args, Subcommand};
use meridian_service::diag::SnmpCredentialInput;
use meridian_service::{
    ApiError, App, CoreEvent, DeviceKey, DiscoveryMode, DiscoveryProgress, DiscoveryRequest, FoundDevice, LinkView,
    ParentView,
};
use tokio::sync::broadcast::error::RecvError;

use crate::output::{print_json, table, Out};

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// CIDR blocks, ranges (10.0.0.1-10.0.0.50 or 10.0.0.1-50) or addresses.
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<String>,
    /// A v1/v2c community to try (repeatable; tried in order, after --credential).
    #[arg(short = 'c', long = "community", value_name = "C")]
    pub communities: Vec<String>,
    /// A saved credential to try (repeatable; tried first, in order).
    #[arg(long = "credential", value_name = "NAME")]
    pub credentials: Vec<String>,
    /// SNMP version of the --community values: 1 or 2c.
    #[arg(long, value_name = "1|2c", default_value = "2c")]
    pub community_version: String,
    /// An SNMPv3 user to try, with the --auth/--priv options below.
    #[arg(long, value_name = "USER")]
    pub v3_user: Option<String>,
    #[arg(long, requires = "v3_user")]
    pub auth_proto: Option<String>,
    #[arg(long, requires = "v3_user")]
    pub auth_pass: Option<String>,
    #[arg(long, requires = "v3_user")]
    pub priv_proto: Option<String>,
    #[arg(long, requires = "v3_user")]
    pub priv_pass: Option<String>,
    /// Sweep only: list the addresses that answer ICMP.
    #[arg(long, conflicts_with = "snmp_only")]
    pub icmp_only: bool,
    /// No ICMP: ask SNMP on every address (firewalled networks).
    #[arg(long)]
    pub snmp_only: bool,
    /// Also ask SNMP on addresses that did not answer ICMP.
    #[arg(long)]
    pub snmp_without_ping: bool,
    /// SNMP agents' UDP port.
    #[arg(long, default_value_t = 161)]
    pub port: u16,
    /// Allow more than 65,536 addresses.
    #[arg(long)]
    pub force: bool,
    /// Milliseconds to wait per request.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub timeout_ms: u64,
    /// Extra attempts per address and credential.
    #[arg(long, default_value_t = 1)]
    pub retries: u32,
    /// Add every new responder as a device when the run completes.
    #[arg(long)]
    pub add: bool,
    /// The site of the devices the run adds.
    #[arg(long, value_name = "SITE")]
    pub site: Option<String>,
    /// A tag of the devices the run adds (repeat for more).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DiscoveryCmd {
    /// Past runs, newest first.
    Runs {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// A run's responders (`latest` by default).
    Show {
        #[arg(default_value = "latest")]
        run: String,
    },
    /// Adds a run's responders as devices: the given addresses, or every new one.
    Add {
        run: String,
        addresses: Vec<String>,
        /// The saved credential to give them (default: the one that answered).
        #[arg(long)]
        credential: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct TopologyArgs {
    /// Ask these devices (name or id) for their neighbours first.
    #[arg(long = "refresh", value_name = "DEVICE")]
    pub refresh: Vec<DeviceKey>,
    /// List each device's parent (towards the roots: devices tagged
    /// `topology-root`, else each group's best-connected device) instead of the links.
    #[arg(long)]
    pub parents: bool,
}

impl DiscoverArgs {
    fn adhoc(&self) -> Vec<SnmpCredentialInput> {
        let mut out: Vec<SnmpCredentialInput> = self
            .communities
            .iter()
            .map(|c| SnmpCredentialInput {
                version: Some(self.community_version.clone()),
                community: Some(c.clone()),
                ..SnmpCredentialInput::default()
            })
            .collect();
        if let Some(user) = &self.v3_user {
            out.push(SnmpCredentialInput {
                version: Some("3".into()),
                user: Some(user.clone()),
                auth_proto: self.auth_proto.clone(),
                auth_pass: self.auth_pass.clone(),
                priv_proto: self.priv_proto.clone(),
                priv_pass: self.priv_pass.clone(),
                ..SnmpCredentialInput::default()
            });
        }
        out
    }

    fn request(&self) -> DiscoveryRequest {
        let mode = if self.icmp_only {
            DiscoveryMode::IcmpOnly
        } else if self.snmp_only {
            DiscoveryMode::SnmpOnly
        } else {
            DiscoveryMode::IcmpThenSnmp
        };
        DiscoveryRequest {
            targets: self.targets.clone(),
            credentials: self.credentials.clone(),
            mode,
            snmp_without_ping: self.snmp_without_ping,
            port: self.port,
            force: self.force,
            timeout_ms: self.timeout_ms,
            retries: self.retries,
            site: self.site.clone(),
            tags: self.tags.clone(),
        }
    }
}

pub async fn discover(app: &App, a: DiscoverArgs, out: Out) -> Result<(), ApiError> {
    let adhoc = a.adhoc();
    let mut events = app.subscribe();
    let handle = app.start_discovery(a.request(), &adhoc).await?;
    let id = handle.run.id;
    let tty = !out.json && std::io::stderr().is_terminal();
    let mut done = std::pin::pin!(handle.finished());
    let mut cancel_sent = false;
    let run = loop {
        tokio::select! {
            r = &mut done => break r?,
            () = crate::monitor::shutdown_signal(), if !cancel_sent => {
                cancel_sent = true;
                let _ = app.cancel_discovery(id);
                if !out.json {
                    eprintln!("\rcancelling...");
                }
            }
            ev = events.recv() => match ev {
                Ok(CoreEvent::DiscoveryFinished { .. }) => {}
                Ok(e @ (CoreEvent::DiscoveryProgress { .. } | CoreEvent::DiscoveryFound { .. })) => {
                    if out.json {
                        json_line(&e);
                    } else if let (true, CoreEvent::DiscoveryProgress { progress }) = (tty, &e) {
                        show_progress(progress);
                    }
                }
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => {}
            },
        }
    };
    if tty {
        let _ = write!(std::io::stderr(), "\r\x1b[K");
    }
    let found = app.discovery_results(&id.to_string()).await?;
    let added = if a.add && run.state == meridian_service::RunState::Completed {
        app.add_discovered(&id.to_string(), &[], None, &adhoc).await?
    } else {
        Vec::new()
    };
    if out.json {
        json_line(&CoreEvent::DiscoveryFinished { run: run.clone() });
        for d in &added {
            json_line(&serde_json::json!({ "type": "deviceAdded", "device": d }));
        }
        return Ok(());
    }
    print_found(&found);
    println!(
        "run {} {}: {} addresses, {} found{}",
        run.id,
        run.state.as_str(),
        run.total,
        found.len(),
        run.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default()
    );
    for d in &added {
        println!("added device {} ({})", d.name, d.address);
    }
    Ok(())
}

pub async fn discovery(app: &App, cmd: DiscoveryCmd, out: Out) -> Result<(), ApiError> {
    match cmd {
        DiscoveryCmd::Runs { limit } => {
            let runs = app.discovery_runs(limit).await?;
            if out.json {
                return print_json(&runs);
            }
            let rows = runs
                .iter()
                .map(|r| {
                    vec![
                        r.id.to_string(),
                        r.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        r.state.as_str().to_string(),
                        r.request.targets.join(" "),
                        r.total.to_string(),
                        r.found.to_string(),
                    ]
                })
                .collect();
            table(&["RUN", "STARTED", "STATE", "TARGETS", "ADDRESSES", "FOUND"], rows);
            Ok(())
        }
        DiscoveryCmd::Show { run } => {
            let found = app.discovery_results(&run).await?;
            if out.json {
                return print_json(&found);
            }
            print_found(&found);
            Ok(())
        }
        DiscoveryCmd::Add { run, addresses, credential } => {
            let added = app.add_discovered(&run, &addresses, credential.as_deref(), &[]).await?;
            if out.json {
                return print_json(&added);
            }
            if added.is_empty() {
                println!("nothing added: every chosen responder is already a device");
            }
            for d in &added {
                println!("added device {} ({})", d.name, d.address);
            }
            Ok(())
        }
    }
}

pub async fn topology(app: &App, a: TopologyArgs, out: Out) -> Result<(), ApiError> {
    for d in &a.refresh {
        let r = app.refresh_inventory(d).await?;
        if !out.json {
            eprintln!("{}: {} entities, {} neighbours ({} known)", r.device, r.entities, r.neighbours, r.matched);
        }
    }
    if a.parents {
        let parents = app.device_parents().await?;
        if out.json {
            return print_json(&parents);
        }
        print_parents(&parents);
        return Ok(());
    }
    let links = app.list_links().await?;
    if out.json {
        return print_json(&links);
    }
    print_links(&links);
    Ok(())
}

/// `meridian device inventory`: the ENTITY-MIB tree, then the interfaces.
pub async fn inventory(app: &App, device: &DeviceKey, refresh: bool, out: Out) -> Result<(), ApiError> {
    let inv = app.device_inventory(device, refresh).await?;
    if out.json {
        return print_json(&inv);
    }
    if let Some(r) = &inv.refreshed {
        eprintln!("{}: {} entities, {} neighbours ({} known)", r.device, r.entities, r.neighbours, r.matched);
    }
    if inv.entities.is_empty() {
        println!("no physical inventory yet; `meridian device inventory {device} --refresh` asks the device");
    } else {
        let dash = |s: &str| if s.is_empty() { "-".to_string() } else { s.to_string() };
        let rows = inv
            .tree()
            .into_iter()
            .map(|(depth, e, class)| {
                let name = if e.name.is_empty() { &e.descr } else { &e.name };
                vec![
                    format!("{}{}", "  ".repeat(depth), name),
                    class.to_string(),
                    dash(&e.model_name),
                    dash(&e.serial_num),
                    dash(if e.software_rev.is_empty() { &e.firmware_rev } else { &e.software_rev }),
                ]
            })
            .collect();
        table(&["ENTITY", "CLASS", "MODEL", "SERIAL", "SOFTWARE"], rows);
    }
    let interfaces = &inv.interfaces;
    if !interfaces.is_empty() {
        println!();
        let rows = interfaces
            .iter()
            .map(|i| {
                vec![
                    i.if_index.to_string(),
                    i.name.clone().or_else(|| i.descr.clone()).unwrap_or_default(),
                    i.admin_status.clone().unwrap_or_else(|| "-".into()),
                    i.oper_status.clone().unwrap_or_else(|| "-".into()),
                    i.speed_bps.map_or("-".into(), |s| s.to_string()),
                    i.alias.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        table(&["IFINDEX", "INTERFACE", "ADMIN", "OPER", "SPEED", "ALIAS"], rows);
    }
    Ok(())
}

fn print_parents(parents: &[ParentView]) {
    if parents.is_empty() {
        println!("no matched links yet, so no parents; links come from LLDP/CDP");
        return;
    }
    let rows = parents
        .iter()
        .map(|p| vec![p.name.clone(), p.parent_name.clone().unwrap_or_else(|| "(root)".into())])
        .collect();
    table(&["DEVICE", "PARENT"], rows);
}

fn print_links(links: &[LinkView]) {
    if links.is_empty() {
        println!("no links yet; links come from LLDP/CDP when devices are discovered or refreshed");
        return;
    }
    let rows = links
        .iter()
        .map(|l| {
            let remote = match &l.remote_name {
                Some(n) => n.clone(),
                None if !l.link.remote_sys_name.is_empty() => format!("{} (not managed)", l.link.remote_sys_name),
                None => format!("{} (not managed)", l.link.remote_chassis_id),
            };
            let local_port = if l.link.local_port.is_empty() {
                l.link.local_port_num.to_string()
            } else {
                l.link.local_port.clone()
            };
            vec![
                format!("{:?}", l.link.protocol).to_lowercase(),
                l.local_name.clone(),
                local_port,
                remote,
                l.link.remote_port.clone(),
            ]
        })
        .collect();
    table(&["PROTO", "DEVICE", "PORT", "NEIGHBOUR", "NEIGHBOUR PORT"], rows);
}

fn print_found(found: &[FoundDevice]) {
    if found.is_empty() {
        println!("nothing found");
        return;
    }
    let mut sorted: Vec<&FoundDevice> = found.iter().collect();
    sorted.sort_by_key(|f| f.address.parse::<std::net::IpAddr>().ok());
    let rows = sorted
        .iter()
        .map(|f| {
            let c = f.classification.as_ref();
            let dash = |s: Option<&str>| s.filter(|v| !v.is_empty()).unwrap_or("-").to_string();
            vec![
                f.address.clone(),
                f.suggested_name.clone(),
                dash(c.and_then(|c| c.vendor_name())),
                c.map_or("-".into(), |c| c.kind.value.as_str().to_string()),
                dash(c.and_then(|c| c.model_name())),
                dash(c.and_then(|c| c.os_name())),
                c.map_or("-".into(), |c| format!("{:.2}", c.kind.confidence)),
                match (f.added, f.existing) {
                    (Some(_), _) => "added".into(),
                    (None, Some(_)) => {
                        format!("known ({})", f.matched_by.map_or("?".into(), |m| format!("{m:?}").to_lowercase()))
                    }
                    _ => "new".into(),
                },
            ]
        })
        .collect();
    table(&["ADDRESS", "NAME", "VENDOR", "TYPE", "MODEL", "OS", "CONF", "STATUS"], rows);
}

fn show_progress(p: &DiscoveryProgress) {
    let phase = format!("{:?}", p.phase).to_lowercase();
    let _ = write!(std::io::stderr(), "\r\x1b[Kdiscover {phase}: {}/{} probed, {} found", p.probed, p.total, p.found);
}

fn json_line<T: serde::Serialize>(v: &T) {
    if let Ok(s) = serde_json::to_string(v) {
        let mut o = std::io::stdout().lock();
        let _ = writeln!(o, "{s}");
        let _ = o.flush();
    }
}
