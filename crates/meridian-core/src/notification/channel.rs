//! Notification channels as data: where a message goes and how. Secrets
//! (an SMTP password, a webhook's HMAC key) are never part of a channel:
//! it holds the vault key of each, which the service fills in.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CoreError;
use crate::validate::{Checker, NAME_MAX, TEXT_MAX};

/// Most recipients of one e-mail channel: a channel is a team's address
/// list, not a mailing list.
pub const RECIPIENTS_MAX: usize = 50;
/// Longest e-mail address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// Longest CA file path.
pub const PATH_MAX: usize = 1024;
/// Longest webhook URL.
pub const URL_MAX: usize = 2048;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the
    /// server does not offer it.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on this machine or a trusted LAN.
    Plain,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmailChannel {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub from: String,
    pub to: Vec<String>,
    #[serde(default)]
    pub username: Option<String>,
    /// The vault key of the SMTP password; set by the service, never the
    /// password itself.
    #[serde(default)]
    pub password_ref: Option<String>,
    /// A PEM file of extra CA certificates trusted for this server's
    /// certificate, on top of the system's (a private relay's own CA). Only
    /// the path is stored; the file is read at each send.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// What the receiving end expects the body to look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WebhookFlavour {
    /// Meridian's own JSON (see `payload::generic`).
    Generic,
    /// A Slack incoming webhook: `text` plus blocks.
    Slack,
    /// A Microsoft Teams incoming webhook: a MessageCard.
    Teams,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookChannel {
    /// As given, the full URL. As stored, only what [`redact_url`] keeps
    /// (scheme, host and port): Slack and Teams carry their token in the
    /// path, so the full URL lives in the vault under `url_ref`.
    pub url: String,
    pub flavour: WebhookFlavour,
    /// The vault key of the HMAC-SHA256 key that signs each body
    /// (`X-Meridian-Signature: sha256=<hex>`); none sends unsigned.
    #[serde(default)]
    pub secret_ref: Option<String>,
    /// The vault key of the full URL; set by the service. A channel stored
    /// without one (before URLs moved to the vault) sends to `url`.
    #[serde(default)]
    pub url_ref: Option<String>,
}

/// What may be shown and stored of a webhook URL: scheme, host and port,
/// with "…" standing for a path or query that may hold a token.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(u) => {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            let rest = if u.path() == "/" && u.query().is_none() { "/" } else { "/\u{2026}" };
            format!("{}://{}{port}{rest}", u.scheme(), u.host_str().unwrap_or_default())
        }
        Err(_) => "\u{2026}".to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ChannelKind {
    Email(EmailChannel),
    Webhook(WebhookChannel),
    /// The desktop's own notifications: delivered by the desktop shell from
    /// the event bus (see `core::notify`), so the outbox never holds them.
    Desktop,
}

/// At most `burst` messages at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    /// Enough for an outage's first wave; a storm past it waits rather
    /// than getting the channel blocked by its provider.
    fn default() -> Self {
        Self { per_minute: 20, burst: 10 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Channel {
    pub name: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub kind: ChannelKind,
    #[serde(default)]
    pub rate_limit: RateLimit,
}

fn yes() -> bool {
    true
}

impl Channel {
    /// Checks every field at once; names fields as `kind.port`, `kind.to[2]`.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut c = Checker::new();
        c.text("name", &self.name, NAME_MAX);
        if is_reserved_log_name(&self.name) {
            c.fail("name", "is a name Meridian's delivery log keeps for its own senders; choose another");
        }
        match &self.kind {
            ChannelKind::Email(e) => check_email(&mut c, e),
            ChannelKind::Webhook(w) => check_webhook(&mut c, w),
            ChannelKind::Desktop => {}
        }
        let r = self.rate_limit;
        if !(1..=600).contains(&r.per_minute) {
            c.fail("rateLimit.perMinute", "must be between 1 and 600");
        }
        if !(1..=100).contains(&r.burst) {
            c.fail("rateLimit.burst", "must be between 1 and 100");
        }
        c.finish(())
    }

    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            ChannelKind::Email(_) => "email",
            ChannelKind::Webhook(_) => "webhook",
            ChannelKind::Desktop => "desktop",
        }
    }

    /// The vault keys this channel refers to.
    pub fn secret_refs(&self) -> Vec<&str> {
        match &self.kind {
            ChannelKind::Email(e) => e.password_ref.as_deref().into_iter().collect(),
            ChannelKind::Webhook(w) => w.secret_ref.iter().chain(&w.url_ref).map(String::as_str).collect(),
            ChannelKind::Desktop => Vec::new(),
        }
    }
}

