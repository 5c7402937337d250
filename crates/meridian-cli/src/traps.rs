//! `traps listen` (a foreground receiver that prints what arrives),
//! `traps config` (the receiver's port and accepted credentials) and
//! `events list` (stored trap events).

use clap::{Args, Subcommand};
use meridian_service::{ApiError, App, TrapCredential, TrapEvent, TrapSettings};

use crate::output::{print_json, Out};

#[derive(Debug, Subcommand)]
pub enum TrapsCmd {
    /// Receive in the foreground and print each trap or inform (also stored).
    Listen {
        /// UDP port (162 needs CAP_NET_BIND_SERVICE or a lowered ip_unprivileged_port_start).
        #[arg(long, default_value_t = 162, value_parser = clap::value_parser!(u16).range(1..))]
        port: u16,
        /// Stop after this many seconds (default: run until Ctrl-C or SIGTERM).
        #[arg(long)]
        duration: Option<u64>,
    },
    /// Show or change the receiver settings: the monitor's trap port and the
    /// credentials whose communities or users are accepted (besides devices' own).
    Config(ConfigArgs),
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The port `meridian monitor` receives on (0 turns it off).
    #[arg(long)]
    pub port: Option<u16>,
    /// Accept this credential (name or id); repeat for more.
    #[arg(long = "accept", value_name = "CREDENTIAL")]
    pub accept: Vec<String>,
    /// For v3 traps: the sender's engine id (hex), for the --accept before it.
    #[arg(long = "engine-id", value_name = "HEX")]
    pub engine_id: Option<String>,
    /// Days stored events are kept (default 30).
    #[arg(long)]
    pub retention_days: Option<u32>,
    /// Most events kept; the oldest go first (default 1,000,000).
    #[arg(long)]
    pub max_rows: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum EventsCmd {
    /// Stored trap events, newest first, with decoded names, source and device.
    List {
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Rules that turn traps and syslog messages into alarms.
    #[command(subcommand)]
    Rule(crate::event_rules::EventRuleCmd),
}

pub async fn traps(app: &App, c: TrapsCmd, out: Out) -> Result<(), ApiError> {
    match c {
        TrapsCmd::Listen { port, duration } => listen(app, port, duration, out).await,
        TrapsCmd::Config(a) => {
            let mut s = app.trap_settings().await?;
            if let Some(p) = a.port {
                s.port = (p != 0).then_some(p);
            }
            for (i, credential) in a.accept.iter().enumerate() {
                let engine_id = if i + 1 == a.accept.len() { a.engine_id.clone() } else { None };
                s.credentials.push(TrapCredential { credential: credential.clone(), engine_id });
            }
            if a.retention_days.is_some() {
                s.retention_days = a.retention_days;
            }
            if a.max_rows.is_some() {
                s.max_rows = a.max_rows;
            }
            if a.port.is_some() || !a.accept.is_empty() || a.retention_days.is_some() || a.max_rows.is_some() {
                app.set_trap_settings(s.clone()).await?;
            }
            out.one(&s, || settings_text(&s))
        }
    }
}

fn settings_text(s: &TrapSettings) -> String {
    let port = s.port.map_or_else(|| "none (monitor runs no receiver without --trap-port)".into(), |p| p.to_string());
    let (days, rows) = s.retention();
    let mut t = format!("trap port: {port}\nkept: {days} days, at most {rows} events");
    for c in &s.credentials {
        t.push_str(&format!("\naccept: {}", c.credential));
        if let Some(e) = &c.engine_id {
            t.push_str(&format!(" (traps from engine {e})"));
        }
    }
    t
}

async fn listen(app: &App, port: u16, duration: Option<u64>, out: Out) -> Result<(), ApiError> {
    let (svc, mut events) = app.listen_traps(meridian_service::trap_bind(port)).await?;
    if !out.json {
        println!("listening on udp {} (engine id {}); Ctrl-C stops", svc.local_addr(), svc.engine_id_hex());
    }
    crate::monitor::receive_until(&mut events, duration, "events", |e| print_event(e, out)).await?;
    let s = svc.stats();
    if !out.json {
        println!(
            "received {} decoded {} malformed {} auth failures {} duplicates {} drops {}",
            s.received, s.decoded, s.malformed, s.auth_failures, s.duplicates, s.drops
        );
    }
    Ok(())
}

pub async fn events(app: &App, c: EventsCmd, out: Out) -> Result<(), ApiError> {
    match c {
        EventsCmd::List { limit } => {
            let list = app.list_trap_events(limit).await?;
            if out.json {
                return print_json(&list);
            }
            for e in list.iter().rev() {
                print_event(e, Out { json: false })?;
            }
            Ok(())
        }
        EventsCmd::Rule(c) => crate::event_rules::event_rules(app, c, out).await,
    }
}

fn print_event(e: &TrapEvent, out: Out) -> Result<(), ApiError> {
    if out.json {
        let line = serde_json::to_string(e)
            .map_err(|err| ApiError::new(meridian_service::ApiErrorKind::Internal, err.to_string()))?;
        println!("{line}");
        return Ok(());
    }
    let who = match (&e.user, e.community_matched) {
        (Some(u), _) => format!("user {u}"),
        (None, Some(true)) => "community ok".into(),
        (None, Some(false)) => "community (any)".into(),
        _ => String::new(),
    };
    let device = e.device_name.clone().unwrap_or_else(|| "unknown source".into());
    let version = e.version.map_or("?", |v| v.as_str());
    let what = match (&e.trap_name, &e.trap_oid, &e.error) {
        (Some(n), _, _) => n.clone(),
        (None, Some(o), _) => o.clone(),
        (_, _, Some(err)) => format!("MALFORMED: {err}"),
        _ => String::new(),
    };
    println!(
        "{} {} {} {}:{} [{device}] {version} {who}: {what}",
        e.received_at.format("%Y-%m-%d %H:%M:%S"),
        e.pdu.as_str(),
        e.id,
        e.source_addr,
        e.source_port
    );
    for v in &e.varbinds {
        println!("    {} = {}: {}", v.name.as_deref().unwrap_or(&v.oid), v.kind, v.value);
    }
    if let Some(raw) = &e.raw_hex {
        println!("    raw: {raw}");
    }
    Ok(())
}
