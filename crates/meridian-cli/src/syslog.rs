//! `meridian syslog listen` (receive in the foreground, store and print)
//! and `meridian syslog search`.

use std::net::IpAddr;
use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;
use meridian_service::{
    facility_name, parse_time, ApiError, App, DeviceKey, SyslogConfig, SyslogEntry, SyslogQuery, SyslogRecord,
    SyslogSeverity, SyslogStatus, SyslogTls, DEFAULT_SYSLOG_PORT, DEFAULT_SYSLOG_TLS_PORT,
};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum SyslogCmd {
    /// Receive syslog (UDP, TCP and optionally TLS) in the foreground, store it and print each message; Ctrl-C stops.
    Listen {
        /// Port for UDP and TCP (below 1024 needs CAP_NET_BIND_SERVICE).
        #[arg(long, default_value_t = DEFAULT_SYSLOG_PORT)]
        port: u16,
        /// Address to listen on (default: the config file's, else 0.0.0.0).
        #[arg(long)]
        bind: Option<IpAddr>,
        /// Also receive over TLS (RFC 5425) with this PEM certificate chain (needs --tls-key).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Only accept TLS clients with a certificate signed by a CA in this PEM file.
        #[arg(long, requires = "tls_cert")]
        tls_client_ca: Option<PathBuf>,
        /// The TLS port.
        #[arg(long, default_value_t = DEFAULT_SYSLOG_TLS_PORT)]
        tls_port: u16,
        /// Stop after this many seconds.
        #[arg(long)]
        duration: Option<u64>,
    },
    /// Stored messages, newest first.
    Search {
        /// Words that must all be in the message.
        #[arg(long)]
        text: Option<String>,
        /// Device name or id.
        #[arg(long)]
        device: Option<DeviceKey>,
        /// This severity or worse: 0-7 or emerg, alert, crit, err, warning, notice, info, debug.
        #[arg(long)]
        severity: Option<String>,
        /// RFC 3339 time or an age (15m, 2h, 7d).
        #[arg(long)]
        since: Option<String>,
        #[arg(long)]
        until: Option<String>,
        #[arg(long, default_value_t = SyslogQuery::DEFAULT_LIMIT)]
        limit: u32,
    },
}

pub async fn syslog(app: &App, cmd: SyslogCmd, out: Out) -> Result<(), ApiError> {
    match cmd {
        SyslogCmd::Listen { port, bind, tls_cert, tls_key, tls_client_ca, tls_port, duration } => {
            let tls = tls_cert.zip(tls_key).map(|(cert, key)| SyslogTls {
                port: tls_port,
                cert,
                key,
                client_ca: tls_client_ca,
            });
            listen(app, port, bind, tls, duration, out).await
        }
        SyslogCmd::Search { text, device, severity, since, until, limit } => {
            let now = Utc::now();
            let query = SyslogQuery {
                text,
                device: None,
                severity: severity.map(|s| s.parse::<SyslogSeverity>()).transpose()?,
                since: since.map(|s| parse_time(&s, now, "since")).transpose()?,
                until: until.map(|s| parse_time(&s, now, "until")).transpose()?,
                limit: Some(limit),
            };
            let found = app.search_syslog(query, device.as_ref()).await?;
            print_entries(&found, out)
        }
    }
}

async fn listen(
    app: &App,
    port: u16,
    bind: Option<IpAddr>,
    tls: Option<SyslogTls>,
    duration: Option<u64>,
    out: Out,
) -> Result<(), ApiError> {
    let cfg = app.syslog_config(Some(port));
    let tls = tls.or(cfg.tls.clone());
    let status = app.start_syslog(SyslogConfig { bind: bind.unwrap_or(cfg.bind), tls, ..cfg }).await?;
    let mut live = app.subscribe_syslog().await?;
    if !out.json {
        println!(
            "listening for syslog on udp {}, tcp {} and tls {}; Ctrl-C stops",
            status.udp.as_deref().unwrap_or("-"),
            status.tcp.as_deref().unwrap_or("-"),
            status.tls.as_deref().unwrap_or("-")
        );
    }
    crate::monitor::receive_until(&mut live, duration, "messages", |m| print_live(m, out)).await?;
    let last = app.syslog_status().await;
    app.stop_syslog().await;
    if let Some(SyslogStatus { counters: c, .. }) = last {
        if !out.json {
            println!(
                "stopped: {} received, {} stored, {} malformed, {} truncated, {} dropped",
                c.received, c.stored, c.malformed, c.truncated, c.dropped
            );
        }
    }
    Ok(())
}

fn print_live(m: &SyslogRecord, out: Out) -> Result<(), ApiError> {
    if out.json {
        let line = serde_json::json!({
            "receivedAt": m.received_at, "source": m.source, "format": m.format, "severity": m.message.severity,
            "facility": m.message.facility, "host": m.message.host, "app": m.message.app,
            "msgid": m.message.msgid, "message": m.message.message, "error": m.error,
        });
        println!("{line}");
        return Ok(());
    }
    let sev = m.message.severity.map_or("-", SyslogSeverity::name);
    let fac = m.message.facility.and_then(facility_name).unwrap_or("-");
    let who = m.message.host.clone().unwrap_or_else(|| m.source.to_string());
    let app_name = m.message.app.as_deref().unwrap_or("-");
    match &m.error {
        Some(e) => println!("{} {} malformed ({e}): {}", m.received_at.format("%H:%M:%S"), m.source, m.message.message),
        None => println!("{} {who} {fac}.{sev} {app_name}: {}", m.received_at.format("%H:%M:%S"), m.message.message),
    }
    Ok(())
}

fn print_entries(found: &[SyslogEntry], out: Out) -> Result<(), ApiError> {
    if out.json {
        return print_json(found);
    }
    if found.is_empty() {
        println!("no syslog messages match");
        return Ok(());
    }
    let rows = found
        .iter()
        .map(|e| {
            vec![
                e.received_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                e.device_name.clone().unwrap_or_else(|| e.source.clone()),
                e.msg.severity.map_or_else(|| e.format.as_str().to_owned(), |s| s.name().to_owned()),
                e.msg.app.clone().unwrap_or_else(|| "-".into()),
                e.msg.message.clone(),
            ]
        })
        .collect();
    table(&["RECEIVED", "DEVICE/SOURCE", "SEVERITY", "APP", "MESSAGE"], rows);
    Ok(())
}
