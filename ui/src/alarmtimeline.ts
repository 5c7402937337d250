// The alarm drawer's history (issue 13, "an alarm detail panel with the
// alarm's history"): the alarm's life from `api.alarmTimeline`, oldest
// first, one line per step (raised, held under a root cause, in a
// maintenance window or under its condition's flapping alarm, released,
// severity changed, acknowledged, commented, cleared) with when and who. A pure template; times go through format.ts.
import type { AlarmId, TimelineEntry, TimelineKind } from "./generated/bindings";
import { formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";

export type Timeline =
  | { readonly state: "loading" }
  | { readonly state: "failed"; readonly message: string }
  | { readonly state: "loaded"; readonly entries: readonly TimelineEntry[] };

/** What each step is called (typed: a new kind fails to compile until named here). */
export const STEP_WORDS = {
  raised: "Raised",
  suppressed: "Suppressed under its root cause",
  inMaintenance: "Raised in a maintenance window",
  flapping: "Held: flapping",
  released: "Released (notified)",
  severityChanged: "Severity changed",
  acknowledged: "Acknowledged",
  comment: "Comment",
  cleared: "Cleared",
} as const satisfies Record<TimelineKind, string>;

function what(e: TimelineEntry, open: (id: AlarmId) => TemplateResult): TemplateResult {
  const words = STEP_WORDS[e.kind];
  switch (e.kind) {
    case "raised":
      return html`${words}${e.severity === null ? nothing : html` <span class="sev sev-${e.severity}">${e.severity}</span>`}`;
    case "severityChanged":
      return html`${words}: <span class="sev sev-${e.previous ?? "indeterminate"}">${e.previous ?? "?"}</span> →
        <span class="sev sev-${e.severity ?? "indeterminate"}">${e.severity ?? "?"}</span>${e.related === null ? nothing : html` (${open(e.related)})`}`;
    case "suppressed":
    case "flapping":
      return html`${words}${e.related === null ? nothing : html` (${open(e.related)})`}`;
    case "inMaintenance":
      return html`${words}${e.window === null ? nothing : html` “${e.window}”`}`;
    case "comment":
      return html`${words}: <span class="comment-text">${e.text ?? ""}</span>`;
    default:
      return html`${words}`;
  }
}

/** `open` renders a link to another alarm (the root cause, the other severity). */
export function alarmTimeline(t: Timeline, open: (id: AlarmId) => TemplateResult): TemplateResult {
  let body: TemplateResult;
  if (t.state === "loading") body = html`<p class="muted">Loading history…</p>`;
  else if (t.state === "failed") body = html`<p class="console-error">History could not be loaded: ${t.message}</p>`;
  else if (t.entries.length === 0) body = html`<p class="muted">No history recorded.</p>`;
  else
    body = html`<ol class="drawer-timeline" aria-labelledby="drawer-history-title">
      ${t.entries.map(
        (e) => html`<li class="timeline-step" data-kind=${e.kind}>
          <time datetime=${e.at}>${formatIsoDateTime(new Date(e.at), { seconds: true })}</time>
          ${what(e, open)}${e.actor === "" ? nothing : html` <span class="timeline-by">· ${e.actor}</span>`}
        </li>`,
      )}
    </ol>`;
  return html`<h4 class="drawer-sub" id="drawer-history-title">History</h4>${body}`;
}
