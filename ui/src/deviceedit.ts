// Editing a device in a dialog. The form shows the device's current values;
// Save sends a DevicePatch with only the fields that differ, so a concurrent
// edit of another field elsewhere is not overwritten with stale form values.
import type { CredentialSummary, Device, DeviceKind, DevicePatch, FieldError, Site } from "./generated/bindings";
import { credentialOptions } from "./credentials";
import { watchFieldErrors } from "./fieldwatch";
import { siteOptions } from "./siteforms";
import { draw, html, type TemplateResult } from "./html";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, formChecked, formValue, setFormValue, showApiError } from "./formdom";
import { optionalNumber, optionalPort, optionalText, parseTags, validationError } from "./inventory";
import type { DeviceFormValues } from "./inventory";

// A record, so the compiler fails here when Rust adds a kind.
const KINDS: Record<DeviceKind, true> = {
  router: true,
  switch: true,
  firewall: true,
  wireless: true,
  server: true,
  ups: true,
  printer: true,
  camera: true,
  storage: true,
  sensor: true,
  pdu: true,
  chassis: true,
  unknown: true,
};
export const DEVICE_KINDS = Object.keys(KINDS) as DeviceKind[];

/** The dialog's inputs, in the order the first error gets focus. */
export const DEVICE_EDIT_FIELDS = [
  "name",
  "address",
  "site",
  "lat",
  "lon",
  "tags",
  "kind",
  "credential",
  "snmpPort",
  "enabled",
] as const;

/** The port the service uses when a device has none. */
export const DEFAULT_SNMP_PORT = 161;

/** The edit dialog's values: the same fields as the add form. */
export type DeviceEditValues = DeviceFormValues;

export function editValuesFromDevice(d: Device): DeviceEditValues {
  return {
    name: d.name,
    address: d.address,
    site: d.siteName ?? "",
    lat: d.lat === null ? "" : String(d.lat),
    lon: d.lon === null ? "" : String(d.lon),
    tags: d.tags.join(", "),
    kind: d.kind,
    credential: d.credentialName ?? "",
    snmpPort: d.snmpPort === null ? "" : String(d.snmpPort),
    enabled: d.enabled,
  };
}

