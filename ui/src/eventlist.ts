// The Events screen's templates: the merged table of traps and syslog
// messages, and the device filter's choices. Pure functions of data;
// eventsview.ts draws them. Everything a device sent (source, names, app,
// message, varbinds) is bound as text: lit-html never parses it as markup.
import type { Device } from "./generated/bindings";
import { formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";
import { shorten, type EventRow } from "./eventmodel";

function device(r: EventRow): TemplateResult {
  return r.deviceName === null ? html`<span class="muted">unknown source</span>` : html`${r.deviceName}`;
}

/** Syslog: its severity; traps: the notification name with its OID in the title. */
function what(r: EventRow): TemplateResult {
  if (r.kind === "syslog" || (r.kind === "malformed" && r.key.startsWith("syslog-"))) {
    const sev = r.severity === null ? html`<span class="muted">no severity</span>` : html`<span class="ev-sev ev-sev-${r.severity}">${r.severity}</span>`;
    return html`${sev}${r.what === "" ? nothing : html` <span class="muted ev-app">${r.what}</span>`}`;
  }
  return html`<span title=${r.oid ?? ""}>${r.what}</span>`;
}

function text(r: EventRow): TemplateResult {
  const { short, cut } = shorten(r.text);
  if (!cut) return html`<span class="ev-text">${short}</span>`;
  return html`<details class="ev-more"><summary class="ev-text">${short}</summary><pre class="ev-full">${r.text}</pre></details>`;
}

export function eventsTable(rows: readonly EventRow[], loaded: boolean): TemplateResult {
  if (rows.length === 0) {
    return html`<p class="empty">${loaded ? "No events match. Traps and syslog messages appear here as they arrive." : "Loading events…"}</p>`;
  }
  return html`<table class="inventory events">
    <thead><tr><th>Time</th><th>Source</th><th>Device</th><th>Kind</th><th>Severity / trap</th><th>Text</th></tr></thead>
    <tbody>
      ${rows.map(
        (r) => html`<tr data-key=${r.key} data-kind=${r.kind}>
          <td class="time">${formatIsoDateTime(new Date(r.receivedAt), { seconds: true })}</td>
          <td class="ev-source">${r.source}</td>
          <td class="name">${device(r)}</td>
          <td><span class="ev-kind ev-kind-${r.kind}">${r.kind}</span></td>
          <td>${what(r)}</td>
          <td>${text(r)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The device filter: every device, by name; the choice's value is the id. */
export function deviceOptions(devices: readonly Device[]): TemplateResult {
  const sorted = [...devices].sort((a, b) => a.name.localeCompare(b.name));
  return html`<option value="">every device</option>${sorted.map((d) => html`<option value=${d.id}>${d.name}</option>`)}`;
}
