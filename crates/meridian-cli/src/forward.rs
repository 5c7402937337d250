//! `meridian forward`: targets that get every alarm change north, as
//! MERIDIAN-ALARM-MIB traps or RFC 5424 syslog lines.

use clap::Subcommand;
use meridian_service::{ApiError, App, ForwardKind, ForwardTarget, ForwardTargetView, Severity, SyslogTransport};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum ForwardCmd {
    /// Every target.
    List,
    /// Send SNMPv2 traps (MERIDIAN-ALARM-MIB, in mibs/) to ADDRESS: v2c, or
    /// v3 with --user.
    AddTrap {
        name: String,
        /// An IP address.
        address: String,
        #[arg(long, default_value_t = 162)]
        port: u16,
        /// The community (kept in the vault); `-` reads it from stdin. Default "public".
        #[arg(long, conflicts_with = "user")]
        community: Option<String>,
        /// Send SNMPv3 traps as this stored v3 credential (`meridian credential
        /// add-v3`); the receiver keys it to Meridian's engine id, printed here.
        #[arg(long)]
        user: Option<String>,
        /// Changes of alarms this severe or worse are sent.
        #[arg(long, default_value = "warning", value_parser = severity)]
        min_severity: Severity,
    },
    /// Send RFC 5424 lines over TCP (octet counting), UDP or TLS to ADDRESS.
    AddSyslog {
        name: String,
        address: String,
        #[arg(long, default_value_t = 514)]
        port: u16,
        /// Send over UDP instead of TCP.
        #[arg(long, conflicts_with = "tls")]
        udp: bool,
        /// Send over TLS (RFC 5425; the receiver's usual port is 6514).
        #[arg(long)]
        tls: bool,
        /// With --tls: a PEM file of the CA certificates to trust instead of the system's.
        #[arg(long, requires = "tls")]
        ca_file: Option<String>,
        /// With --tls: the name the receiver's certificate must carry (default: its address).
        #[arg(long, requires = "tls")]
        server_name: Option<String>,
        /// With --tls: a PEM certificate to present when the receiver asks for one (mutual TLS), with --key-file.
        #[arg(long, requires_all = ["tls", "key_file"])]
        cert_file: Option<String>,
        /// With --cert-file: its PEM private key (read at each send, never stored).
        #[arg(long, requires_all = ["tls", "cert_file"])]
        key_file: Option<String>,
        #[arg(long, default_value = "warning", value_parser = severity)]
        min_severity: Severity,
    },
    /// Remove a target by name or id.
    Remove { target: String },
}

pub async fn forward(app: &App, c: ForwardCmd, out: Out) -> Result<(), ApiError> {
    let (target, community) = match c {
        ForwardCmd::List => {
            let list = app.list_forward_targets().await?;
            if out.json {
                return print_json(&list);
            }
            table(&["NAME", "ON", "SENDS", "TO", "MIN SEVERITY", "ID"], list.iter().map(row).collect());
            return Ok(());
        }
        ForwardCmd::Remove { target } => {
            app.remove_forward_target(&target).await?;
            return out
                .one(&serde_json::json!({ "removed": target }), || format!("removed forwarding target {target}"));
        }
        ForwardCmd::AddTrap { name, address, port, community, user, min_severity } => {
            let kind = ForwardKind::SnmpTrap { address, port, community_ref: None, user };
            let community = community.map(crate::commands::secret_arg).transpose()?;
            (ForwardTarget { name, enabled: true, kind, min_severity }, community)
        }
        ForwardCmd::AddSyslog {
            name,
            address,
            port,
            udp,
            tls,
            ca_file,
            server_name,
            cert_file,
            key_file,
            min_severity,
        } => {
            let transport = match (udp, tls) {
                (true, _) => SyslogTransport::Udp,
                (_, true) => SyslogTransport::Tls,
                _ => SyslogTransport::Tcp,
            };
            let kind = ForwardKind::Syslog { address, port, transport, ca_file, server_name, cert_file, key_file };
            (ForwardTarget { name, enabled: true, kind, min_severity }, None)
        }
    };
    let v = app.put_forward_target(target, community).await?;
    let engine = match &v.target.kind {
        ForwardKind::SnmpTrap { user: Some(u), .. } => Some((u.clone(), app.snmp_engine_id().await?)),
        _ => None,
    };
    out.one(&v, || match &engine {
        Some((user, id)) => format!(
            "saved forwarding target {} ({}); SNMPv3 traps go out as engine 0x{id}: key user '{user}' to it \
             on the receiver (snmptrapd: createUser -e 0x{id} {user} ...)",
            v.target.name, v.id
        ),
        None => format!("saved forwarding target {} ({})", v.target.name, v.id),
    })
}

fn row(v: &ForwardTargetView) -> Vec<String> {
    let t = &v.target;
    let (sends, to) = match &t.kind {
        ForwardKind::SnmpTrap { address, port, user: None, .. } => {
            ("snmp trap v2c".to_owned(), format!("{address}:{port}"))
        }
        ForwardKind::SnmpTrap { address, port, user: Some(u), .. } => {
            (format!("snmp trap v3 ({u})"), format!("{address}:{port}"))
        }
        ForwardKind::Syslog { address, port, transport, .. } => {
            (format!("syslog {}", transport.as_str()), format!("{address}:{port}"))
        }
    };
    vec![
        t.name.clone(),
        if t.enabled { "on".into() } else { "off".into() },
        sends,
        to,
        format!("{:?}", t.min_severity).to_lowercase(),
        v.id.clone(),
    ]
}

fn severity(s: &str) -> Result<Severity, String> {
    serde_json::from_value(serde_json::Value::String(s.to_ascii_lowercase()))
        .map_err(|_| "one of critical, major, minor, warning".to_owned())
}
