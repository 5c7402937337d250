// Templates for the map popup, alarm rows and header counts (lit-html:
// bindings are text, so store values never become markup). No style
// attributes anywhere: the CSP forbids inline styles.
import type { Alarm, Device, DeviceLive, Severity } from "./generated/bindings";
import { ACTIVE_SEVERITIES } from "./alarms";
import { DASH, formatAgo, formatIsoDateTime, formatMs, formatPercent } from "./format";
import { html, nothing, type TemplateResult } from "./html";
import { live } from "lit-html/directives/live.js";
import { problemText } from "./problem";

/** Loss is whole percent: "0 %", "100 %". */
function loss(pct: number | null | undefined): string {
  return pct === null || pct === undefined ? DASH : formatPercent(Math.round(pct));
}

/**
 * A marker's hover text: the name and state, and for a state known only from
 * before a restart, "last known up since 2026-12-04 01:10 (not polled yet)".
 */
export function markerTooltip(d: Device, live: DeviceLive | undefined): string {
  const state = live?.state ?? "unknown";
  if (live?.stale !== true) return `${d.name}: ${state}`;
  const since = live.since === null ? NaN : Date.parse(live.since);
  const when = Number.isNaN(since) ? "" : ` since ${formatIsoDateTime(new Date(since))}`;
  return `${d.name}: last known ${state}${when} (not polled yet)`;
}

export function popup(d: Device, live: DeviceLive | undefined, worst: Severity | undefined, nowMs: number): TemplateResult {
  const state = live?.state ?? "unknown";
  const stale = live?.stale === true;
  return html`<div class="popup">
    <div class="popup-name"><a href="#/device/${encodeURIComponent(d.id)}">${d.name}</a></div>
    <div><code>${d.address}</code> <span class="state-pill st-${state}${stale ? " stale" : ""}">${state}</span></div>
    ${stale ? html`<div class="popup-stale muted">${markerTooltip(d, live).slice(d.name.length + 2)}</div>` : nothing}
    <dl>
      <dt>RTT</dt><dd>${live?.rttMs === null || live?.rttMs === undefined ? DASH : formatMs(live.rttMs)}</dd>
      <dt>Loss</dt><dd>${loss(live?.lossPct)}</dd>
      <dt>Last seen</dt><dd>${formatAgo(live?.lastSeen ?? null, nowMs)}</dd>
    </dl>
    ${worst === undefined ? nothing : html`<div class="popup-alarm sev-${worst}">worst alarm: ${worst}</div>`}
  </div>`;
}

/** How a console row is shown besides its data. */
export interface RowState {
  /** Its checkbox is ticked (multi-select). */
  readonly selected: boolean;
  /** Its detail is open in the drawer. */
  readonly open: boolean;
}

/**
 * One console row. Controls carry data-action and data-id for one delegated
 * click handler; a click anywhere else on the row opens its detail. The
 * problem is in plain words (problem.ts); the X.733 codes are in the drawer.
 * Clear lives in the drawer: the row keeps only what a shift needs at a
 * glance, so device names and times fit.
 */
export function alarmRow(a: Alarm, deviceName: string | undefined, nowMs: number, index: number, st: RowState = NO_ROW_STATE): TemplateResult {
  const who = deviceName ?? a.managedObject;
  const acked = a.ackedAt !== null;
  const what = problemText(a);
  const ackedTitle = `acknowledged by ${a.ackedBy ?? "?"}${a.ackComment ? `: ${a.ackComment}` : ""}`;
  const ack = acked
    ? html`<span class="acked" title=${ackedTitle}>acked</span>`
    : html`<button type="button" class="small" data-action="ack" data-id=${a.id}>Ack</button>`;
  // Held alarms say why they were not notified; symptoms sit indented under their root.
  const held =
    a.suppressedBy !== null
      ? html`<span class="held" title="Suppressed: a symptom of the alarm above it">behind root</span> `
      : a.maintenance !== null
        ? html`<span class="held" title="Raised in maintenance window ${a.maintenance}">maintenance</span> `
        : nothing;
  const cls = `alarm-row${a.suppressedBy !== null ? " is-symptom" : ""}${acked ? " is-acked" : ""}${index % 2 ? " odd" : ""}${st.selected ? " is-selected" : ""}${st.open ? " is-open" : ""}`;
  return html`<div class=${cls} role="row" data-id=${a.id} aria-selected=${String(st.selected)}>
    <span class="pick" role="cell"><input type="checkbox" data-action="select" data-id=${a.id} .checked=${live(st.selected)} aria-label="Select ${what} on ${who}" /></span>
    <span class="sev sev-${a.perceivedSeverity}" role="cell">${a.perceivedSeverity}</span>
    <span class="when" role="cell" title=${formatIsoDateTime(new Date(a.raisedAt), { seconds: true })}>${formatAgo(a.raisedAt, nowMs)}</span>
    <span class="who" role="cell" title=${who}>${who}</span>
    <span class="what" role="cell" title=${a.additionalText}><button type="button" class="link" data-action="open" data-id=${a.id}>${held}${what}</button></span>
    <span class="actions" role="cell">${ack}</span>
  </div>`;
}

export const NO_ROW_STATE: RowState = { selected: false, open: false };

/** The badges' labels in a narrow window (style.css swaps them in below 760 px). */
const SHORT_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "crit",
  major: "maj",
  minor: "min",
  warning: "warn",
  indeterminate: "indet",
  cleared: "clr",
};

/** Header badges: one button per active severity, pressed when it is in the console filter. */
export function severityCounts(counts: Readonly<Record<Severity, number>>, selected: ReadonlySet<Severity>): TemplateResult {
  return html`${ACTIVE_SEVERITIES.map(
    (s) =>
      html`<button type="button" class="count sev-${s}${counts[s] > 0 ? " nonzero" : ""}" data-severity=${s}
        aria-pressed=${String(selected.has(s))} title="Show only ${s} alarms"><span class="count-label" data-short=${SHORT_SEVERITY[s]}>${s}</span> <span class="count-n">${counts[s]}</span></button>`,
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
