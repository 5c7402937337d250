//! The I/O of notifications, behind [`Transport`]: SMTP through lettre and
//! webhooks through reqwest, both over rustls. What to send and whether to
//! is decided in `meridian-core::notification`; this only moves bytes and
//! reports what the peer said.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use hmac::{Hmac, Mac};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, MessageBuilder, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use meridian_core::notification::payload::{EmailText, Rendered};
use meridian_core::notification::{ChannelKind, EmailChannel, SmtpSecurity, WebhookChannel};
use sha2::Sha256;

/// The header carrying the body's HMAC-SHA256 (`sha256=<hex>`).
pub const SIGNATURE_HEADER: &str = "X-Meridian-Signature";

/// A channel's secrets, read from the vault just before sending. Neither
/// `Debug` nor `Serialize`: it must not reach a log or a payload; zeroed
/// when dropped.
#[derive(Default, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub(crate) struct Secrets {
    pub password: Option<String>,
    pub hmac_key: Option<Vec<u8>>,
    /// A webhook's full URL (the stored channel has only its host).
    pub url: Option<String>,
}

/// The peer took the message: its HTTP status or SMTP reply code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Delivered {
    pub status: String,
}

/// The message did not go: what the peer said, if it said anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SendFailure {
    pub status: Option<String>,
    pub error: String,
}

impl SendFailure {
    pub fn new(error: impl Into<String>) -> Self {
        Self { status: None, error: error.into() }
    }
}

pub(crate) type SendResult<'a> = Pin<Box<dyn Future<Output = Result<Delivered, SendFailure>> + Send + 'a>>;

/// Sends one rendered message on one channel.
pub(crate) trait Transport: Send + Sync {
    fn send<'a>(&'a self, channel: &'a ChannelKind, msg: &'a Rendered, secrets: &'a Secrets) -> SendResult<'a>;
}

/// The real network: one HTTP client (connection reuse), a fresh SMTP
/// session per message (notifications are rare; a pool would hold idle
/// connections open on the relay).
pub(crate) struct Network {
    http: reqwest::Client,
    smtp_timeout: Duration,
}

impl Network {
    pub fn new(http_timeout: Duration, smtp_timeout: Duration) -> Result<Self, String> {
        // reqwest is built without a default crypto provider (aws-lc-rs
        // needs cmake); ring is installed once per process. An Err means
        // one is installed already, which is what we need.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(http_timeout)
            .connect_timeout(http_timeout)
            // A redirect could carry the signed body to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Meridian/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Self { http, smtp_timeout })
    }
}

impl Transport for Network {
    fn send<'a>(&'a self, channel: &'a ChannelKind, msg: &'a Rendered, secrets: &'a Secrets) -> SendResult<'a> {
        Box::pin(async move {
            match (channel, msg) {
                (ChannelKind::Email(e), Rendered::Email(text)) => self.mail(e, text, secrets).await,
                (ChannelKind::Webhook(w), Rendered::Json(body)) => self.post(w, body, secrets).await,
                _ => Err(SendFailure::new("nothing to send on this channel")),
            }
        })
    }
}

impl Network {
    async fn post(
        &self,
        w: &WebhookChannel,
        body: &serde_json::Value,
        secrets: &Secrets,
    ) -> Result<Delivered, SendFailure> {
        let bytes = serde_json::to_vec(body).map_err(|e| SendFailure::new(format!("encoding the body: {e}")))?;
        let url = secrets.url.as_deref().unwrap_or(&w.url).trim();
        let mut req = self.http.post(url).header(reqwest::header::CONTENT_TYPE, "application/json");
        if let Some(key) = &secrets.hmac_key {
            req = req.header(SIGNATURE_HEADER, signature(key, &bytes));
        }
        // Errors without the URL: a Slack or Teams URL is itself a secret.
        let resp = req.body(bytes).send().await.map_err(|e| SendFailure::new(describe_http(e)))?;
        let status = resp.status();
        if status.is_success() {
            Ok(Delivered { status: status.as_u16().to_string() })
        } else {
            Err(SendFailure {
                status: Some(status.as_u16().to_string()),
                error: format!("the receiver answered HTTP {status}"),
            })
        }
    }

    async fn mail(&self, e: &EmailChannel, text: &EmailText, secrets: &Secrets) -> Result<Delivered, SendFailure> {
        let message = envelope(e, &e.to, &text.subject)?
            .header(ContentType::TEXT_PLAIN)
            .body(text.body.clone())
            .map_err(|x| bad("message", x.to_string()))?;
        self.relay(e, message, secrets).await
    }

