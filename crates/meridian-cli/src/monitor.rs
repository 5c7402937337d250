//! `monitor`, `status` and `alarms`.

use std::time::Duration;

use clap::{Args, Subcommand};
use meridian_service::monitor::MonitorStatus;
use meridian_service::{ApiError, App, AppConfig, CoreEvent, MetricsListener, PtpChange, DEFAULT_METRICS_ADDR};

use crate::output::{print_json, Out};

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Stop after this many seconds (default: run until Ctrl-C or SIGTERM).
    #[arg(long)]
    pub duration: Option<u64>,
    /// ICMP poll interval in seconds (default 30).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub icmp_interval: Option<u64>,
    /// SNMP poll interval in seconds (default 60).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub snmp_interval: Option<u64>,
    /// Inventory (ENTITY-MIB, LLDP/CDP links) refresh interval in seconds (default 3600).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub inventory_interval: Option<u64>,
    /// Receive syslog (UDP and TCP) on this port while monitoring (default: the config file's [syslog]).
    #[arg(long)]
    pub syslog_port: Option<u16>,
    /// Receive SNMP traps and informs on this UDP port (all IPv4 addresses)
    /// beside the monitor; overrides the `traps config --port` setting.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub trap_port: Option<u16>,
    /// Serve Prometheus /metrics and /health here (loopback IP:PORT), or `off`
    /// [default: the config file's metrics_addr, else 127.0.0.1:9464].
    #[arg(long, value_name = "ADDR|off")]
    pub metrics_addr: Option<String>,
    /// Check the wander of watched PTP clients every this many seconds (default 600).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub wander_every: Option<u64>,
    /// ... over the last this many seconds of their offset (default 3600).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(4..=604_800))]
    pub wander_window: Option<u64>,
    /// ... against this mask (repeat for more; default g8261-eec1-network).
    #[arg(long, value_name = "NAME")]
    pub wander_mask: Vec<String>,
    /// No periodic wander check.
    #[arg(long, conflicts_with_all = ["wander_every", "wander_window", "wander_mask"])]
    pub no_wander: bool,
}

#[derive(Debug, Subcommand)]
pub enum AlarmsCmd {
    /// Active alarms (all with --all), newest first.
    List {
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 1000)]
        limit: i64,
    },
    /// One alarm with its comments, oldest first.
    Show { id: String },
    /// Acknowledge an alarm.
    Ack {
        id: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Clear an alarm by hand.
    Clear { id: String },
    /// Add a comment to an alarm.
    Comment { id: String, text: String },
}

pub async fn monitor(app: &App, a: MonitorArgs, out: Out) -> Result<(), ApiError> {
    let mut cfg = app.monitor_config();
    if let Some(s) = a.icmp_interval {
        cfg.intervals.icmp = Duration::from_secs(s);
    }
    if let Some(s) = a.snmp_interval {
        cfg.intervals.snmp = Duration::from_secs(s);
    }
    if let Some(s) = a.inventory_interval {
        cfg.intervals.inventory = Duration::from_secs(s);
    }
    if let Some(port) = a.syslog_port {
        cfg.syslog = Some(app.syslog_config(Some(port)));
    }
    if let Some(p) = a.trap_port {
        cfg.traps = Some(meridian_service::trap_bind(p));
    }
    if a.no_wander {
        cfg.wander = None;
    } else if let Some(w) = cfg.wander.as_mut() {
        if let Some(s) = a.wander_every {
            w.every = Duration::from_secs(s);
        }
        if let Some(s) = a.wander_window {
            w.window = Duration::from_secs(s);
        }
        if !a.wander_mask.is_empty() {
            w.masks = a.wander_mask;
        }
        w.validate()?;
    }
    // Bound first, so a taken port fails before anything starts. Only an
    // address someone asked for is fatal: with the default taken (a second
    // monitor, another exporter) the monitor runs without metrics and says so.
    let metrics = match a.metrics_addr.or_else(|| app.config().metrics_addr.clone()) {
        Some(off) if off.trim() == "off" => None,
        Some(addr) => Some(MetricsListener::bind(&addr).await?),
        None => match MetricsListener::bind(DEFAULT_METRICS_ADDR).await {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("warning: not serving metrics: {}", e.detail);
                None
            }
        },
    };
    let metrics_at = metrics.as_ref().map(MetricsListener::local_addr);
    let mut events = app.subscribe();
    app.start_monitor(cfg).await?;
    if let (Some((addr, engine, _)), false) = (app.trap_receiver_status().await, out.json) {
        println!("receiving SNMP traps and informs on udp {addr} (engine id {engine})");
    }
    let devices = app.list_devices().await?.iter().filter(|d| d.enabled).count();
    if !out.json {
        println!("monitoring {devices} device(s); Ctrl-C stops");
        if let Some(s) = app.syslog_status().await {
            println!("receiving syslog on udp {} and tcp {}", s.udp.unwrap_or_default(), s.tcp.unwrap_or_default());
        }
        if let Some(at) = metrics_at {
            println!("serving http://{at}/metrics and /health");
        }
    }
    let serve = async {
        match metrics {
            Some(l) => app.serve_metrics(l).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        r = receive_until(&mut events, a.duration, "events", |e| print_event(e, out)) => r?,
        () = serve => {}
    }
    app.stop_monitor().await;
    if !out.json {
        println!("monitor stopped");
    }
    Ok(())
}