fn check_email(c: &mut Checker, e: &EmailChannel) {
    let host = c.text("kind.host", &e.host, TEXT_MAX);
    if host.chars().any(|ch| ch.is_whitespace() || ch == '/' || ch == '@') {
        c.fail("kind.host", "must be a host name or address");
    }
    if e.port == 0 {
        c.fail("kind.port", "must be between 1 and 65535");
    }
    if let Err(m) = check_mailbox(&e.from) {
        c.fail("kind.from", m);
    }
    if e.to.is_empty() {
        c.fail("kind.to", "needs at least one recipient");
    } else if e.to.len() > RECIPIENTS_MAX {
        c.fail("kind.to", format!("at most {RECIPIENTS_MAX} recipients"));
    }
    for (i, to) in e.to.iter().enumerate() {
        if let Err(m) = check_mailbox(to) {
            c.fail(&format!("kind.to[{i}]"), m);
        }
    }
    if let Some(u) = &e.username {
        c.text("kind.username", u, TEXT_MAX);
    }
    if e.password_ref.is_some() && e.username.is_none() {
        c.fail("kind.username", "a password needs a user name");
    }
    if let Some(path) = &e.ca_file {
        if e.security == SmtpSecurity::Plain {
            c.fail("kind.caFile", "is for starttls or tls only");
        } else {
            c.text("kind.caFile", path, PATH_MAX);
        }
    }
}

/// A plain `local@domain` address: what SMTP's MAIL FROM / RCPT TO carry.
/// Display names and comments are not accepted (they would need quoting).
pub fn check_mailbox(addr: &str) -> Result<(), &'static str> {
    let a = addr.trim();
    if a.is_empty() {
        return Err("must not be empty");
    }
    if a.len() > EMAIL_MAX {
        return Err("is too long");
    }
    if a.chars().any(|ch| ch.is_whitespace() || ch.is_control() || matches!(ch, '<' | '>' | ',' | ';' | '"')) {
        return Err("must be a plain address like ops@example.com");
    }
    match a.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {
            if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
                Err("has a malformed domain")
            } else {
                Ok(())
            }
        }
        _ => Err("must be a plain address like ops@example.com"),
    }
}

fn check_webhook(c: &mut Checker, w: &WebhookChannel) {
    let raw = w.url.trim();
    if raw.len() > URL_MAX {
        c.fail("kind.url", format!("must be at most {URL_MAX} characters"));
        return;
    }
    match url::Url::parse(raw) {
        Err(e) => c.fail("kind.url", format!("is not a URL: {e}")),
        Ok(u) if !matches!(u.scheme(), "http" | "https") => c.fail("kind.url", "must start with http:// or https://"),
        Ok(u) if u.host_str().is_none_or(str::is_empty) => c.fail("kind.url", "must name a host"),
        // Credentials in a URL end up in logs and the delivery log.
        Ok(u) if !u.username().is_empty() || u.password().is_some() => {
            c.fail("kind.url", "must not carry a user name or password; use the signing secret")
        }
        Ok(_) => {}
    }
}

/// The delivery log's names for Meridian's own senders: the desktop's
/// notifications (`desktop`) and each forwarding target (`forward:NAME`). A
/// channel named like one would have its attempts mixed with theirs, and the
/// desktop's failure banner would read the channel's log.
pub const DESKTOP_LOG_NAME: &str = "desktop";

