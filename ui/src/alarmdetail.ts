// The alarm drawer's content, as a pure template of the alarm: the problem in
// plain words, every X.733 field (codes and words), the raise, clear and
// acknowledgement times (format.ts), who acknowledged and why, and the
// device, with "Open device" and "Show on map". The fault-management issue
// adds the alarm's history, its comment thread and the rule that raised it:
// `data-slot="fault-management"` is their place, above the X.733 fields (an
// operator reads the thread before the codes).
import type { Alarm } from "./generated/bindings";
import { DASH, formatAgo, formatDuration, formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";
import { causeText, eventTypeText, problemText } from "./problem";

export interface DetailContext {
  /** The device's name, when the alarm has a device that still exists. */
  readonly deviceName: string | undefined;
  readonly nowMs: number;
  /** What goes in the fault-management section (the comment thread). */
  readonly more?: TemplateResult;
}

function when(iso: string | null, nowMs: number): TemplateResult | string {
  if (iso === null) return DASH;
  return html`${formatIsoDateTime(new Date(iso), { seconds: true })} <span class="muted">(${formatAgo(iso, nowMs)})</span>`;
}

function code(words: string, c: string): TemplateResult {
  return html`${words} <code>${c}</code>`;
}

export function alarmDetail(a: Alarm, ctx: DetailContext): TemplateResult {
  const acked = a.ackedAt !== null;
  const cleared = a.clearedAt !== null;
  const lasted = cleared ? formatDuration(Date.parse(a.clearedAt ?? "") - Date.parse(a.raisedAt)) : null;
  const device = a.deviceId;
  return html`<header class="drawer-head">
      <h3 id="alarm-drawer-title"><span class="sev sev-${a.perceivedSeverity}">${a.perceivedSeverity}</span> ${problemText(a)}</h3>
      <button type="button" class="small" data-drawer="close" title="Close (Escape)">Close</button>
    </header>
    <p class="drawer-who">${ctx.deviceName ?? a.managedObject}${cleared ? html` <span class="pill cleared">cleared</span>` : nothing}${acked ? html` <span class="pill acked">acknowledged</span>` : nothing}</p>
    ${a.additionalText === "" ? nothing : html`<p class="drawer-text">${a.additionalText}</p>`}
    <div class="drawer-actions">
      ${device === null
        ? nothing
        : html`<button type="button" class="small" data-drawer="device" data-device=${device}>Open device</button>
            <button type="button" class="small" data-drawer="map" data-device=${device}>Show on map</button>`}
      ${cleared ? nothing : html`<button type="button" class="small" data-drawer="clear" data-id=${a.id}>Clear</button>`}
    </div>
    ${acked || cleared
      ? nothing
      : html`<form class="drawer-ack" data-drawer="ack" data-id=${a.id}>
          <label for="drawer-ack-comment">Comment</label>
          <input id="drawer-ack-comment" type="text" maxlength="500" placeholder="optional" autocomplete="off" />
          <button type="submit" class="small">Acknowledge</button>
        </form>`}
    <section class="drawer-more" data-slot="fault-management" aria-label="History, comments and rule">${ctx.more ?? nothing}</section>
    <dl class="drawer-fields">
      <dt>Problem</dt><dd data-field="problem">${problemText(a)}</dd>
      <dt>Event type</dt><dd data-field="eventType">${code(eventTypeText(a.eventType), a.eventType)}</dd>
      <dt>Probable cause</dt><dd data-field="probableCause">${code(causeText(a.probableCause), a.probableCause)}</dd>
      <dt>Specific problem</dt><dd data-field="specificProblem"><code>${a.specificProblem || DASH}</code></dd>
      <dt>Severity</dt><dd>${a.perceivedSeverity}</dd>
      <dt>Managed object</dt><dd><code>${a.managedObject}</code></dd>
      <dt>Device</dt><dd>${ctx.deviceName ?? (device === null ? DASH : html`<code>${device}</code> <span class="muted">(removed)</span>`)}</dd>
      <dt>Raised</dt><dd>${when(a.raisedAt, ctx.nowMs)}</dd>
      <dt>Cleared</dt><dd>${when(a.clearedAt, ctx.nowMs)}${lasted === null ? nothing : html` <span class="muted">after ${lasted}</span>`}</dd>
      <dt>Acknowledged</dt><dd>${when(a.ackedAt, ctx.nowMs)}</dd>
      <dt>By</dt><dd data-field="ackedBy">${a.ackedBy ?? DASH}</dd>
      <dt>Comment</dt><dd data-field="ackComment">${a.ackComment ?? DASH}</dd>
      <dt>Alarm id</dt><dd><code>${a.id}</code></dd>
    </dl>`;
}
