//! "Poll now": a request to the running monitor to poll one device at once
//! (ICMP, and SNMP when it has a credential) instead of at its next tick. The
//! request travels on the event bus the monitor already listens to, as
//! `CoreEvent::PollRequested`; the monitor brings the device's jobs forward
//! in its scheduler (`Scheduler::poll_now`), and the results arrive like any
//! poll's (state changes, alarms, live values).

use meridian_core::DeviceKey;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

impl App {
    /// Refused when the device does not exist, is disabled (nothing polls
    /// it), or when the monitor is not running.
    pub async fn poll_device_now(&self, key: &DeviceKey) -> Result<(), ApiError> {
        let device = self.store.get_device(key).await?;
        if !device.enabled {
            return Err(ApiError::field("enabled", format!("{} is disabled: enable it to poll it", device.name)));
        }
        if self.monitor.lock().await.is_none() {
            return Err(ApiError::new(ApiErrorKind::Conflict, "monitoring is off: nothing polls devices"));
        }
        tracing::info!(device = %device.name, "poll now requested");
        self.publish(CoreEvent::PollRequested { device_id: device.id });
        Ok(())
    }
}
