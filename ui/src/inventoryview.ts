// The Devices tab: the devices table (devicetable.ts) with its context menu
// and bulk edit, the add form, the edit dialog, the sites and credentials
// sections, and one in-page confirmation dialog for every removal. main.ts
// owns the model; this asks it for devices and tells it when the inventory
// was written so it reloads.
import type { ApiError, CredentialSummary, Device, DeviceId, DeviceLive, Severity, Site } from "./generated/bindings";
import { CredentialsPanel, credentialOptions } from "./credentials";
import { CredentialDialog } from "./credentialedit";
import { draw } from "./html";
import { DeviceEditor, emptyPatch, kindOptions } from "./deviceedit";
import { api } from "./api";
import { toApiError } from "./apierror";
import { BulkEditDialog } from "./bulkdialog";
import { DiagDialog } from "./diagdialog";
import { DeviceTable } from "./devicetable";
import { watchFieldErrors } from "./fieldwatch";
import { busy, clearFieldErrors, confirmInPage, element, formChecked, formValue, showApiError } from "./formdom";
import { DEVICE_ADD_FIELDS, deviceInputFromForm, validationError } from "./inventory";
import { SitesPanel, siteOptions } from "./siteforms";
import { ImportPanel } from "./importcsv";

export interface InventoryDeps {
  devices: () => ReadonlyMap<DeviceId, Device>;
  live: () => ReadonlyMap<DeviceId, DeviceLive>;
  worst: () => ReadonlyMap<DeviceId, Severity>;
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
  private readonly bulk: BulkEditDialog;
  private readonly diag = new DiagDialog(api);
  private siteList: readonly Site[] = [];
  readonly table: DeviceTable;

  constructor(private readonly deps: InventoryDeps) {
    const credDialog = new CredentialDialog(
      element<HTMLDialogElement>("credential-dialog"),
      element<HTMLFormElement>("credential-form"),
      () => this.credentials.reload().then(deps.changed),
    );
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
      () => deps.devices().values(),
      (action, c, users) => {
        const all = [...deps.devices().values()]
          .map((d) => ({ id: d.id, name: d.name }))
          .sort((a, b) => a.name.localeCompare(b.name));
        credDialog.open(action, c, all, users[0]?.id ?? null);
      },
    );
    this.editor = new DeviceEditor(
      element<HTMLDialogElement>("device-edit-dialog"),
      () => this.credentials.list,
      () => this.siteList,
      deps.changed,
    );
    this.bulk = new BulkEditDialog(
      () => this.siteList,
      () => this.credentials.list,
      (id, patch) => api.updateDevice(id, patch),
      deps.changed,
    );
    this.table = new DeviceTable(element("devices-body"), {
      live: deps.live,
      worst: deps.worst,
      open: (d) => {
        window.location.hash = `#/device/${encodeURIComponent(d.id)}`;
      },
      edit: (d) => this.editor.open(d),
      remove: (d) => void this.removeDevice(d),
      setEnabled: (d, on) => void this.setEnabled(d, on),
      bulkEdit: (ds) => this.bulk.open(ds),
      ping: (d) => void this.diag.ping(d),
      walk: (d) => void this.diag.walk(d),
    });
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
    watchFieldErrors(this.addForm);
    new ImportPanel(
      element<HTMLInputElement>("import-file"),
      element<HTMLButtonElement>("import-run"),
      element("import-report"),
      deps.changed,
    );
    const kind = this.addForm.elements.namedItem("kind");
    if (kind instanceof HTMLSelectElement) draw(kind, kindOptions("unknown"));
  }

  setSites(sites: readonly Site[]): void {
    this.siteList = sites;
    this.sites.setSites(sites);
    const picker = this.addForm.elements.namedItem("site");
    if (picker instanceof HTMLSelectElement) draw(picker, siteOptions(sites, picker.value));
  }

  /** The devices changed: the credentials list shows who uses what again. */
  devicesChanged(): void {
    this.credentials.redraw();
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
      kind: formValue(form, "kind"),
      enabled: formChecked(form, "enabled"),
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

  private async removeDevice(d: Device): Promise<void> {
    const ok = await confirmInPage(this.confirm, `Remove device ${d.name} (${d.address})?`, "Remove device");
    if (!ok) return;
    try {
      await api.removeDevice(d.id);
      this.deps.changed();
    } catch (err) {
      this.deps.showError(toApiError(err));
    }
  }

  /** The devices table's edit dialog, also opened from the device page. */
  editDevice(d: Device): void {
    this.editor.open(d);
  }

  /** Enables or disables monitoring of `d` (the table's menu and the device page). */
  async setEnabled(d: Device, enabled: boolean): Promise<void> {
    try {
      await api.updateDevice(d.id, { ...emptyPatch(), enabled });
      this.deps.changed();
    } catch (err) {
      this.deps.showError(toApiError(err));
    }
  }
}
