//! Notification channels and routes as use cases: list, add or replace,
//! remove; "send test"; the delivery log. A channel's secrets (SMTP
//! password, webhook signing key) go to the vault, and the stored channel
//! holds only their vault keys, which the service alone sets.

use chrono::{DateTime, Utc};
use meridian_core::notification::{redact_url, Channel, ChannelKind, DeliveryKind, Route};
use meridian_store::notify::{LogFilter, LogRow, NewDelivery, Stored};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::worker::Deliverer;
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

const ACTOR: &str = "local";
/// Longest secret accepted (a password or signing key).
const SECRET_MAX: usize = 1024;

/// A stored channel as front ends show it: the vault keys are there, the
/// secrets are not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelView {
    pub id: String,
    pub channel: Channel,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// A channel to add or replace, with its secrets when they are set or
/// changed. Absent secrets keep the ones the channel has; any vault key in
/// `channel` itself is ignored.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChannelInput {
    pub channel: Channel,
    /// E-mail: the SMTP password.
    #[serde(default)]
    pub password: Option<String>,
    /// Webhook: the HMAC-SHA256 signing key.
    #[serde(default)]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RouteView {
    pub id: String,
    pub route: Route,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// One attempt in the delivery log.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryLogEntry {
    pub id: String,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub channel: String,
    pub alarm_id: Option<String>,
    /// immediate, digest, escalation or test.
    pub kind: String,
    pub attempt: u32,
    /// sent, failed (retried later), dead (gave up) or cancelled.
    pub outcome: String,
    /// The HTTP status or SMTP reply code, when the peer answered.
    pub status: Option<String>,
    pub error: Option<String>,
}

/// One of an alarm's deliveries as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub channel: String,
    pub kind: String,
    /// pending, failed (a retry is due), sent, dead or cancelled.
    pub state: String,
    pub attempts: u32,
    #[ts(type = "string")]
    pub next_attempt_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DeliveryLogFilter {
    pub channel: Option<String>,
    pub alarm_id: Option<String>,
    /// Newest first; 100 when absent.
    pub limit: Option<u32>,
}

impl From<LogRow> for DeliveryLogEntry {
    fn from(r: LogRow) -> Self {
        Self {
            id: r.id.to_string(),
            at: r.at,
            channel: r.channel,
            alarm_id: r.alarm_id.map(|a| a.to_string()),
            kind: r.kind,
            attempt: r.attempt,
            outcome: r.outcome,
            status: r.status,
            error: r.error,
        }
    }
}

fn channel_view(s: Stored<Channel>) -> ChannelView {
    ChannelView { id: s.id.to_string(), channel: s.def, updated_at: s.updated_at }
}

fn route_view(s: Stored<Route>) -> RouteView {
    RouteView { id: s.id.to_string(), route: s.def, updated_at: s.updated_at }
}

fn by_key<'a, T>(items: &'a [Stored<T>], key: &str, name: impl Fn(&T) -> &str) -> Option<&'a Stored<T>> {
    items.iter().find(|s| s.id.to_string() == key || name(&s.def) == key)
}

impl App {
    pub async fn list_channels(&self) -> Result<Vec<ChannelView>, ApiError> {
        Ok(self.store.list_channels().await?.into_iter().map(channel_view).collect())
    }

