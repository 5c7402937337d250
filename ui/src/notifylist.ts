// The Notifications screen's templates: channels (with Send test and its
// outcome), routes, the delivery log, and the channel pickers. Pure
// functions of data; notifyview.ts draws them.
import type { ChannelView, DeliveryLogEntry, RouteView } from "./generated/bindings";
import { formatDuration, formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";
import { enabledBox, rowButtons } from "./listscreen";
import { channelTarget, rateText, statusText } from "./notifyform";

/** What the last Send test said, by channel name. */
export type TestOutcomes = ReadonlyMap<string, { ok: boolean; text: string }>;

export function channelsTable(channels: readonly ChannelView[], tests: TestOutcomes): TemplateResult {
  if (channels.length === 0) return html`<p class="empty">No channels yet: add an e-mail or webhook channel below.</p>`;
  const sorted = [...channels].sort((a, b) => a.channel.name.localeCompare(b.channel.name));
  return html`<table class="inventory rules channels">
    <thead><tr><th>Name</th><th>Kind</th><th>Sends to</th><th>Rate limit</th><th>Enabled</th><th>Last test</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
      ${sorted.map((v) => {
        const c = v.channel;
        const test = tests.get(c.name);
        return html`<tr data-id=${v.id} class=${c.enabled ? nothing : "is-disabled"}>
          <td class="name">${c.name}</td>
          <td>${c.kind.type}</td>
          <td>${channelTarget(c)}</td>
          <td>${rateText(c)}</td>
          <td>${enabledBox("toggle-channel", v.id, `channel ${c.name}`, c.enabled)}</td>
          <td class="test-outcome" aria-live="polite">${test === undefined ? nothing : html`<span class=${test.ok ? "ok" : "form-error"} data-test=${test.ok ? "ok" : "failed"}>${test.text}</span>`}</td>
          ${rowButtons("channel", v.id, c.name, html`<button type="button" class="small" data-action="test-channel" data-id=${v.id} aria-label="Send a test to ${c.name}">Send test</button>`)}
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function filters(r: RouteView["route"]): string {
  const parts: [string, readonly string[]][] = [
    ["sites", r.sites],
    ["tags", r.tags],
    ["problems", r.problems],
  ];
  const text = parts
    .filter(([, v]) => v.length > 0)
    .map(([k, v]) => `${k} ${v.join(", ")}`)
    .join(" · ");
  return text === "" ? "every alarm" : text;
}

export function routesTable(routes: readonly RouteView[]): TemplateResult {
  if (routes.length === 0) return html`<p class="empty">No routes yet: a route sends matching alarms to a channel.</p>`;
  const sorted = [...routes].sort((a, b) => a.route.name.localeCompare(b.route.name));
  return html`<table class="inventory rules routes">
    <thead><tr><th>Name</th><th>Channel</th><th>From severity</th><th>Matches</th><th>Digest</th><th>Escalation</th><th>Enabled</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
      ${sorted.map((v) => {
        const r = v.route;
        return html`<tr data-id=${v.id} class=${r.enabled ? nothing : "is-disabled"}>
          <td class="name">${r.name}</td>
          <td>${r.channel}</td>
          <td><span class="sev sev-${r.minSeverity}">${r.minSeverity}</span> and worse</td>
          <td>${filters(r)}</td>
          <td>${r.digestMinutes === null ? "each at once" : `every ${r.digestMinutes} min (critical at once)`}</td>
          <td>${r.escalate === null ? html`<span class="muted">none</span>` : `after ${formatDuration(r.escalate.afterSecs * 1000)} unacknowledged to ${r.escalate.channel}`}</td>
          <td>${enabledBox("toggle-route", v.id, `route ${r.name}`, r.enabled)}</td>
          ${rowButtons("route", v.id, r.name)}
        </tr>`;
      })}
    </tbody>
  </table>`;
}

export function logTable(entries: readonly DeliveryLogEntry[]): TemplateResult {
  if (entries.length === 0) return html`<p class="empty">No deliveries yet.</p>`;
  // The service answers newest first; sort anyway so a merge of pages cannot reorder it.
  const sorted = [...entries].sort((a, b) => b.at.localeCompare(a.at));
  return html`<table class="inventory delivery-log">
    <thead><tr><th>When</th><th>Channel</th><th>Kind</th><th>Attempt</th><th>Outcome</th><th>Status / error</th></tr></thead>
    <tbody>
      ${sorted.map(
        (e) => html`<tr data-outcome=${e.outcome}>
          <td>${formatIsoDateTime(new Date(e.at), { seconds: true })}</td>
          <td>${e.channel}</td>
          <td>${e.kind}</td>
          <td class="num">${e.attempt}</td>
          <td><span class="outcome outcome-${e.outcome}">${e.outcome}</span></td>
          <td>${statusText(e) || html`<span class="muted">—</span>`}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** `<option>`s for a channel picker; `none` labels the empty choice when there is one. */
export function channelOptions(channels: readonly ChannelView[], none: string | null): TemplateResult {
  const names = channels.map((c) => c.channel.name).sort((a, b) => a.localeCompare(b));
  return html`${none === null ? nothing : html`<option value="">${none}</option>`}${names.map((n) => html`<option value=${n}>${n}</option>`)}`;
}
