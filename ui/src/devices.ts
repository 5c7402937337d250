// Pure rendering for the device list: strings in, HTML strings out, so it can be
// tested without a DOM. Every value that came from the store goes through
// escapeHtml, because device names and tags are user input.
import type { ApiError, Device, DeviceId, DeviceLive } from "./generated/bindings";

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export const EMPTY_STATE_HTML =
  '<p class="empty">No devices yet — add one with <code>meridian device add NAME ADDRESS</code></p>';

function renderRow(d: Device, live: ReadonlyMap<DeviceId, DeviceLive>): string {
  const state = live.get(d.id)?.state ?? "unknown";
  const site = d.siteName ?? d.siteId;
  const tags = d.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join("");
  const enabled = d.enabled
    ? '<span class="state on">enabled</span>'
    : '<span class="state off">disabled</span>';
  return (
    `<tr data-id="${escapeHtml(d.id)}">` +
    `<td class="name"><a href="#/device/${encodeURIComponent(d.id)}">${escapeHtml(d.name)}</a></td>` +
    `<td class="address"><code>${escapeHtml(d.address)}</code></td>` +
    `<td>${escapeHtml(d.kind)}</td>` +
    `<td>${site === null ? '<span class="muted">—</span>' : escapeHtml(site)}</td>` +
    `<td class="tags">${tags}</td>` +
    `<td>${enabled}</td>` +
    `<td><span class="state-pill st-${state}">${state}</span></td>` +
    `<td class="row-actions"><button type="button" class="small" data-action="edit" data-id="${escapeHtml(d.id)}" ` +
    `aria-label="Edit ${escapeHtml(d.name)}">Edit</button> ` +
    `<button type="button" class="small" data-action="remove" data-id="${escapeHtml(d.id)}" ` +
    `aria-label="Remove ${escapeHtml(d.name)}">Remove</button></td>` +
    `</tr>`
  );
}

/** The device table, or the empty state when there is nothing to show. */
export function renderDevices(devices: readonly Device[], live: ReadonlyMap<DeviceId, DeviceLive> = new Map()): string {
  if (devices.length === 0) return EMPTY_STATE_HTML;
  const rows = [...devices]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => renderRow(d, live))
    .join("");
  return (
    '<table class="devices">' +
    `<thead><tr><th>Name</th><th>Address</th><th>Kind</th><th>Site</th><th>Tags</th><th>Enabled</th><th>State</th><th><span class="visually-hidden">Actions</span></th></tr></thead>` +
    `<tbody>${rows}</tbody></table>`
  );
}

/** The error banner: the error kind, its detail, and any per-field messages. */
export function renderError(err: ApiError): string {
  const fields = err.fields.length
    ? "<ul>" +
      err.fields.map((f) => `<li><code>${escapeHtml(f.field)}</code>: ${escapeHtml(f.message)}</li>`).join("") +
      "</ul>"
    : "";
  return (
    `<div class="banner error" role="alert">` +
    `<span class="kind">${escapeHtml(err.kind)}</span> ` +
    `<span class="detail">${escapeHtml(err.detail)}</span>${fields}</div>`
  );
}
