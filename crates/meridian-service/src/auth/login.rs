//! Logging in and out, and turning a request's session cookie or bearer
//! token into a [`Caller`]. Unknown user and wrong password give the same
//! answer and take about the same time (a dummy hash is verified).

use std::sync::OnceLock;

use chrono::Utc;
use meridian_core::access::{locks_after, token_use_audit_due, Actor, Role, SiteScope, MAX_PASSWORD_LEN};
use meridian_store::StoredUser;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::audit::{Subject, NONE};
use super::secret::{digest, hash_password, random_secret, verify_password};
use super::users::{actor_of, view, UserView};
use super::{AuthPolicy, Caller};
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

#[derive(Clone, PartialEq, Eq, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

// Never print the password, not even in a debug dump.
impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("name", &self.name).finish_non_exhaustive()
    }
}

/// A new browser session. `session` goes only into the HttpOnly cookie;
/// the page gets `csrfToken` and sends it back as `X-CSRF-Token`.
#[derive(Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginOutcome {
    #[serde(skip)]
    #[ts(skip)]
    pub session: String,
    pub csrf_token: String,
    pub user: UserView,
    #[ts(type = "string")]
    pub expires_at: chrono::DateTime<Utc>,
}

impl std::fmt::Debug for LoginOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginOutcome").field("user", &self.user.name).finish_non_exhaustive()
    }
}

pub const TOKEN_PREFIX: &str = "mrd_";

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(ApiErrorKind::Unauthorized, detail)
}

const BAD_LOGIN: &str = "wrong user name or password";

impl App {
    pub async fn login(&self, req: LoginRequest, source: &str, policy: &AuthPolicy) -> Result<LoginOutcome, ApiError> {
        if req.password.chars().count() > MAX_PASSWORD_LEN {
            return Err(ApiError::field("password", format!("at most {MAX_PASSWORD_LEN} characters")));
        }
        self.check_source(source, Utc::now()).await?;
        let name: String = req.name.trim().chars().take(64).collect();
        let Some(user) = self.store.user_by_name(&name).await? else {
            // Same work as a real check, so timing does not tell names apart.
            let _ = verify_password(&req.password, dummy_hash().await).await?;
            let who = Caller { actor: nobody(&name, None), source: source.into(), token_id: None, session_id: None };
            tracing::info!(user = %name, source, "login failed: unknown user");
            self.atomically(async {
                let subject = Subject { entity: "user", id: String::new(), site: None };
                self.audit(&who, "login.failed", subject, NONE, NONE).await?;
                self.source_failed(&who, policy).await
            })
            .await?;
            return Err(unauthorized(BAD_LOGIN));
        };
        let who = Caller {
            actor: nobody(&user.name, Some(user.id)),
            source: source.into(),
            token_id: None,
            session_id: None,
        };
        let subject = || Subject { entity: "user", id: user.id.to_string(), site: None };
        if user.locked_at.is_some() {
            tracing::warn!(user = %user.name, source, "login refused: account locked");
            self.atomically(async {
                self.audit(&who, "login.locked", subject(), NONE, NONE).await?;
                self.source_failed(&who, policy).await
            })
            .await?;
            return Err(locked());
        }
        if !verify_password(&req.password, &user.password_hash).await? {
            let locks = self
                .atomically(async {
                    let failures = self.store.count_failed_login(user.id).await?;
                    self.audit(&who, "login.failed", subject(), NONE, NONE).await?;
                    self.source_failed(&who, policy).await?;
                    let locks = locks_after(failures.max(0) as u32, policy.lockout_after);
                    if locks {
                        self.store.lock_user(user.id, Utc::now()).await?;
                        tracing::warn!(user = %user.name, failures, source, "account locked after failed logins");
                        self.audit(&who, "user.locked", subject(), NONE, NONE).await?;
                    } else {
                        tracing::info!(user = %user.name, failures, source, "login failed: wrong password");
                    }
                    Ok(locks)
                })
                .await?;
            return Err(if locks { locked() } else { unauthorized(BAD_LOGIN) });
        }
        let (session, csrf) = (random_secret()?, random_secret()?);
        let now = Utc::now();
        let expires_at = now + policy.session_ttl;
        let caller = self.caller_for(&user, None, None, source)?;
        self.atomically(async {
            self.store.reset_failed_logins(user.id).await?;
            self.store
                .insert_session(Uuid::now_v7(), user.id, &digest(&session), &digest(&csrf), now, expires_at)
                .await?;
            self.audit(&caller, "login", subject(), NONE, NONE).await
        })
        .await?;
        tracing::info!(user = %user.name, source, "logged in");
        Ok(LoginOutcome { session, csrf_token: csrf, user: view(&user), expires_at })
    }

