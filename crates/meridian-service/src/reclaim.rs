//! The store's `VACUUM` when `meridian_core::reclaim::Reclaim` says it is
//! due: one helper for the rollup job and the syslog and trap purges.

use chrono::{DateTime, Utc};
use meridian_core::reclaim::Reclaim;
use meridian_store::{Reclaimable, Store};

/// True when it ran. A failure is logged and left pending: the purge that
/// follows asks again, and the rows it deletes are no less safe meanwhile.
pub(crate) async fn if_due(store: &Store, r: &mut Reclaim, what: Reclaimable, now: DateTime<Utc>) -> bool {
    if !r.due(now) {
        return false;
    }
    match store.reclaim(what).await {
        Ok(()) => {
            r.done(now);
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, ?what, "reclaiming purged space failed; asked again after the next purge");
            false
        }
    }
}
