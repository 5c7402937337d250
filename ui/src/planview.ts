// The map pane's floor-plan view: a selector switches the pane between the
// world map and one site's plan (plancanvas.ts draws it). The site's placed
// devices are draggable markers; the side list holds its other devices,
// which can be dragged onto the plan (HTML5 drag and drop) or clicked and
// then placed with a click (keyboard: Enter, then a click). The image is
// uploaded, replaced or removed here. Every change goes through the
// service, which checks it; its errors show in the pane's bar.
import { api } from "./api";
import type L from "leaflet";
import type { DeviceId, FloorPlan, PlanPosition, Severity, SiteId } from "./generated/bindings";
import { toApiError } from "./apierror";
import * as fp from "./floorplan";
import type { DeviceMap } from "./map";
import { deviceStyle } from "./mapstyle";
import type { Model } from "./model";
import { PlanCanvas } from "./plancanvas";
import { popup } from "./render";
import { draw, html, toElement } from "./html";

/** The drag payload type, so drops of anything else (files, text) are ignored. */
const DRAG_TYPE = "application/x-meridian-device";

export interface PlanElements {
  select: HTMLSelectElement;
  tools: HTMLElement;
  file: HTMLInputElement;
  remove: HTMLButtonElement;
  error: HTMLElement;
  world: HTMLElement;
  area: HTMLElement;
  plan: HTMLElement;
  empty: HTMLElement;
  unplaced: HTMLElement;
}

function message(err: unknown): string {
  const e = toApiError(err);
  return e.fields.length > 0 ? e.fields.map((f) => f.message).join("; ") : e.detail;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => (typeof r.result === "string" ? resolve(r.result) : reject(new Error("the file could not be read")));
    r.onerror = () => reject(r.error ?? new Error("the file could not be read"));
    r.readAsDataURL(file);
  });
}

export class FloorPlanView {
  private readonly canvas: PlanCanvas;
  private site: SiteId | null = null;
  private positions: PlanPosition[] = [];
  private model: Model | null = null;
  private worst: ReadonlyMap<DeviceId, Severity> = new Map();
  /** The list item picked last: the next click on the plan places it. */
  private armed: DeviceId | null = null;
  /** Bumped on every selection: answers for an older one are dropped. */
  private seq = 0;

