// The device page's custom items: the OIDs polled on this device (its own,
// and its template's) as series of their own, each with its newest value;
// a small form adds one, Remove drops a device's own (a template's item is
// removed where it was added: `meridian items remove`). A section of its
// own, so the identity block above it stays someone else's to change.
import type { DeviceItemValue, ItemKind } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { busy, clearFieldErrors, formValue, showApiError } from "./formdom";
import { formatAgo, formatValue } from "./format";
import { draw, html, type TemplateResult } from "./html";

/** The form's fields, in order, for field errors and focus. */
export const ITEM_FIELDS = ["name", "oid", "unit", "kind", "intervalSecs"] as const;

const KINDS: ReadonlyArray<[ItemKind, string]> = [
  ["gauge", "Gauge"],
  ["counter32", "Counter (32-bit)"],
  ["counter64", "Counter (64-bit)"],
];

/** The items as a table: name, OID, newest value, where it comes from. */
export function itemsTable(items: readonly DeviceItemValue[], nowMs: number): TemplateResult {
  if (items.length === 0) {
    return html`<p class="muted">No custom items. Add an OID below to poll it as a series a rule can watch.</p>`;
  }
  const rows = items.map((v) => {
    const unit = v.item.kind === "gauge" ? v.item.unit : `${v.item.unit}/s`;
    return html`<tr>
      <td>${v.item.name}</td>
      <td class="mono">${v.item.oid}</td>
      <td class="num">${formatValue(v.value, unit)}</td>
      <td class="muted">${formatAgo(v.at, nowMs)}</td>
      <td>${v.inherited ? html`<span class="muted">template</span>` : html`<button type="button" class="small" data-item-remove=${v.id}>Remove</button>`}</td>
    </tr>`;
  });
  return html`<table class="dp-items-table">
    <thead><tr><th>Name</th><th>OID</th><th>Latest</th><th>At</th><th></th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function itemForm(): TemplateResult {
  const err = (f: string): TemplateResult => html`<span class="field-error" data-error-for=${f}></span>`;
  return html`<form id="dp-item-form" class="dp-item-form" novalidate>
    <label>Name <input name="name" required placeholder="inlet_temp" autocomplete="off" />${err("name")}</label>
    <label>OID <input name="oid" required placeholder=".1.3.6.1.4.1.…" autocomplete="off" />${err("oid")}</label>
    <label>Unit <input name="unit" placeholder="celsius" autocomplete="off" />${err("unit")}</label>
    <label>Kind <select name="kind">${KINDS.map(([k, label]) => html`<option value=${k}>${label}</option>`)}</select>${err("kind")}</label>
    <label>Every (s) <input name="intervalSecs" type="number" min="1" max="86400" value="60" />${err("intervalSecs")}</label>
    <button type="submit" class="small">Add item</button>
    <span class="field-error" data-error-for=""></span>
  </form>`;
}

export class DeviceItems {
  private device: string | null = null;
  private items: DeviceItemValue[] = [];
  private readonly list = document.createElement("div");
  private readonly form: HTMLFormElement;

  constructor(host: HTMLElement) {
    draw(host, html`<h3 id="dp-items-title">Custom items</h3>`);
    host.append(this.list);
    const holder = document.createElement("div");
    draw(holder, itemForm());
    const form = holder.querySelector("form");
    if (form === null) throw new Error("the item form did not render");
    this.form = form;
    host.append(form);
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.add();
    });
    this.list.addEventListener("click", (e) => {
      const b = e.target instanceof Element ? e.target.closest<HTMLButtonElement>("button[data-item-remove]") : null;
      const id = b?.dataset["itemRemove"];
      if (id !== undefined) void this.remove(id);
    });
  }

  /** Shows `device`'s items (null: the page closed). */
  async load(device: string | null): Promise<void> {
    if (device !== this.device) clearFieldErrors(this.form);
    this.device = device;
    if (device === null) return;
    try {
      const items = await api.deviceItems(device);
      if (device !== this.device) return;
      this.items = items;
      draw(this.list, itemsTable(this.items, Date.now()));
    } catch (err) {
      draw(this.list, html`<p class="error">Cannot list the items: ${toApiError(err).detail}</p>`);
    }
  }

  private async add(): Promise<void> {
    const device = this.device;
    if (device === null) return;
    const interval = Number.parseInt(formValue(this.form, "intervalSecs"), 10);
    const input = {
      device,
      template: null,
      name: formValue(this.form, "name").trim(),
      oid: formValue(this.form, "oid").trim(),
      unit: formValue(this.form, "unit").trim(),
      scale: null,
      kind: formValue(this.form, "kind") as ItemKind,
      // Out of range on purpose when not a number: the service names the field.
      intervalSecs: Number.isNaN(interval) ? 0 : interval,
      description: "",
    };
    try {
      await busy(this.form, () => api.addItem(input));
      clearFieldErrors(this.form);
      this.form.reset();
      await this.load(device);
    } catch (err) {
      showApiError(this.form, toApiError(err), ITEM_FIELDS);
    }
  }

  private async remove(id: string): Promise<void> {
    try {
      await api.removeItem(id);
    } catch (err) {
      draw(this.list, html`<p class="error">Cannot remove the item: ${toApiError(err).detail}</p>`);
      return;
    }
    await this.load(this.device);
  }
}
