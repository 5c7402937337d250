// Templates for the devices table (lit-html: bindings are text, so device
// names and tags, which are user input, can never become markup) and the
// error banner. The row checkbox binds through live(): a click toggles it
// natively before the table decides (a shift-range may clear it), so lit must
// compare with the element, not with what it last wrote. The table is a grid of div rows rather than a <table>: only
// the rows in view exist (vlist.ts), and a <table> would re-lay-out its
// columns from whichever rows happen to be drawn.
import type { ApiError, DeviceState, Severity } from "./generated/bindings";
import type { DeviceRow, SortKey, SortSpec } from "./devicequery";
import { DASH, formatAgo, formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";
import { live } from "lit-html/directives/live.js";

export const EMPTY_STATE = html`<p class="empty">No devices yet — add one above, or with <code>meridian device add NAME ADDRESS</code></p>`;
export const NO_MATCH = html`<p class="empty">No device matches the search and filters.</p>`;

/** Row height in px; the stylesheet's .dt-row height must match. */
export const DEVICE_ROW_HEIGHT = 32;

/** What a stale pill says on hover: the state is from before this start. */
export const STALE_TITLE = "Last known state from before Meridian started; not polled yet";

/** The live state pill; a stale one (not yet confirmed by a poll) is marked. */
export function statePill(state: DeviceState | string, stale = false): TemplateResult {
  return stale
    ? html`<span class="state-pill st-${state} stale" title=${STALE_TITLE}>${state}<span class="visually-hidden"> (last known)</span></span>`
    : html`<span class="state-pill st-${state}">${state}</span>`;
}

export function severityBadge(s: Severity | null): TemplateResult {
  return s === null ? html`<span class="muted">${DASH}</span>` : html`<span class="sev sev-${s}">${s}</span>`;
}

export interface RowView {
  readonly selected: boolean;
  /** The keyboard cursor is on this row. */
  readonly cursor: boolean;
}

export function rowDomId(index: number): string {
  return `dt-row-${index}`;
}

/** One row; the checkbox and the ⋯ button carry data-id for the table's delegated handlers. */
export function deviceRow(r: DeviceRow, index: number, v: RowView, nowMs: number): TemplateResult {
  const d = r.device;
  const cls = `dt-row${index % 2 ? " odd" : ""}${v.selected ? " selected" : ""}${v.cursor ? " cursor" : ""}${d.enabled ? "" : " is-disabled"}`;
  const seen = r.lastSeen === null ? null : new Date(r.lastSeen);
  return html`<div class=${cls} role="row" id=${rowDomId(index)} data-id=${d.id} aria-rowindex=${index + 2} aria-selected=${v.selected ? "true" : "false"}>
    <span role="gridcell" class="check"><input type="checkbox" class="dt-check" tabindex="-1" data-id=${d.id} aria-label="Select ${d.name}" .checked=${live(v.selected)} /></span>
    <span role="gridcell" class="name" title=${d.name}><a href="#/device/${encodeURIComponent(d.id)}" tabindex="-1">${d.name}</a></span>
    <span role="gridcell" class="address"><code>${d.address}</code></span>
    <span role="gridcell" class="state-cell">${statePill(r.state, r.stale)}</span>
    <span role="gridcell" class="alarm">${severityBadge(r.worst)}</span>
    <span role="gridcell">${d.kind}</span>
    <span role="gridcell" title=${d.vendor ?? ""}>${d.vendor ?? html`<span class="muted">${DASH}</span>`}</span>
    <span role="gridcell" title=${d.model ?? ""}>${d.model ?? html`<span class="muted">${DASH}</span>`}</span>
    <span role="gridcell" class="site">${d.siteName ?? html`<span class="muted">${DASH}</span>`}</span>
    <span role="gridcell" class="tags" title=${d.tags.join(", ")}>${d.tags.map((t) => html`<span class="tag">${t}</span>`)}</span>
    <span role="gridcell" class="seen" title=${seen === null ? "never" : formatAgo(r.lastSeen, nowMs)}>${seen === null ? html`<span class="muted">never</span>` : formatIsoDateTime(seen)}</span>
    <span role="gridcell">${d.enabled ? html`<span class="state on">enabled</span>` : html`<span class="state off">disabled</span>`}</span>
    <span role="gridcell" class="actions"><button type="button" class="small dt-more" tabindex="-1" data-action="menu" data-id=${d.id} aria-label="Actions for ${d.name}" aria-haspopup="menu">⋯</button></span>
  </div>`;
}

export const COLUMNS: readonly { readonly key: SortKey; readonly label: string }[] = [
  { key: "name", label: "Name" },
  { key: "address", label: "Address" },
  { key: "state", label: "State" },
  { key: "alarm", label: "Alarm" },
  { key: "kind", label: "Kind" },
  { key: "vendor", label: "Vendor" },
  { key: "model", label: "Model" },
  { key: "site", label: "Site" },
  { key: "lastSeen", label: "Last seen" },
  { key: "enabled", label: "Enabled" },
];

function headerCell(key: SortKey, label: string, sort: SortSpec): TemplateResult {
  const on = sort.key === key;
  const aria = on ? (sort.dir === 1 ? "ascending" : "descending") : "none";
  return html`<span role="columnheader" aria-sort=${aria}><button type="button" class="dt-sort${on ? " on" : ""}" data-sort=${key}>${label}${on ? (sort.dir === 1 ? " ▲" : " ▼") : nothing}</button></span>`;
}

/** The header row: select-all checkbox, sortable column buttons, Tags (not sortable). */
export function headerRow(sort: SortSpec, all: "none" | "some" | "all"): TemplateResult {
  const cell = (k: SortKey): TemplateResult => {
    const c = COLUMNS.find((x) => x.key === k);
    return headerCell(k, c?.label ?? k, sort);
  };
  return html`<div class="dt-row dt-head" role="row" aria-rowindex="1">
    <span role="columnheader" class="check"><input type="checkbox" id="dt-all" aria-label="Select all shown" .checked=${all === "all"} .indeterminate=${all === "some"} /></span>
    ${cell("name")}${cell("address")}${cell("state")}${cell("alarm")}${cell("kind")}${cell("vendor")}${cell("model")}${cell("site")}
    <span role="columnheader">Tags</span>
    ${cell("lastSeen")}${cell("enabled")}
    <span role="columnheader"><span class="visually-hidden">Actions</span></span>
  </div>`;
}

export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

export function filterOptions(anyLabel: string, options: readonly FilterOption[], selected: string): TemplateResult {
  return html`<option value="" ?selected=${selected === ""}>${anyLabel}</option>${options.map(
    (o) => html`<option value=${o.value} ?selected=${o.value === selected}>${o.label}</option>`,
  )}`;
}

/** "12 of 10,000 devices · 3 selected". */
export function countLine(shown: number, total: number, selected: number): string {
  const n = (x: number): string => x.toLocaleString();
  const base = shown === total ? `${n(total)} device${total === 1 ? "" : "s"}` : `${n(shown)} of ${n(total)} devices`;
  return selected > 0 ? `${base} · ${n(selected)} selected` : base;
}

export interface MenuItem {
  readonly action: string;
  readonly label: string;
  readonly danger?: boolean;
}

export function contextMenu(items: readonly MenuItem[]): TemplateResult {
  return html`${items.map(
    (i) => html`<button type="button" role="menuitem" tabindex="-1" class=${i.danger ? "danger" : ""} data-menu=${i.action}>${i.label}</button>`,
  )}`;
}

/** The error banner: the error kind, its detail, and any per-field messages. */
export function errorBanner(err: ApiError): TemplateResult {
  const fields =
    err.fields.length > 0
      ? html`<ul>${err.fields.map((f) => html`<li><code>${f.field}</code>: ${f.message}</li>`)}</ul>`
      : nothing;
  return html`<div class="banner error" role="alert"><span class="kind">${err.kind}</span> <span class="detail">${err.detail}</span>${fields}</div>`;
}
