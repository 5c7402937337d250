// The Devices tab's forms: add a device, Edit and Remove per table row, the
// sites and credentials sections, and one in-page confirmation dialog for
// every removal. main.ts owns the model; this asks it for devices and tells
// it when the inventory was written so it reloads.
import type { ApiError, CredentialSummary, Device, DeviceId, Site } from "./generated/bindings";
import { CredentialsPanel, credentialOptions } from "./credentials";
import { draw } from "./html";
import { DeviceEditor } from "./deviceedit";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, confirmInPage, element, formValue, showApiError } from "./formdom";
import { DEVICE_ADD_FIELDS, deviceInputFromForm, validationError } from "./inventory";
import { SitesPanel } from "./siteforms";

export interface InventoryDeps {
  devices: () => ReadonlyMap<DeviceId, Device>;
  /** Devices or sites were written here: reload them. */
  changed: () => void;
  /** For failures that belong to no form (a device removal). */
  showError: (err: ApiError) => void;
}

export class InventoryView {
  private readonly addForm = element<HTMLFormElement>("add-device-form");
  private readonly confirm = element<HTMLDialogElement>("confirm-dialog");
  private readonly editor: DeviceEditor;
  private readonly sites: SitesPanel;
  private readonly credentials: CredentialsPanel;

  constructor(private readonly deps: InventoryDeps) {
    this.credentials = new CredentialsPanel(
      {
        list: element("credentials-body"),
        note: element("vault-note"),
        error: element("credentials-error"),
        communityForm: element<HTMLFormElement>("community-form"),
        usmForm: element<HTMLFormElement>("usm-form"),
        confirm: this.confirm,
      },
      (creds) => this.credentialsChanged(creds),
    );
    this.editor = new DeviceEditor(
      element<HTMLDialogElement>("device-edit-dialog"),
      () => this.credentials.list,
      deps.changed,
    );
    this.sites = new SitesPanel(
      {
        form: element<HTMLFormElement>("site-form"),
        submit: element<HTMLButtonElement>("site-submit"),
        cancel: element<HTMLButtonElement>("site-cancel"),
        list: element("sites-body"),
        error: element("sites-error"),
        confirm: this.confirm,
      },
      deps.changed,
    );
    this.addForm.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.addDevice();
    });
    element("devices-body").addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest("button[data-action]") : null;
      if (!(b instanceof HTMLButtonElement)) return;
      const d = this.deps.devices().get(b.dataset["id"] ?? "");
      if (d === undefined) return;
      if (b.dataset["action"] === "edit") this.editor.open(d);
      else if (b.dataset["action"] === "remove") void this.removeDevice(d, b);
    });
  }

  setSites(sites: readonly Site[]): void {
    this.sites.setSites(sites);
  }

  reloadCredentials(): Promise<void> {
    return this.credentials.reload();
  }

  private credentialsChanged(creds: readonly CredentialSummary[]): void {
    const picker = this.addForm.elements.namedItem("credential");
    if (picker instanceof HTMLSelectElement) draw(picker, credentialOptions(creds, picker.value));
    this.editor.refreshCredentials();
  }

  private async addDevice(): Promise<void> {
    const form = this.addForm;
    const parsed = deviceInputFromForm({
      name: formValue(form, "name"),
      address: formValue(form, "address"),
      site: formValue(form, "site"),
      lat: formValue(form, "lat"),
      lon: formValue(form, "lon"),
      tags: formValue(form, "tags"),
      credential: formValue(form, "credential"),
      snmpPort: formValue(form, "snmpPort"),
    });
    if ("errors" in parsed) {
      showApiError(form, validationError(parsed.errors), DEVICE_ADD_FIELDS);
      return;
    }
    try {
      await busy(form, () => api.addDevice(parsed.input));
    } catch (err) {
      showApiError(form, toApiError(err), DEVICE_ADD_FIELDS);
      return;
    }
    form.reset();
    clearFieldErrors(form);
    this.deps.changed();
  }

  private async removeDevice(d: Device, button: HTMLButtonElement): Promise<void> {
    const ok = await confirmInPage(this.confirm, `Remove device ${d.name} (${d.address})?`, "Remove device");
    if (!ok) return;
    button.disabled = true;
    try {
      await api.removeDevice(d.id);
      this.deps.changed();
    } catch (err) {
      button.disabled = false;
      this.deps.showError(toApiError(err));
    }
  }
}
