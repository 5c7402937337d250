// The audit trail in the web console's Admin tab: filters (actor, action,
// entity, time range, count) sent to the server as they are, the rows it
// returns, and a CSV export of exactly those rows.
import type { AuditEntry, AuditFilter } from "./generated/bindings";
import { teamApi } from "./api";
import { toApiError } from "./apierror";
import { draw, html } from "./html";
import { formatDateTime } from "./format";

const COLUMNS = ["at", "actor", "source", "action", "entity", "entityId", "siteId", "before", "after"] as const;

/**
 * One CSV field: quoted when it holds a quote, comma or line break; a value
 * a spreadsheet would run as a formula (= + - @ or a tab/CR first) gets a
 * leading apostrophe, since names and addresses come from users.
 */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function auditCsv(rows: readonly AuditEntry[]): string {
  const lines = [COLUMNS.join(",")];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvField(r[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** A datetime-local value ("2026-12-04T10:30") as RFC 3339 UTC, or null. */
function isoOrNull(local: string): string | null {
  if (local === "") return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

export class AuditSection {
  private rows: AuditEntry[] = [];
  private error = "";
  private filter: Partial<AuditFilter> = { limit: 100 };

  constructor(private readonly root: HTMLElement) {}

  async load(): Promise<void> {
    this.error = "";
    try {
      this.rows = await teamApi.audit(this.filter);
    } catch (err) {
      const e = toApiError(err);
      this.error = [e.detail, ...e.fields.map((f) => `${f.field}: ${f.message}`)].join("; ");
    }
    this.render();
  }

  private apply(e: Event): void {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const v = (name: string): string => (f.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? "";
    const text = (name: string): string | null => (v(name) === "" ? null : v(name));
    const limit = v("limit");
    this.filter = {
      actor: text("actor"),
      action: text("action"),
      entity: text("entity"),
      since: isoOrNull(v("since")),
      until: isoOrNull(v("until")),
      limit: limit === "" ? 100 : Number(limit),
    };
    void this.load();
  }

  private exportCsv(): void {
    const url = URL.createObjectURL(new Blob([auditCsv(this.rows)], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "meridian-audit.csv";
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private render(): void {
    draw(
      this.root,
      html`<h2>Audit trail</h2>
        <form id="audit-filter" class="add-device" aria-label="Filter the audit trail" @submit=${(e: Event) => this.apply(e)}>
          <div class="field"><label for="au-actor">Actor</label><input id="au-actor" name="actor" autocomplete="off" /></div>
          <div class="field"><label for="au-action">Action</label><input id="au-action" name="action" autocomplete="off" placeholder="e.g. alarm.ack" /></div>
          <div class="field"><label for="au-entity">Entity</label><input id="au-entity" name="entity" autocomplete="off" placeholder="e.g. alarm" /></div>
          <div class="field"><label for="au-since">Since</label><input id="au-since" name="since" type="datetime-local" /></div>
          <div class="field"><label for="au-until">Until</label><input id="au-until" name="until" type="datetime-local" /></div>
          <div class="field narrow"><label for="au-limit">Rows</label><input id="au-limit" name="limit" inputmode="numeric" placeholder="100" /></div>
          <button type="submit" id="audit-apply">Filter</button>
          <button type="button" id="audit-csv" @click=${() => this.exportCsv()}>Export CSV</button>
        </form>
        <p id="audit-error" class="form-error" role="alert">${this.error}</p>
        <table id="audit-table" class="admin-table" aria-label="Audit trail">
          <thead><tr><th>Time</th><th>Actor</th><th>Source</th><th>Action</th><th>Entity</th></tr></thead>
          <tbody>
            ${this.rows.map(
              (r) => html`<tr data-audit-action=${r.action}>
                <td>${formatDateTime(new Date(r.at), { seconds: true })}</td><td class="actor">${r.actor}</td><td>${r.source}</td>
                <td class="action">${r.action}</td><td>${r.entity} ${r.entityId}</td>
              </tr>`,
            )}
          </tbody>
        </table>`,
    );
  }
}