    /// `text` with `files` attached, to `to` (the channel's recipients when
    /// empty), through the channel's SMTP server.
    pub(crate) async fn mail_files(
        &self,
        e: &EmailChannel,
        to: &[String],
        text: &EmailText,
        files: &[Attachment],
        secrets: &Secrets,
    ) -> Result<Delivered, SendFailure> {
        let to = if to.is_empty() { e.to.as_slice() } else { to };
        // Base64 throughout: a report's text is not always ASCII, and a
        // reader gets the same bytes whatever the relay does to long lines.
        let b64 = |bytes: Vec<u8>| {
            Body::new_with_encoding(bytes, ContentTransferEncoding::Base64)
                .map_err(|_| bad("body", "cannot encode".into()))
        };
        let body = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(b64(text.body.clone().into_bytes())?);
        let mut parts = MultiPart::mixed().singlepart(body);
        for f in files {
            let ct = ContentType::parse(f.content_type).map_err(|x| bad("attachment", x.to_string()))?;
            parts = parts.singlepart(lettre::message::Attachment::new(f.name.clone()).body(b64(f.bytes.clone())?, ct));
        }
        let message = envelope(e, to, &text.subject)?.multipart(parts).map_err(|x| bad("message", x.to_string()))?;
        self.relay(e, message, secrets).await
    }

    async fn relay(&self, e: &EmailChannel, message: Message, secrets: &Secrets) -> Result<Delivered, SendFailure> {
        let host = e.host.trim();
        let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host);
        // Tls::Required: a server that offers no STARTTLS is refused, never
        // spoken to in plain text.
        let builder = match e.security {
            SmtpSecurity::Starttls => builder.tls(Tls::Required(tls_parameters(host, e.ca_file.as_deref()).await?)),
            SmtpSecurity::Tls => builder.tls(Tls::Wrapper(tls_parameters(host, e.ca_file.as_deref()).await?)),
            SmtpSecurity::Plain => builder,
        };
        let mut builder = builder.port(e.port).timeout(Some(self.smtp_timeout));
        if let (Some(user), Some(password)) = (&e.username, &secrets.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        match builder.build().send(message).await {
            Ok(r) => Ok(Delivered { status: r.code().to_string() }),
            Err(x) => Err(SendFailure { status: x.status().map(|c| c.to_string()), error: format!("SMTP: {x}") }),
        }
    }
}

/// Certificate checks for `host`: the system's CAs, plus those in `ca_file`
/// (read at each send, so a renewed file needs no restart).
async fn tls_parameters(host: &str, ca_file: Option<&str>) -> Result<TlsParameters, SendFailure> {
    let mut b = TlsParameters::builder(host.to_owned());
    if let Some(path) = ca_file.map(str::trim) {
        let pem = tokio::fs::read(path).await.map_err(|x| bad("TLS", format!("reading the CA file {path}: {x}")))?;
        let ca = Certificate::from_pem(&pem).map_err(|x| bad("TLS", format!("the CA file {path}: {x}")))?;
        b = b.add_root_certificate(ca);
    }
    b.build_rustls().map_err(|x| bad("TLS", x.to_string()))
}

/// A file mailed with a message.
pub(crate) struct Attachment {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

fn bad(what: &str, err: String) -> SendFailure {
    SendFailure::new(format!("{what}: {err}"))
}

/// From the channel's sender to `to`, with `subject`.
fn envelope(e: &EmailChannel, to: &[String], subject: &str) -> Result<MessageBuilder, SendFailure> {
    let from: Mailbox = e.from.trim().parse().map_err(|x: lettre::address::AddressError| bad("from", x.to_string()))?;
    let mut b = Message::builder().from(from).subject(subject.to_owned());
    for to in to {
        b = b.to(to.trim().parse().map_err(|x: lettre::address::AddressError| bad("to", x.to_string()))?);
    }
    Ok(b)
}

fn describe_http(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let e = e.without_url();
    // The source chain says why (refused, reset, TLS); the URL is gone.
    let mut detail = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        detail = format!("{detail}: {s}");
        src = s.source();
    }
    format!("{kind}: {detail}")
}

/// `sha256=<hex>` of the body under `key`: what a receiver recomputes.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length; new_from_slice cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_rfc_4231_case_2() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
