// The Reports screen's "Schedules" section: reports written to a folder
// (and mailed through an e-mail channel) daily, weekly or monthly. A list
// with each schedule's next run and last result, Run now and Remove per
// row, and a form that adds one; the service checks the folder, scope and
// channel, and its field errors show beside their boxes.
import type { Cadence, ReportFormat, ReportKind, ReportSchedule, ScheduleInput, ScheduleRun } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, formChecked, formValue, showApiError, showFieldErrors } from "./formdom";
import { formatUtcDateTime } from "./format";
import { draw, html, type TemplateResult } from "./html";
import type { ScopeKind } from "./reports";

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
    topN: null,
    formats,
    folder: v.folder.trim(),
    channel: channel === "" ? null : channel,
    recipients: v.recipients.split(/[\s,;]+/).filter((r) => r !== ""),
    enabled: true,
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

/** Every schedule with its next run (UTC) and last result, with Run now and Remove. */
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
    <button type="submit" class="small">Add schedule</button>
    ${err("")}
  </form>`;
}

export class ReportSchedules {
  private readonly list = document.createElement("div");
  private readonly status = document.createElement("p");
  private readonly form: HTMLFormElement;

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
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.add();
    });
    this.list.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest<HTMLButtonElement>("button") : null;
      const run = b?.dataset["scheduleRun"];
      const remove = b?.dataset["scheduleRemove"];
      if (run !== undefined) void this.run(run);
      if (remove !== undefined) void this.remove(remove);
    });
  }

  async load(): Promise<void> {
    try {
      draw(this.list, schedulesTable(await api.listReportSchedules()));
    } catch (err) {
      draw(this.list, html`<p class="error">Cannot list the schedules: ${toApiError(err).detail}</p>`);
    }
  }

  private async add(): Promise<void> {
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
    });
    const scope = formValue(this.form, "scope");
    if (scope !== "all" && input.site === null && input.tag === null && input.device === null) {
      showFieldErrors(this.form, new Map([["target", [`Name the ${scope}.`]]]), SCHEDULE_FIELDS);
      return;
    }
    try {
      await busy(this.form, () => api.addReportSchedule(input));
      clearFieldErrors(this.form);
      this.form.reset();
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
    } catch (err) {
      this.status.textContent = `Cannot remove ${name}: ${toApiError(err).detail}`;
    }
    await this.load();
  }
}
