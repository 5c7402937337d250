// The bulk edit dialog: site, tags, credential and enabled for the selected
// devices, applied one update_device call per device (bulkedit.ts) with a
// progress bar and, at the end, a line per device the service refused. The
// dialog stays open on the result so failures can be read; the inventory is
// reloaded once, after the last call.
import type { CredentialSummary, Device, DevicePatch, Site } from "./generated/bindings";
import { bulkChangeFromForm, CLEAR, failureLine, KEEP, resultSummary, runBulk } from "./bulkedit";
import { credentialLabel } from "./credentials";
import { draw, html, nothing, type TemplateResult } from "./html";
import { busy, clearFieldErrors, formValue, showFieldErrors } from "./formdom";

const FIELDS = ["site", "tags", "credential", "enabled"] as const;

function form(n: number, sites: readonly Site[], creds: readonly CredentialSummary[]): TemplateResult {
  return html`<form id="dtb-form" class="add-device" novalidate>
    <h3>Edit ${n} device${n === 1 ? "" : "s"}</h3>
    <div class="field"><label for="b-site">Site</label><select id="b-site" name="site">
      <option value=${KEEP}>unchanged</option><option value=${CLEAR}>no site</option>
      ${sites.map((s) => html`<option value=${s.name}>${s.name}</option>`)}
    </select><span class="field-error" data-error-for="site"></span></div>
    <div class="field narrow"><label for="b-tags-mode">Tags</label><select id="b-tags-mode" name="tagsMode">
      <option value="keep">unchanged</option><option value="add">add</option><option value="remove">remove</option><option value="replace">replace with</option>
    </select></div>
    <div class="field"><label for="b-tags">Tags to add/remove</label><input id="b-tags" name="tags" autocomplete="off" placeholder="comma-separated" /><span class="field-error" data-error-for="tags"></span></div>
    <div class="field"><label for="b-credential">SNMP credential</label><select id="b-credential" name="credential">
      <option value=${KEEP}>unchanged</option><option value=${CLEAR}>none</option>
      ${creds.map((c) => html`<option value=${c.name}>${credentialLabel(c)}</option>`)}
    </select><span class="field-error" data-error-for="credential"></span></div>
    <div class="field narrow"><label for="b-enabled">Enabled</label><select id="b-enabled" name="enabled">
      <option value="keep">unchanged</option><option value="true">enable</option><option value="false">disable</option>
    </select><span class="field-error" data-error-for="enabled"></span></div>
    <div class="form-error" data-error-for="" role="alert"></div>
    <div class="bulk-progress"><progress id="dtb-progress" max=${n} value="0" hidden></progress><span id="dtb-status" aria-live="polite"></span></div>
    <ul id="dtb-errors" class="bulk-errors"></ul>
    <div class="dialog-actions"><button type="submit">Apply</button><button type="button" data-action="cancel">Close</button></div>
  </form>`;
}

export class BulkEditDialog {
  private readonly dialog: HTMLDialogElement;
  private devices: Device[] = [];
  private running = false;

  constructor(
    private readonly sites: () => readonly Site[],
    private readonly credentials: () => readonly CredentialSummary[],
    private readonly update: (id: string, patch: DevicePatch) => Promise<unknown>,
    /** Devices were written: reload the inventory. */
    private readonly changed: () => void,
  ) {
    this.dialog = document.createElement("dialog");
    this.dialog.id = "bulk-edit-dialog";
    this.dialog.className = "inv-dialog";
    this.dialog.setAttribute("aria-label", "Edit selected devices");
    document.body.append(this.dialog);
    this.dialog.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.apply();
    });
    this.dialog.addEventListener("click", (e) => {
      if (e.target instanceof Element && e.target.closest("button[data-action=cancel]")) this.dialog.close();
    });
    // Each error clears as its field is changed (the form is redrawn per open, the dialog stays).
    for (const type of ["input", "change"]) {
      this.dialog.addEventListener(type, (e) => {
        const f = this.form();
        if (f !== null) this.clearErrorOf(f, e.target);
      });
    }
    // Escape does not close the dialog while a run is in progress, so its result is seen.
    this.dialog.addEventListener("cancel", (e) => {
      if (this.running) e.preventDefault();
    });
  }

  open(devices: Device[]): void {
    if (this.dialog.open || devices.length === 0) return;
    this.devices = devices;
    draw(this.dialog, form(devices.length, this.sites(), this.credentials()));
    const f = this.form();
    if (f !== null) {
      f.reset();
      clearFieldErrors(f);
      this.setStatus(f, "", []);
      const bar = f.querySelector<HTMLProgressElement>("#dtb-progress");
      if (bar !== null) bar.hidden = true;
    }
    this.dialog.showModal();
    this.dialog.querySelector<HTMLSelectElement>("select")?.focus();
  }

  private form(): HTMLFormElement | null {
    return this.dialog.querySelector<HTMLFormElement>("#dtb-form");
  }

  private clearErrorOf(f: HTMLFormElement, target: EventTarget | null): void {
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    const name = target.name === "tagsMode" ? "tags" : target.name;
    for (const key of [name, ""]) {
      const el = f.querySelector<HTMLElement>(`[data-error-for="${key}"]`);
      if (el !== null) el.textContent = "";
    }
    const input = f.elements.namedItem(name);
    if (input instanceof Element) input.removeAttribute("aria-invalid");
  }

  private setStatus(f: HTMLFormElement, text: string, failures: readonly string[]): void {
    const status = f.querySelector("#dtb-status");
    if (status !== null) status.textContent = text;
    const list = f.querySelector<HTMLElement>("#dtb-errors");
    if (list !== null) draw(list, failures.length === 0 ? nothing : html`${failures.map((l) => html`<li>${l}</li>`)}`);
  }

  private async apply(): Promise<void> {
    const f = this.form();
    if (f === null || this.running) return;
    const parsed = bulkChangeFromForm({
      site: formValue(f, "site"),
      tagsMode: formValue(f, "tagsMode"),
      tags: formValue(f, "tags"),
      credential: formValue(f, "credential"),
      enabled: formValue(f, "enabled"),
    });
    if ("errors" in parsed) {
      const m = new Map<string, string[]>();
      for (const e of parsed.errors) m.set(e.field, [...(m.get(e.field) ?? []), e.message]);
      showFieldErrors(f, m, FIELDS);
      return;
    }
    const bar = f.querySelector<HTMLProgressElement>("#dtb-progress");
    if (bar !== null) bar.hidden = false;
    this.running = true;
    try {
      const result = await busy(f, () =>
        runBulk(this.devices, parsed.change, this.update, (done, total) => {
          if (bar !== null) bar.value = done;
          this.setStatus(f, `${done} / ${total}`, []);
        }),
      );
      this.setStatus(f, resultSummary(result), result.failed.map(failureLine));
      if (result.updated > 0) this.changed();
    } finally {
      this.running = false;
    }
  }
}
