// The device table and the error banner, as lit-html templates: bindings are
// text, so device names and tags (user input) can never become markup.
import type { ApiError, Device, DeviceId, DeviceLive } from "./generated/bindings";
import { draw, html, nothing, type TemplateResult } from "./html";

export const EMPTY_STATE = html`<p class="empty">No devices yet — add one with <code>meridian device add NAME ADDRESS</code></p>`;

/** The live state pill; drawn into its own cell so a state change redraws only the pill. */
export function statePill(state: string): TemplateResult {
  return html`<span class="state-pill st-${state}">${state}</span>`;
}

function row(d: Device): TemplateResult {
  const site = d.siteName ?? d.siteId;
  return html`<tr data-id=${d.id}>
    <td class="name"><a href="#/device/${encodeURIComponent(d.id)}">${d.name}</a></td>
    <td class="address"><code>${d.address}</code></td>
    <td>${d.kind}</td>
    <td>${site === null ? html`<span class="muted">—</span>` : site}</td>
    <td class="tags">${d.tags.map((t) => html`<span class="tag">${t}</span>`)}</td>
    <td>${d.enabled ? html`<span class="state on">enabled</span>` : html`<span class="state off">disabled</span>`}</td>
    <td class="state-cell"></td>
    <td class="row-actions">
      <button type="button" class="small" data-action="edit" data-id=${d.id} aria-label="Edit ${d.name}">Edit</button>
      <button type="button" class="small" data-action="remove" data-id=${d.id} aria-label="Remove ${d.name}">Remove</button>
    </td>
  </tr>`;
}

/** The device table (by name), or the empty state when there is nothing to show. */
export function devicesTable(devices: readonly Device[]): TemplateResult {
  if (devices.length === 0) return EMPTY_STATE;
  const rows = [...devices].sort((a, b) => a.name.localeCompare(b.name)).map(row);
  return html`<table class="devices">
    <thead>
      <tr>
        <th>Name</th><th>Address</th><th>Kind</th><th>Site</th><th>Tags</th><th>Enabled</th><th>State</th>
        <th><span class="visually-hidden">Actions</span></th>
      </tr>
    </thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** Draws the table into `container` with each row's state; returns the state cells by device, for `statePill` updates. */
export function drawDevices(
  container: HTMLElement,
  devices: readonly Device[],
  live: ReadonlyMap<DeviceId, DeviceLive> = new Map(),
): Map<DeviceId, HTMLElement> {
  draw(container, devicesTable(devices));
  const cells = new Map<DeviceId, HTMLElement>();
  for (const tr of container.querySelectorAll<HTMLElement>("tr[data-id]")) {
    const id = tr.dataset["id"];
    const cell = tr.querySelector<HTMLElement>(".state-cell");
    if (id === undefined || cell === null) continue;
    draw(cell, statePill(live.get(id)?.state ?? "unknown"));
    cells.set(id, cell);
  }
  return cells;
}

/** The error banner: the error kind, its detail, and any per-field messages. */
export function errorBanner(err: ApiError): TemplateResult {
  const fields =
    err.fields.length > 0
      ? html`<ul>${err.fields.map((f) => html`<li><code>${f.field}</code>: ${f.message}</li>`)}</ul>`
      : nothing;
  return html`<div class="banner error" role="alert"><span class="kind">${err.kind}</span> <span class="detail">${err.detail}</span>${fields}</div>`;
}
