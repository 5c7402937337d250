// "Import CSV…" on the Devices tab: the chosen file goes to the service as
// text, first as a dry run whose report (or list of bad rows) shows under
// the button; "Import" then writes it, all rows or none.
import type { ApiError, ImportReport } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { draw, html, nothing, type TemplateResult } from "./html";

/** What a report says: what was (or would be) imported and created. */
export function reportView(r: ImportReport): TemplateResult {
  const verb = r.dryRun ? "Would import" : "Imported";
  const sites = r.sitesCreated.length
    ? html` and ${r.dryRun ? "create" : "created"} site${r.sitesCreated.length === 1 ? "" : "s"} ${r.sitesCreated.join(", ")}`
    : nothing;
  return html`<p>${verb} ${r.devices.length} device${r.devices.length === 1 ? "" : "s"}${sites}.</p>`;
}

/** A refused file: every bad row with its field, nothing written. */
export function refusalView(e: ApiError): TemplateResult {
  if (e.fields.length === 0) return html`<p class="form-error">${e.detail}</p>`;
  return html`<p class="form-error">Nothing imported. Fix these rows and try again:</p>
    <ul class="import-errors">
      ${e.fields.map((f) => html`<li><strong>${f.field}</strong>: ${f.message}</li>`)}
    </ul>`;
}

export class ImportPanel {
  private text: string | null = null;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly importButton: HTMLButtonElement,
    private readonly out: HTMLElement,
    private readonly changed: () => void,
  ) {
    importButton.disabled = true;
    input.addEventListener("change", () => void this.check());
    importButton.addEventListener("click", () => void this.run(false));
  }

  private async check(): Promise<void> {
    const file = this.input.files?.[0];
    this.text = null;
    this.importButton.disabled = true;
    if (!file) return draw(this.out, nothing);
    this.text = await file.text();
    await this.run(true);
  }

  private async run(dryRun: boolean): Promise<void> {
    if (this.text === null) return;
    try {
      const report = await api.importDevices(this.text, dryRun);
      draw(this.out, reportView(report));
      this.importButton.disabled = !dryRun;
      if (!dryRun) {
        this.text = null;
        this.input.value = "";
        this.changed();
      }
    } catch (err) {
      this.importButton.disabled = true;
      draw(this.out, refusalView(toApiError(err)));
    }
  }
}
