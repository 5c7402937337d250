// The Maintenance screen's templates: the stored windows as a table (name,
// schedule in words, scope, open now, enabled, actions). Pure functions of
// data; maintview.ts draws them.
import type { MaintenanceView } from "./generated/bindings";
import { html, nothing, type TemplateResult } from "./html";
import { enabledBox, rowButtons } from "./listscreen";
import { DAY_LABELS, DAYS, scheduleText } from "./maintform";
import { scopeText } from "./ruleform";

/** The form's day boxes, Monday first. */
export function dayBoxes(): TemplateResult {
  return html`${DAYS.map(
    (d) => html`<label class="day"><input type="checkbox" name="days" value=${d} />${DAY_LABELS[d]}</label>`,
  )}`;
}

export function windowsTable(windows: readonly MaintenanceView[]): TemplateResult {
  if (windows.length === 0) {
    return html`<p class="empty">No maintenance windows yet: add one below, or with <code>meridian maintenance</code>.</p>`;
  }
  const sorted = [...windows].sort((a, b) => a.window.name.localeCompare(b.window.name));
  return html`<table class="inventory rules maint">
    <thead><tr><th>Name</th><th>Schedule (UTC)</th><th>Scope</th><th>Now</th><th>Enabled</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
      ${sorted.map(
        (v) => html`<tr data-id=${v.id} class=${v.window.enabled ? nothing : "is-disabled"}>
          <td class="name" title=${v.window.comment}>${v.window.name}</td>
          <td>${scheduleText(v.window.schedule)}</td>
          <td>${scopeText(v.window.scope)}</td>
          <td>${v.openNow ? html`<span class="open-now" data-open="yes">open now</span>` : html`<span class="muted" data-open="no">closed</span>`}</td>
          <td>${enabledBox("toggle-window", v.id, `window ${v.window.name}`, v.window.enabled)}</td>
          ${rowButtons("window", v.id, v.window.name)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}
