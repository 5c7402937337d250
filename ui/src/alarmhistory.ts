// The console's two other views, as pure templates: cleared alarms (from
// `list_alarms` with cleared ones included) and the event log (`event_log`:
// inventory changes and device state changes). Times are ISO in tables
// (format.ts) so rows line up.
import type { Alarm, AlarmStep, DeviceId, EventLogEntry } from "./generated/bindings";
import { DASH, formatDuration, formatIsoDateTime } from "./format";
import { html, type TemplateResult } from "./html";
import { problemText } from "./problem";

export type ConsoleView = "active" | "cleared" | "log";

/** Cleared alarms, most recently cleared first. */
export function clearedAlarms(alarms: Iterable<Alarm>): Alarm[] {
  const cleared = Array.from(alarms).filter((a) => a.clearedAt !== null);
  const t = (a: Alarm): number => Date.parse(a.clearedAt ?? "") || 0;
  return cleared.sort((x, y) => t(y) - t(x) || (x.id < y.id ? 1 : -1));
}

function iso(at: string | null): string {
  return at === null ? DASH : formatIsoDateTime(new Date(at));
}

export function clearedTable(alarms: readonly Alarm[], deviceName: (id: DeviceId) => string | undefined): TemplateResult {
  if (alarms.length === 0) return html`<p class="muted console-empty">No cleared alarms yet.</p>`;
  return html`<table class="history-table" aria-label="Cleared alarms">
    <thead><tr><th>Cleared</th><th>Severity</th><th>Device</th><th>Problem</th><th>Lasted</th></tr></thead>
    <tbody>${alarms.map((a) => {
      const who = (a.deviceId === null ? undefined : deviceName(a.deviceId)) ?? a.managedObject;
      const lasted = formatDuration(Date.parse(a.clearedAt ?? "") - Date.parse(a.raisedAt));
      return html`<tr data-id=${a.id}>
        <td class="when">${iso(a.clearedAt)}</td>
        <td><span class="sev sev-${a.perceivedSeverity}">${a.perceivedSeverity}</span></td>
        <td class="who">${who}</td>
        <td><button type="button" class="link" data-action="open" data-id=${a.id}>${problemText(a)}</button></td>
        <td>${lasted}</td>
      </tr>`;
    })}</tbody>
  </table>`;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** One line for an event-log entry's detail: "up → down" for a state change, else its name/address. */
export function eventText(e: EventLogEntry): string {
  const d = typeof e.detail === "object" && e.detail !== null ? (e.detail as Record<string, unknown>) : {};
  const problem = str(d["specificProblem"]);
  if (e.entity === "alarm" && problem !== undefined) {
    const words = problemText({ eventType: "communications", probableCause: str(d["probableCause"]) ?? "", specificProblem: problem });
    const held = str(d["maintenance"]) !== undefined ? " (in maintenance)" : str(d["suppressedBy"]) !== undefined ? " (suppressed)" : "";
    return `${words}, ${str(d["severity"]) ?? ""}${held}`;
  }
  const from = str(d["from"]);
  const to = str(d["to"]);
  if (from !== undefined && to !== undefined) return `${from} → ${to}`;
  return [str(d["name"]), str(d["address"])].filter((s) => s !== undefined).join(" ");
}

/** An alarm's steps in the log, typed: a new step fails to compile until named here. */
const ALARM_STEPS = {
  "alarm.raise": "Alarm raised",
  "alarm.hold": "Alarm held (flapping)",
  "alarm.release": "Alarm released",
  "alarm.ack": "Alarm acknowledged",
  "alarm.clear": "Alarm cleared",
  "alarm.comment": "Alarm comment",
} as const satisfies Record<AlarmStep, string>;

/** "device.add" → "device added"-style words where we know them, else the code. */
const ACTIONS: Readonly<Record<string, string>> = {
  "device.add": "Device added",
  "device.update": "Device changed",
  "device.remove": "Device removed",
  "device.state": "State changed",
  "device.plan.place": "Placed on floor plan",
  "device.plan.remove": "Removed from floor plan",
  "site.add": "Site added",
  "site.update": "Site changed",
  "site.remove": "Site removed",
  "site.floor_plan.set": "Floor plan set",
  "site.floor_plan.remove": "Floor plan removed",
  "credential.add": "Credential added",
  "credential.remove": "Credential removed",
  ...ALARM_STEPS,
  "rule.add": "Rule added",
  "rule.update": "Rule changed",
  "rule.remove": "Rule removed",
  "maintenance.add": "Maintenance window added",
  "maintenance.update": "Maintenance window changed",
  "maintenance.remove": "Maintenance window removed",
};

export function actionText(action: string): string {
  return ACTIONS[action] ?? action;
}

export function eventLogTable(
  entries: readonly EventLogEntry[],
  deviceName: (id: DeviceId) => string | undefined,
): TemplateResult {
  if (entries.length === 0) return html`<p class="muted console-empty">The event log is empty.</p>`;
  return html`<table class="history-table" aria-label="Event log">
    <thead><tr><th>Time</th><th>Event</th><th>What</th><th>Detail</th><th>By</th></tr></thead>
    <tbody>${entries.map((e) => {
      const detail = typeof e.detail === "object" && e.detail !== null ? (e.detail as Record<string, unknown>) : {};
      const device = e.entity === "device" ? e.entityId : e.entity === "alarm" ? str(detail["deviceId"]) : undefined;
      const name = device === undefined ? undefined : deviceName(device);
      return html`<tr data-log=${e.id}>
        <td class="when">${formatIsoDateTime(new Date(e.at), { seconds: true })}</td>
        <td>${actionText(e.action)}</td>
        <td class="who" title=${e.entityId}>${name ?? e.entity}</td>
        <td>${eventText(e)}</td>
        <td class="muted">${e.actor}</td>
      </tr>`;
    })}</tbody>
  </table>`;
}
