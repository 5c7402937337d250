// HTML strings for the map popup, alarm rows and header counts. Pure, so it is
// tested without a DOM; every value from the store goes through escapeHtml.
// No style attributes anywhere: the CSP forbids inline styles.
import type { Alarm, Device, DeviceLive, Severity } from "./generated/bindings";
import { ACTIVE_SEVERITIES } from "./alarms";
import { escapeHtml } from "./devices";

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago"; "never" for null; "just now" under a second or in the future. */
export function formatAgo(iso: string | null, nowMs: number): string {
  if (iso === null) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "unknown";
  const s = Math.floor((nowMs - t) / 1000);
  if (s < 1) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function formatRtt(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

export function popupHtml(d: Device, live: DeviceLive | undefined, worst: Severity | undefined, nowMs: number): string {
  const state = live?.state ?? "unknown";
  const alarm = worst === undefined ? "" : `<div class="popup-alarm sev-${worst}">worst alarm: ${worst}</div>`;
  return (
    `<div class="popup">` +
    `<div class="popup-name"><a href="#/device/${encodeURIComponent(d.id)}">${escapeHtml(d.name)}</a></div>` +
    `<div><code>${escapeHtml(d.address)}</code> <span class="state-pill st-${state}">${state}</span></div>` +
    `<dl><dt>RTT</dt><dd>${formatRtt(live?.rttMs)}</dd>` +
    `<dt>Loss</dt><dd>${live?.lossPct === null || live?.lossPct === undefined ? "—" : `${Math.round(live.lossPct)} %`}</dd>` +
    `<dt>Last seen</dt><dd>${escapeHtml(formatAgo(live?.lastSeen ?? null, nowMs))}</dd></dl>` +
    alarm +
    `</div>`
  );
}

/** One console row; buttons carry data-action and data-id for one delegated click handler. */
export function alarmRowHtml(a: Alarm, deviceName: string | undefined, nowMs: number, index: number): string {
  const who = deviceName ?? a.managedObject;
  const acked = a.ackedAt !== null;
  // The specific problem says most in a narrow column; the tooltip has the rest.
  const what = a.specificProblem !== "" ? a.specificProblem : a.probableCause;
  const detail = [a.probableCause, a.specificProblem, a.additionalText].filter((t) => t !== "").join(" — ");
  const title = ` title="${escapeHtml(detail)}"`;
  const id = escapeHtml(a.id);
  const ackButton = acked
    ? `<span class="acked" title="${escapeHtml(`acknowledged by ${a.ackedBy ?? "?"}${a.ackComment ? `: ${a.ackComment}` : ""}`)}">acked</span>`
    : `<button type="button" class="small" data-action="ack" data-id="${id}">Ack</button>`;
  return (
    `<div class="alarm-row${acked ? " is-acked" : ""}${index % 2 ? " odd" : ""}" role="row" data-id="${id}">` +
    `<span class="sev sev-${a.perceivedSeverity}" role="cell">${a.perceivedSeverity}</span>` +
    `<span class="when" role="cell" title="${escapeHtml(a.raisedAt)}">${escapeHtml(formatAgo(a.raisedAt, nowMs))}</span>` +
    `<span class="who" role="cell">${escapeHtml(who)}</span>` +
    `<span class="what" role="cell"${title}>${escapeHtml(what)}</span>` +
    `<span class="actions" role="cell">${ackButton}` +
    `<button type="button" class="small" data-action="clear" data-id="${id}">Clear</button></span>` +
    `</div>`
  );
}

/** Header badges: one button per active severity, pressed when it is in the console filter. */
export function severityCountsHtml(counts: Readonly<Record<Severity, number>>, selected: ReadonlySet<Severity>): string {
  return ACTIVE_SEVERITIES.map(
    (s) =>
      `<button type="button" class="count sev-${s}${counts[s] > 0 ? " nonzero" : ""}" data-severity="${s}" ` +
      `aria-pressed="${selected.has(s)}" title="Show only ${s} alarms">` +
      `<span class="count-label">${s}</span> <span class="count-n">${counts[s]}</span></button>`,
  ).join("");
}

/** The side list of devices the map cannot place. */
export function unlocatedHtml(devices: readonly Device[], live: ReadonlyMap<string, DeviceLive>): string {
  if (devices.length === 0) return "";
  const items = [...devices]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => {
      const state = live.get(d.id)?.state ?? "unknown";
      return `<li><span class="dot st-${state}" aria-label="${state}"></span>${escapeHtml(d.name)} <code>${escapeHtml(d.address)}</code></li>`;
    })
    .join("");
  return `<h3>Not on the map (${devices.length})</h3><ul>${items}</ul>`;
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
