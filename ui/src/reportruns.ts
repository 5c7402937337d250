// The Schedules section's "Runs" view: the run log, newest first, for every
// schedule or for the one picked with a row's Runs button. Each run says
// when (UTC, through the shared format module), which schedule and period,
// whether it worked, the files it wrote and, when it failed, why.
import type { ScheduleRun } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { formatUtcDateTime } from "./format";
import { draw, html, type TemplateResult } from "./html";

/** Runs shown at once (the service keeps 200 per schedule). */
export const RUNS_SHOWN = 50;

function periodText(r: ScheduleRun): string {
  return `${formatUtcDateTime(new Date(r.period.from))} – ${formatUtcDateTime(new Date(r.period.to))}`;
}

/** The runs as a table; `name` is the schedule they belong to (null: all). */
export function runsTable(runs: readonly ScheduleRun[], name: string | null): TemplateResult {
  if (runs.length === 0) {
    const whose = name === null ? "No schedule has run yet" : `${name} has not run yet`;
    return html`<p class="muted">${whose}: runs appear here when a period ends or after Run now.</p>`;
  }
  const rows = runs.map(
    (r) => html`<tr data-run-ok=${r.ok ? "yes" : "no"}>
      <td>${formatUtcDateTime(new Date(r.at))} UTC</td>
      <td>${r.schedule}</td>
      <td>${periodText(r)}</td>
      <td>${r.ok ? html`<span>ok</span>` : html`<span class="error">failed</span>`}</td>
      <td class="mono">${r.files.length === 0 ? html`<span class="muted">none</span>` : r.files.map((f) => html`<div>${f}</div>`)}</td>
      <td>${r.error ?? (r.mailed !== null ? html`<span class="muted">mailed (${r.mailed})</span>` : "")}</td>
    </tr>`,
  );
  return html`<table class="report-table report-runs">
    <thead><tr><th scope="col">When</th><th scope="col">Schedule</th><th scope="col">Period (UTC)</th>
      <th scope="col">Outcome</th><th scope="col">Files written</th><th scope="col">Error</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

export class ScheduleRuns {
  private readonly title = document.createElement("h4");
  private readonly all = document.createElement("button");
  private readonly body = document.createElement("div");
  /** The schedule whose runs are shown; null: every schedule's. */
  private selected: string | null = null;

  constructor(host: HTMLElement) {
    this.title.id = "schedule-runs-title";
    this.all.type = "button";
    this.all.className = "small";
    this.all.textContent = "All schedules";
    this.all.dataset["runsAll"] = "";
    this.all.addEventListener("click", () => void this.show(null));
    this.body.id = "schedule-runs";
    host.append(this.title, this.all, this.body);
    this.retitle();
  }

  get schedule(): string | null {
    return this.selected;
  }

  /** Shows `name`'s runs (null: all schedules') and reads them. */
  async show(name: string | null): Promise<void> {
    this.selected = name;
    this.retitle();
    await this.load();
  }

  /** Reads the log again; a schedule removed meanwhile falls back to all. */
  async load(): Promise<void> {
    try {
      draw(this.body, runsTable(await api.reportScheduleRuns(this.selected, RUNS_SHOWN), this.selected));
    } catch (err) {
      const e = toApiError(err);
      if (e.kind === "not_found" && this.selected !== null) {
        await this.show(null);
        return;
      }
      draw(this.body, html`<p class="error">Cannot read the runs: ${e.detail}</p>`);
    }
  }

  private retitle(): void {
    this.title.textContent = this.selected === null ? "Runs: all schedules" : `Runs: ${this.selected}`;
    this.all.hidden = this.selected === null;
  }
}