    /// Adds `input.channel`, or replaces the channel of the same name.
    /// Refused with field errors (nothing written, no secret stored) when
    /// it does not check out.
    pub async fn put_channel(&self, input: ChannelInput) -> Result<ChannelView, ApiError> {
        let ChannelInput { mut channel, password, secret } = input;
        input_secret("password", password.as_deref())?;
        input_secret("secret", secret.as_deref())?;
        let existing = self.store.list_channels().await?.into_iter().find(|c| c.def.name == channel.name.trim());
        let old_refs: Vec<String> =
            existing.as_ref().map(|c| c.def.secret_refs().into_iter().map(str::to_owned).collect()).unwrap_or_default();
        let old_kind = existing.map(|c| c.def.kind);
        // New secrets get fresh vault keys; absent ones keep the channel's.
        let mut written: Vec<(String, Vec<u8>)> = Vec::new();
        let mut fresh = |bytes: Vec<u8>| {
            let key = format!("notify-secret:{}", Uuid::now_v7());
            written.push((key.clone(), bytes));
            Some(key)
        };
        let mut full_url = None;
        match &mut channel.kind {
            ChannelKind::Email(e) => {
                let old = match &old_kind {
                    Some(ChannelKind::Email(o)) => o.password_ref.clone(),
                    _ => None,
                };
                e.password_ref = password.filter(|p| !p.is_empty()).map_or(old, |p| fresh(p.into_bytes()));
            }
            ChannelKind::Webhook(w) => {
                let old = match &old_kind {
                    Some(ChannelKind::Webhook(o)) => Some(o),
                    _ => None,
                };
                let old_secret = old.and_then(|o| o.secret_ref.clone());
                w.secret_ref = secret.filter(|s| !s.is_empty()).map_or(old_secret, |s| fresh(s.into_bytes()));
                // A front end sends back the URL it was shown (the redacted
                // one) when the user did not change it: keep the vault's.
                w.url = w.url.trim().to_owned();
                match old.filter(|o| o.url_ref.is_some() && o.url == w.url) {
                    Some(o) => w.url_ref = o.url_ref.clone(),
                    None => {
                        w.url_ref = None;
                        full_url = Some(w.url.clone());
                    }
                }
            }
            ChannelKind::Desktop => {}
        }
        channel.name = channel.name.trim().to_owned();
        channel.validate()?;
        // Checked as given; stored as its host, the whole URL in the vault.
        if let (Some(url), ChannelKind::Webhook(w)) = (full_url, &mut channel.kind) {
            w.url = redact_url(&url);
            w.url_ref = fresh(url.into_bytes());
        }
        for (key, bytes) in &written {
            let (v, k, b) = (self.vault.clone(), key.clone(), bytes.clone());
            if let Err(e) = tokio::task::spawn_blocking(move || v.put(&k, &b)).await? {
                self.forget_secrets(written.iter().map(|(k, _)| k.clone()).collect()).await;
                return Err(e.into());
            }
        }
        if let Err(e) = self.store.put_channel(&channel, Utc::now(), ACTOR).await {
            self.forget_secrets(written.into_iter().map(|(k, _)| k).collect()).await;
            return Err(e.into());
        }
        // Secrets the channel no longer refers to.
        let now_refs: Vec<&str> = channel.secret_refs();
        self.forget_secrets(old_refs.into_iter().filter(|r| !now_refs.contains(&r.as_str())).collect()).await;
        tracing::info!(channel = %channel.name, kind = channel.kind_label(), "notification channel saved");
        let list = self.store.list_channels().await?;
        by_key(&list, &channel.name, |c| &c.name)
            .cloned()
            .map(channel_view)
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the channel vanished as it was written"))
    }

    /// Removes a channel (name or id) and its secrets. Refused while a
    /// route sends or escalates to it.
    pub async fn remove_channel(&self, key: &str) -> Result<(), ApiError> {
        let channels = self.store.list_channels().await?;
        let Some(ch) = by_key(&channels, key, |c| &c.name) else {
            return Err(ApiError::new(ApiErrorKind::NotFound, format!("channel '{key}' not found")));
        };
        let name = ch.def.name.clone();
        if let Some(r) = self
            .store
            .list_routes()
            .await?
            .into_iter()
            .find(|r| r.def.channel == name || r.def.escalate.as_ref().is_some_and(|e| e.channel == name))
        {
            return Err(ApiError::new(
                ApiErrorKind::Conflict,
                format!("channel '{name}' is used by route '{}'; change or remove the route first", r.def.name),
            ));
        }
        if let Some(gone) = self.store.delete_channel(&ch.id.to_string(), Utc::now(), ACTOR).await? {
            self.forget_secrets(gone.def.secret_refs().into_iter().map(str::to_owned).collect()).await;
        }
        Ok(())
    }

    pub async fn list_routes(&self) -> Result<Vec<RouteView>, ApiError> {
        Ok(self.store.list_routes().await?.into_iter().map(route_view).collect())
    }

    /// Adds `route`, or replaces the route of the same name. Its channels
    /// must exist.
    pub async fn put_route(&self, mut route: Route) -> Result<RouteView, ApiError> {
        route.name = route.name.trim().to_owned();
        route.validate()?;
        let channels = self.store.list_channels().await?;
        let known = |n: &str| channels.iter().any(|c| c.def.name == n);
        let mut c = meridian_core::validate::Checker::new();
        if !known(&route.channel) {
            c.fail("channel", format!("no channel named '{}'", route.channel));
        }
        if let Some(e) = route.escalate.as_ref().filter(|e| !known(&e.channel)) {
            c.fail("escalate.channel", format!("no channel named '{}'", e.channel));
        }
        c.finish(())?;
        self.store.put_route(&route, Utc::now(), ACTOR).await?;
        let list = self.store.list_routes().await?;
        by_key(&list, &route.name, |r| &r.name)
            .cloned()
            .map(route_view)
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the route vanished as it was written"))
    }

