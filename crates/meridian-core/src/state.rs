//! Device state and the built-in status alarms.
//!
//! Like statime's ports, a [`DeviceMonitor`] does no I/O: the service feeds
//! it poll results (each stamped with the time it was taken) and carries out
//! the [`Action`]s it returns, which happen at that observation's time.
//!
//! Alarms are derived, not toggled: after every observation the monitor
//! works out which alarms its conditions call for and diffs that set
//! against the ones it has raised. A condition that persists can therefore
//! never raise twice, and every alarm is cleared when its condition ends.
//!
//! Thresholds, and why:
//! - Down after 3 consecutive ICMP failures: one lost echo is routine.
//! - Up again after 1 success: an echo reply cannot be faked by loss, so a
//!   single one is proof of reachability; flap damping comes with the alarm
//!   rules engine rather than as a delay here.
//! - SNMP counts as failing after 2 failed polls, each of which already
//!   includes the engine's retries: busy routers drop SNMP (a low-priority
//!   control-plane task) for a poll now and then. A failure only counts when
//!   the last echo succeeded, so a device going dark is reported as
//!   unreachable, not first as "SNMP agent not responding".
//! - A reboot raises a warning that clears after an hour (an event, not a
//!   condition, but operators want it on the console for a shift).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use ts_rs::TS;

use crate::alarm::{cause, device_object, parse_interface_object, problem, Alarm, AlarmKey, AlarmSpec};
use crate::ids::DeviceId;
pub use crate::observation::{IcmpResult, InterfaceStatus, Observation, SnmpResult};
use crate::uptime::{check_uptime, UptimeCheck};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// Not enough evidence yet (just added, or Meridian just started).
    #[default]
    Unknown,
    Up,
    /// Reachable, but SNMP is failing or an interface is down while admin up.
    Degraded,
    Down,
}

pub const DEFAULT_DOWN_AFTER: u32 = 3;
pub const DEFAULT_UP_AFTER: u32 = 1;
pub const DEFAULT_SNMP_FAIL_AFTER: u32 = 2;
pub const DEFAULT_REBOOT_HOLD: Duration = Duration::from_secs(3600);

/// Per-device thresholds. Counts below 1 are treated as 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorConfig {
    pub down_after: u32,
    pub up_after: u32,
    pub snmp_fail_after: u32,
    /// The device is polled over SNMP (it has a credential).
    pub snmp: bool,
    pub reboot_hold: Duration,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        Self {
            down_after: DEFAULT_DOWN_AFTER,
            up_after: DEFAULT_UP_AFTER,
            snmp_fail_after: DEFAULT_SNMP_FAIL_AFTER,
            snmp: false,
            reboot_hold: DEFAULT_REBOOT_HOLD,
        }
    }
}

/// Largest count a device's thresholds may set: beyond it an outage is
/// announced so late that the alarm is no longer news.
pub const COUNT_MAX: u32 = 100;

/// A device's own counts for the built-in alarms, where they differ from
/// the monitor's: a flaky radio link may need `down_after` 6, a core router 2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CountOverride {
    pub down_after: Option<u32>,
    pub up_after: Option<u32>,
    pub snmp_fail_after: Option<u32>,
}

impl CountOverride {
    /// Each given count is 1 to [`COUNT_MAX`]; every bad field is named.
    pub fn validate(&self) -> Result<(), crate::error::CoreError> {
        let errors: Vec<crate::error::FieldError> =
            [("downAfter", self.down_after), ("upAfter", self.up_after), ("snmpFailAfter", self.snmp_fail_after)]
                .into_iter()
                .filter(|(_, v)| v.is_some_and(|n| n == 0 || n > COUNT_MAX))
                .map(|(f, _)| crate::error::FieldError::new(f, format!("must be 1 to {COUNT_MAX} polls")))
                .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::error::CoreError::Validation(errors))
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `base` with this device's counts in place of its own.
    pub fn apply(&self, base: MonitorConfig) -> MonitorConfig {
        MonitorConfig {
            down_after: self.down_after.unwrap_or(base.down_after),
            up_after: self.up_after.unwrap_or(base.up_after),
            snmp_fail_after: self.snmp_fail_after.unwrap_or(base.snmp_fail_after),
            ..base
        }
    }
}

