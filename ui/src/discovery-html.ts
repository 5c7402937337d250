// HTML strings for the discovery dialog: the review table, the past runs and
// the saved-credential checkboxes. Everything from the network or the store
// (sysName, vendor strings, credential names) goes through escapeHtml: an
// SNMP agent chooses its own sysName.
import type { CredentialSummary, DiscoveryRun } from "./generated/bindings";
import { escapeHtml } from "./devices";
import type { AddOutcome, ResultRow } from "./discovery";
import { outcomeText, selectionState } from "./discovery";

function cell(text: string, cls = ""): string {
  const c = cls === "" ? "" : ` class="${cls}"`;
  return text === "" ? `<td${c}><span class="muted">—</span></td>` : `<td${c}>${escapeHtml(text)}</td>`;
}

function rowHtml(r: ResultRow, picked: boolean, pickable: boolean, outcome: AddOutcome | undefined): string {
  const others = r.otherAddresses.length === 0 ? "" : `<div class="muted dd-note">also ${escapeHtml(r.otherAddresses.join(", "))}</div>`;
  const sys = r.sysName === "" ? "" : `<div class="muted dd-note">sysName ${escapeHtml(r.sysName)}</div>`;
  const box = pickable && r.selectable;
  const check =
    `<input type="checkbox" data-address="${escapeHtml(r.address)}" aria-label="Add ${escapeHtml(r.address)}"` +
    `${box && picked ? " checked" : ""}${box ? "" : " disabled"} />`;
  let status = r.note === "" ? "new" : r.note;
  let statusCls = `dd-status st-${r.status}`;
  if (outcome !== undefined) {
    status = outcomeText(outcome);
    if ("error" in outcome) statusCls += " dd-row-error";
  }
  return (
    `<tr data-address="${escapeHtml(r.address)}" class="${r.selectable ? "" : "dd-known"}">` +
    `<td class="dd-pick">${check}</td>` +
    `<td class="address"><code>${escapeHtml(r.address)}</code>${others}</td>` +
    `<td class="name">${escapeHtml(r.name)}${sys}</td>` +
    cell(r.vendor) +
    cell(r.kind) +
    cell(r.model) +
    cell(r.os) +
    cell(r.confidence, "num") +
    `<td class="${statusCls}">${escapeHtml(status)}</td>` +
    `</tr>`
  );
}

/**
 * The review table. While the run is going (`pickable` false) every
 * checkbox is disabled: rows still change, and a fold at the end can merge
 * two addresses into one device.
 */
export function renderResults(
  rows: readonly ResultRow[],
  selection: ReadonlySet<string>,
  pickable: boolean,
  outcomes: ReadonlyMap<string, AddOutcome> = new Map(),
): string {
  if (rows.length === 0) return '<p class="muted dd-empty">Nothing found yet.</p>';
  const state = selectionState(selection, rows);
  const any = pickable && rows.some((r) => r.selectable);
  const all =
    `<input type="checkbox" data-address="*" aria-label="Select all new devices"` +
    `${state === "all" && any ? " checked" : ""}${any ? "" : " disabled"} />`;
  const body = rows.map((r) => rowHtml(r, selection.has(r.address), pickable, outcomes.get(r.address))).join("");
  return (
    '<table class="devices dd-table">' +
    `<thead><tr><th class="dd-pick">${all}</th><th>Address</th><th>Name</th><th>Vendor</th><th>Type</th>` +
    `<th>Model</th><th>OS</th><th title="Confidence of the type">Conf.</th><th>Status</th></tr></thead>` +
    `<tbody>${body}</tbody></table>`
  );
}

/** Past runs, newest first, each a button that reopens its results. */
export function renderRuns(runs: readonly DiscoveryRun[], current: string | null, disabled: boolean): string {
  if (runs.length === 0) return '<p class="muted">No discovery run yet.</p>';
  const items = runs
    .map((r) => {
      const when = new Date(r.startedAt).toLocaleString();
      const label = `${when} — ${r.request.targets.join(", ")} — ${r.state}, ${r.found} found`;
      const cur = r.id === current ? ' aria-current="true"' : "";
      return (
        `<li><button type="button" class="small dd-run" data-run="${escapeHtml(r.id)}"${cur}${disabled ? " disabled" : ""}>` +
        `${escapeHtml(label)}</button></li>`
      );
    })
    .join("");
  return `<ul class="dd-runs-list">${items}</ul>`;
}

/** One checkbox per saved credential, keeping the ticks the user made. */
export function renderCredentialChecks(creds: readonly CredentialSummary[], ticked: ReadonlySet<string>): string {
  if (creds.length === 0) return '<span class="muted">No saved credentials; type a community below.</span>';
  return creds
    .map((c, i) => {
      const id = `dd-cred-${i}`;
      const detail = c.version === "v3" ? `v3 ${c.user ?? ""}`.trim() : c.version;
      return (
        `<label class="dd-check" for="${id}"><input type="checkbox" id="${id}" name="credential" ` +
        `value="${escapeHtml(c.name)}"${ticked.has(c.name) ? " checked" : ""} /> ${escapeHtml(c.name)} ` +
        `<span class="muted">(${escapeHtml(detail)})</span></label>`
      );
    })
    .join("");
}

/** The "credential for added devices" choices: the one that answered, or a saved one. */
export function renderCredentialOptions(creds: readonly CredentialSummary[], chosen: string): string {
  const first = `<option value=""${chosen === "" ? " selected" : ""}>the one that answered</option>`;
  return (
    first +
    creds
      .map((c) => `<option value="${escapeHtml(c.name)}"${c.name === chosen ? " selected" : ""}>${escapeHtml(c.name)}</option>`)
      .join("")
  );
}
