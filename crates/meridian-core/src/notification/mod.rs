//! Notification channels beyond the desktop (e-mail, webhooks): channel and
//! route definitions with their checks, the routing plan for a raised
//! alarm, digests and escalation, retries with backoff, per-channel rate
//! limits, and what each kind of channel is sent. Pure: the service keeps
//! the outbox and does the sending.
//!
//! Every plan starts at [`crate::notify::may_notify`], the gate the desktop
//! shares, so whatever silences an alarm silences it on every channel.

pub mod channel;
pub mod delay;
pub mod payload;
pub mod retry;
pub mod route;

pub use channel::{
    redact_url, Channel, ChannelKind, EmailChannel, RateLimit, SmtpSecurity, WebhookChannel, WebhookFlavour,
};
pub use delay::{notify_due, validate_delay, Pending, DELAY_SECS_DEFAULT, DELAY_SECS_MAX};
pub use retry::{RetryPolicy, TokenBucket};
pub use route::{
    digest_due, escalation_fires, plan, AlarmContext, DeliveryKind, Escalation, Planned, Route, DIGEST_MINUTE,
};
