//! Desktop notifications for new critical and major alarms, through the
//! platform's notification service (notify-rust: freedesktop D-Bus on
//! Linux/BSD, Notification Center on macOS, toasts on Windows). Which
//! alarms notify, when (the notification delay), and the text are the
//! service's (core policy); this task only delivers.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use meridian_service::{App, CoreEvent, NotificationText};
use tokio::sync::broadcast::Receiver;

/// Runs until the service stops sending. `events` is subscribed before
/// the monitor starts, so no alarm is missed. `started` is when the app started:
/// alarms raised before it are not announced again.
pub fn spawn(app: Arc<App>, events: Receiver<CoreEvent>, started: DateTime<Utc>) {
    tauri::async_runtime::spawn(async move {
        let mut texts = app.desktop_notifications(events, started);
        // No notification server (headless, a bare X session) fails every
        // alarm the same way: say it once, not once per alarm.
        let mut failing = false;
        while let Some(text) = texts.recv().await {
            let title = text.title.clone();
            let shown = tauri::async_runtime::spawn_blocking(move || show(&text)).await;
            // Each real attempt goes into the delivery log; the header says when the last one failed.
            let error = match &shown {
                Ok(Ok(())) => None,
                Ok(Err(e)) => Some(e.to_string()),
                Err(e) => Some(e.to_string()),
            };
            if let Err(e) = app.record_desktop_delivery(Utc::now(), error.as_deref()).await {
                tracing::warn!(error = %e.detail, "cannot log the desktop notification attempt");
            }
            match shown {
                Ok(Ok(())) => {
                    if failing {
                        tracing::info!("desktop notifications work again");
                        failing = false;
                    }
                    tracing::info!(title = %title, "desktop notification shown");
                }
                Ok(Err(e)) if !failing => {
                    failing = true;
                    tracing::warn!(
                        error = %e,
                        "cannot show desktop notifications (no notification service?); \
                         further failures are logged at debug level"
                    );
                }
                Ok(Err(e)) => tracing::debug!(error = %e, "desktop notification failed"),
                Err(e) => tracing::warn!(error = %e, "the notification task failed"),
            }
        }
    });
}

fn show(t: &NotificationText) -> Result<(), notify_rust::error::Error> {
    let mut n = notify_rust::Notification::new();
    n.appname("Meridian").summary(&t.title).body(&platform_body(&t.body));
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        use notify_rust::{Hint, Urgency};
        // Critical stays up until dismissed on most servers; major times out.
        n.urgency(if t.is_critical() { Urgency::Critical } else { Urgency::Normal });
        n.hint(Hint::Category("network.error".into()));
    }
    n.show().map(drop)
}

/// Freedesktop servers may read the body as markup: a device named
/// `a<b` or a cause with `&` must show as written, not vanish or break
/// the bubble. Other platforms show plain text.
fn platform_body(body: &str) -> String {
    if cfg!(all(unix, not(target_os = "macos"))) {
        body.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        body.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn markup_characters_are_escaped_for_freedesktop_servers() {
        assert_eq!(super::platform_body("a<b & c>d"), "a&lt;b &amp; c&gt;d");
    }
}