  constructor(
    private readonly els: PlanElements,
    private readonly world: DeviceMap,
  ) {
    this.canvas = new PlanCanvas(els.plan, {
      moved: (id, at) => this.placeAt(id, at),
      clicked: (at) => {
        if (this.armed !== null) this.placeAt(this.armed, at);
      },
      popup: (id) => this.popup(id),
      unplace: (id) => void this.unplace(id),
      style: (id) => deviceStyle(this.model?.live.get(id)?.state, this.worst.get(id)),
    });
    els.select.addEventListener("change", () => void this.select(els.select.value === "" ? null : els.select.value));
    els.file.addEventListener("change", () => void this.upload());
    els.remove.addEventListener("click", () => this.removePlan());
    els.unplaced.addEventListener("dragstart", (e) => {
      const id = e.target instanceof HTMLElement ? e.target.dataset["id"] : undefined;
      if (id === undefined || e.dataTransfer === null) return;
      e.dataTransfer.setData(DRAG_TYPE, id);
      e.dataTransfer.setData("text/plain", id);
      e.dataTransfer.effectAllowed = "move";
    });
    els.unplaced.addEventListener("click", (e) => this.arm(e.target));
    els.unplaced.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        this.arm(e.target);
      } else if (e.key === "Escape") this.arm(null);
    });
    els.plan.addEventListener("dragover", (e) => {
      if (this.canvas.plan === null || !(e.dataTransfer?.types.includes(DRAG_TYPE) ?? false)) return;
      e.preventDefault();
      if (e.dataTransfer !== null) e.dataTransfer.dropEffect = "move";
    });
    els.plan.addEventListener("drop", (e) => {
      const id = e.dataTransfer?.getData(DRAG_TYPE) ?? "";
      const at = id === "" ? null : this.canvas.latLngAt(e.clientX, e.clientY);
      if (at === null) return;
      e.preventDefault();
      this.placeAt(id, at);
    });
  }

  /** Devices or sites changed: the selector follows, and the shown plan's placements are read again. */
  setDevices(model: Model, worst: ReadonlyMap<DeviceId, Severity>): void {
    this.model = model;
    this.worst = worst;
    const site = this.site === null ? undefined : model.sites.get(this.site);
    draw(this.els.select, fp.viewOptions(model.sites.values(), site?.id ?? null));
    if (site === undefined) {
      // The shown site was removed: back to the world map.
      if (this.site !== null) void this.select(null);
      return;
    }
    // Another window may have added or removed the plan; an unchanged plan is not fetched again.
    if (site.hasFloorPlan !== (this.canvas.plan !== null)) void this.select(site.id);
    else void this.loadPositions(site.id, this.seq);
  }

  /** Some devices' state or alarms changed: recolour their markers and list dots. */
  updateDevices(ids: Iterable<DeviceId>, model: Model, worst: ReadonlyMap<DeviceId, Severity>): void {
    this.model = model;
    this.worst = worst;
    if (this.site === null) return;
    let listChanged = false;
    for (const id of ids) {
      if (!this.canvas.repaint(id) && model.devices.get(id)?.siteId === this.site) listChanged = true;
    }
    if (listChanged) this.render();
  }

  private async select(site: SiteId | null): Promise<void> {
    const seq = ++this.seq;
    this.site = site;
    this.armed = null;
    this.els.error.textContent = "";
    this.els.select.value = site ?? "";
    this.els.world.hidden = site !== null;
    this.els.area.hidden = site === null;
    this.els.tools.hidden = site === null;
    // The world map's "not on the map" list means nothing over a plan: the pane hides it (CSS).
    this.els.world.parentElement?.classList.toggle("plan-shown", site !== null);
    this.world.setWorldShown(site === null);
    this.show(null);
    if (site === null) return;
    try {
      const plan = await api.floorPlan(site);
      if (seq !== this.seq) return;
      this.show(plan);
      await this.loadPositions(site, seq);
    } catch (err) {
      if (seq === this.seq) this.els.error.textContent = message(err);
    }
  }

  private show(plan: Omit<FloorPlan, "updatedAt"> | null): void {
    this.canvas.show(plan);
    this.els.empty.hidden = plan !== null || this.site === null;
    this.els.remove.hidden = plan === null;
    if (plan === null) this.positions = [];
    this.render();
  }

  private async loadPositions(site: SiteId, seq: number): Promise<void> {
    if (this.canvas.plan === null) return;
    try {
      const positions = await api.planPositions(site);
      if (seq !== this.seq) return;
      this.positions = positions;
      this.render();
    } catch (err) {
      if (seq === this.seq) this.els.error.textContent = message(err);
    }
  }

  /** Markers for the placed devices, the side list for the others. */
  private render(): void {
    // No plan, no side list: an empty panel beside the upload prompt only takes room.
    const noList = this.model === null || this.site === null || this.canvas.plan === null;
    this.els.unplaced.hidden = noList;
    this.els.area.classList.toggle("no-list", noList);
    if (this.model === null || this.site === null || this.canvas.plan === null) {
      draw(this.els.unplaced, "");
      return;
    }
    const { placed, unplaced } = fp.siteDevices(this.model.devices.values(), this.site, this.positions);
    this.canvas.sync(placed);
    draw(this.els.unplaced, fp.unplacedList(unplaced, this.model.live, this.armed));
    this.els.plan.classList.toggle("placing", this.armed !== null);
  }

  private popup(id: DeviceId): HTMLElement {
    const d = this.model?.devices.get(id);
    if (this.model === null || d === undefined) return toElement(html`<div class="popup">device removed</div>`);
    return toElement(
      html`${popup(d, this.model.live.get(id), this.worst.get(id), Date.now())}
        <button type="button" class="small plan-unplace" data-action="unplace">Remove from plan</button>`,
    );
  }

  private arm(target: EventTarget | null): void {
    const li = target instanceof Element ? target.closest<HTMLElement>("li[data-id]") : null;
    const id = li?.dataset["id"] ?? null;
    this.armed = id === this.armed ? null : id;
    this.render();
  }

  /** Saves a device's spot; a refused move puts the marker back where it was. */
  private placeAt(id: DeviceId, at: L.LatLng): void {
    const plan = this.canvas.plan;
    const site = this.site;
    if (plan === null || site === null) return;
    const [px, py] = fp.latLngToPixel(at.lat, at.lng, plan.height);
    const [x, y] = fp.clampToPlan(px, py, plan.width, plan.height);
    this.armed = null;
    const seq = this.seq;
    api.placeDevice(id, site, x, y)
      .then((p) => {
        if (seq !== this.seq) return;
        this.els.error.textContent = "";
        this.positions = [...this.positions.filter((q) => q.deviceId !== id), p];
        this.render();
      })
      .catch((err: unknown) => {
        if (seq !== this.seq) return;
        this.els.error.textContent = message(err);
        const before = this.positions.find((q) => q.deviceId === id);
        if (before !== undefined) this.canvas.moveTo(id, before.x, before.y);
        this.render();
      });
  }

  private async unplace(id: DeviceId): Promise<void> {
    try {
      await api.unplaceDevice(id);
      this.positions = this.positions.filter((q) => q.deviceId !== id);
      this.render();
    } catch (err) {
      this.els.error.textContent = message(err);
    }
  }

  private async upload(): Promise<void> {
    const file = this.els.file.files?.[0];
    const site = this.site;
    this.els.file.value = "";
    if (file === undefined || site === null) return;
    const refused = fp.checkPlanFile(file.type, file.size);
    if (refused !== null) {
      this.els.error.textContent = refused;
      return;
    }
    try {
      const data = fp.base64FromDataUrl(await readAsDataUrl(file));
      if (data === null) throw new Error("the file could not be read");
      const info = await api.setFloorPlan(site, data);
      if (site !== this.site) return;
      this.els.error.textContent = "";
      this.show({ ...info, data });
      await this.loadPositions(site, this.seq);
    } catch (err) {
      if (site === this.site) this.els.error.textContent = message(err);
    }
  }

  /** Asks once more on the same button (no window.confirm in every WebKit). */
  private removePlan(): void {
    const b = this.els.remove;
    const site = this.site;
    if (site === null) return;
    if (b.dataset["confirm"] !== "1") {
      b.dataset["confirm"] = "1";
      b.textContent = "Confirm: remove plan and placements";
      window.setTimeout(() => {
        delete b.dataset["confirm"];
        b.textContent = "Remove plan";
      }, 4000);
      return;
    }
    delete b.dataset["confirm"];
    b.textContent = "Remove plan";
    api.removeFloorPlan(site)
      .then(() => {
        if (site === this.site) this.show(null);
      })
      .catch((err: unknown) => (this.els.error.textContent = message(err)));
  }
}