/// What the service must do. Order within one batch: the state change, then
/// clears, then raises (each sorted by key), so a store applying them in
/// order never holds two contradicting alarms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    StateChanged { from: DeviceState, to: DeviceState },
    RaiseAlarm(AlarmSpec),
    ClearAlarm(AlarmKey),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Iface {
    name: String,
    admin_up: bool,
    oper_up: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reboot {
    at: DateTime<Utc>,
    uptime_ticks: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMonitor {
    device: DeviceId,
    config: MonitorConfig,
    state: DeviceState,
    /// ICMP's verdict: `None` until the first success or `down_after` failures.
    reachable: Option<bool>,
    icmp_ok: u32,
    icmp_fail: u32,
    snmp_fail: u32,
    last_uptime: Option<(DateTime<Utc>, u64)>,
    interfaces: BTreeMap<u32, Iface>,
    reboot: Option<Reboot>,
    active: BTreeSet<AlarmKey>,
}

impl DeviceMonitor {
    pub fn new(device: DeviceId, config: MonitorConfig) -> Self {
        Self {
            device,
            config: clamp(config),
            state: DeviceState::Unknown,
            reachable: None,
            icmp_ok: 0,
            icmp_fail: 0,
            snmp_fail: 0,
            last_uptime: None,
            interfaces: BTreeMap::new(),
            reboot: None,
            active: BTreeSet::new(),
        }
    }

    pub fn device(&self) -> DeviceId {
        self.device
    }

    pub fn state(&self) -> DeviceState {
        self.state
    }

    pub fn config(&self) -> &MonitorConfig {
        &self.config
    }

    /// Answering until now, but the last ping failed: it may be going
    /// down. Topology suppression waits for such a parent's verdict.
    pub fn is_failing(&self) -> bool {
        self.reachable != Some(false) && self.icmp_fail > 0
    }

    /// Keys of the alarms this monitor has raised and not cleared.
    pub fn active_alarms(&self) -> impl Iterator<Item = &AlarmKey> + '_ {
        self.active.iter()
    }

    pub fn observe(&mut self, obs: impl Into<Observation>) -> Vec<Action> {
        let obs = obs.into();
        let at = obs.at();
        match obs {
            Observation::Icmp(r) => self.on_icmp(r.ok),
            Observation::Snmp(r) => self.on_snmp(r),
            Observation::Interface(s) => {
                let iface = Iface { name: s.name, admin_up: s.admin_up, oper_up: s.oper_up };
                self.interfaces.insert(s.if_index, iface);
            }
            Observation::InterfaceRemoved { if_index, .. } => {
                self.interfaces.remove(&if_index);
            }
        }
        self.settle(at)
    }

    /// New thresholds or SNMP on/off (an inventory edit), effective at once:
    /// e.g. removing the credential clears "SNMP agent not responding".
    pub fn set_config(&mut self, config: MonitorConfig, at: DateTime<Utc>) -> Vec<Action> {
        self.config = clamp(config);
        self.settle(at)
    }

    /// The device is disabled or deleted: clear everything this monitor
    /// raised and return to `Unknown`.
    pub fn retire(&mut self) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.state != DeviceState::Unknown {
            actions.push(Action::StateChanged { from: self.state, to: DeviceState::Unknown });
        }
        actions.extend(std::mem::take(&mut self.active).into_iter().map(Action::ClearAlarm));
        *self = Self::new(self.device, self.config);
        actions
    }

    /// After a restart: adopt the device's active alarms from the store so
    /// they are neither raised again nor cleared by a blank state, and seed
    /// the state they imply. Alarms this monitor does not own (other
    /// devices, other causes) are ignored and never touched. Emits nothing;
    /// the state is what the store already shows.
    pub fn restore(&mut self, alarms: &[Alarm]) {
        let dev = device_object(self.device);
        for a in alarms.iter().filter(|a| a.is_active()) {
            let (c, p) = (a.probable_cause.as_str(), a.specific_problem.as_str());
            let whole_device = a.managed_object == dev;
            if whole_device && c == cause::COMMUNICATIONS_SUBSYSTEM_FAILURE && p == problem::ICMP_NO_REPLY {
                self.reachable = Some(false);
                self.icmp_fail = self.config.down_after;
            } else if whole_device && c == cause::APPLICATION_SUBSYSTEM_FAILURE && p == problem::SNMP_NO_RESPONSE {
                self.reachable.get_or_insert(true);
                self.snmp_fail = self.config.snmp_fail_after;
            } else if whole_device && c == cause::REINITIALIZED && p == problem::SYS_UPTIME_RESET {
                self.reboot = Some(Reboot { at: a.raised_at, uptime_ticks: 0 });
            } else if let (Some(idx), cause::LOSS_OF_SIGNAL, problem::LINK_DOWN) =
                (parse_interface_object(self.device, &a.managed_object), c, p)
            {
                self.interfaces.insert(idx, Iface { name: String::new(), admin_up: true, oper_up: false });
            } else {
                continue;
            }
            self.active.insert(a.key());
        }
        self.state = self.derive_state();
    }

    fn on_icmp(&mut self, ok: bool) {
        if ok {
            self.icmp_ok = self.icmp_ok.saturating_add(1);
            self.icmp_fail = 0;
            // From Unknown there is no outage to recover from: no hysteresis.
            if self.reachable.is_none() || self.icmp_ok >= self.config.up_after {
                self.reachable = Some(true);
            }
        } else {
            self.icmp_fail = self.icmp_fail.saturating_add(1);
            self.icmp_ok = 0;
            if self.icmp_fail >= self.config.down_after && self.reachable != Some(false) {
                self.reachable = Some(false);
                // SNMP must prove itself afresh once the device is back.
                self.snmp_fail = 0;
            }
        }
    }

    fn on_snmp(&mut self, r: SnmpResult) {
        if !r.ok {
            if self.reachable == Some(true) && self.icmp_fail == 0 {
                self.snmp_fail = self.snmp_fail.saturating_add(1);
            }
            return;
        }
        self.snmp_fail = 0;
        let Some(ticks) = r.sys_uptime else { return };
        match self.last_uptime {
            // Out of order (concurrent pollers): too old to compare with.
            Some((prev_at, _)) if r.at <= prev_at => return,
            Some((prev_at, prev)) if check_uptime(prev_at, prev, r.at, ticks) == UptimeCheck::Restarted => {
                self.reboot = Some(Reboot { at: r.at, uptime_ticks: ticks });
            }
            _ => {}
        }
        self.last_uptime = Some((r.at, ticks));
    }

    fn snmp_failing(&self) -> bool {
        self.config.snmp && self.snmp_fail >= self.config.snmp_fail_after
    }

    fn derive_state(&self) -> DeviceState {
        match self.reachable {
            None => DeviceState::Unknown,
            Some(false) => DeviceState::Down,
            Some(true) if self.snmp_failing() || self.interfaces.values().any(|i| i.admin_up && !i.oper_up) => {
                DeviceState::Degraded
            }
            Some(true) => DeviceState::Up,
        }
    }

    fn settle(&mut self, at: DateTime<Utc>) -> Vec<Action> {
        if let Some(r) = self.reboot {
            let hold = TimeDelta::from_std(self.config.reboot_hold).unwrap_or(TimeDelta::MAX);
            // Overflow means "never": a hold beyond the calendar never ends.
            if r.at.checked_add_signed(hold).is_some_and(|end| at >= end) {
                self.reboot = None;
            }
        }
        let mut actions = Vec::new();
        let to = self.derive_state();
        if to != self.state {
            actions.push(Action::StateChanged { from: self.state, to });
            self.state = to;
        }
        let wanted: BTreeMap<AlarmKey, AlarmSpec> = self.wanted_alarms().into_iter().map(|s| (s.key(), s)).collect();
        let gone: Vec<AlarmKey> = self.active.iter().filter(|k| !wanted.contains_key(k)).cloned().collect();
        for k in gone {
            self.active.remove(&k);
            actions.push(Action::ClearAlarm(k));
        }
        for (k, spec) in wanted {
            if self.active.insert(k) {
                actions.push(Action::RaiseAlarm(spec));
            }
        }
        actions
    }

    /// The alarms the current conditions call for.
    fn wanted_alarms(&self) -> Vec<AlarmSpec> {
        let d = self.device;
        let mut out = Vec::new();
        if self.reachable == Some(false) {
            out.push(AlarmSpec::device_unreachable(d, self.config.down_after));
        }
        if self.reachable == Some(true) && self.snmp_failing() {
            out.push(AlarmSpec::snmp_not_responding(d, self.config.snmp_fail_after));
        }
        for (idx, i) in self.interfaces.iter().filter(|(_, i)| i.admin_up && !i.oper_up) {
            out.push(AlarmSpec::interface_down(d, *idx, &i.name));
        }
        if let Some(r) = self.reboot {
            out.push(AlarmSpec::device_rebooted(d, r.uptime_ticks));
        }
        out
    }
}

fn clamp(c: MonitorConfig) -> MonitorConfig {
    MonitorConfig {
        down_after: c.down_after.max(1),
        up_after: c.up_after.max(1),
        snmp_fail_after: c.snmp_fail_after.max(1),
        ..c
    }
}
