//! `meridian notify`: e-mail and webhook channels, routes, "send test" and
//! the delivery log. Secrets are read from an environment variable the user
//! names, never from the command line (other users can read it in `ps`).

use clap::{Args, Subcommand, ValueEnum};
use meridian_service::{
    ApiError, App, Channel, ChannelInput, ChannelKind, DeliveryLogFilter, EmailChannel, Escalation, RateLimit, Route,
    Severity, SmtpSecurity, WebhookChannel, WebhookFlavour,
};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum NotifyCmd {
    /// Every channel: name, kind, where it sends.
    Channels,
    /// Add or replace a channel.
    AddChannel(AddChannel),
    /// Remove a channel by name or id (refused while a route uses it).
    RemoveChannel { channel: String },
    /// Every route: which alarms go to which channel, how.
    Routes,
    /// Add or replace a route.
    AddRoute(AddRoute),
    /// Remove a route by name or id.
    RemoveRoute { route: String },
    /// Send a test message on a channel now.
    Test { channel: String },
    /// Show the notification delay, or set it: how long an alarm below
    /// critical must last before any channel tells anyone (0 to 3600 s).
    Delay { seconds: Option<i64> },
    /// The delivery log, newest first.
    Log {
        #[arg(long)]
        channel: Option<String>,
        /// Alarm id.
        #[arg(long)]
        alarm: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Debug, Args)]
pub struct AddChannel {
    pub name: String,
    #[command(subcommand)]
    pub kind: ChannelKindArgs,
    /// Messages per minute at most (after the burst).
    #[arg(long, default_value_t = RateLimit::default().per_minute, global = true)]
    pub per_minute: u32,
    #[arg(long, default_value_t = RateLimit::default().burst, global = true)]
    pub burst: u32,
    /// Add it switched off.
    #[arg(long, global = true)]
    pub disabled: bool,
}

