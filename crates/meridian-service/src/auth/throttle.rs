//! Login throttling by source address (rules in `meridian_core::throttle`,
//! counts in PostgreSQL so every replica shares them), and re-checking a
//! long-lived caller (an open WebSocket) against the database.

use chrono::{DateTime, Utc};
use meridian_core::access::Role;
use meridian_core::throttle::{retry_after_secs, source_key};
use meridian_store::StoreError;

use super::audit::{Subject, NONE};
use super::{AuthPolicy, Caller};
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

fn throttled(until: DateTime<Utc>, now: DateTime<Utc>) -> ApiError {
    let secs = retry_after_secs(until, now);
    ApiError {
        retry_after_secs: Some(secs),
        ..ApiError::new(
            ApiErrorKind::Throttled,
            format!("too many failed logins from this address; try again in {secs} s"),
        )
    }
}

impl App {
    /// Refuses a login from a source that is blocked now.
    pub(crate) async fn check_source(&self, source: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
        match self.store.throttled_until(&source_key(source), now).await? {
            Some(until) => {
                tracing::warn!(source, "login refused: too many failed logins from this address");
                Err(throttled(until, now))
            }
            None => Ok(()),
        }
    }

    /// Counts a failed login of `who`'s source; blocks the source (logged,
    /// audited once) when it reaches the policy's limit.
    pub(crate) async fn source_failed(&self, who: &Caller, policy: &AuthPolicy) -> Result<(), ApiError> {
        let (key, now, p) = (source_key(&who.source), Utc::now(), &policy.throttle);
        let failures = self.store.count_source_failure(&key, now, p.window, p.max_sources).await?;
        if let Some(until) = p.blocked_until(failures, now) {
            self.store.block_source(&key, until).await?;
            tracing::warn!(source = %who.source, failures, "source address throttled after failed logins");
            let subject = Subject { entity: "source", id: key, site: None };
            self.audit(who, "login.throttled", subject, NONE, NONE).await?;
        }
        Ok(())
    }

    /// Whether `caller` would still be let in as the same actor: its token
    /// not revoked or expired, its session not ended, its user not deleted,
    /// locked, demoted or moved to other sites. The local caller always is.
    pub async fn still_valid(&self, caller: &Caller) -> Result<bool, ApiError> {
        let now = Utc::now();
        let (user_id, role) = if let Some(t) = caller.token_id {
            let t = match self.store.token_by_id(t).await {
                Ok(t) => t,
                Err(StoreError::NotFound { .. }) => return Ok(false),
                Err(e) => return Err(e.into()),
            };
            if t.revoked_at.is_some() || t.expires_at <= now {
                return Ok(false);
            }
            (t.user_id, Some(Role::parse(&t.role, "role")?))
        } else if let Some(s) = caller.session_id {
            match self.store.session_by_id(s).await? {
                Some((expires, user)) if expires > now => (user, None),
                _ => return Ok(false),
            }
        } else {
            return Ok(true);
        };
        let user = match self.store.user_by_id(user_id).await {
            Ok(u) => u,
            Err(StoreError::NotFound { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        Ok(self.caller_for(&user, role, caller.token_id, &caller.source).is_ok_and(|c| c.actor == caller.actor))
    }
}
