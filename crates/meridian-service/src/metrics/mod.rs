//! Prometheus: `/metrics` in the text exposition format (0.0.4) and
//! `/health`, served on loopback by `meridian monitor` (and, opted in, by
//! the desktop). The text is written here rather than through a client
//! library: the figures already live in the monitor's counters, and the
//! format is a few lines per family.
//!
//! Cardinality is bounded: per-device series (up, RTT, loss) cover at most
//! [`MAX_DEVICE_SERIES`] devices, by name; `meridian_device_series_omitted`
//! counts the rest.

mod server;

use std::collections::HashMap;
use std::fmt::Write;

use meridian_core::state::DeviceState;
use meridian_core::DeviceId;

use crate::monitor::{DeviceLive, MonitorStatus};
use crate::writer::WriterStats;

pub use server::{MetricsListener, DEFAULT_METRICS_ADDR};

/// Devices that get series of their own; more would make every scrape of a
/// large fleet cost the Prometheus server more than it is worth.
pub const MAX_DEVICE_SERIES: usize = 1000;

/// What one scrape reads: the monitor's counters (None when it is not
/// running), the writer's, the live device view and device names.
pub(crate) struct Snapshot {
    pub status: Option<MonitorStatus>,
    pub writer: Option<WriterStats>,
    /// Rule evaluation passes and the microseconds they took.
    pub rules: Option<(u64, u64)>,
    pub live: Vec<DeviceLive>,
    pub names: HashMap<DeviceId, String>,
    pub store_bytes: Option<i64>,
}

/// Label values escape backslash, double quote and line feed.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

struct Text(String);

impl Text {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.0.push_str(name);
        if !labels.is_empty() {
            let l: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", label(v))).collect();
            let _ = write!(self.0, "{{{}}}", l.join(","));
        }
        let _ = writeln!(self.0, " {}", number(value));
    }

    fn one(&mut self, name: &str, kind: &str, help: &str, value: f64) {
        self.family(name, kind, help);
        self.sample(name, &[], value);
    }
}

fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        v.to_string()
    }
}

pub(crate) fn render(s: &Snapshot, max_devices: usize) -> String {
    let mut t = Text(String::new());
    let running = s.status.as_ref().is_some_and(|m| m.running);
    t.one("meridian_monitor_running", "gauge", "1 while the monitor polls.", f64::from(u8::from(running)));
    if let Some(bytes) = s.store_bytes {
        t.one("meridian_store_bytes", "gauge", "Size of the store on disk.", bytes as f64);
    }
    if let Some(m) = &s.status {
        t.family("meridian_polls_total", "counter", "Polls done, by protocol and result.");
        for (proto, ok, failed) in [("icmp", m.icmp_ok, m.icmp_failed), ("snmp", m.snmp_ok, m.snmp_failed)] {
            t.sample("meridian_polls_total", &[("protocol", proto), ("result", "ok")], ok as f64);
            t.sample("meridian_polls_total", &[("protocol", proto), ("result", "failed")], failed as f64);
        }
        t.one("meridian_polls_in_flight", "gauge", "Polls waiting for an answer.", m.in_flight as f64);
        t.one("meridian_poll_jobs", "gauge", "Scheduled poll jobs.", m.jobs as f64);
        t.one(
            "meridian_poll_ticks_skipped_total",
            "counter",
            "Polls skipped because the previous one of the same job was still running (falling behind).",
            m.skipped_ticks as f64,
        );
        t.family("meridian_devices", "gauge", "Monitored devices by state.");
        for (state, n) in [("up", m.devices_up), ("down", m.devices_down), ("degraded", m.devices_degraded)] {
            t.sample("meridian_devices", &[("state", state)], n as f64);
        }
        t.one("meridian_alarms_active", "gauge", "Active alarms.", m.active_alarms as f64);
    }
    if let Some(w) = &s.writer {
        t.one("meridian_queue_depth", "gauge", "Samples queued for the writer.", w.queue_depth as f64);
        t.one("meridian_queue_capacity", "gauge", "Samples the writer queue holds.", w.queue_capacity as f64);
        t.one("meridian_samples_written_total", "counter", "Samples written to the store.", w.written as f64);
        t.one(
            "meridian_samples_dropped_total",
            "counter",
            "Samples dropped (queue full or write failed).",
            w.dropped as f64,
        );
        t.one("meridian_samples_late_total", "counter", "Samples written late.", w.late as f64);
        t.one("meridian_writer_errors_total", "counter", "Failed batch write attempts.", w.write_errors as f64);
        t.family("meridian_writer_batch_seconds", "summary", "Time to write one sample batch.");
        t.sample("meridian_writer_batch_seconds_sum", &[], w.batch_micros as f64 / 1e6);
        t.sample("meridian_writer_batch_seconds_count", &[], w.batches as f64);
    }
    if let Some((passes, micros)) = s.rules {
        t.family("meridian_rule_evaluation_seconds", "summary", "Time to evaluate the alarm rules on one poll result.");
        t.sample("meridian_rule_evaluation_seconds_sum", &[], micros as f64 / 1e6);
        t.sample("meridian_rule_evaluation_seconds_count", &[], passes as f64);
    }
    devices(&mut t, s, max_devices);
    t.0
}

