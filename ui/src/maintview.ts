// The Maintenance screen (issue 13, item 7): the stored windows with
// enable/disable, edit and remove (asked in the page), and the add/edit form
// with every field error at once. The form shows only the boxes of the
// schedule kind chosen. Errors the form can see (dates, HH:MM, minutes) are
// shown with the service's own; maintform.ts maps the service's names.
import type { Day, MaintenanceView } from "./generated/bindings";
import { api } from "./api";
import { toApiError } from "./apierror";
import { watchFieldErrors } from "./fieldwatch";
import { busy, clearFieldErrors, confirmInPage, element, formChecked, formValue, setFormValue, showApiError } from "./formdom";
import { formMode, listAction, listWrite, scopeFields } from "./listscreen";
import { draw, nothing } from "./html";
import { validationError } from "./inventory";
import { dayBoxes, windowsTable } from "./maintlist";
import { MAINT_FIELDS, maintFormErrors, maintValuesOf, parseMaintForm, type MaintFormValues, type ScheduleKind } from "./maintform";

export class MaintenanceScreen {
  private readonly form = element<HTMLFormElement>("maint-form");
  private readonly list = element("maint-body");
  private readonly listError = element("maint-error");
  private readonly cancel = element<HTMLButtonElement>("maint-cancel");
  private readonly confirm = element<HTMLDialogElement>("confirm-dialog");
  private windows: MaintenanceView[] = [];
  private editing: MaintenanceView | null = null;
  private loaded = false;

  constructor() {
    draw(element("maint-days"), dayBoxes());
    draw(element("maint-scope-fields"), scopeFields("m"));
    watchFieldErrors(this.form);
    for (const group of ["scope", "days"]) {
      this.form.querySelector(`.maint-${group}`)?.addEventListener("input", () => {
        const slot = this.form.querySelector(`[data-error-for="${group}"]`);
        if (slot !== null) slot.textContent = "";
      });
    }
    this.form.addEventListener("change", (e) => {
      if (e.target instanceof HTMLSelectElement && e.target.name === "kind") this.showKind();
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.cancel.addEventListener("click", () => this.reset());
    this.list.addEventListener("click", (e) => this.onListClick(e));
    this.showKind();
  }

  /** Loads the windows each time the screen shows, so "open now" is current. */
  async show(): Promise<void> {
    await this.load();
  }

  /** Reloads on `maintenanceChanged` once loaded (a CLI edit, another desktop). */
  onMaintenanceChanged(): void {
    if (this.loaded) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.windows = await api.listMaintenance();
      this.loaded = true;
      draw(this.listError, nothing);
      draw(this.list, windowsTable(this.windows));
    } catch (err) {
      draw(this.listError, toApiError(err).detail);
    }
  }

  private kind(): ScheduleKind {
    const k = formValue(this.form, "kind");
    return k === "weekly" || k === "cron" ? k : "once";
  }

  /** Only the chosen kind's boxes are shown (and sent). */
  private showKind(): void {
    const k = this.kind();
    for (const el of this.form.querySelectorAll<HTMLElement>("[data-kind]")) {
      el.hidden = !(el.dataset["kind"] ?? "").split(" ").includes(k);
    }
  }

  private values(): MaintFormValues {
    const v = (n: string): string => formValue(this.form, n);
    const days = [...this.form.querySelectorAll<HTMLInputElement>("input[name=days]:checked")].map((b) => b.value as Day);
    return {
      name: v("name"),
      comment: v("comment"),
      enabled: formChecked(this.form, "enabled"),
      kind: this.kind(),
      onceStart: v("onceStart"),
      onceEnd: v("onceEnd"),
      days,
      weeklyStart: v("weeklyStart"),
      cronExpr: v("cronExpr"),
      minutes: v("minutes"),
      scopeAll: formChecked(this.form, "scopeAll"),
      devices: v("devices"),
      tags: v("tags"),
      sites: v("sites"),
      kinds: v("kinds"),
      templates: v("templates"),
    };
  }

  private fill(v: MaintFormValues): void {
    for (const k of ["name", "comment", "kind", "onceStart", "onceEnd", "weeklyStart", "cronExpr", "minutes", "devices", "tags", "sites", "kinds", "templates"] as const) {
      setFormValue(this.form, k, v[k]);
    }
    for (const b of this.form.querySelectorAll<HTMLInputElement>("input[name=days]")) b.checked = v.days.includes(b.value as Day);
    for (const [n, on] of [["scopeAll", v.scopeAll], ["enabled", v.enabled]] as const) {
      const el = this.form.elements.namedItem(n);
      if (el instanceof HTMLInputElement) el.checked = on;
    }
    this.showKind();
  }

  private async submit(): Promise<void> {
    await busy(this.form, async () => {
      const kind = this.kind();
      const parsed = parseMaintForm(this.values());
      if (parsed.errors.length > 0) {
        showApiError(this.form, maintFormErrors(validationError([]), kind, parsed.errors), MAINT_FIELDS);
        return;
      }
      const before = this.editing;
      try {
        await api.putMaintenance(parsed.window);
        // Windows are keyed by name: a renamed one is new, so drop the old.
        if (before !== null && before.window.name !== parsed.window.name) await api.removeMaintenance(before.id);
      } catch (err) {
        showApiError(this.form, maintFormErrors(toApiError(err), kind), MAINT_FIELDS);
        return;
      }
      this.reset();
      await this.load();
    });
  }

  private reset(): void {
    this.editing = null;
    this.form.reset();
    clearFieldErrors(this.form);
    this.showKind();
    formMode("maint", "maintenance window", null);
  }

  private edit(v: MaintenanceView): void {
    this.reset();
    this.editing = v;
    this.fill(maintValuesOf(v.window));
    formMode("maint", "maintenance window", v.window.name);
    this.form.scrollIntoView({ block: "nearest" });
    this.form.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }

  private onListClick(e: MouseEvent): void {
    const t = listAction(e);
    const v = this.windows.find((w) => w.id === t?.id);
    if (t === null || v === undefined) return;
    switch (t.action) {
      case "edit-window":
        this.edit(v);
        break;
      case "toggle-window":
        void this.write(() => api.putMaintenance({ ...v.window, enabled: !v.window.enabled }));
        break;
      case "remove-window":
        void this.remove(v);
        break;
    }
  }

  private async remove(v: MaintenanceView): Promise<void> {
    const ok = await confirmInPage(
      this.confirm,
      `Remove maintenance window ${v.window.name}? Alarms it holds are notified if their condition remains.`,
      "Remove window",
    );
    if (!ok) return;
    await this.write(() => api.removeMaintenance(v.id));
    if (this.editing?.id === v.id) this.reset();
  }

  private async write(action: () => Promise<unknown>): Promise<boolean> {
    return listWrite(this.listError, action, () => this.load());
  }
}
