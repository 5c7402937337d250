// Templates for the discovery dialog: the review table, the past runs and
// the saved-credential checkboxes. Everything from the network or the store
// (sysName, vendor strings, credential names) is a lit-html binding, so it
// is text: an SNMP agent chooses its own sysName. Check states bind through
// `live` because the user ticks boxes between redraws.
import { live } from "lit-html/directives/live.js";
import type { CredentialSummary, DiscoveryRun } from "./generated/bindings";
import type { AddOutcome, ResultRow } from "./discovery";
import { outcomeText, selectionState } from "./discovery";
import { formatIsoDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";

function cell(text: string, cls = ""): TemplateResult {
  return html`<td class=${cls === "" ? nothing : cls}>${text === "" ? html`<span class="muted">—</span>` : text}</td>`;
}

function row(r: ResultRow, picked: boolean, pickable: boolean, outcome: AddOutcome | undefined): TemplateResult {
  const box = pickable && r.selectable;
  let status = r.note === "" ? "new" : r.note;
  let statusCls = `dd-status st-${r.status}`;
  if (outcome !== undefined) {
    status = outcomeText(outcome);
    if ("error" in outcome) statusCls += " dd-row-error";
  }
  return html`<tr data-address=${r.address} class=${r.selectable ? "" : "dd-known"}>
    <td class="dd-pick"><input type="checkbox" data-address=${r.address} aria-label="Add ${r.address}"
      .checked=${live(box && picked)} ?disabled=${!box} /></td>
    <td class="address"><code>${r.address}</code>${
      r.otherAddresses.length === 0 ? nothing : html`<div class="muted dd-note">also ${r.otherAddresses.join(", ")}</div>`
    }</td>
    <td class="name">${r.name}${r.sysName === "" ? nothing : html`<div class="muted dd-note">sysName ${r.sysName}</div>`}</td>
    ${cell(r.vendor)}${cell(r.kind)}${cell(r.model)}${cell(r.os)}${cell(r.confidence, "num")}
    <td class=${statusCls}>${status}</td>
  </tr>`;
}

/**
 * The review table. While the run is going (`pickable` false) every
 * checkbox is disabled: rows still change, and a fold at the end can merge
 * two addresses into one device.
 */
export function resultsTable(
  rows: readonly ResultRow[],
  selection: ReadonlySet<string>,
  pickable: boolean,
  outcomes: ReadonlyMap<string, AddOutcome> = new Map(),
): TemplateResult {
  if (rows.length === 0) return html`<p class="muted dd-empty">Nothing found yet.</p>`;
  const state = selectionState(selection, rows);
  const any = pickable && rows.some((r) => r.selectable);
  return html`<table class="devices dd-table">
    <thead>
      <tr>
        <th class="dd-pick"><input type="checkbox" data-address="*" aria-label="Select all new devices"
          .checked=${live(state === "all" && any)} ?disabled=${!any} /></th>
        <th>Address</th><th>Name</th><th>Vendor</th><th>Type</th><th>Model</th><th>OS</th>
        <th title="Confidence of the type">Conf.</th><th>Status</th>
      </tr>
    </thead>
    <tbody>${rows.map((r) => row(r, selection.has(r.address), pickable, outcomes.get(r.address)))}</tbody>
  </table>`;
}

/** Past runs, newest first, each a button that reopens its results. */
export function runsList(runs: readonly DiscoveryRun[], current: string | null, disabled: boolean): TemplateResult {
  if (runs.length === 0) return html`<p class="muted">No discovery run yet.</p>`;
  const items = runs.map((r) => {
    const when = formatIsoDateTime(new Date(r.startedAt));
    const placed = [r.request.site === null ? "" : `site ${r.request.site}`, r.request.tags.map((t) => `#${t}`).join(" ")]
      .filter((x) => x !== "")
      .join(", ");
    const label = `${when} — ${r.request.targets.join(", ")} — ${r.state}, ${r.found} found${placed === "" ? "" : ` — ${placed}`}`;
    return html`<li><button type="button" class="small dd-run" data-run=${r.id}
      aria-current=${r.id === current ? "true" : nothing} ?disabled=${disabled}>${label}</button></li>`;
  });
  return html`<ul class="dd-runs-list">${items}</ul>`;
}

/** One checkbox per saved credential, keeping the ticks the user made. */
export function credentialChecks(creds: readonly CredentialSummary[], ticked: ReadonlySet<string>): TemplateResult {
  if (creds.length === 0) return html`<span class="muted">No saved credentials; type a community below.</span>`;
  return html`${creds.map((c, i) => {
    const id = `dd-cred-${i}`;
    const detail = c.version === "v3" ? `v3 ${c.user ?? ""}`.trim() : c.version;
    return html`<label class="dd-check" for=${id}><input type="checkbox" id=${id} name="credential" value=${c.name}
      .checked=${live(ticked.has(c.name))} /> ${c.name} <span class="muted">(${detail})</span></label>`;
  })}`;
}

/** The "credential for added devices" choices: the one that answered, or a saved one. */
export function credentialChoices(creds: readonly CredentialSummary[], chosen: string): TemplateResult {
  return html`<option value="" ?selected=${chosen === ""} .selected=${live(chosen === "")}>the one that answered</option>${creds.map(
      (c) => html`<option value=${c.name} ?selected=${c.name === chosen} .selected=${live(c.name === chosen)}>${c.name}</option>`,
    )}`;
}
