// Sites: the list, and one form that adds a site or, after Edit, saves it.
// Removing a site keeps its devices; the store leaves them without a site.
import type { FieldError, Site, SiteInput } from "./generated/bindings";
import { draw, html, type TemplateResult } from "./html";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, confirmInPage, formValue, setFormValue, showApiError } from "./formdom";
import { optionalNumber, validationError } from "./inventory";

export interface SiteFormValues {
  name: string;
  lat: string;
  lon: string;
}

export const SITE_FIELDS = ["name", "lat", "lon"] as const;

export function siteInputFromForm(v: SiteFormValues): { input: SiteInput } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const lat = optionalNumber("lat", v.lat, errors);
  const lon = optionalNumber("lon", v.lon, errors);
  if (errors.length > 0) return { errors };
  return { input: { name: v.name.trim(), lat, lon } };
}

export function siteFormValues(s: Site): SiteFormValues {
  return { name: s.name, lat: s.lat === null ? "" : String(s.lat), lon: s.lon === null ? "" : String(s.lon) };
}

export function siteRemoveMessage(s: Site): string {
  const n = s.deviceCount;
  const devices =
    n === 0 ? "It has no devices." : `Its ${n} device${n === 1 ? "" : "s"} will stay, without a site.`;
  return `Remove site ${s.name}? ${devices}`;
}

export const NO_SITES = html`<p class="empty muted">No sites yet.</p>`;

export function sitesTable(sites: readonly Site[]): TemplateResult {
  if (sites.length === 0) return NO_SITES;
  const rows = [...sites]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => {
      const where = s.lat === null || s.lon === null ? html`<span class="muted">—</span>` : `${s.lat}, ${s.lon}`;
      return html`<tr data-id=${s.id}>
        <td class="name">${s.name}</td>
        <td>${where}</td>
        <td>${s.deviceCount}</td>
        <td class="row-actions">
          <button type="button" class="small" data-action="edit-site" data-id=${s.id} aria-label="Edit site ${s.name}">Edit</button>
          <button type="button" class="small" data-action="remove-site" data-id=${s.id} aria-label="Remove site ${s.name}">Remove</button>
        </td>
      </tr>`;
    });
  return html`<table class="inventory sites">
    <thead><tr><th>Name</th><th>Location</th><th>Devices</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

export interface SitesElements {
  form: HTMLFormElement;
  submit: HTMLButtonElement;
  cancel: HTMLButtonElement;
  list: HTMLElement;
  error: HTMLElement;
  confirm: HTMLDialogElement;
}

export class SitesPanel {
  private sites: Site[] = [];
  private editing: Site | null = null;

  constructor(
    private readonly els: SitesElements,
    /** Sites were written here: reload the inventory. */
    private readonly changed: () => void,
  ) {
    els.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    els.cancel.addEventListener("click", () => this.stopEditing());
    els.form.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.editing !== null) this.stopEditing();
    });
    els.list.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest("button[data-action]") : null;
      if (!(b instanceof HTMLButtonElement)) return;
      const site = this.sites.find((s) => s.id === b.dataset["id"]);
      if (site === undefined) return;
      if (b.dataset["action"] === "edit-site") this.edit(site);
      else if (b.dataset["action"] === "remove-site") void this.remove(site);
    });
  }

  setSites(sites: readonly Site[]): void {
    this.sites = [...sites];
    draw(this.els.list, sitesTable(sites));
    // The site being edited was removed elsewhere: the form goes back to adding.
    if (this.editing !== null && !sites.some((s) => s.id === this.editing?.id)) this.stopEditing();
  }

  private edit(site: Site): void {
    this.editing = site;
    const v = siteFormValues(site);
    for (const f of SITE_FIELDS) setFormValue(this.els.form, f, v[f]);
    clearFieldErrors(this.els.form);
    this.els.form.setAttribute("aria-label", `Edit site ${site.name}`);
    this.els.submit.textContent = "Save site";
    this.els.cancel.hidden = false;
    this.els.form.querySelector<HTMLInputElement>("input")?.focus();
  }

  private stopEditing(): void {
    this.editing = null;
    this.els.form.reset();
    clearFieldErrors(this.els.form);
    this.els.form.setAttribute("aria-label", "Add a site");
    this.els.submit.textContent = "Add site";
    this.els.cancel.hidden = true;
  }

  private async submit(): Promise<void> {
    const form = this.els.form;
    const parsed = siteInputFromForm({
      name: formValue(form, "name"),
      lat: formValue(form, "lat"),
      lon: formValue(form, "lon"),
    });
    if ("errors" in parsed) {
      showApiError(form, validationError(parsed.errors), SITE_FIELDS);
      return;
    }
    const editing = this.editing;
    try {
      await busy(form, () =>
        editing === null
          ? api.addSite(parsed.input)
          : api.updateSite(editing.id, parsed.input),
      );
    } catch (err) {
      showApiError(form, toApiError(err), SITE_FIELDS);
      return;
    }
    this.stopEditing();
    this.changed();
    form.querySelector<HTMLInputElement>("input")?.focus();
  }

  private async remove(site: Site): Promise<void> {
    if (!(await confirmInPage(this.els.confirm, siteRemoveMessage(site), "Remove site"))) return;
    try {
      await api.removeSite(site.id);
      this.els.error.textContent = "";
      if (this.editing?.id === site.id) this.stopEditing();
      this.changed();
    } catch (err) {
      const e = toApiError(err);
      this.els.error.textContent = e.detail === "" ? e.kind : e.detail;
    }
  }
}
