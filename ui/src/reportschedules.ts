// The Reports screen's "Schedules" section: reports written to a folder
// (and mailed through an e-mail channel) daily, weekly or monthly. A list
// with each schedule's next run and last result, Edit, Runs, Run now and
// Remove per row, a form that adds one or, after Edit, saves the changes to
// one (Cancel returns it to adding), and the run log (reportruns.ts). The
// service checks the folder, scope and channel; its field errors show
// beside their boxes.
import type { Cadence, ReportFormat, ReportKind, ReportSchedule, ScheduleInput, ScheduleRun } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, formChecked, formValue, setFormValue, showApiError, showFieldErrors } from "./formdom";
import { formatUtcDateTime } from "./format";
import { draw, html, type TemplateResult } from "./html";
import type { ScopeKind } from "./reports";
import { ScheduleRuns } from "./reportruns";

/** The form's fields, in order, for field errors and focus. */
export const SCHEDULE_FIELDS = ["name", "kind", "cadence", "target", "formats", "folder", "channel", "recipients"] as const;

export interface ScheduleFormValues {
  name: string;
  kind: ReportKind;
  cadence: Cadence;
  scope: ScopeKind;
  target: string;
  pdf: boolean;
  csv: boolean;
  folder: string;
  channel: string;
  /** Addresses separated by commas, semicolons or spaces. */
  recipients: string;
  /** Off: it keeps its place but does not run by itself (default on). */
  enabled?: boolean;
  /** Rows per top-N table; the form has no box for it, so an edit keeps what the CLI set. */
  topN?: number | null;
}

/** The input of a filled form. Only what a person cannot see at a glance is left to the service. */
export function scheduleInput(v: ScheduleFormValues): ScheduleInput {
  const target = v.target.trim();
  const formats: ReportFormat[] = [];
  if (v.pdf) formats.push("pdf");
  if (v.csv) formats.push("csv");
  const channel = v.channel.trim();
  return {
    name: v.name.trim(),
    cadence: v.cadence,
    kind: v.kind,
    site: v.scope === "site" && target !== "" ? target : null,
    tag: v.scope === "tag" && target !== "" ? target : null,
    device: v.scope === "device" && target !== "" ? target : null,
    topN: v.topN ?? null,
    formats,
    folder: v.folder.trim(),
    channel: channel === "" ? null : channel,
    recipients: v.recipients.split(/[\s,;]+/).filter((r) => r !== ""),
    enabled: v.enabled ?? true,
  };
}

/** What the form shows for a stored schedule, to edit it. */
export function scheduleFormValues(s: ReportSchedule): ScheduleFormValues {
  const [scope, target]: [ScopeKind, string] =
    s.site !== null ? ["site", s.site] : s.tag !== null ? ["tag", s.tag] : s.device !== null ? ["device", s.device] : ["all", ""];
  return {
    name: s.name,
    kind: s.kind,
    cadence: s.cadence,
    scope,
    target,
    pdf: s.formats.includes("pdf"),
    csv: s.formats.includes("csv"),
    folder: s.folder,
    channel: s.channel ?? "",
    recipients: s.recipients.join(", "),
    enabled: s.enabled,
    topN: s.topN,
  };
}

/** A service field name as the form names its box (the scope's name goes to "target"). */
export function formField(field: string): string {
  return ["site", "tag", "device"].includes(field) ? "target" : field;
}

function scopeText(s: ReportSchedule): string {
  if (s.site !== null) return `site ${s.site}`;
  if (s.tag !== null) return `tag ${s.tag}`;
  if (s.device !== null) return `device ${s.device}`;
  return "all devices";
}

function lastResult(s: ReportSchedule): TemplateResult {
  if (s.lastOk === null) return html`<span class="muted">never ran</span>`;
  const at = s.lastRunAt === null ? "" : ` ${formatUtcDateTime(new Date(s.lastRunAt))}`;
  if (s.lastOk) return html`<span>ok${at}</span>`;
  return html`<span class="error" title=${s.lastError ?? ""}>failed${at}: ${s.lastError ?? ""}</span>`;
}

