//! Writing and reading the audit trail. Each row is written in the same
//! transaction as the change it describes (`App::atomically`), so a row
//! that cannot be written takes its change back with it; `before`/`after`
//! are the public views (never a hash or a secret).

use chrono::{DateTime, Utc};
use meridian_core::access::{require, Action, Target};
use meridian_core::SiteId;
use meridian_store::{AuditQuery, AuditRow};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Caller;
use crate::app::App;
use crate::error::ApiError;

/// The audit listing's filters (query parameters on the server). Text
/// filters match exactly; at most 1,000 rows (default 100).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    #[ts(type = "string | null")]
    pub since: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub until: Option<DateTime<Utc>>,
    #[ts(type = "number | null")]
    pub limit: Option<i64>,
}

const MAX_FILTER_LEN: usize = 200;

/// What a row is about.
pub(crate) struct Subject<'a> {
    pub entity: &'a str,
    pub id: String,
    pub site: Option<SiteId>,
}

impl App {
    pub async fn audit_list(&self, caller: &Caller, f: AuditFilter) -> Result<Vec<AuditRow>, ApiError> {
        require(&caller.actor, Action::ReadAudit, Target::Global)?;
        for (field, v) in
            [("actor", &f.actor), ("action", &f.action), ("entity", &f.entity), ("entityId", &f.entity_id)]
        {
            if v.as_deref().is_some_and(|v| v.chars().count() > MAX_FILTER_LEN) {
                return Err(ApiError::field(field, format!("at most {MAX_FILTER_LEN} characters")));
            }
        }
        let limit = match f.limit {
            None => 100,
            Some(n @ 1..=1000) => n,
            Some(_) => return Err(ApiError::field("limit", "1 to 1000")),
        };
        let q = AuditQuery {
            actor: f.actor,
            action: f.action,
            entity: f.entity,
            entity_id: f.entity_id,
            since: f.since,
            until: f.until,
            limit,
        };
        Ok(self.store.list_audit(&q).await?)
    }

    /// Appends one row. Called inside the change's transaction scope: a
    /// failure is logged and returned, and rolls the change back.
    pub(crate) async fn audit<B: Serialize, A: Serialize>(
        &self,
        caller: &Caller,
        action: &str,
        subject: Subject<'_>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<(), ApiError> {
        let row = AuditRow {
            id: 0,
            at: Utc::now(),
            actor: caller.actor.name.clone(),
            actor_id: caller.actor.user_id,
            source: caller.source.clone(),
            action: action.to_owned(),
            entity: subject.entity.to_owned(),
            entity_id: subject.id,
            site_id: subject.site.map(|s| s.0),
            before: before.map(serde_json::to_value).transpose().map_err(encode)?,
            after: after.map(serde_json::to_value).transpose().map_err(encode)?,
        };
        if let Err(e) = self.store.append_audit(&row).await {
            tracing::error!(action, entity = %row.entity, error = %e, "audit row not written");
            return Err(e.into());
        }
        Ok(())
    }
}

fn encode(e: serde_json::Error) -> ApiError {
    ApiError::new(crate::error::ApiErrorKind::Internal, format!("audit encoding: {e}"))
}

/// For rows with nothing before or after.
pub(crate) const NONE: Option<&()> = None;
