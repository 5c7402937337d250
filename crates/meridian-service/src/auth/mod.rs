//! Identity and access for the team server: who is calling ([`Caller`]),
//! users with argon2id passwords and lockout, browser sessions with a CSRF
//! token, scoped API tokens, and the append-only audit trail. The rules
//! (role × action, password policy) are `meridian_core::access`'s; this
//! module loads, checks, writes and audits.
//!
//! The desktop and the CLI never come here: their use cases act as
//! [`Actor::local`], which every check allows.

mod audit;
mod events;
mod login;
mod scoped;
mod secret;
mod throttle;
mod tokens;
mod users;

pub use audit::AuditFilter;
pub(crate) use events::audience;
pub use events::EventFeed;
pub use login::{LoginOutcome, LoginRequest};
pub use meridian_core::access::{Action, Actor, Role, SiteScope, Target};
pub use meridian_store::AuditRow as AuditEntry;
pub use scoped::{AckInput, AlarmQuery, CommentInput};
pub use tokens::{TokenCreated, TokenInput, TokenView};
pub use users::{UserInput, UserPatch, UserView};

use chrono::Duration;

/// Who is acting and from where; every team use case takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
    /// The peer's address as the server saw it, or `local`.
    pub source: String,
    /// The API token the request carried, if any (for token audit rows).
    pub token_id: Option<uuid::Uuid>,
    /// The browser session the request carried, if any.
    pub session_id: Option<uuid::Uuid>,
}

impl Caller {
    /// The desktop's or the CLI's user, with every right.
    pub fn local(name: &str) -> Self {
        Self { actor: Actor::local(name), source: "local".into(), token_id: None, session_id: None }
    }
}

/// The server's authentication settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthPolicy {
    /// Failed logins per source address before it gets 429 for a while.
    pub throttle: meridian_core::throttle::ThrottlePolicy,
    /// How often an open WebSocket re-checks its credentials (a revoked
    /// token, an ended session, a changed or deleted user closes it).
    pub recheck: std::time::Duration,
    /// Failed logins in a row that lock an account (default 5).
    pub lockout_after: u32,
    pub session_ttl: Duration,
    /// The longest life a new API token may ask for.
    pub max_token_ttl: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        Self {
            throttle: meridian_core::throttle::ThrottlePolicy::default(),
            recheck: std::time::Duration::from_secs(10),
            lockout_after: 5,
            session_ttl: Duration::hours(12),
            max_token_ttl: Duration::days(365),
        }
    }
}
