//! A use case in one transaction ([`App::atomically`]): its store writes
//! (and, on the team server, its audit row) commit together or not at all,
//! and the events it publishes go out only after the commit, so no client
//! hears of a change that was rolled back.

use std::cell::RefCell;
use std::future::Future;

use crate::app::App;
use crate::error::ApiError;
use crate::events::CoreEvent;

tokio::task_local! {
    static PENDING: RefCell<Vec<CoreEvent>>;
}

/// Holds `e` back when the current task is inside a transaction scope;
/// gives it back otherwise.
pub(crate) fn defer(e: CoreEvent) -> Option<CoreEvent> {
    if PENDING.try_with(|_| ()).is_err() {
        return Some(e);
    }
    PENDING.with(|p| p.borrow_mut().push(e));
    None
}

impl App {
    /// Runs `f` in one store transaction (see the module notes). Nested
    /// scopes join the outer one.
    pub(crate) async fn atomically<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: Future<Output = Result<T, ApiError>>,
    {
        if PENDING.try_with(|_| ()).is_ok() {
            return self.store.atomically(f).await;
        }
        let (out, held) = PENDING
            .scope(RefCell::new(Vec::new()), async {
                let out = self.store.atomically(f).await;
                (out, PENDING.with(|p| p.take()))
            })
            .await;
        if out.is_ok() {
            for e in held {
                self.publish(e);
            }
        }
        out
    }
}
