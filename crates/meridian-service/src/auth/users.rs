//! User administration (admins only) and the server's first admin.

use chrono::{DateTime, Utc};
use meridian_core::access::{check_password, require, validate_user_name, Action, Actor, Role, SiteScope, Target};
use meridian_core::SiteId;
use meridian_store::{NewUser, StoredUser, UserChange};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::audit::{Subject, NONE};
use super::secret::hash_password;
use super::Caller;
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// A user as the API shows it: never the hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    #[ts(type = "string")]
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub all_sites: bool,
    pub sites: Vec<SiteId>,
    pub locked: bool,
    pub failed_logins: i32,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserInput {
    pub name: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub all_sites: bool,
    /// Site names or ids.
    #[serde(default)]
    pub sites: Vec<String>,
}

/// `None` keeps the value; `unlock` clears a lockout; `lock` locks the
/// account (its sessions end and its tokens stop working) until an unlock.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct UserPatch {
    pub role: Option<Role>,
    pub all_sites: Option<bool>,
    pub sites: Option<Vec<String>>,
    pub password: Option<String>,
    pub unlock: bool,
    pub lock: bool,
}

const MAX_SITES: usize = 1000;

pub(crate) fn view(u: &StoredUser) -> UserView {
    UserView {
        id: u.id,
        name: u.name.clone(),
        role: Role::parse(&u.role, "role").unwrap_or(Role::Viewer),
        all_sites: u.all_sites,
        sites: u.sites.iter().copied().map(SiteId).collect(),
        locked: u.locked_at.is_some(),
        failed_logins: u.failed_logins,
        created_at: u.created_at,
        version: u.version,
    }
}

/// The actor a stored user acts as, with `role` (theirs, or a token's).
pub(crate) fn actor_of(u: &StoredUser, role: Role) -> Actor {
    let sites =
        if u.all_sites { SiteScope::All } else { SiteScope::Only(u.sites.iter().copied().map(SiteId).collect()) };
    Actor { user_id: Some(u.id), name: u.name.clone(), role, sites }
}

impl App {
    /// `meridian-server init`: the first admin, with every site. Refused
    /// once any user exists.
    pub async fn init_admin(&self, name: &str, password: &str) -> Result<UserView, ApiError> {
        if self.store.count_users().await? > 0 {
            return Err(ApiError::new(ApiErrorKind::Conflict, "this database already has users; log in as an admin"));
        }
        let input = UserInput {
            name: name.into(),
            password: password.into(),
            role: Role::Admin,
            all_sites: true,
            sites: vec![],
        };
        self.create_user(&Caller::local("meridian-server init"), input).await
    }

    pub async fn list_users(&self, caller: &Caller) -> Result<Vec<UserView>, ApiError> {
        require(&caller.actor, Action::ManageUsers, Target::Global)?;
        Ok(self.store.list_users().await?.iter().map(view).collect())
    }

    pub async fn get_user(&self, caller: &Caller, id: &str) -> Result<UserView, ApiError> {
        require(&caller.actor, Action::ManageUsers, Target::Global)?;
        Ok(view(&self.store.user_by_id(parse_id(id, "id")?).await?))
    }

    pub async fn create_user(&self, caller: &Caller, input: UserInput) -> Result<UserView, ApiError> {
        require(&caller.actor, Action::ManageUsers, Target::Global)?;
        let name = validate_user_name(&input.name)?;
        check_password(&name, &input.password)?;
        let sites = self.site_ids(&input.sites).await?;
        let hash = hash_password(&input.password).await?;
        let new = NewUser {
            id: Uuid::now_v7(),
            name: &name,
            password_hash: &hash,
            role: input.role.as_str(),
            all_sites: input.all_sites,
            sites: &sites,
        };
        let saved = self
            .atomically(async {
                let saved = view(&self.store.insert_user(&new, Utc::now()).await?);
                self.audit(caller, "user.add", subject(&saved), NONE, Some(&saved)).await?;
                Ok(saved)
            })
            .await?;
        tracing::info!(user = %saved.name, role = saved.role.as_str(), by = %caller.actor.name, "user created");
        Ok(saved)
    }

    /// A role, site or password change, a lock, or a lockout lifted, also
    /// ends the user's sessions so the next request sees the new rights.
    pub async fn update_user(&self, caller: &Caller, id: &str, patch: UserPatch) -> Result<UserView, ApiError> {
        require(&caller.actor, Action::ManageUsers, Target::Global)?;
        let current = self.store.user_by_id(parse_id(id, "id")?).await?;
        if patch.lock && patch.unlock {
            return Err(ApiError::field("lock", "lock and unlock at once"));
        }
        if patch.lock && caller.actor.user_id == Some(current.id) {
            return Err(ApiError::field("lock", "you cannot lock yourself out"));
        }
        if let Some(p) = &patch.password {
            check_password(&current.name, p)?;
        }
        let sites = match &patch.sites {
            Some(keys) => Some(self.site_ids(keys).await?),
            None => None,
        };
        let hash = match &patch.password {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let change = UserChange {
            role: patch.role.map(Role::as_str),
            all_sites: patch.all_sites,
            sites: sites.as_deref(),
            password_hash: hash.as_deref(),
            unlock: patch.unlock,
            lock: patch.lock,
        };
        let before = view(&current);
        let action = match (&patch.password, patch.lock) {
            (Some(_), _) => "user.password",
            (None, true) => "user.lock",
            (None, false) => "user.edit",
        };
        let saved = self
            .atomically(async {
                let saved = view(&self.store.update_user(current.id, &change, Utc::now()).await?);
                self.store.delete_sessions_of(current.id).await?;
                self.audit(caller, action, subject(&saved), Some(&before), Some(&saved)).await?;
                Ok(saved)
            })
            .await?;
        tracing::info!(user = %saved.name, action, by = %caller.actor.name, "user changed");
        Ok(saved)
    }

    pub async fn delete_user(&self, caller: &Caller, id: &str) -> Result<UserView, ApiError> {
        require(&caller.actor, Action::ManageUsers, Target::Global)?;
        let id = parse_id(id, "id")?;
        if caller.actor.user_id == Some(id) {
            return Err(ApiError::field("id", "you cannot delete yourself"));
        }
        let gone = self
            .atomically(async {
                let gone = view(&self.store.delete_user(id).await?);
                self.audit(caller, "user.remove", subject(&gone), Some(&gone), NONE).await?;
                Ok(gone)
            })
            .await?;
        tracing::info!(user = %gone.name, by = %caller.actor.name, "user deleted");
        Ok(gone)
    }

    /// Site names or ids to ids; an unknown one is a `sites` field error.
    async fn site_ids(&self, keys: &[String]) -> Result<Vec<Uuid>, ApiError> {
        if keys.len() > MAX_SITES {
            return Err(ApiError::field("sites", format!("at most {MAX_SITES} sites")));
        }
        let mut ids = Vec::with_capacity(keys.len());
        for k in keys {
            match self.store.get_site(k).await {
                Ok(s) => ids.push(s.id.0),
                Err(meridian_store::StoreError::NotFound { .. }) => {
                    return Err(ApiError::field("sites", format!("site '{}' does not exist", clip(k))));
                }
                Err(e) => return Err(e.into()),
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }
}

fn subject(u: &UserView) -> Subject<'static> {
    Subject { entity: "user", id: u.id.to_string(), site: None }
}

pub(crate) fn parse_id(s: &str, field: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s.trim()).map_err(|_| ApiError::field(field, "not an id"))
}

pub(crate) fn clip(s: &str) -> String {
    s.chars().take(64).collect()
}
