// Templates for the map popup, alarm rows and header counts (lit-html:
// bindings are text, so store values never become markup). No style
// attributes anywhere: the CSP forbids inline styles.
import type { Alarm, Device, DeviceLive, Severity } from "./generated/bindings";
import { ACTIVE_SEVERITIES } from "./alarms";
import { DASH, formatAgo, formatIsoDateTime, formatMs, formatPercent } from "./format";
import { html, nothing, type TemplateResult } from "./html";

/** Loss is whole percent: "0 %", "100 %". */
function loss(pct: number | null | undefined): string {
  return pct === null || pct === undefined ? DASH : formatPercent(Math.round(pct));
}

export function popup(d: Device, live: DeviceLive | undefined, worst: Severity | undefined, nowMs: number): TemplateResult {
  const state = live?.state ?? "unknown";
  return html`<div class="popup">
    <div class="popup-name"><a href="#/device/${encodeURIComponent(d.id)}">${d.name}</a></div>
    <div><code>${d.address}</code> <span class="state-pill st-${state}">${state}</span></div>
    <dl>
      <dt>RTT</dt><dd>${live?.rttMs === null || live?.rttMs === undefined ? DASH : formatMs(live.rttMs)}</dd>
      <dt>Loss</dt><dd>${loss(live?.lossPct)}</dd>
      <dt>Last seen</dt><dd>${formatAgo(live?.lastSeen ?? null, nowMs)}</dd>
    </dl>
    ${worst === undefined ? nothing : html`<div class="popup-alarm sev-${worst}">worst alarm: ${worst}</div>`}
  </div>`;
}

/** One console row; buttons carry data-action and data-id for one delegated click handler. */
export function alarmRow(a: Alarm, deviceName: string | undefined, nowMs: number, index: number): TemplateResult {
  const who = deviceName ?? a.managedObject;
  const acked = a.ackedAt !== null;
  // The specific problem says most in a narrow column; the tooltip has the rest.
  const what = a.specificProblem !== "" ? a.specificProblem : a.probableCause;
  const detail = [a.probableCause, a.specificProblem, a.additionalText].filter((t) => t !== "").join(" — ");
  const ackedTitle = `acknowledged by ${a.ackedBy ?? "?"}${a.ackComment ? `: ${a.ackComment}` : ""}`;
  const ack = acked
    ? html`<span class="acked" title=${ackedTitle}>acked</span>`
    : html`<button type="button" class="small" data-action="ack" data-id=${a.id}>Ack</button>`;
  return html`<div class="alarm-row${acked ? " is-acked" : ""}${index % 2 ? " odd" : ""}" role="row" data-id=${a.id}>
    <span class="sev sev-${a.perceivedSeverity}" role="cell">${a.perceivedSeverity}</span>
    <span class="when" role="cell" title=${formatIsoDateTime(new Date(a.raisedAt), { seconds: true })}>${formatAgo(a.raisedAt, nowMs)}</span>
    <span class="who" role="cell">${who}</span>
    <span class="what" role="cell" title=${detail}>${what}</span>
    <span class="actions" role="cell">${ack}<button type="button" class="small" data-action="clear" data-id=${a.id}>Clear</button></span>
  </div>`;
}

/** Header badges: one button per active severity, pressed when it is in the console filter. */
export function severityCounts(counts: Readonly<Record<Severity, number>>, selected: ReadonlySet<Severity>): TemplateResult {
  return html`${ACTIVE_SEVERITIES.map(
    (s) =>
      html`<button type="button" class="count sev-${s}${counts[s] > 0 ? " nonzero" : ""}" data-severity=${s}
        aria-pressed=${String(selected.has(s))} title="Show only ${s} alarms"><span class="count-label">${s}</span> <span class="count-n">${counts[s]}</span></button>`,
  )}`;
}

/** The side list of devices the map cannot place. */
export function unlocatedList(devices: readonly Device[], live: ReadonlyMap<string, DeviceLive>): TemplateResult | typeof nothing {
  if (devices.length === 0) return nothing;
  const items = [...devices]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => {
      const state = live.get(d.id)?.state ?? "unknown";
      return html`<li><span class="dot st-${state}" aria-label=${state}></span>${d.name} <code>${d.address}</code></li>`;
    });
  return html`<h3>Not on the map (${devices.length})</h3><ul>${items}</ul>`;
}

export interface RenderedSummary {
  devices: number;
  markers: number;
  byColour: Readonly<Record<"green" | "amber" | "red" | "grey", number>>;
  unlocated: number;
  counts: Readonly<Record<Severity, number>>;
  alarms: number;
  acked: number;
  rows: number;
}

/** Counts only (never names or addresses): what the UI reports through the `ui_rendered` test hook. */
export function summaryLine(s: RenderedSummary): string {
  const sev = ACTIVE_SEVERITIES.map((k) => `${k}=${s.counts[k]}`).join(" ");
  return (
    `devices=${s.devices} markers=${s.markers} green=${s.byColour.green} amber=${s.byColour.amber} ` +
    `red=${s.byColour.red} grey=${s.byColour.grey} unlocated=${s.unlocated} alarms=${s.alarms} ${sev} acked=${s.acked} rows=${s.rows}`
  );
}
