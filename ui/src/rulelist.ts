// The Rules screen's templates: the stored rules as a table (name, metric,
// scope, levels, enabled, actions) and a preview's answer. Pure functions of
// data; rulesview.ts draws them.
import type { PreviewHit, RuleView } from "./generated/bindings";
import { formatIsoDateTime, formatNumber } from "./format";
import { html, nothing, type TemplateResult } from "./html";
import { enabledBox, rowButtons } from "./listscreen";
import { LEVEL_SEVERITIES, levelsText, METRIC_LABELS, scopeText } from "./ruleform";

/** The form's level rows: raise and clear boxes per severity, each with its error slot. */
export function levelRows(): TemplateResult {
  return html`${LEVEL_SEVERITIES.map(
    (s) => html`<tr>
      <th scope="row"><span class="sev sev-${s}">${s}</span></th>
      <td><input name="raise-${s}" inputmode="decimal" autocomplete="off" aria-label="${s}: raise past" /><span class="field-error" data-error-for="raise-${s}"></span></td>
      <td><input name="clear-${s}" inputmode="decimal" autocomplete="off" aria-label="${s}: clear back past" placeholder="= raise" /><span class="field-error" data-error-for="clear-${s}"></span></td>
    </tr>`,
  )}`;
}

function metricText(metric: string): string {
  return (METRIC_LABELS as Readonly<Record<string, string>>)[metric] ?? metric;
}

export function rulesTable(rules: readonly RuleView[]): TemplateResult {
  if (rules.length === 0) return html`<p class="empty">No rules yet: add one below, or import a TOML file with <code>meridian rules import</code>.</p>`;
  const sorted = [...rules].sort((a, b) => a.rule.name.localeCompare(b.rule.name));
  return html`<table class="inventory rules">
    <thead><tr><th>Name</th><th>Metric</th><th>Scope</th><th>Levels</th><th>Enabled</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>
      ${sorted.map(
        (v) => html`<tr data-id=${v.id} class=${v.rule.enabled ? nothing : "is-disabled"}>
          <td class="name">${v.rule.name}</td>
          <td><span title=${v.rule.metric}>${metricText(v.rule.metric)}</span>${v.rule.instance === null ? nothing : html` <code>${v.rule.instance}</code>`}</td>
          <td>${scopeText(v.rule.scope)}</td>
          <td>${levelsText(v.rule)}</td>
          <td>${enabledBox("toggle-rule", v.id, `rule ${v.rule.name}`, v.rule.enabled)}</td>
          ${rowButtons("rule", v.id, v.rule.name)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** What a preview found: the series the draft would raise on now, or that it would raise on none. */
export function previewResult(name: string, hits: readonly PreviewHit[]): TemplateResult {
  const who = name.trim() === "" ? "This rule" : `“${name.trim()}”`;
  if (hits.length === 0) return html`<p class="muted" data-preview="none">${who} would raise nothing on the latest samples.</p>`;
  const devices = new Set(hits.map((h) => h.deviceId)).size;
  return html`<p data-preview="hits">${who} would raise ${hits.length} alarm${hits.length === 1 ? "" : "s"} now, on ${devices} device${devices === 1 ? "" : "s"}:</p>
    <table class="inventory rule-hits">
      <thead><tr><th>Device</th><th>Instance</th><th>Value</th><th>Severity</th><th>Sample</th></tr></thead>
      <tbody>
        ${hits.map(
          (h) => html`<tr>
            <td class="name">${h.device}</td>
            <td>${h.instance === "" ? html`<span class="muted">device</span>` : h.instance}</td>
            <td class="num">${formatNumber(h.value, Number.isInteger(h.value) ? 0 : 2)}</td>
            <td><span class="sev sev-${h.severity}">${h.severity}</span></td>
            <td>${formatIsoDateTime(new Date(h.at))}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}