    pub async fn remove_route(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_route(key, Utc::now(), ACTOR).await? {
            Some(_) => Ok(()),
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("route '{key}' not found"))),
        }
    }

    /// Sends a test message on a channel now, through the outbox (so the
    /// delivery log shows it), once: a failure is returned, not retried.
    pub async fn send_test(&self, key: &str) -> Result<DeliveryLogEntry, ApiError> {
        let channels = self.store.list_channels().await?;
        let Some(ch) = by_key(&channels, key, |c| &c.name) else {
            return Err(ApiError::new(ApiErrorKind::NotFound, format!("channel '{key}' not found")));
        };
        if matches!(ch.def.kind, ChannelKind::Desktop) {
            return Err(ApiError::field("channel", "the desktop channel is tested from the desktop"));
        }
        if !ch.def.enabled {
            return Err(ApiError::field("channel", format!("channel '{}' is disabled", ch.def.name)));
        }
        let now = Utc::now();
        let d = NewDelivery { channel_id: ch.id, route: None, kind: DeliveryKind::Test, due: now, item: None };
        let ids = self.store.enqueue_deliveries(&[d], now).await?;
        let row = self
            .store
            .due_deliveries(now, i64::MAX)
            .await?
            .into_iter()
            .find(|r| ids.contains(&r.id))
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the test message vanished from the outbox"))?;
        let deliverer = Deliverer::new(self.store.clone(), self.vault.clone(), &self.notify_config())
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, e))?;
        let outcome = deliverer.deliver(Some(ch), vec![row.clone()], now).await?;
        let entry = self
            .store
            .delivery_log(&LogFilter { channel: Some(ch.def.name.clone()), limit: 20, ..LogFilter::default() })
            .await?
            .into_iter()
            .find(|l| l.outbox_id == Some(row.id))
            .map(DeliveryLogEntry::from);
        match (outcome, entry) {
            (Some(Ok(_)), Some(entry)) => Ok(entry),
            (Some(Err(f)), _) => {
                let status = f.status.map(|s| format!(" ({s})")).unwrap_or_default();
                Err(ApiError::network("channel", format!("test message not delivered{status}: {}", f.error)))
            }
            _ => Err(ApiError::new(ApiErrorKind::Network, "the test message was held back (rate limit); try again")),
        }
    }

    /// Delivery attempts, newest first.
    pub async fn delivery_log(&self, f: DeliveryLogFilter) -> Result<Vec<DeliveryLogEntry>, ApiError> {
        let alarm_id = match f.alarm_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(s.parse::<Uuid>().map_err(|_| ApiError::field("alarmId", "must be an alarm id"))?),
            None => None,
        };
        let filter =
            LogFilter { channel: f.channel, alarm_id, limit: i64::from(f.limit.unwrap_or(100).clamp(1, 10_000)) };
        Ok(self.store.delivery_log(&filter).await?.into_iter().map(DeliveryLogEntry::from).collect())
    }

    /// Where an alarm's deliveries stand in the outbox.
    pub async fn alarm_deliveries(&self, alarm_id: &str) -> Result<Vec<OutboxEntry>, ApiError> {
        let id = alarm_id.parse::<Uuid>().map_err(|_| ApiError::field("alarmId", "must be an alarm id"))?;
        let channels = self.store.list_channels().await?;
        let rows = self.store.outbox_for_alarm(id).await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxEntry {
                channel: channels.iter().find(|c| c.id == r.channel_id).map(|c| c.def.name.clone()).unwrap_or_default(),
                kind: r.kind.as_str().to_owned(),
                state: r.state.as_str().to_owned(),
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at,
            })
            .collect())
    }

    async fn forget_secrets(&self, keys: Vec<String>) {
        for key in keys {
            let v = self.vault.clone();
            let k = key.clone();
            match tokio::task::spawn_blocking(move || v.delete(&k)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(key = %key, error = %e, "notification secret not removed from the vault"),
                Err(e) => tracing::warn!(key = %key, error = %e, "notification secret not removed from the vault"),
            }
        }
    }
}

fn input_secret(field: &str, s: Option<&str>) -> Result<(), ApiError> {
    match s {
        Some(v) if v.chars().count() > SECRET_MAX => {
            Err(ApiError::field(field, format!("must be at most {SECRET_MAX} characters")))
        }
        Some(v) if v.chars().any(char::is_control) => {
            Err(ApiError::field(field, "must not contain control characters"))
        }
        _ => Ok(()),
    }
}