pub fn is_reserved_log_name(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n == DESKTOP_LOG_NAME || n.starts_with("forward:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Channel {
        Channel {
            name: "ops mail".into(),
            enabled: true,
            kind: ChannelKind::Email(EmailChannel {
                host: "smtp.example.com".into(),
                port: 587,
                security: SmtpSecurity::Starttls,
                from: "meridian@example.com".into(),
                to: vec!["ops@example.com".into()],
                username: None,
                password_ref: None,
                ca_file: None,
            }),
            rate_limit: RateLimit::default(),
        }
    }

    fn fields(ch: &Channel) -> Vec<String> {
        ch.validate().err().map(|e| e.fields().iter().map(|f| f.field.clone()).collect()).unwrap_or_default()
    }

    #[test]
    fn the_delivery_logs_own_names_are_refused() {
        for name in ["desktop", " Desktop ", "forward:noc", "FORWARD:siem"] {
            let ch = Channel { name: name.into(), ..email() };
            assert_eq!(fields(&ch), ["name"], "{name}");
        }
        for name in ["desktop alerts", "my desktop", "forwarders"] {
            assert_eq!(Channel { name: name.into(), ..email() }.validate(), Ok(()), "{name}");
        }
    }

    #[test]
    fn a_good_email_channel_passes_and_bad_fields_are_named() {
        assert_eq!(email().validate(), Ok(()));
        let mut bad = email();
        if let ChannelKind::Email(e) = &mut bad.kind {
            e.port = 0;
            e.to = vec!["ops@example.com".into(), "not an address".into(), "x@@y".into()];
            e.from = String::new();
            e.password_ref = Some("notify:1:password".into());
            e.ca_file = Some("  ".into());
        }
        bad.rate_limit.per_minute = 0;
        assert_eq!(
            fields(&bad),
            [
                "kind.port",
                "kind.from",
                "kind.to[1]",
                "kind.to[2]",
                "kind.username",
                "kind.caFile",
                "rateLimit.perMinute"
            ]
        );
        if let ChannelKind::Email(e) = &mut bad.kind {
            e.to.clear();
        }
        assert!(fields(&bad).contains(&"kind.to".to_owned()));
    }

    #[test]
    fn a_ca_file_is_for_tls_only() {
        let with = |security, ca: &str| {
            let mut ch = email();
            if let ChannelKind::Email(e) = &mut ch.kind {
                e.security = security;
                e.ca_file = Some(ca.into());
            }
            fields(&ch)
        };
        assert!(with(SmtpSecurity::Starttls, "/etc/meridian/relay-ca.pem").is_empty());
        assert!(with(SmtpSecurity::Tls, "/etc/meridian/relay-ca.pem").is_empty());
        assert_eq!(with(SmtpSecurity::Plain, "/etc/meridian/relay-ca.pem"), ["kind.caFile"]);
        assert_eq!(with(SmtpSecurity::Tls, "x".repeat(PATH_MAX + 1).as_str()), ["kind.caFile"]);
    }

    #[test]
    fn webhook_urls_are_parsed() {
        let hook = |url: &str| Channel {
            name: "hook".into(),
            enabled: true,
            kind: ChannelKind::Webhook(WebhookChannel {
                url: url.into(),
                flavour: WebhookFlavour::Generic,
                secret_ref: None,
                url_ref: None,
            }),
            rate_limit: RateLimit::default(),
        };
        assert_eq!(hook("https://hooks.example.com/x?y=1").validate(), Ok(()));
        assert_eq!(hook("http://127.0.0.1:8080/hook").validate(), Ok(()));
        for bad in ["", "hooks.example.com", "ftp://example.com/", "https://user:pw@example.com/", "http://", "\u{0}"] {
            assert_eq!(fields(&hook(bad)), ["kind.url"], "{bad:?}");
        }
    }

    #[test]
    fn redacted_urls_keep_the_host_and_lose_the_token() {
        assert_eq!(redact_url("https://hooks.slack.com/services/T0/B0/XYZ"), "https://hooks.slack.com/\u{2026}");
        assert_eq!(redact_url("http://127.0.0.1:8080/hook?k=1"), "http://127.0.0.1:8080/\u{2026}");
        assert_eq!(redact_url("https://example.com/"), "https://example.com/");
        assert_eq!(redact_url("https://example.com?token=x"), "https://example.com/\u{2026}");
        assert_eq!(redact_url("not a url"), "\u{2026}");
        // What is stored still reads as a URL, so a stored channel checks out.
        let u = redact_url("https://outlook.office.com/webhook/abc");
        assert!(url::Url::parse(&u).is_ok(), "{u}");
    }

    #[test]
    fn definitions_read_from_json_and_refuse_unknown_fields() {
        let j = r#"{"name":"h","kind":{"type":"webhook","url":"https://x.example/","flavour":"slack"}}"#;
        let ch: Channel = serde_json::from_str(j).expect("parse");
        assert!(ch.enabled);
        assert_eq!(ch.rate_limit, RateLimit::default());
        let j = r#"{"name":"h","kind":{"type":"webhook","url":"https://x.example/","flavour":"slack","password":"x"}}"#;
        assert!(serde_json::from_str::<Channel>(j).is_err());
    }
}
