//! The WebSocket event stream: the caller's site-filtered core events as
//! JSON text messages, until either side closes. Client messages are
//! ignored (the stream is one-way).

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket};
use meridian_service::auth::EventFeed;
use meridian_service::App;

pub async fn forward(app: Arc<App>, mut feed: EventFeed, mut socket: WebSocket) {
    loop {
        tokio::select! {
            e = app.next_event(&mut feed) => {
                let Some(e) = e else { break };
                match serde_json::to_string(&e) {
                    Ok(text) => {
                        if socket.send(Message::Text(text.into())).await.is_err() {
                            break;
                        }
                    }
                    Err(err) => tracing::warn!(error = %err, "an event did not encode"),
                }
            }
            m = socket.recv() => match m {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
