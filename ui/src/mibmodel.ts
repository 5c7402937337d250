// The MIB browser's templates (mibbrowser.ts wires them to the page): a
// node line of the tree, an object's details, and a walk's rows. Pure, so
// vitest checks them without the shell; every value is bound as text.
import type { DeviceWalk, MibObject, MibTreeNode } from "./generated/bindings";
import { html, nothing, type TemplateResult } from "./html";

/** `IF-MIB::ifOperStatus` (the bare name when no module owns the node). */
export function qualified(n: { name: string; module: string | null }): string {
  return n.module === null ? n.name : `${n.module}::${n.name}`;
}

/** One tree line: a button that opens the node (and loads its children when it has any). */
export function nodeLine(n: MibTreeNode): TemplateResult {
  const more = n.children > 0 ? html`<span class="muted"> (${n.children})</span>` : nothing;
  // A node no module names (the `0` above zeroDotZero) shows its OID, not a blank button.
  return html`<button type="button" class="mib-node" data-oid=${n.oid} title=${`.${n.oid}`}>${n.name === "" ? `.${n.oid}` : n.name}</button>${more}`;
}

/**
 * A DESCRIPTION as written in the module: its first line follows the opening
 * quote, the others keep the file's indentation. That common indentation is
 * dropped so the text lines up; any further indentation (lists) stays.
 */
export function dedent(text: string): string {
  const [first = "", ...rest] = text.split("\n");
  const indents = rest.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return [first.trimEnd(), ...rest.map((l) => l.slice(cut).trimEnd())].join("\n");
}

export function objectDetails(o: MibObject): TemplateResult {
  const row = (k: string, v: string | null) => (v === null || v === "" ? nothing : html`<dt>${k}</dt><dd>${v}</dd>`);
  const enums = o.enums.length === 0 ? null : o.enums.map((e) => `${e.label}(${e.value})`).join(", ");
  return html`<h3>${qualified(o)}</h3>
    <dl class="mib-facts">
      ${row("OID", `.${o.oid}`)}${row("Kind", o.kind)}${row("Syntax", o.syntax)}${row("Base type", o.baseType)}
      ${row("Display hint", o.displayHint)}${row("Access", o.access)}${row("Status", o.status)}${row("Units", o.units)}
      ${row("Values", enums)}${row("Index", o.indexes.join(", "))}${row("Objects", o.objects.join(", "))}
    </dl>
    <pre class="mib-description">${dedent(o.description)}</pre>`;
}

/** A device walk as `name = value` rows, the OID when no MIB names it. */
export function walkRows(w: DeviceWalk): TemplateResult {
  const rows = w.rows.map((r) => html`<tr><td class="mib-oid">${r.name ?? r.oid}</td><td>${r.display ?? String(r.value ?? "")}</td><td class="muted">${r.type}</td></tr>`);
  const cut = w.truncated ? html`<p class="muted">Only the first ${w.rows.length} rows are shown.</p>` : nothing;
  const count = w.rows.length === 1 ? "1 row" : `${w.rows.length} rows`;
  return html`<p class="muted">${count} from ${w.device} (${w.agent})</p>${cut}
    <table class="mib-walk-table"><thead><tr><th>Name</th><th>Value</th><th>Type</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Search results as node lines; a search that matches nothing says so (an empty pane reads as broken). */
export function searchResults(text: string, found: MibTreeNode[]): TemplateResult {
  if (found.length === 0) {
    return html`<p class="muted mib-empty">No loaded MIB object matches “${text.trim()}”: try part of a name (ifOper) or a word of a description.</p>`;
  }
  return html`<h3>${found.length} found</h3><ul class="mib-found">${found.map((n) => html`<li>${nodeLine({ ...n, name: qualified(n) })}</li>`)}</ul>`;
}

/** The walk's device picker, by name; devices come and go while the tab is open elsewhere, so it is redrawn at each show. */
export function deviceOptions(devices: readonly { id: string; name: string }[]): TemplateResult[] {
  return [...devices].sort((a, b) => a.name.localeCompare(b.name)).map((d) => html`<option value=${d.id}>${d.name}</option>`);
}
