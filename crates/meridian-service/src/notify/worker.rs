//! The delivery worker: turns `AlarmRaised` into outbox rows (one
//! transaction per alarm) and sends what is due, with retries, backoff,
//! per-channel rate limits, digests and escalations. Acknowledged or
//! cleared alarms cancel their escalations. Everything it has not sent
//! stays in the outbox, so a restart picks it up again.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use meridian_core::alarm::Alarm;
use meridian_core::notification::{
    payload, plan, AlarmContext, Channel, DeliveryKind, RetryPolicy, TokenBucket, DIGEST_MINUTE,
};
use meridian_core::DeviceKey;
use meridian_store::notify::{Attempt, NewDelivery, OutboxRow, OutboxState, Stored};
use meridian_store::vault::SecretVault;
use meridian_store::Store;
use tokio::sync::{broadcast, watch, Mutex};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::send::{Delivered, Network, Secrets, SendFailure, Transport};
use crate::events::CoreEvent;

/// How the worker retries and waits. Tests shorten everything.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    pub retry: RetryPolicy,
    pub http_timeout: Duration,
    pub smtp_timeout: Duration,
    /// Longest sleep between outbox scans when nothing is due sooner.
    pub idle_wait: Duration,
    /// How long one of a route's `digestMinutes` lasts: a minute (whole
    /// seconds, at least one). Tests shorten it to see a digest go out
    /// without waiting minutes.
    pub digest_minute: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            http_timeout: Duration::from_secs(10),
            smtp_timeout: Duration::from_secs(30),
            idle_wait: Duration::from_secs(30),
            digest_minute: Duration::from_secs(60),
        }
    }
}

/// Rows taken per scan; more are taken on the next loop at once.
const BATCH: i64 = 100;

/// Sends outbox rows: shared by the worker and `App::send_test`.
pub(crate) struct Deliverer {
    store: Arc<Store>,
    vault: Arc<dyn SecretVault>,
    transport: Arc<dyn Transport>,
    retry: RetryPolicy,
    buckets: Mutex<HashMap<Uuid, TokenBucket>>,
}

impl Deliverer {
    pub fn new(store: Arc<Store>, vault: Arc<dyn SecretVault>, cfg: &NotifyConfig) -> Result<Self, String> {
        let transport = Arc::new(Network::new(cfg.http_timeout, cfg.smtp_timeout)?);
        Ok(Self { store, vault, transport, retry: cfg.retry.clone(), buckets: Mutex::default() })
    }

