//! API tokens for desktops and collectors: shown once, stored as a hash,
//! carrying a role within the owner's, expiring and revocable.

use chrono::{DateTime, Duration, Utc};
use meridian_core::access::{require, Action, Role, Target};
use meridian_store::{NewToken, StoredToken};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::audit::{Subject, NONE};
use super::login::TOKEN_PREFIX;
use super::secret::{digest, random_secret};
use super::users::parse_id;
use super::{AuthPolicy, Caller};
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenInput {
    pub name: String,
    /// Defaults to the caller's role; must be within it.
    #[serde(default)]
    pub role: Option<Role>,
    /// 1 to the server's maximum (365 by default); default 90.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub expires_in_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenView {
    #[ts(type = "string")]
    pub id: Uuid,
    pub name: String,
    pub owner: String,
    pub role: Role,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
    #[ts(type = "string | null")]
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The answer to a create: `secret` is shown this once and never again.
#[derive(Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenCreated {
    pub token: TokenView,
    pub secret: String,
}

impl std::fmt::Debug for TokenCreated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCreated").field("token", &self.token).finish_non_exhaustive()
    }
}

fn view(t: &StoredToken) -> TokenView {
    TokenView {
        id: t.id,
        name: t.name.clone(),
        owner: t.user_name.clone(),
        role: Role::parse(&t.role, "role").unwrap_or(Role::Viewer),
        created_at: t.created_at,
        expires_at: t.expires_at,
        revoked: t.revoked_at.is_some(),
        last_used_at: t.last_used_at,
    }
}

fn subject(t: &TokenView) -> Subject<'static> {
    Subject { entity: "token", id: t.id.to_string(), site: None }
}

impl App {
    pub async fn create_token(
        &self,
        caller: &Caller,
        input: TokenInput,
        policy: &AuthPolicy,
    ) -> Result<TokenCreated, ApiError> {
        require(&caller.actor, Action::OwnTokens, Target::Global)?;
        let Some(owner) = caller.actor.user_id else {
            return Err(ApiError::new(ApiErrorKind::Validation, "only a server user can own API tokens"));
        };
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(ApiError::field("name", "1 to 64 printable characters"));
        }
        let role = input.role.unwrap_or(caller.actor.role);
        if !role.within(caller.actor.role) {
            return Err(ApiError::field("role", format!("must be within your role ({})", caller.actor.role.as_str())));
        }
        let max = policy.max_token_ttl.num_days();
        let days = input.expires_in_days.unwrap_or(90.min(max));
        if !(1..=max).contains(&days) {
            return Err(ApiError::field("expiresInDays", format!("1 to {max} days")));
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_secret()?);
        let now = Utc::now();
        let new = NewToken {
            id: Uuid::now_v7(),
            user_id: owner,
            name,
            secret_hash: &digest(&secret),
            role: role.as_str(),
            expires_at: now + Duration::days(days),
        };
        let token = self
            .atomically(async {
                let token = view(&self.store.insert_token(&new, now).await?);
                self.audit(caller, "token.create", subject(&token), NONE, Some(&token)).await?;
                Ok(token)
            })
            .await?;
        tracing::info!(token = %token.id, owner = %token.owner, role = role.as_str(), "API token created");
        Ok(TokenCreated { token, secret })
    }

    /// The caller's own tokens; an admin's listing has everyone's.
    pub async fn list_tokens(&self, caller: &Caller) -> Result<Vec<TokenView>, ApiError> {
        require(&caller.actor, Action::OwnTokens, Target::Global)?;
        let all = meridian_core::access::require(&caller.actor, Action::ManageUsers, Target::Global).is_ok();
        let owner = if all { None } else { Some(caller.actor.user_id.unwrap_or(Uuid::nil())) };
        Ok(self.store.list_tokens(owner).await?.iter().map(view).collect())
    }

    /// One's own token, or anyone's for an admin.
    pub async fn revoke_token(&self, caller: &Caller, id: &str) -> Result<TokenView, ApiError> {
        require(&caller.actor, Action::OwnTokens, Target::Global)?;
        let current = self.store.token_by_id(parse_id(id, "id")?).await?;
        let admin = require(&caller.actor, Action::ManageUsers, Target::Global).is_ok();
        if !admin && caller.actor.user_id != Some(current.user_id) {
            return Err(ApiError::new(ApiErrorKind::NotFound, format!("token '{}' not found", current.id)));
        }
        let before = view(&current);
        let after = self
            .atomically(async {
                let after = view(&self.store.revoke_token(current.id, Utc::now()).await?);
                self.audit(caller, "token.revoke", subject(&after), Some(&before), Some(&after)).await?;
                Ok(after)
            })
            .await?;
        tracing::info!(token = %after.id, by = %caller.actor.name, "API token revoked");
        Ok(after)
    }
}