    /// Who the caller is, as `GET /me` shows it.
    pub fn whoami(&self, caller: &Caller) -> Actor {
        caller.actor.clone()
    }

    /// Ends the session with this cookie secret (unknown is fine).
    pub async fn logout(&self, session: &str, source: &str) -> Result<(), ApiError> {
        if let Some((s, user)) = self.store.session_by_hash(&digest(session)).await? {
            let caller = self.caller_for(&user, None, None, source)?;
            self.atomically(async {
                self.store.delete_session(s.id).await?;
                let subject = Subject { entity: "user", id: user.id.to_string(), site: None };
                self.audit(&caller, "logout", subject, NONE, NONE).await
            })
            .await?;
        }
        Ok(())
    }

    /// The caller behind a session cookie. A state-changing request must also
    /// carry the session's CSRF token.
    pub async fn session_caller(
        &self,
        session: &str,
        csrf: Option<&str>,
        changes_state: bool,
        source: &str,
    ) -> Result<Caller, ApiError> {
        let Some((s, user)) = self.store.session_by_hash(&digest(session)).await? else {
            return Err(unauthorized("not logged in, or the session ended; log in again"));
        };
        if s.expires_at <= Utc::now() {
            self.store.delete_session(s.id).await?;
            return Err(unauthorized("the session expired; log in again"));
        }
        if changes_state && csrf.is_none_or(|c| digest(c) != s.csrf_hash) {
            return Err(ApiError::new(ApiErrorKind::Forbidden, "missing or wrong CSRF token (X-CSRF-Token header)"));
        }
        Ok(Caller { session_id: Some(s.id), ..self.caller_for(&user, None, None, source)? })
    }

    /// The caller behind an `Authorization: Bearer mrd_...` token. Use is
    /// audited at most once per five minutes per token.
    pub async fn token_caller(&self, secret: &str, source: &str) -> Result<Caller, ApiError> {
        const BAD: &str = "unknown, expired or revoked API token";
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
            return Err(unauthorized(BAD));
        }
        let Some((t, user)) = self.store.token_by_hash(&digest(secret)).await? else {
            return Err(unauthorized(BAD));
        };
        let now = Utc::now();
        if t.revoked_at.is_some() || t.expires_at <= now {
            tracing::info!(token = %t.id, user = %user.name, source, "refused a revoked or expired token");
            return Err(unauthorized(BAD));
        }
        let role = Role::parse(&t.role, "role")?;
        let caller = self.caller_for(&user, Some(role), Some(t.id), source)?;
        if token_use_audit_due(t.last_used_at, now) {
            self.atomically(async {
                self.store.touch_token(t.id, now).await?;
                let subject = Subject { entity: "token", id: t.id.to_string(), site: None };
                self.audit(&caller, "token.use", subject, NONE, NONE).await
            })
            .await?;
        }
        Ok(caller)
    }

    /// Refuses locked users, and a token whose role is no longer within its
    /// owner's (the owner was demoted after creating it).
    pub(super) fn caller_for(
        &self,
        user: &StoredUser,
        token_role: Option<Role>,
        token_id: Option<Uuid>,
        source: &str,
    ) -> Result<Caller, ApiError> {
        if user.locked_at.is_some() {
            return Err(locked());
        }
        let own = Role::parse(&user.role, "role")?;
        let role = token_role.unwrap_or(own);
        if !role.within(own) {
            return Err(unauthorized("the token's role is above its owner's current role"));
        }
        Ok(Caller { actor: actor_of(user, role), source: source.into(), token_id, session_id: None })
    }
}

fn locked() -> ApiError {
    ApiError::new(ApiErrorKind::Locked, "the account is locked after too many failed logins; an admin must unlock it")
}

/// The actor named in rows about a login that did not succeed: no rights.
fn nobody(name: &str, id: Option<Uuid>) -> Actor {
    Actor { user_id: id, name: name.into(), role: Role::Viewer, sites: SiteScope::Only(vec![]) }
}

async fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return h;
    }
    let h = hash_password("meridian-dummy-password").await.unwrap_or_default();
    DUMMY.get_or_init(|| h)
}