#[derive(Debug, Subcommand)]
pub enum ChannelKindArgs {
    /// E-mail over SMTP.
    Email {
        #[arg(long)]
        host: String,
        #[arg(long, default_value_t = 587)]
        port: u16,
        #[arg(long, value_enum, default_value_t = Security::Starttls)]
        security: Security,
        #[arg(long)]
        from: String,
        /// A recipient; repeat for more.
        #[arg(long, required = true)]
        to: Vec<String>,
        #[arg(long)]
        user: Option<String>,
        /// The environment variable holding the SMTP password.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// A PEM file of CA certificates to trust for the server, besides the
        /// system's (starttls and tls only; read at each send).
        #[arg(long, value_name = "PATH")]
        ca_file: Option<String>,
    },
    /// An HTTP(S) webhook.
    Webhook {
        #[arg(long)]
        url: String,
        #[arg(long, value_enum, default_value_t = Flavour::Generic)]
        flavour: Flavour,
        /// The environment variable holding the HMAC-SHA256 signing key.
        #[arg(long, value_name = "VAR")]
        secret_env: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Security {
    Starttls,
    Tls,
    Plain,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Flavour {
    Generic,
    Slack,
    Teams,
}

#[derive(Debug, Args)]
pub struct AddRoute {
    pub name: String,
    #[arg(long)]
    pub channel: String,
    /// critical, major, minor, warning or indeterminate.
    #[arg(long, value_parser = severity)]
    pub min_severity: Severity,
    #[arg(long = "site")]
    pub sites: Vec<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// A specific problem, e.g. rule:<id> or icmpNoReply; repeat for more.
    #[arg(long = "problem")]
    pub problems: Vec<String>,
    /// Batch all but critical alarms into one message every N minutes.
    #[arg(long)]
    pub digest_minutes: Option<u32>,
    /// Seconds an alarm may stay unacknowledged before `--escalate-to` hears.
    #[arg(long, requires = "escalate_to")]
    pub escalate_after: Option<u32>,
    #[arg(long, requires = "escalate_after")]
    pub escalate_to: Option<String>,
    #[arg(long)]
    pub disabled: bool,
}

fn severity(s: &str) -> Result<Severity, String> {
    serde_json::from_value(serde_json::Value::String(s.to_ascii_lowercase()))
        .map_err(|_| "one of critical, major, minor, warning, indeterminate".to_owned())
}

fn secret_from(var: Option<String>, field: &str) -> Result<Option<String>, ApiError> {
    match var {
        None => Ok(None),
        Some(v) => std::env::var(&v)
            .map(Some)
            .map_err(|_| ApiError::field(field, format!("environment variable {v} is not set"))),
    }
}

pub async fn notify(app: &App, c: NotifyCmd, out: Out) -> Result<(), ApiError> {
    match c {
        NotifyCmd::Channels => {
            let list = app.list_channels().await?;
            if out.json {
                return print_json(&list);
            }
            let rows = list.iter().map(|v| channel_row(&v.channel, &v.id)).collect();
            table(&["NAME", "ON", "KIND", "TARGET", "SECRET", "ID"], rows);
            Ok(())
        }
        NotifyCmd::AddChannel(a) => {
            let (kind, password, secret) = match a.kind {
                ChannelKindArgs::Email { host, port, security, from, to, user, password_env, ca_file } => {
                    let security = match security {
                        Security::Starttls => SmtpSecurity::Starttls,
                        Security::Tls => SmtpSecurity::Tls,
                        Security::Plain => SmtpSecurity::Plain,
                    };
                    let e =
                        EmailChannel { host, port, security, from, to, username: user, password_ref: None, ca_file };
                    (ChannelKind::Email(e), secret_from(password_env, "password")?, None)
                }
                ChannelKindArgs::Webhook { url, flavour, secret_env } => {
                    let flavour = match flavour {
                        Flavour::Generic => WebhookFlavour::Generic,
                        Flavour::Slack => WebhookFlavour::Slack,
                        Flavour::Teams => WebhookFlavour::Teams,
                    };
                    let w = WebhookChannel { url, flavour, secret_ref: None, url_ref: None };
                    (ChannelKind::Webhook(w), None, secret_from(secret_env, "secret")?)
                }
            };
            let rate_limit = RateLimit { per_minute: a.per_minute, burst: a.burst };
            let channel = Channel { name: a.name, enabled: !a.disabled, kind, rate_limit };
            let v = app.put_channel(ChannelInput { channel, password, secret }).await?;
            out.one(&v, || format!("saved channel {} ({}) id {}", v.channel.name, v.channel.kind_label(), v.id))
        }
        NotifyCmd::RemoveChannel { channel } => {
            app.remove_channel(&channel).await?;
            out.one(&serde_json::json!({ "removed": channel }), || format!("removed channel {channel}"))
        }
        NotifyCmd::Routes => {
            let list = app.list_routes().await?;
            if out.json {
                return print_json(&list);
            }
            let rows = list.iter().map(|v| route_row(&v.route, &v.id)).collect();
            table(&["NAME", "ON", "CHANNEL", "AT LEAST", "MATCH", "MODE", "ESCALATE", "ID"], rows);
            Ok(())
        }
        NotifyCmd::AddRoute(a) => {
            let escalate =
                a.escalate_after.zip(a.escalate_to).map(|(after_secs, channel)| Escalation { after_secs, channel });
            let route = Route {
                name: a.name,
                enabled: !a.disabled,
                channel: a.channel,
                min_severity: a.min_severity,
                sites: a.sites,
                tags: a.tags,
                problems: a.problems,
                digest_minutes: a.digest_minutes,
                escalate,
            };
            let v = app.put_route(route).await?;
            out.one(&v, || format!("saved route {} id {}", v.route.name, v.id))
        }
        NotifyCmd::RemoveRoute { route } => {
            app.remove_route(&route).await?;
            out.one(&serde_json::json!({ "removed": route }), || format!("removed route {route}"))
        }
        NotifyCmd::Test { channel } => {
            let e = app.send_test(&channel).await?;
            out.one(&e, || format!("test message sent on {} ({})", e.channel, e.status.as_deref().unwrap_or("ok")))
        }
        NotifyCmd::Delay { seconds } => {
            let s = match seconds {
                Some(secs) => app.set_notification_delay(secs).await?,
                None => app.notification_settings().await?,
            };
            out.one(&s, || format!("notification delay {} s (critical alarms notify at once)", s.delay_secs))
        }
        NotifyCmd::Log { channel, alarm, limit } => {
            let log = app.delivery_log(DeliveryLogFilter { channel, alarm_id: alarm, limit: Some(limit) }).await?;
            if out.json {
                return print_json(&log);
            }
            let rows = log
                .iter()
                .map(|e| {
                    vec![
                        e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                        e.channel.clone(),
                        e.kind.clone(),
                        e.attempt.to_string(),
                        e.outcome.clone(),
                        e.status.clone().unwrap_or_default(),
                        e.error.clone().unwrap_or_default(),
                        e.alarm_id.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            table(&["AT (UTC)", "CHANNEL", "KIND", "TRY", "OUTCOME", "STATUS", "ERROR", "ALARM"], rows);
            Ok(())
        }
    }
}

fn on(b: bool) -> String {
    if b { "on" } else { "off" }.to_owned()
}

fn channel_row(c: &Channel, id: &str) -> Vec<String> {
    let (target, secret) = match &c.kind {
        ChannelKind::Email(e) => (format!("{} via {}:{}", e.to.join(", "), e.host, e.port), e.password_ref.is_some()),
        // Only the host: the rest of a Slack or Teams URL is a credential.
        ChannelKind::Webhook(w) => (
            url_host(&w.url).map(|h| format!("{h} ({:?})", w.flavour).to_lowercase()).unwrap_or_default(),
            w.secret_ref.is_some(),
        ),
        ChannelKind::Desktop => ("this desktop".into(), false),
    };
    vec![
        c.name.clone(),
        on(c.enabled),
        c.kind_label().into(),
        target,
        if secret { "yes" } else { "" }.into(),
        id.into(),
    ]
}

fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next()?.to_owned())
}

fn route_row(r: &Route, id: &str) -> Vec<String> {
    let mut m: Vec<String> = Vec::new();
    m.extend(r.sites.iter().map(|s| format!("site={s}")));
    m.extend(r.tags.iter().map(|t| format!("tag={t}")));
    m.extend(r.problems.iter().map(|p| format!("problem={p}")));
    let mode = r.digest_minutes.map(|n| format!("digest {n} min")).unwrap_or_else(|| "immediate".into());
    let esc = r.escalate.as_ref().map(|e| format!("{} after {} s", e.channel, e.after_secs)).unwrap_or_default();
    vec![
        r.name.clone(),
        on(r.enabled),
        r.channel.clone(),
        format!("{:?}", r.min_severity).to_lowercase(),
        if m.is_empty() { "any".into() } else { m.join(" ") },
        mode,
        esc,
        id.into(),
    ]
}
