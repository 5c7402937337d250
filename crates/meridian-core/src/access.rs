//! Who may do what, and where. Every use case that a team server exposes asks
//! [`require`] before it reads or writes, so the role × action table below is
//! the one place the rules live. The desktop and the CLI act as
//! [`Actor::local`], which holds every right on every site.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CoreError, FieldError};
use crate::SiteId;

/// A user's role. Rights are fixed per role (see [`Role::allows`]); sites
/// narrow them further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, on every site: users, tokens of others, the audit trail.
    Admin,
    /// Alarm handling: ack, clear, comment.
    Operator,
    /// Inventory on their sites: add, edit and remove devices.
    Technician,
    /// Read only.
    Viewer,
}

/// Something a caller asks to do. One variant per kind of right, not per endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Sites, devices, alarms and their comments.
    Read,
    /// Add, edit or remove a device.
    EditInventory,
    AckAlarm,
    ClearAlarm,
    CommentAlarm,
    /// Create, edit and delete users, their roles and sites.
    ManageUsers,
    ReadAudit,
    /// Create, list and revoke one's own API tokens.
    OwnTokens,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Read,
        Action::EditInventory,
        Action::AckAlarm,
        Action::ClearAlarm,
        Action::CommentAlarm,
        Action::ManageUsers,
        Action::ReadAudit,
        Action::OwnTokens,
    ];
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Operator, Role::Technician, Role::Viewer];

    /// The role × action table.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Operator => matches!(action, Read | AckAlarm | ClearAlarm | CommentAlarm | OwnTokens),
            Role::Technician => matches!(action, Read | EditInventory | CommentAlarm | OwnTokens),
            Role::Viewer => matches!(action, Read | OwnTokens),
        }
    }

    /// True when every right of `self` is also a right of `owner`: a token
    /// may carry any role within its owner's, never more. Operator and
    /// technician are not within each other.
    pub fn within(self, owner: Role) -> bool {
        Action::ALL.iter().all(|&a| !self.allows(a) || owner.allows(a))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Technician => "technician",
            Role::Viewer => "viewer",
        }
    }

    /// `field` names the input in the error.
    pub fn parse(s: &str, field: &str) -> Result<Self, CoreError> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            CoreError::field(field, format!("unknown role '{}': use admin, operator, technician or viewer", clip(s)))
        })
    }
}

/// Which sites an actor may see and act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", tag = "kind", content = "sites")]
pub enum SiteScope {
    All,
    Only(Vec<SiteId>),
}

impl SiteScope {
    /// A record without a site is visible only to actors with every site.
    pub fn covers(&self, site: Option<SiteId>) -> bool {
        match (self, site) {
            (SiteScope::All, _) => true,
            (SiteScope::Only(ids), Some(s)) => ids.contains(&s),
            (SiteScope::Only(_), None) => false,
        }
    }
}

/// Who is acting. `user_id` is `None` for the local desktop or CLI user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    #[ts(type = "string | null")]
    pub user_id: Option<Uuid>,
    pub name: String,
    pub role: Role,
    pub sites: SiteScope,
}

impl Actor {
    /// The desktop's and the CLI's user: every right, every site.
    pub fn local(name: &str) -> Self {
        Self { user_id: None, name: name.to_owned(), role: Role::Admin, sites: SiteScope::All }
    }
}

/// What an action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing site-bound: a listing (filtered afterwards), users, the audit trail.
    Global,
    /// A record on this site, or on none.
    Site(Option<SiteId>),
}

/// The one authorisation check: the role must allow the action and, for a
/// site-bound record, the actor's scope must cover its site. Users and the
/// audit trail also need every site, so a site-scoped admin cannot widen
/// their own scope.
pub fn require(actor: &Actor, action: Action, target: Target) -> Result<(), CoreError> {
    if !actor.role.allows(action) {
        return Err(CoreError::Forbidden(format!("role {} may not {}", actor.role.as_str(), action_words(action))));
    }
    let needs_all = matches!(action, Action::ManageUsers | Action::ReadAudit);
    let in_scope = match target {
        Target::Site(site) => actor.sites.covers(site),
        Target::Global => !needs_all || actor.sites == SiteScope::All,
    };
    if !in_scope {
        return Err(CoreError::Forbidden(format!("{} is outside your sites", action_words(action))));
    }
    Ok(())
}

fn action_words(a: Action) -> &'static str {
    match a {
        Action::Read => "read",
        Action::EditInventory => "edit the inventory",
        Action::AckAlarm => "acknowledge alarms",
        Action::ClearAlarm => "clear alarms",
        Action::CommentAlarm => "comment on alarms",
        Action::ManageUsers => "manage users",
        Action::ReadAudit => "read the audit trail",
        Action::OwnTokens => "manage API tokens",
    }
}

pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 1024;
pub const MAX_USER_NAME_LEN: usize = 64;

/// A user name: 1-64 characters of letters, digits, `.`, `_`, `-` and `@`,
/// so it is safe in a log line, a cookie-free URL path and a CSV cell.
pub fn validate_user_name(name: &str) -> Result<String, CoreError> {
    let n = name.trim();
    let ok_char = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if n.is_empty() {
        Err(CoreError::field("name", "a user name is required"))
    } else if n.chars().count() > MAX_USER_NAME_LEN {
        Err(CoreError::field("name", format!("at most {MAX_USER_NAME_LEN} characters")))
    } else if !n.chars().all(ok_char) {
        Err(CoreError::field("name", "use letters, digits and . _ - @ only"))
    } else {
        Ok(n.to_owned())
    }
}

