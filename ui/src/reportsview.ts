// The Reports screen: kind, scope and period pickers, a preview (the chart
// as the service draws it, as SVG, and every table), and Save buttons that
// fetch the same report as PDF or CSV and hand it to the webview's download.
// Field errors (an unknown site, a reversed period) show beside their box.
import type { Report, ReportFormat, ReportKind, ReportRequest } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, element, formValue, setFormValue, showApiError, showFieldErrors } from "./formdom";
import { draw, html, nothing } from "./html";
import { presetRange, reportFileName, reportMime, reportPreview, reportRequest, type ScopeKind } from "./reports";
import { ReportSchedules } from "./reportschedules";

const FIELDS = ["kind", "site", "tag", "device", "from", "to"] as const;

export class ReportsScreen {
  private readonly form = element<HTMLFormElement>("report-form");
  private readonly body = element("report-body");
  private readonly chart = element("report-chart");
  private readonly saveButtons = [element<HTMLButtonElement>("report-save-pdf"), element<HTMLButtonElement>("report-save-csv")];
  private shown: { report: Report; request: ReportRequest } | null = null;
  private readonly schedules = new ReportSchedules(element("report-schedules"));

  constructor() {
    const day = presetRange(1, new Date());
    setFormValue(this.form, "from", day.from);
    setFormValue(this.form, "to", day.to);
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.run();
    });
    this.form.addEventListener("click", (e) => {
      const days = e.target instanceof HTMLElement ? e.target.dataset["days"] : undefined;
      if (days === undefined) return;
      const r = presetRange(Number(days), new Date());
      setFormValue(this.form, "from", r.from);
      setFormValue(this.form, "to", r.to);
    });
    element("report-save-pdf").addEventListener("click", () => void this.save("pdf"));
    element("report-save-csv").addEventListener("click", () => void this.save("csv"));
    this.enableSave(false);
  }

  private enableSave(on: boolean): void {
    for (const b of this.saveButtons) b.disabled = !on;
  }

  private async run(): Promise<void> {
    clearFieldErrors(this.form);
    const scope = formValue(this.form, "scope") as ScopeKind;
    const parsed = reportRequest({
      kind: formValue(this.form, "kind") as ReportKind,
      scope,
      target: formValue(this.form, "target"),
      from: formValue(this.form, "from"),
      to: formValue(this.form, "to"),
    });
    if (!parsed.ok) {
      // The scope's own name goes to the one box that holds it.
      const errors = new Map(Object.entries(parsed.errors).map(([field, message]) => [field === scope ? "target" : field, [message]]));
      showFieldErrors(this.form, errors, ["target", "from", "to"]);
      return;
    }
    try {
      const [report, svg] = await busy(this.form, () =>
        Promise.all([api.report(parsed.request), api.reportFile(parsed.request, "svg")]),
      );
      this.shown = { report, request: parsed.request };
      const src = `data:image/svg+xml;base64,${btoa(String.fromCharCode(...svg))}`;
      draw(this.chart, html`<img class="report-svg" alt=${report.chart.title} src=${src} />`);
      draw(this.body, reportPreview(report));
      this.enableSave(true);
    } catch (e) {
      this.shown = null;
      this.enableSave(false);
      draw(this.chart, nothing);
      const err = toApiError(e);
      const mapped = { ...err, fields: err.fields.map((f) => ({ ...f, field: ["site", "tag", "device"].includes(f.field) ? "target" : f.field })) };
      showApiError(this.form, mapped, ["target", ...FIELDS]);
    }
  }

  private async save(format: ReportFormat): Promise<void> {
    if (this.shown === null) return;
    const { report, request } = this.shown;
    try {
      const bytes = await api.reportFile(request, format);
      const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: reportMime(format) }));
      const a = document.createElement("a");
      a.href = url;
      a.download = reportFileName(report, format);
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      showApiError(this.form, toApiError(e), ["target", ...FIELDS]);
    }
  }

  /** A report is computed when asked for; the schedules' last results are read afresh. */
  async show(): Promise<void> {
    element<HTMLSelectElement>("report-kind").focus();
    await this.schedules.load();
  }
}