    /// Sends everything due by `now`, a batch at a time.
    pub async fn run_due(&self, now: DateTime<Utc>) {
        loop {
            let rows = match self.store.due_deliveries(now, BATCH).await {
                Ok(r) => r,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the notification outbox failed");
                    return;
                }
            };
            let n = rows.len();
            let channels = match self.store.list_channels().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "reading notification channels failed");
                    return;
                }
            };
            // Digest rows of one channel go as one message; the rest alone.
            let mut digests: HashMap<Uuid, Vec<OutboxRow>> = HashMap::new();
            let mut singles = Vec::new();
            for r in rows {
                if r.kind == DeliveryKind::Digest {
                    digests.entry(r.channel_id).or_default().push(r);
                } else {
                    singles.push(vec![r]);
                }
            }
            for group in singles.into_iter().chain(digests.into_values()) {
                let ch = channels.iter().find(|c| c.id == group[0].channel_id);
                if let Err(e) = self.deliver(ch, group, now).await {
                    tracing::warn!(error = %e, "recording a notification attempt failed");
                }
            }
            if n < BATCH as usize {
                return;
            }
        }
    }

    /// Sends one message for `rows` (one row, or a channel's digest) and
    /// records the outcome for each. Returns the outcome of the attempt, or
    /// None when nothing was attempted (deferred or cancelled).
    pub async fn deliver(
        &self,
        ch: Option<&Stored<Channel>>,
        mut rows: Vec<OutboxRow>,
        now: DateTime<Utc>,
    ) -> Result<Option<Result<Delivered, SendFailure>>, meridian_store::StoreError> {
        let Some(ch) = ch else { return Ok(None) };
        if !ch.def.enabled {
            let a = rows
                .iter()
                .map(|r| attempt(ch, r, r.attempts, OutboxState::Cancelled, None, None, Some("channel disabled")));
            self.store.record_attempts(&a.collect::<Vec<_>>(), now).await?;
            return Ok(None);
        }
        // Escalations go only if still needed, and a first immediate message
        // only if its alarm still passes the gate: it may have cleared or been
        // taken over (flapping, a root cause, maintenance) during the
        // notification delay. Either goes with the
        // alarm as it is now.
        let mut cancelled = Vec::new();
        if rows.iter().any(rechecked) {
            let muted = super::muted_until(&self.store).await;
            let mut keep = Vec::new();
            for mut r in rows {
                if rechecked(&r) {
                    let current = current_alarm(&self.store, &r).await.filter(|a| still_due(&r, a, muted, now));
                    match (current, r.item.as_mut()) {
                        (Some(a), Some(item)) => item.alarm = a,
                        (Some(_), None) => {}
                        (None, _) => {
                            let why = match r.kind {
                                DeliveryKind::Escalation => "acknowledged, cleared or muted in time",
                                _ => "cleared or held within the notification delay",
                            };
                            cancelled.push(attempt(ch, &r, r.attempts, OutboxState::Cancelled, None, None, Some(why)));
                            continue;
                        }
                    }
                }
                keep.push(r);
            }
            rows = keep;
        }
        if !cancelled.is_empty() {
            self.store.record_attempts(&cancelled, now).await?;
        }
        if rows.is_empty() {
            return Ok(None);
        }
        // The rate limit puts the message off without spending an attempt.
        {
            let mut buckets = self.buckets.lock().await;
            let rl = ch.def.rate_limit;
            let b = buckets.entry(ch.id).or_insert_with(|| TokenBucket::new(rl.per_minute, rl.burst, now));
            if b.differs(rl.per_minute, rl.burst) {
                *b = TokenBucket::new(rl.per_minute, rl.burst, now);
            }
            if let Err(at) = b.take(now) {
                for r in &rows {
                    self.store.defer_delivery(r.id, at, now).await?;
                }
                tracing::debug!(channel = %ch.def.name, until = %at, "notification rate limited");
                return Ok(None);
            }
        }
        let kind = rows[0].kind;
        let items: Vec<AlarmContext> = rows.iter().filter_map(|r| r.item.clone()).collect();
        let result = match payload::render(&ch.def.kind, kind, &items, now) {
            None => Err(SendFailure::new("the desktop channel is notified by the desktop shell")),
            Some(msg) => match self.secrets(&ch.def).await {
                Ok(secrets) => self.transport.send(&ch.def.kind, &msg, &secrets).await,
                Err(e) => Err(SendFailure::new(e)),
            },
        };
        let mut attempts = Vec::with_capacity(rows.len());
        for r in &rows {
            let n = r.attempts + 1;
            let a = match &result {
                Ok(d) => attempt(ch, r, n, OutboxState::Sent, None, Some(&d.status), None),
                Err(f) => {
                    // A test message is one-shot: its caller sees the error.
                    let next = if r.kind == DeliveryKind::Test { None } else { self.retry.next_attempt(n, now) };
                    let state = if next.is_some() { OutboxState::Failed } else { OutboxState::Dead };
                    attempt(ch, r, n, state, next, f.status.as_deref(), Some(&f.error))
                }
            };
            attempts.push(a);
        }
        self.store.record_attempts(&attempts, now).await?;
        match &result {
            Ok(d) => {
                tracing::info!(channel = %ch.def.name, kind = kind.as_str(), messages = rows.len(), status = %d.status, "notification sent")
            }
            Err(f) => {
                tracing::warn!(channel = %ch.def.name, kind = kind.as_str(), attempt = rows[0].attempts + 1, error = %f.error, "notification not sent")
            }
        }
        Ok(Some(result))
    }

    async fn secrets(&self, ch: &Channel) -> Result<Secrets, String> {
        channel_secrets(&self.vault, &ch.kind).await
    }
}

