// The Reports screen's pure parts: the request a filled form asks for (or
// the fields it gets wrong, named as the service names them) and the
// preview of a finished report. The service formats every figure once, so
// the preview shows the same digits as the PDF and the CSV.
import type { Report, ReportFormat, ReportKind, ReportRequest } from "./generated/bindings";
import { formatUtcDateTime } from "./format";
import { html, nothing, type TemplateResult } from "./html";

export type ScopeKind = "all" | "site" | "tag" | "device";

export interface ReportFormValues {
  kind: ReportKind;
  scope: ScopeKind;
  /** The site, tag or device name (ignored for "all"). */
  target: string;
  /** "2026-12-01T00:00" as a datetime-local box gives it, read as UTC. */
  from: string;
  to: string;
}

export type FormResult = { ok: true; request: ReportRequest } | { ok: false; errors: Record<string, string> };

function utc(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s.trim());
  if (m === null) return null;
  const [y, mo, d0, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const d = new Date(Date.UTC(y, mo - 1, d0, h, mi));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The request of a filled form, or every field it gets wrong at once. */
export function reportRequest(v: ReportFormValues): FormResult {
  const errors: Record<string, string> = {};
  const from = utc(v.from);
  const to = utc(v.to);
  if (from === null) errors["from"] = "Enter a start as date and time (UTC).";
  if (to === null) errors["to"] = "Enter an end as date and time (UTC).";
  if (from !== null && to !== null && from >= to) errors["to"] = "Must be after the start.";
  const target = v.target.trim();
  if (v.scope !== "all" && target === "") errors[v.scope] = `Name the ${v.scope}.`;
  if (Object.keys(errors).length > 0 || from === null || to === null) return { ok: false, errors };
  return {
    ok: true,
    request: {
      kind: v.kind,
      from: from.toISOString(),
      to: to.toISOString(),
      site: v.scope === "site" ? target : null,
      tag: v.scope === "tag" ? target : null,
      device: v.scope === "device" ? target : null,
      topN: null,
    },
  };
}

/** The period presets: the last day, week and 30 days, ending at `now` rounded down to the minute. */
export function presetRange(days: number, now: Date): { from: string; to: string } {
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - days * 86_400_000);
  const box = (d: Date): string => formatUtcDateTime(d).replace(" ", "T");
  return { from: box(start), to: box(end) };
}

/** The file name a saved report gets: "availability-2026-12-01.pdf". */
export function reportFileName(r: Pick<Report, "kind" | "from">, format: ReportFormat): string {
  return `${r.kind}-${r.from.slice(0, 10)}.${format}`;
}

/** The MIME type of a saved file. */
export function reportMime(format: ReportFormat): string {
  const types: Record<ReportFormat, string> = {
    pdf: "application/pdf",
    csv: "text/csv",
    svg: "image/svg+xml",
    png: "image/png",
    json: "application/json",
  };
  return types[format];
}

/** Title, scope, period, notes and every table of a report. */
export function reportPreview(r: Report): TemplateResult {
  const period = `${formatUtcDateTime(new Date(r.from))} to ${formatUtcDateTime(new Date(r.to))} UTC`;
  return html`<h3 class="report-title">${r.title}</h3>
    <p class="muted report-meta">${r.scope}, ${period}</p>
    ${r.notes.length > 0 ? html`<ul class="report-notes">${r.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
    ${r.tables.map(
      (t) => html`<table class="report-table">
        <caption>${t.title}</caption>
        <thead><tr>${t.columns.map((c) => html`<th scope="col">${c.replace(/_/g, " ")}</th>`)}</tr></thead>
        <tbody>
          ${t.rows.length === 0
            ? html`<tr><td colspan=${t.columns.length} class="muted">none</td></tr>`
            : t.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}
        </tbody>
      </table>`,
    )}`;
}