/// Per-device gauges for the first `max` devices by name.
fn devices(t: &mut Text, s: &Snapshot, max: usize) {
    let mut live: Vec<(&str, &DeviceLive)> =
        s.live.iter().filter_map(|l| s.names.get(&l.device_id).map(|n| (n.as_str(), l))).collect();
    live.sort_by(|a, b| a.0.cmp(b.0));
    let omitted = live.len().saturating_sub(max);
    live.truncate(max);
    t.one(
        "meridian_device_series_omitted",
        "gauge",
        "Devices left out of the per-device series (cardinality cap).",
        omitted as f64,
    );
    t.family("meridian_device_up", "gauge", "1 when the device answers (up or degraded), 0 when down.");
    for (name, l) in &live {
        let up = match l.state {
            DeviceState::Up | DeviceState::Degraded => 1.0,
            DeviceState::Down => 0.0,
            DeviceState::Unknown => continue,
        };
        t.sample("meridian_device_up", &[("device", name)], up);
    }
    t.family("meridian_device_rtt_seconds", "gauge", "Mean round-trip time of the last ICMP poll.");
    for (name, l) in &live {
        if let Some(ms) = l.rtt_ms {
            t.sample("meridian_device_rtt_seconds", &[("device", name)], ms / 1000.0);
        }
    }
    t.family("meridian_device_loss_ratio", "gauge", "Packet loss of the last ICMP poll, 0 to 1.");
    for (name, l) in &live {
        if let Some(pct) = l.loss_pct {
            t.sample("meridian_device_loss_ratio", &[("device", name)], pct / 100.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn live(n: u128, state: DeviceState, rtt: Option<f64>) -> DeviceLive {
        DeviceLive {
            device_id: DeviceId(Uuid::from_u128(n)),
            state,
            rtt_ms: rtt,
            loss_pct: rtt.map(|_| 25.0),
            last_seen: None,
            last_poll: None,
            stale: false,
            since: None,
            uptime_secs: None,
            uptime_at: None,
        }
    }

    #[test]
    fn device_series_are_capped_escaped_and_counted() {
        let names = HashMap::from([
            (DeviceId(Uuid::from_u128(1)), "a \"quoted\"\\name".to_owned()),
            (DeviceId(Uuid::from_u128(2)), "b".to_owned()),
            (DeviceId(Uuid::from_u128(3)), "c".to_owned()),
        ]);
        let s = Snapshot {
            status: None,
            writer: None,
            rules: None,
            live: vec![
                live(3, DeviceState::Up, Some(1.0)),
                live(1, DeviceState::Down, None),
                live(2, DeviceState::Up, Some(2.5)),
            ],
            names,
            store_bytes: Some(4096),
        };
        let text = render(&s, 2);
        assert!(text.contains("meridian_device_series_omitted 1\n"), "{text}");
        assert!(text.contains("meridian_device_up{device=\"a \\\"quoted\\\"\\\\name\"} 0\n"), "{text}");
        assert!(text.contains("meridian_device_rtt_seconds{device=\"b\"} 0.0025\n"), "{text}");
        assert!(text.contains("meridian_device_loss_ratio{device=\"b\"} 0.25\n"), "{text}");
        assert!(!text.contains("device=\"c\""), "{text}");
        assert!(text.contains("meridian_store_bytes 4096\n") && text.contains("meridian_monitor_running 0\n"));
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::INFINITY), "+Inf");
    }
}