export function emptyPatch(): DevicePatch {
  return {
    name: null,
    address: null,
    kind: null,
    vendor: null,
    model: null,
    os: null,
    site: null,
    lat: null,
    lon: null,
    clearLocation: false,
    tags: null,
    credential: null,
    snmpPort: null,
    enabled: null,
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The patch from `d` to the form's values, naming what changed (empty: nothing
 * to send), or the fields that are not even numbers.
 *
 * The service's patch semantics shape three cases: an emptied site or
 * credential is sent as "" (which clears it); a location is sent as both
 * halves whenever either changes (the service merges per field, so one half
 * alone would pair with the old other half), and emptied as `clearLocation`;
 * an emptied port cannot be sent as "none", so it is sent as 161, which is
 * what "none" means.
 */
export function devicePatchFromForm(
  d: Device,
  v: DeviceEditValues,
): { patch: DevicePatch; changed: string[] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lat = optionalNumber("lat", v.lat, errors);
  const lon = optionalNumber("lon", v.lon, errors);
  const port = optionalPort("snmpPort", v.snmpPort, errors);
  if (errors.length > 0) return { errors };

  const patch = emptyPatch();
  const changed: string[] = [];
  const name = v.name.trim();
  if (name !== d.name) {
    patch.name = name;
    changed.push("name");
  }
  const address = v.address.trim();
  if (address !== d.address) {
    patch.address = address;
    changed.push("address");
  }
  const site = optionalText(v.site) ?? "";
  if (site !== (d.siteName ?? "")) {
    patch.site = site;
    changed.push("site");
  }
  if (lat !== d.lat || lon !== d.lon) {
    if (lat === null && lon === null) patch.clearLocation = true;
    else {
      patch.lat = lat;
      patch.lon = lon;
    }
    changed.push("location");
  }
  const tags = parseTags(v.tags);
  if (!sameList(tags, d.tags)) {
    patch.tags = tags;
    changed.push("tags");
  }
  if (v.kind !== d.kind) {
    patch.kind = v.kind;
    changed.push("kind");
  }
  if (v.credential !== (d.credentialName ?? "")) {
    patch.credential = v.credential;
    changed.push("credential");
  }
  if (port !== d.snmpPort && !(port === null && d.snmpPort === DEFAULT_SNMP_PORT)) {
    patch.snmpPort = port ?? DEFAULT_SNMP_PORT;
    changed.push("snmpPort");
  }
  if (v.enabled !== d.enabled) {
    patch.enabled = v.enabled;
    changed.push("enabled");
  }
  return { patch, changed };
}

/** The kinds; with `blank`, a first "" option that leaves the kind to the service (the add form). */
export function kindOptions(blank?: string): TemplateResult {
  return html`${blank === undefined ? "" : html`<option value="">${blank}</option>`}${DEVICE_KINDS.map(
    (k) => html`<option value=${k}>${k}</option>`,
  )}`;
}

/** The edit dialog: open(device), Save sends the patch, Escape or Cancel closes. */
export class DeviceEditor {
  private device: Device | null = null;
  private returnFocus: HTMLElement | null = null;
  private readonly form: HTMLFormElement;

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly credentials: () => readonly CredentialSummary[],
    private readonly sites: () => readonly Site[],
    /** The device was written: reload the inventory. */
    private readonly changed: () => void,
  ) {
    const form = dialog.querySelector("form");
    if (form === null) throw new Error("the device dialog lacks its form");
    this.form = form;
    const kind = form.elements.namedItem("kind");
    if (kind instanceof HTMLSelectElement) draw(kind, kindOptions());
    watchFieldErrors(form);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.save();
    });
    form.querySelector("button[data-action=cancel]")?.addEventListener("click", () => dialog.close());
    // Escape fires `cancel` and closes natively; forget the device either way.
    dialog.addEventListener("close", () => {
      this.device = null;
      clearFieldErrors(form);
      // The row's Edit button, unless a reload has replaced the table meanwhile.
      if (this.returnFocus?.isConnected) this.returnFocus.focus();
      this.returnFocus = null;
    });
  }

  open(d: Device): void {
    if (this.dialog.open) return;
    this.device = d;
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const v = editValuesFromDevice(d);
    const picker = this.form.elements.namedItem("credential");
    if (picker instanceof HTMLSelectElement) draw(picker, credentialOptions(this.credentials(), v.credential));
    const site = this.form.elements.namedItem("site");
    if (site instanceof HTMLSelectElement) draw(site, siteOptions(this.sites(), v.site));
    for (const f of DEVICE_EDIT_FIELDS) if (f !== "enabled") setFormValue(this.form, f, v[f]);
    const enabled = this.form.elements.namedItem("enabled");
    if (enabled instanceof HTMLInputElement) enabled.checked = v.enabled;
    const title = this.dialog.querySelector("[data-device-name]");
    if (title !== null) title.textContent = d.name;
    clearFieldErrors(this.form);
    this.dialog.showModal();
    this.form.querySelector<HTMLInputElement>("input")?.focus();
  }

  /** The credential list changed while the dialog is open: keep the selection. */
  refreshCredentials(): void {
    const picker = this.form.elements.namedItem("credential");
    if (this.dialog.open && picker instanceof HTMLSelectElement) {
      draw(picker, credentialOptions(this.credentials(), picker.value));
    }
  }

  private async save(): Promise<void> {
    const d = this.device;
    if (d === null) return;
    const f = this.form;
    const parsed = devicePatchFromForm(d, {
      name: formValue(f, "name"),
      address: formValue(f, "address"),
      site: formValue(f, "site"),
      lat: formValue(f, "lat"),
      lon: formValue(f, "lon"),
      tags: formValue(f, "tags"),
      kind: formValue(f, "kind"),
      credential: formValue(f, "credential"),
      snmpPort: formValue(f, "snmpPort"),
      enabled: formChecked(f, "enabled"),
    });
    if ("errors" in parsed) {
      showApiError(f, validationError(parsed.errors), DEVICE_EDIT_FIELDS);
      return;
    }
    if (parsed.changed.length > 0) {
      try {
        await busy(f, () => api.updateDevice(d.id, parsed.patch));
      } catch (err) {
        showApiError(f, toApiError(err), DEVICE_EDIT_FIELDS);
        return;
      }
      this.changed();
    }
    this.dialog.close();
  }
}