/// Hands every item of `rx` to `on` until `duration` seconds pass (if
/// given), Ctrl-C or SIGTERM arrives, or the channel closes. A lagging
/// reader is warned how many `what` it missed.
pub(crate) async fn receive_until<T: Clone>(
    rx: &mut tokio::sync::broadcast::Receiver<T>,
    duration: Option<u64>,
    what: &str,
    mut on: impl FnMut(&T) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let until = duration.map(|s| tokio::time::Instant::now() + Duration::from_secs(s));
    loop {
        let sleep = async {
            match until {
                Some(t) => tokio::time::sleep_until(t).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = sleep => return Ok(()),
            _ = shutdown_signal() => return Ok(()),
            item = rx.recv() => match item {
                Ok(item) => on(&item)?,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => eprintln!("warning: {n} {what} skipped"),
                Err(_) => return Ok(()),
            },
        }
    }
}

pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn print_event(e: &CoreEvent, out: Out) -> Result<(), ApiError> {
    if out.json {
        let line = serde_json::to_string(e)
            .map_err(|err| ApiError::new(meridian_service::ApiErrorKind::Internal, err.to_string()))?;
        println!("{line}");
        return Ok(());
    }
    let sev = |a: &meridian_service::Alarm| {
        serde_json::to_value(a.perceived_severity).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    };
    match e {
        CoreEvent::DeviceStateChanged { name, from, to, at, .. } => {
            println!("{} state  {name}: {from:?} -> {to:?}", at.format("%H:%M:%S"))
        }
        CoreEvent::AlarmRaised { alarm } => println!(
            "{} RAISE  {} {} {}/{}: {} (id {})",
            alarm.raised_at.format("%H:%M:%S"),
            sev(alarm),
            alarm.managed_object,
            alarm.probable_cause,
            alarm.specific_problem,
            alarm.additional_text,
            alarm.id
        ),
        CoreEvent::AlarmCleared { alarm } => println!(
            "{} CLEAR  {} {}/{} (id {})",
            alarm.cleared_at.unwrap_or(alarm.raised_at).format("%H:%M:%S"),
            alarm.managed_object,
            alarm.probable_cause,
            alarm.specific_problem,
            alarm.id
        ),
        CoreEvent::AlarmAcknowledged { alarm } => {
            println!("ACK    {} by {}", alarm.id, alarm.acked_by.as_deref().unwrap_or("?"))
        }
        CoreEvent::InventoryChanged { entity, id, action } => println!("inventory {entity} {id} {action}"),
        // A discovery started elsewhere (the desktop) is not the monitor's news.
        CoreEvent::DiscoveryProgress { .. }
        | CoreEvent::DiscoveryFound { .. }
        | CoreEvent::DiscoveryFinished { .. } => {}
        CoreEvent::RulesChanged => println!("rules changed"),
        CoreEvent::MaintenanceChanged => println!("maintenance windows changed"),
        CoreEvent::PollRequested { device_id } => println!("poll now {device_id}"),
        CoreEvent::EventsMissed { count } => println!("{count} events missed"),
        CoreEvent::PtpChanged { name, change, at, .. } => match change {
            PtpChange::GrandmasterChanged { from, to } => {
                println!("{} PTP    {name}: grandmaster {from} -> {to}", at.format("%H:%M:%S"))
            }
            PtpChange::ClockClassChanged { grandmaster, from, to } => {
                println!(
                    "{} PTP    {name}: grandmaster {grandmaster} clock class {from} -> {to}",
                    at.format("%H:%M:%S")
                )
            }
        },
    }
    Ok(())
}

pub async fn alarms(app: &App, c: AlarmsCmd, out: Out) -> Result<(), ApiError> {
    match c {
        AlarmsCmd::List { all, limit } => {
            let list = app.list_alarms(!all, limit).await?;
            if out.json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("no {}alarms", if all { "" } else { "active " });
            }
            for a in &list {
                // Held alarms say why they were not notified.
                let held = |a: &meridian_service::Alarm| match (&a.suppressed_by, &a.maintenance) {
                    (Some(root), _) => format!("[suppressed by {root}] {}", a.additional_text),
                    (None, Some(w)) => format!("[maintenance: {w}] {}", a.additional_text),
                    (None, None) => a.additional_text.clone(),
                };
                let state = match (a.cleared_at, a.acked_at) {
                    (Some(_), _) => "cleared",
                    (None, Some(_)) => "acked",
                    (None, None) => "active",
                };
                println!(
                    "{}  {:<13} {:<8} {}  {}/{}  {}  {}",
                    a.id,
                    serde_json::to_value(a.perceived_severity)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    state,
                    a.raised_at.format("%Y-%m-%d %H:%M:%S"),
                    a.probable_cause,
                    a.specific_problem,
                    a.managed_object,
                    held(a)
                );
            }
            Ok(())
        }
        AlarmsCmd::Show { id } => {
            let (a, comments) = app.show_alarm(&id).await?;
            if out.json {
                return print_json(&serde_json::json!({ "alarm": a, "comments": comments }));
            }
            println!(
                "{}  {}/{}  {}  {}",
                a.id, a.probable_cause, a.specific_problem, a.managed_object, a.additional_text
            );
            println!("raised {}", a.raised_at.format("%Y-%m-%d %H:%M:%S"));
            if let (Some(at), Some(by)) = (a.acked_at, &a.acked_by) {
                println!("acknowledged {} by {by}", at.format("%Y-%m-%d %H:%M:%S"));
            }
            if let Some(at) = a.cleared_at {
                println!("cleared {}", at.format("%Y-%m-%d %H:%M:%S"));
            }
            for c in &comments {
                println!("{} {}: {}", c.at.format("%Y-%m-%d %H:%M:%S"), c.by, c.text);
            }
            Ok(())
        }
        AlarmsCmd::Ack { id, comment } => {
            let a = app.ack_alarm(&id, comment.as_deref()).await?;
            out.one(&a, || format!("acknowledged alarm {}", a.id))
        }
        AlarmsCmd::Clear { id } => {
            let a = app.clear_alarm(&id).await?;
            out.one(&a, || format!("cleared alarm {}", a.id))
        }
        AlarmsCmd::Comment { id, text } => {
            let c = app.comment_alarm(&id, &text).await?;
            out.one(&c, || format!("comment added to alarm {}", c.alarm_id))
        }
    }
}