/// Reads the channel's secrets from the vault (off the async threads:
/// the keyring may block).
pub(crate) async fn channel_secrets(
    vault: &Arc<dyn SecretVault>,
    kind: &meridian_core::notification::ChannelKind,
) -> Result<Secrets, String> {
    let read = |key: Option<String>| {
        let v = vault.clone();
        async move {
            let Some(key) = key else { return Ok(None) };
            match tokio::task::spawn_blocking(move || v.get(&key)).await {
                Ok(Ok(Some(bytes))) => Ok(Some(bytes)),
                Ok(Ok(None)) => Err("the channel's secret is missing from the vault".to_owned()),
                Ok(Err(e)) => Err(format!("vault: {e}")),
                Err(e) => Err(format!("vault: {e}")),
            }
        }
    };
    use meridian_core::notification::ChannelKind;
    Ok(match kind {
        ChannelKind::Email(e) => Secrets {
            password: read(e.password_ref.clone())
                .await?
                .map(|mut b| {
                    // Moves the buffer out (no copy), so only `Secrets` holds it.
                    String::from_utf8(std::mem::take(&mut *b))
                        .map_err(|_| "the SMTP password in the vault is damaged".to_owned())
                })
                .transpose()?,
            hmac_key: None,
            url: None,
        },
        ChannelKind::Webhook(w) => Secrets {
            password: None,
            hmac_key: read(w.secret_ref.clone()).await?.map(|mut b| std::mem::take(&mut *b)),
            url: read(w.url_ref.clone())
                .await?
                .map(|mut b| {
                    String::from_utf8(std::mem::take(&mut *b))
                        .map_err(|_| "the webhook URL in the vault is damaged".to_owned())
                })
                .transpose()?,
        },
        ChannelKind::Desktop => Secrets::default(),
    })
}

/// Rows checked against the alarm as stored when they go: escalations, and
/// the first attempt of an immediate message (retries of a message already
/// tried go regardless, so a delivery log never ends half-told).
fn rechecked(r: &OutboxRow) -> bool {
    r.kind == DeliveryKind::Escalation || (r.kind == DeliveryKind::Immediate && r.attempts == 0)
}

fn still_due(r: &OutboxRow, a: &Alarm, muted: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match r.kind {
        DeliveryKind::Escalation => meridian_core::notification::escalation_fires(a, muted, now),
        // Acknowledged is still told: the rest of the team learns who is on it.
        _ => meridian_core::notify::may_notify(a, a.raised_at, muted, now),
    }
}

async fn current_alarm(store: &Store, r: &OutboxRow) -> Option<Alarm> {
    let id = r.alarm_id?;
    store.get_alarm(&id.to_string()).await.ok()
}

fn attempt(
    ch: &Stored<Channel>,
    r: &OutboxRow,
    n: u32,
    state: OutboxState,
    next: Option<DateTime<Utc>>,
    status: Option<&str>,
    error: Option<&str>,
) -> Attempt {
    Attempt {
        outbox_id: r.id,
        channel_id: ch.id,
        channel: ch.def.name.clone(),
        alarm_id: r.alarm_id,
        kind: r.kind,
        attempt: n,
        state,
        next_attempt_at: next,
        status: status.map(str::to_owned),
        error: error.map(str::to_owned),
    }
}

