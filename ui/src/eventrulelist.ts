// The event rules as a table (name, on/off, severity, raise and clear in
// words, scope, Edit/Remove). Pure; eventsview.ts draws it.
import type { EventRuleView } from "./generated/bindings";
import { html, nothing, type TemplateResult } from "./html";
import { enabledBox, rowButtons } from "./listscreen";
import { raiseClearText } from "./eventruleform";
import { scopeText } from "./ruleform";

export function eventRulesTable(rules: readonly EventRuleView[]): TemplateResult {
  if (rules.length === 0) {
    return html`<p class="empty">No event rules yet: add one below, or with <code>meridian events rule add</code>.</p>`;
  }
  const sorted = [...rules].sort((a, b) => a.name.localeCompare(b.name));
  return html`<table class="inventory rules event-rules">
    <thead><tr><th>Name</th><th>Kind</th><th>Severity</th><th>Raise and clear</th><th>Scope</th><th>Enabled</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
      ${sorted.map(
        (r) => html`<tr data-id=${r.id} class=${r.enabled ? nothing : "is-disabled"}>
          <td class="name">${r.name}</td>
          <td>${r.raise.kind}</td>
          <td><span class="sev sev-${r.severity}">${r.severity}</span></td>
          <td class="er-words">${raiseClearText(r)}</td>
          <td>${scopeText(r.scope)}</td>
          <td>${enabledBox("toggle-event-rule", r.id, `event rule ${r.name}`, r.enabled)}</td>
          ${rowButtons("event-rule", r.id, r.name)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}