/// Runs without opening the store: a running monitor holds the data
/// directory, so the status comes from the file it keeps current.
pub async fn status(data_dir: Option<std::path::PathBuf>, out: Out) -> Result<(), ApiError> {
    let cfg = AppConfig::load(data_dir)?;
    let (st, sys) = meridian_service::system_status_offline(&cfg.data_dir, pid_alive, chrono::Utc::now())?;
    let live = st.as_ref().filter(|s| s.running && pid_alive(s.pid));
    match (live, out.json) {
        (Some(s), true) => print_json(s),
        (None, true) => print_json(&serde_json::json!({ "running": false, "last": st })),
        (Some(s), false) => {
            print_status(s, &sys);
            Ok(())
        }
        (None, false) => {
            println!("no monitor is running on {}", cfg.data_dir.display());
            if let Some(s) = &st {
                println!("last status written at {}:", s.updated_at.map(|t| t.to_rfc3339()).unwrap_or_default());
                print_status(s, &sys);
            }
            Ok(())
        }
    }
}

fn pid_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists() || !cfg!(target_os = "linux")
}

fn print_status(s: &MonitorStatus, sys: &meridian_service::SystemStatus) {
    println!("pid:            {}", s.pid);
    println!(
        "devices:        {} ({} up, {} degraded, {} down), {} poll jobs",
        s.devices, s.devices_up, s.devices_degraded, s.devices_down, s.jobs
    );
    println!("polls:          ICMP {} ok / {} failed, SNMP {} ok / {} failed ({:.1}% success), {} in flight, {} ticks skipped",
        s.icmp_ok, s.icmp_failed, s.snmp_ok, s.snmp_failed, s.success_rate(), s.in_flight, s.skipped_ticks);
    println!("active alarms:  {}", s.active_alarms);
    println!(
        "write queue:    {} / {} samples; {} written, {} dropped, {} late; {} failed writes",
        s.queue_depth, s.queue_capacity, s.samples_written, s.samples_dropped, s.samples_late, s.write_errors
    );
    if let Some(e) = &s.store_error {
        println!("store:          CANNOT WRITE: {e}");
    }
    println!("store size:     {} bytes", s.store_bytes);
    if let Some(up) = sys.uptime_secs {
        println!("uptime:         {up} s");
    }
    println!("late starts:    {} of {} polls started more than one interval late", sys.polls_late, sys.polls_started);
    if let Some(ms) = sys.writer_batch_ms {
        println!("writer:         {ms:.2} ms per batch");
    }
    if let Some(ms) = sys.rule_pass_ms {
        println!("rules:          {ms:.3} ms per pass");
    }
    if let Some(d) = sys.disk {
        let pct = d.free_pct().unwrap_or(0.0);
        println!(
            "disk free:      {} of {} bytes ({pct:.1}%) on the data directory's filesystem",
            d.free_bytes, d.total_bytes
        );
    }
    for a in &sys.self_alarms {
        println!("SELF-ALARM:     {:?} {}: {}", a.perceived_severity, a.specific_problem, a.additional_text);
    }
    if !s.tiers.is_empty() {
        println!("history tiers:");
        crate::history::print_tiers(&s.tiers);
    }
}