/** Every schedule with its next run (UTC) and last result, with Edit, Runs, Run now and Remove. */
export function schedulesTable(list: readonly ReportSchedule[]): TemplateResult {
  if (list.length === 0) {
    return html`<p class="muted">No schedules. Add one below to write a report to a folder every day, week or month.</p>`;
  }
  const rows = list.map(
    (s) => html`<tr>
      <td>${s.name}</td>
      <td>${s.kind} · ${s.cadence}</td>
      <td>${scopeText(s)}</td>
      <td class="mono">${s.folder}</td>
      <td>${s.formats.join(" + ")}${s.channel !== null ? html` <span class="muted">· mailed via ${s.channel}</span>` : ""}</td>
      <td>${s.enabled ? `${formatUtcDateTime(new Date(s.nextDue))} UTC` : html`<span class="muted">disabled</span>`}</td>
      <td>${lastResult(s)}</td>
      <td>
        <button type="button" class="small" data-schedule-edit=${s.name}>Edit</button>
        <button type="button" class="small" data-schedule-runs=${s.name}>Runs</button>
        <button type="button" class="small" data-schedule-run=${s.name}>Run now</button>
        <button type="button" class="small" data-schedule-remove=${s.name}>Remove</button>
      </td>
    </tr>`,
  );
  return html`<table class="report-table report-schedules">
    <thead><tr><th scope="col">Name</th><th scope="col">Report</th><th scope="col">For</th><th scope="col">Folder</th>
      <th scope="col">Files</th><th scope="col">Next run</th><th scope="col">Last result</th><th scope="col"></th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** One line on what a Run now did. */
export function runText(r: ScheduleRun): string {
  if (!r.ok) return `${r.schedule} failed: ${r.error ?? "unknown error"}`;
  const mailed = r.mailed !== null ? `, mailed (${r.mailed})` : "";
  return `${r.schedule}: wrote ${r.files.join(", ")}${mailed}`;
}

function scheduleForm(): TemplateResult {
  const err = (f: string): TemplateResult => html`<span class="form-error" data-error-for=${f}></span>`;
  return html`<form id="schedule-form" class="rule-actions log-bar" aria-label="Add a report schedule" novalidate>
    <label>Name <input name="name" required placeholder="daily-hq" autocomplete="off" />${err("name")}</label>
    <label>Report <select name="kind"><option value="availability">availability</option><option value="top">top N</option><option value="alarms">alarm handling</option></select>${err("kind")}</label>
    <label>Every <select name="cadence"><option value="daily">day</option><option value="weekly">week (from Monday)</option><option value="monthly">month</option></select>${err("cadence")}</label>
    <label>For <select name="scope"><option value="all">all devices</option><option value="site">site</option><option value="tag">tag</option><option value="device">device</option></select></label>
    <input name="target" type="text" autocomplete="off" placeholder="site, tag or device name" aria-label="Site, tag or device name" />${err("target")}
    <label><input name="pdf" type="checkbox" checked /> PDF</label><label><input name="csv" type="checkbox" /> CSV</label>${err("formats")}
    <label>Folder <input name="folder" required placeholder="/srv/reports" autocomplete="off" />${err("folder")}</label>
    <label>Mail via channel <input name="channel" placeholder="(none)" autocomplete="off" />${err("channel")}</label>
    <label>To <input name="recipients" placeholder="the channel's recipients" autocomplete="off" />${err("recipients")}</label>
    <label><input name="enabled" type="checkbox" checked /> Enabled</label>
    <button type="submit" class="small" data-schedule-save>Add schedule</button>
    <button type="button" class="small" data-schedule-cancel hidden>Cancel</button>
    ${err("")}
  </form>`;
}

/** Ticks or clears a checkbox of `form`. */
function setChecked(form: HTMLFormElement, name: string, on: boolean): void {
  const el = form.elements.namedItem(name);
  if (el instanceof HTMLInputElement) el.checked = on;
}

export class ReportSchedules {
  private readonly list = document.createElement("div");
  private readonly status = document.createElement("p");
  private readonly form: HTMLFormElement;
  private readonly runs: ScheduleRuns;
  /** The schedules as last listed (what Edit fills the form from). */
  private shown: ReportSchedule[] = [];
  /** The schedule the form edits (its name, and top N the form has no box for); null: the form adds. */
  private editing: { name: string; topN: number | null } | null = null;

  constructor(host: HTMLElement) {
    draw(host, html`<h3 id="schedules-title">Schedules</h3>
      <p class="muted">Each run writes the last whole day, week or month (UTC) to the folder when it ends; after downtime only the latest period is written, once.</p>`);
    this.status.setAttribute("role", "status");
    host.append(this.list, this.status);
    const holder = document.createElement("div");
    draw(holder, scheduleForm());
    const form = holder.querySelector("form");
    if (form === null) throw new Error("the schedule form did not render");
    this.form = form;
    host.append(form);
    const runsHost = document.createElement("div");
    runsHost.className = "schedule-runs";
    host.append(runsHost);
    this.runs = new ScheduleRuns(runsHost);
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.save();
    });
    this.form.querySelector("[data-schedule-cancel]")?.addEventListener("click", () => this.stopEditing());
    this.list.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest<HTMLButtonElement>("button") : null;
      const data = b?.dataset ?? {};
      const [edit, runs, run, remove] = ["scheduleEdit", "scheduleRuns", "scheduleRun", "scheduleRemove"].map((k) => data[k]);
      if (edit !== undefined) this.startEditing(edit);
      if (runs !== undefined) void this.runs.show(runs);
      if (run !== undefined) void this.run(run);
      if (remove !== undefined) void this.remove(remove);
    });
  }

  async load(): Promise<void> {
    try {
      this.shown = await api.listReportSchedules();
      draw(this.list, schedulesTable(this.shown));
    } catch (err) {
      draw(this.list, html`<p class="error">Cannot list the schedules: ${toApiError(err).detail}</p>`);
    }
    await this.runs.load();
  }

  /** Fills the form with `name`'s input; saving then updates it. */
  startEditing(name: string): void {
    const s = this.shown.find((x) => x.name === name);
    if (s === undefined) return;
    const v = scheduleFormValues(s);
    for (const f of ["name", "kind", "cadence", "scope", "target", "folder", "channel", "recipients"] as const) {
      setFormValue(this.form, f, v[f]);
    }
    setChecked(this.form, "pdf", v.pdf);
    setChecked(this.form, "csv", v.csv);
    setChecked(this.form, "enabled", v.enabled ?? true);
    this.editing = { name, topN: v.topN ?? null };
    this.setMode(`Save changes to ${name}`);
    clearFieldErrors(this.form);
    this.form.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }

  /** Back to adding: the form empty, its errors gone. */
  stopEditing(): void {
    this.editing = null;
    this.form.reset();
    clearFieldErrors(this.form);
    this.setMode(null);
  }

  private setMode(saveLabel: string | null): void {
    const save = this.form.querySelector<HTMLButtonElement>("[data-schedule-save]");
    const cancel = this.form.querySelector<HTMLButtonElement>("[data-schedule-cancel]");
    if (save !== null) save.textContent = saveLabel ?? "Add schedule";
    if (cancel !== null) cancel.hidden = saveLabel === null;
    this.form.setAttribute("aria-label", saveLabel === null ? "Add a report schedule" : `Edit report schedule ${this.editing?.name ?? ""}`);
  }

  private async save(): Promise<void> {
    const editing = this.editing;
    const input = scheduleInput({
      name: formValue(this.form, "name"),
      kind: formValue(this.form, "kind") as ReportKind,
      cadence: formValue(this.form, "cadence") as Cadence,
      scope: formValue(this.form, "scope") as ScopeKind,
      target: formValue(this.form, "target"),
      pdf: formChecked(this.form, "pdf"),
      csv: formChecked(this.form, "csv"),
      folder: formValue(this.form, "folder"),
      channel: formValue(this.form, "channel"),
      recipients: formValue(this.form, "recipients"),
      enabled: formChecked(this.form, "enabled"),
      topN: editing?.topN ?? null,
    });
    const scope = formValue(this.form, "scope");
    if (scope !== "all" && input.site === null && input.tag === null && input.device === null) {
      showFieldErrors(this.form, new Map([["target", [`Name the ${scope}.`]]]), SCHEDULE_FIELDS);
      return;
    }
    try {
      if (editing === null) {
        await busy(this.form, () => api.addReportSchedule(input));
      } else {
        const saved = await busy(this.form, () => api.updateReportSchedule(editing.name, input));
        this.status.textContent = `Saved ${saved.name}; its run log and last result stay.`;
        // The runs shown follow a rename.
        if (this.runs.schedule === editing.name) await this.runs.show(saved.name);
      }
      this.stopEditing();
      await this.load();
    } catch (err) {
      const e = toApiError(err);
      showApiError(this.form, { ...e, fields: e.fields.map((f) => ({ ...f, field: formField(f.field) })) }, SCHEDULE_FIELDS);
    }
  }

  private async run(name: string): Promise<void> {
    this.status.textContent = `Running ${name}…`;
    try {
      this.status.textContent = runText(await api.runReportSchedule(name));
    } catch (err) {
      this.status.textContent = `Cannot run ${name}: ${toApiError(err).detail}`;
    }
    await this.load();
  }

  private async remove(name: string): Promise<void> {
    try {
      await api.removeReportSchedule(name);
      this.status.textContent = `Removed ${name}; its files stay in the folder.`;
      if (this.editing?.name === name) this.stopEditing();
    } catch (err) {
      this.status.textContent = `Cannot remove ${name}: ${toApiError(err).detail}`;
    }
    await this.load();
  }
}
