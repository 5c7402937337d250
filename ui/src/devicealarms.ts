// The device page's active alarms: the device's share of the console, worst
// first, each opening the console's own alarm drawer (alarmdrawer.ts) in
// place on the page, where it is acknowledged, cleared and commented exactly
// as from the console. "Acknowledge…" opens the drawer at its comment box.
import type { Alarm, AlarmId, DeviceId } from "./generated/bindings";
import { isActive, sortAlarms } from "./alarms";
import { formatAgo, formatIsoDateTime } from "./format";
import { html, type TemplateResult } from "./html";
import { problemText } from "./problem";

/** The device's active alarms in console order. */
export function activeAlarmsOf(alarms: Iterable<Alarm>, device: DeviceId): Alarm[] {
  return sortAlarms([...alarms].filter((a) => a.deviceId === device && isActive(a)));
}

export function deviceAlarmList(alarms: readonly Alarm[], open: AlarmId | null, nowMs: number): TemplateResult {
  if (alarms.length === 0) return html`<p class="muted dp-no-alarms">No active alarms.</p>`;
  return html`<ul class="dp-alarm-list">
    ${alarms.map((a) => {
      const acked = a.ackedAt !== null;
      const cls = `dp-alarm${acked ? " is-acked" : ""}${a.id === open ? " is-open" : ""}`;
      return html`<li class=${cls} data-id=${a.id}>
        <span class="sev sev-${a.perceivedSeverity}">${a.perceivedSeverity}</span>
        <button type="button" class="link what" data-alarm="open" data-id=${a.id} title=${a.additionalText}>${problemText(a)}</button>
        <span class="when" title=${formatIsoDateTime(new Date(a.raisedAt), { seconds: true })}>${formatAgo(a.raisedAt, nowMs)}</span>
        ${acked
          ? html`<span class="acked" title=${a.ackComment ?? ""}>acked by ${a.ackedBy ?? "?"}</span>`
          : html`<button type="button" class="small" data-alarm="ack" data-id=${a.id}>Acknowledge…</button>`}
      </li>`;
    })}
  </ul>`;
}