/// The password policy: at least 12 characters, at most 1024 (argon2 input
/// stays bounded), and not the user's name in any case. The message never
/// repeats the password.
pub fn check_password(name: &str, password: &str) -> Result<(), CoreError> {
    let len = password.chars().count();
    let mut errs = Vec::new();
    if len < MIN_PASSWORD_LEN {
        errs.push(FieldError::new("password", format!("at least {MIN_PASSWORD_LEN} characters")));
    }
    if len > MAX_PASSWORD_LEN {
        errs.push(FieldError::new("password", format!("at most {MAX_PASSWORD_LEN} characters")));
    }
    if !name.trim().is_empty() && password.trim().to_lowercase() == name.trim().to_lowercase() {
        errs.push(FieldError::new("password", "must not be the user name"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errs))
    }
}

/// The failed-login count at which an account locks. `threshold` is the
/// setting (at least 1).
pub fn locks_after(failures: u32, threshold: u32) -> bool {
    failures >= threshold.max(1)
}

/// Token use is audited at most once per this many seconds per token, so a
/// desktop polling with its token does not flood the trail.
pub const TOKEN_USE_AUDIT_SECS: i64 = 300;

pub fn token_use_audit_due(
    last_used: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    last_used.is_none_or(|t| (now - t).num_seconds() >= TOKEN_USE_AUDIT_SECS || now < t)
}

fn clip(s: &str) -> String {
    s.chars().take(32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, sites: SiteScope) -> Actor {
        Actor { user_id: Some(Uuid::nil()), name: "u".into(), role, sites }
    }

    /// The whole table, written out: a change to a right shows up here.
    #[test]
    fn role_action_table() {
        use Action::*;
        let expect = |r: Role| -> Vec<Action> {
            match r {
                Role::Admin => Action::ALL.to_vec(),
                Role::Operator => vec![Read, AckAlarm, ClearAlarm, CommentAlarm, OwnTokens],
                Role::Technician => vec![Read, EditInventory, CommentAlarm, OwnTokens],
                Role::Viewer => vec![Read, OwnTokens],
            }
        };
        for r in Role::ALL {
            for a in Action::ALL {
                assert_eq!(r.allows(a), expect(r).contains(&a), "{r:?} × {a:?}");
            }
        }
    }

    #[test]
    fn token_roles_stay_within_the_owner() {
        assert!(Role::Viewer.within(Role::Technician));
        assert!(Role::Operator.within(Role::Admin));
        assert!(!Role::Operator.within(Role::Technician));
        assert!(!Role::Technician.within(Role::Operator));
        assert!(!Role::Admin.within(Role::Operator));
        for r in Role::ALL {
            assert!(r.within(r) && Role::Viewer.within(r) && r.within(Role::Admin));
        }
    }

    #[test]
    fn require_checks_role_then_site() {
        let a = SiteId(Uuid::from_u128(1));
        let b = SiteId(Uuid::from_u128(2));
        let tech = actor(Role::Technician, SiteScope::Only(vec![a]));
        assert!(require(&tech, Action::EditInventory, Target::Site(Some(a))).is_ok());
        let e = require(&tech, Action::EditInventory, Target::Site(Some(b))).expect_err("other site");
        assert!(matches!(&e, CoreError::Forbidden(m) if m.contains("outside")), "{e:?}");
        assert!(require(&tech, Action::EditInventory, Target::Site(None)).is_err(), "no site needs every site");
        assert!(require(&tech, Action::AckAlarm, Target::Site(Some(a))).is_err());
        let viewer = actor(Role::Viewer, SiteScope::All);
        assert!(require(&viewer, Action::Read, Target::Global).is_ok());
        assert!(require(&viewer, Action::AckAlarm, Target::Global).is_err());
        let scoped_admin = actor(Role::Admin, SiteScope::Only(vec![a]));
        assert!(require(&scoped_admin, Action::ManageUsers, Target::Global).is_err());
        assert!(require(&Actor::local("me"), Action::ManageUsers, Target::Global).is_ok());
    }

    #[test]
    fn password_policy_names_the_field_and_never_echoes() {
        let secret = "short";
        let e = check_password("alice", secret).expect_err("short");
        assert_eq!(e.fields()[0].field, "password");
        assert!(!e.to_string().contains(secret));
        assert!(check_password("alice-long-name", "ALICE-LONG-NAME").is_err());
        assert!(check_password("alice", &"x".repeat(MAX_PASSWORD_LEN + 1)).is_err());
        assert!(check_password("alice", "correct horse battery").is_ok());
    }

    #[test]
    fn user_names_and_roles_reject_garbage() {
        assert_eq!(validate_user_name(" bob ").expect("ok"), "bob");
        for bad in ["", "a b", "x'; DROP TABLE users;--", "<img>", &"a".repeat(65)] {
            assert_eq!(validate_user_name(bad).expect_err(bad).fields()[0].field, "name");
        }
        assert_eq!(Role::parse("operator", "role").expect("ok"), Role::Operator);
        assert_eq!(Role::parse("root", "role").expect_err("bad").fields()[0].field, "role");
        assert!(locks_after(5, 5) && !locks_after(4, 5) && locks_after(1, 0));
    }

    #[test]
    fn token_use_is_audited_once_per_window() {
        let t0 = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("t0");
        assert!(token_use_audit_due(None, t0));
        assert!(!token_use_audit_due(Some(t0), t0 + chrono::Duration::seconds(299)));
        assert!(token_use_audit_due(Some(t0), t0 + chrono::Duration::seconds(300)));
        assert!(token_use_audit_due(Some(t0), t0 - chrono::Duration::seconds(1)), "a clock step back audits");
    }
}