/// Enqueues what a raised alarm calls for (nothing unless the shared gate
/// lets it through: see `core::notification::plan`).
pub(crate) async fn enqueue_raised(
    store: &Store,
    alarm: &Alarm,
    started: DateTime<Utc>,
    digest_minute: Duration,
    now: DateTime<Utc>,
) -> Result<usize, meridian_store::StoreError> {
    let routes: Vec<_> = store.list_routes().await?.into_iter().map(|r| r.def).collect();
    if routes.is_empty() {
        return Ok(0);
    }
    let device = match alarm.device_id {
        Some(id) => store.get_device(&DeviceKey::Id(id)).await.ok(),
        None => None,
    };
    let ctx = AlarmContext {
        alarm: alarm.clone(),
        device_name: device.as_ref().map(|d| d.name.clone()),
        site: device.as_ref().and_then(|d| d.site_name.clone()),
        tags: device.map(|d| d.tags).unwrap_or_default(),
    };
    let gate = super::gate_settings(store).await;
    let minute = chrono::Duration::from_std(digest_minute).unwrap_or(DIGEST_MINUTE);
    let planned = plan(&ctx, &routes, started, gate.muted_until, gate.delay_secs, minute, now);
    if planned.is_empty() {
        return Ok(0);
    }
    let channels = store.list_channels().await?;
    let deliveries: Vec<NewDelivery> = planned
        .into_iter()
        .filter_map(|p| {
            let ch = channels.iter().find(|c| c.def.name == p.channel)?;
            // The desktop shell notifies the desktop itself (same gate).
            if matches!(ch.def.kind, meridian_core::notification::ChannelKind::Desktop) {
                return None;
            }
            Some(NewDelivery {
                channel_id: ch.id,
                route: Some(p.route),
                kind: p.kind,
                due: p.due,
                item: Some(ctx.clone()),
            })
        })
        .collect();
    Ok(store.enqueue_deliveries(&deliveries, now).await?.len())
}

/// The running worker.
pub(crate) struct Notifier {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Notifier {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "notification worker ended abnormally");
        }
    }
}

pub(crate) fn start(
    store: Arc<Store>,
    vault: Arc<dyn SecretVault>,
    mut events: broadcast::Receiver<CoreEvent>,
    cfg: NotifyConfig,
) -> Result<Notifier, String> {
    let deliverer = Deliverer::new(store.clone(), vault, &cfg)?;
    let (stop, mut stopped) = watch::channel(false);
    // Alarms raised before this point were handled (or deliberately not)
    // by the previous run; its undelivered rows are still in the outbox.
    let started = Utc::now();
    let task = tokio::spawn(async move {
        tracing::info!("notification worker started");
        loop {
            deliverer.run_due(Utc::now()).await;
            let wait = match store.next_delivery_due().await {
                Ok(Some(t)) => (t - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(cfg.idle_wait),
                _ => cfg.idle_wait,
            };
            tokio::select! {
                _ = stopped.changed() => break,
                ev = events.recv() => match ev {
                    Ok(e) => on_event(&store, &e, started, cfg.digest_minute).await,
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "notification worker fell behind the event bus; some alarms were not routed");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("notification worker stopped");
    });
    Ok(Notifier { stop, task })
}

async fn on_event(store: &Store, e: &CoreEvent, started: DateTime<Utc>, digest_minute: Duration) {
    match e {
        CoreEvent::AlarmRaised { alarm } => {
            match enqueue_raised(store, alarm, started, digest_minute, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(alarm = %alarm.id, deliveries = n, "notifications queued"),
                Err(err) => tracing::warn!(alarm = %alarm.id, error = %err, "queueing notifications failed"),
            }
        }
        CoreEvent::AlarmCleared { alarm } | CoreEvent::AlarmAcknowledged { alarm } => {
            match store.cancel_escalations(alarm.id.0, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(alarm = %alarm.id, escalations = n, "escalations cancelled"),
                Err(err) => tracing::warn!(alarm = %alarm.id, error = %err, "cancelling escalations failed"),
            }
        }
        _ => {}
    }
}
