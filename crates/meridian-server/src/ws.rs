//! The WebSocket event stream: the caller's site-filtered core events (of
//! every process on the database) as JSON text messages, until either side
//! closes. Client messages are ignored (the stream is one-way). Every
//! `recheck` the caller's credentials are looked at again: a revoked or
//! expired token, an ended session, or a user deleted, locked, demoted or
//! moved to other sites closes the socket with 1008 (policy violation).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{close_code, CloseFrame, Message, WebSocket};
use meridian_service::auth::EventFeed;
use meridian_service::App;

pub async fn forward(app: Arc<App>, mut feed: EventFeed, mut socket: WebSocket, recheck: Duration) {
    let mut tick = tokio::time::interval(recheck);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    let mut close = None;
    loop {
        tokio::select! {
            e = app.next_event(&mut feed) => {
                let Some(json) = e else { break };
                if socket.send(Message::Text((*json).into())).await.is_err() {
                    break;
                }
            }
            m = socket.recv() => match m {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
            _ = tick.tick() => match app.still_valid(feed.caller()).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::info!(user = %feed.caller().actor.name, "event stream closed: its credentials no longer hold");
                    close = Some(CloseFrame { code: close_code::POLICY, reason: "credentials revoked or changed".into() });
                    break;
                }
                // The database is unreachable: keep the socket, look again next tick.
                Err(e) => tracing::warn!(error = %e, "could not re-check an event stream's credentials"),
            },
        }
    }
    let _ = socket.send(Message::Close(close)).await;
}
