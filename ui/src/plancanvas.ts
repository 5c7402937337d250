// The Leaflet side of a floor plan: a map in CRS.Simple (one unit = one
// image pixel at zoom 0), the image as an overlay from a data: URL, and one
// draggable marker per placed device, coloured like the world map's markers.
// planview.ts decides what is shown and saves what the user does.
import L from "leaflet";
import type { DeviceId, FloorPlan } from "./generated/bindings";
import type { Placed } from "./floorplan";
import { pixelToLatLng, planBounds, planDataUrl } from "./floorplan";
import type { MarkerStyle } from "./status";
import { spreadNearby } from "./spread";
import { html, toElement } from "./html";

/** A plan as shown: the image and its size (`updatedAt` is not needed to draw it). */
export type ShownPlan = Omit<FloorPlan, "updatedAt">;

export interface PlanCallbacks {
  /** A marker was dragged to `at`. */
  moved(id: DeviceId, at: L.LatLng): void;
  /** The plan was clicked at `at` (to place the armed device). */
  clicked(at: L.LatLng): void;
  /** The device's popup, with a `data-action=unplace` button. */
  popup(id: DeviceId): HTMLElement;
  unplace(id: DeviceId): void;
  /** How the device's marker looks now. */
  style(id: DeviceId): MarkerStyle;
}

export class PlanCanvas {
  private map: L.Map | null = null;
  private overlay: L.ImageOverlay | null = null;
  private readonly markers = new Map<DeviceId, L.Marker>();
  private shown: ShownPlan | null = null;
  /** The last placements synced, so a zoom can fan them out again. */
  private placed: readonly Placed[] = [];

  constructor(
    private readonly el: HTMLElement,
    private readonly cb: PlanCallbacks,
  ) {
    new ResizeObserver(() => this.map?.invalidateSize()).observe(el);
  }

  get plan(): ShownPlan | null {
    return this.shown;
  }

  /** Shows the image (none: an empty canvas) and frames it; markers are cleared. */
  show(plan: ShownPlan | null): void {
    this.shown = plan;
    this.overlay?.remove();
    this.overlay = null;
    for (const m of this.markers.values()) m.remove();
    this.markers.clear();
    if (plan === null) return;
    const map = this.ensureMap();
    map.invalidateSize();
    const bounds = L.latLngBounds(planBounds(plan.width, plan.height));
    this.overlay = L.imageOverlay(planDataUrl(plan.mime, plan.data), bounds).addTo(map);
    map.setMaxBounds(bounds.pad(0.5));
    map.fitBounds(bounds, { animate: false });
  }

  /** Brings the markers in line with the placed devices. */
  sync(placed: readonly Placed[]): void {
    this.placed = placed;
    const keep = new Set<DeviceId>();
    // Devices placed on (nearly) the same spot fan out round it at this zoom, so none hides another.
    const scale = this.map === null ? 1 : 2 ** this.map.getZoom();
    const fan = spreadNearby(placed.map((p) => ({ id: p.device.id, x: p.x * scale, y: p.y * scale })));
    for (const p of placed) {
      keep.add(p.device.id);
      const o = fan.get(p.device.id);
      this.put(o === undefined ? p : { ...p, x: p.x + o[0] / scale, y: p.y + o[1] / scale });
    }
    for (const [id, m] of this.markers) {
      if (keep.has(id)) continue;
      m.remove();
      this.markers.delete(id);
    }
  }

  /** Recolours a device's marker; false when it has none. */
  repaint(id: DeviceId): boolean {
    const m = this.markers.get(id);
    if (m === undefined) return false;
    this.paint(m, id);
    return true;
  }

  /** Puts a marker back at a pixel position (a refused move). */
  moveTo(id: DeviceId, x: number, y: number): void {
    if (this.shown !== null) this.markers.get(id)?.setLatLng(pixelToLatLng(x, y, this.shown.height));
  }

  /** The map position under a viewport point (a drop), or null before any plan was shown. */
  latLngAt(clientX: number, clientY: number): L.LatLng | null {
    if (this.map === null) return null;
    const r = this.el.getBoundingClientRect();
    return this.map.containerPointToLatLng(L.point(clientX - r.left, clientY - r.top));
  }

  private ensureMap(): L.Map {
    if (this.map !== null) return this.map;
    const map = L.map(this.el, { crs: L.CRS.Simple, minZoom: -6, maxZoom: 4, zoomSnap: 0.25, attributionControl: false });
    map.on("click", (e: L.LeafletMouseEvent) => this.cb.clicked(e.latlng));
    map.on("zoomend", () => this.sync(this.placed));
    this.map = map;
    return map;
  }

  private put(p: Placed): void {
    const map = this.map;
    if (map === null || this.shown === null) return;
    const at = pixelToLatLng(p.x, p.y, this.shown.height);
    const id = p.device.id;
    const existing = this.markers.get(id);
    if (existing !== undefined) {
      existing.setLatLng(at);
      if (existing.getTooltip()?.getContent() instanceof HTMLElement && (existing.getTooltip()?.getContent() as HTMLElement).textContent !== p.device.name)
        existing.setTooltipContent(toElement(html`${p.device.name}`, "span"));
      this.paint(existing, id);
      return;
    }
    const icon = L.divIcon({ className: "plan-device", iconSize: [18, 18] });
    const m = L.marker(at, { icon, draggable: true, title: p.device.name, keyboard: true });
    m.bindPopup(() => this.cb.popup(id));
    m.on("popupopen", (e: L.PopupEvent) => {
      e.popup.getElement()?.querySelector("button[data-action=unplace]")?.addEventListener("click", () => {
        m.closePopup();
        this.cb.unplace(id);
      });
    });
    m.on("dragend", () => this.cb.moved(id, m.getLatLng()));
    // The name beside the marker, as text (an element, never markup).
    m.bindTooltip(toElement(html`${p.device.name}`, "span"), { permanent: true, direction: "right", offset: [10, 0], className: "plan-label" });
    m.addTo(map);
    this.markers.set(id, m);
    this.paint(m, id);
  }

  /** CSSOM, not a style attribute: the CSP forbids those. */
  private paint(m: L.Marker, id: DeviceId): void {
    const el = m.getElement();
    if (el === undefined) return;
    const s = this.cb.style(id);
    el.style.backgroundColor = s.fillColor;
    el.style.borderColor = s.color;
    el.style.borderWidth = `${s.weight}px`;
  }
}
