// The pure parts of the floor-plan view (planview.ts draws it): image pixels
// to Leaflet CRS.Simple coordinates and back, which of a site's devices are
// placed, and the HTML of the view selector and the unplaced list. No DOM,
// no Leaflet, so vitest covers it. Markup is lit-html templates (values are text).
import type { Device, DeviceId, DeviceLive, PlanPosition, Site, SiteId } from "./generated/bindings";
import { live as liveProp } from "lit-html/directives/live.js";
import { html, type TemplateResult } from "./html";
import { formatBytes } from "./format";

/** The service's limit; checked here only to fail before reading a huge file. */
export const MAX_PLAN_BYTES = 10 * 1024 * 1024;
export const PLAN_TYPES: readonly string[] = ["image/png", "image/jpeg", "image/webp"];

/**
 * In CRS.Simple one map unit is one image pixel at zoom 0. The image's y
 * grows downwards and latitude upwards, so the image spans lat 0 (its
 * bottom) to `height` (its top), and lng 0 to `width`.
 */
export function pixelToLatLng(x: number, y: number, height: number): [number, number] {
  return [height - y, x];
}

export function latLngToPixel(lat: number, lng: number, height: number): [number, number] {
  return [lng, height - lat];
}

/** [[south, west], [north, east]] of the image, for `L.imageOverlay` and `fitBounds`. */
export function planBounds(width: number, height: number): [[number, number], [number, number]] {
  return [
    [0, 0],
    [height, width],
  ];
}

/** A drop just past the image's edge lands on the edge (the service refuses points off the plan). */
export function clampToPlan(x: number, y: number, width: number, height: number): [number, number] {
  const clamp = (v: number, max: number): number => (Number.isFinite(v) ? Math.min(max, Math.max(0, v)) : 0);
  return [clamp(x, width), clamp(y, height)];
}

export interface Placed {
  readonly device: Device;
  readonly x: number;
  readonly y: number;
}

/** The site's devices, split into those on the plan and those not yet on it (each by name). */
export function siteDevices(
  devices: Iterable<Device>,
  site: SiteId,
  positions: readonly PlanPosition[],
): { placed: Placed[]; unplaced: Device[] } {
  const at = new Map<DeviceId, PlanPosition>(positions.map((p) => [p.deviceId, p]));
  const placed: Placed[] = [];
  const unplaced: Device[] = [];
  for (const d of devices) {
    if (d.siteId !== site) continue;
    const p = at.get(d.id);
    if (p === undefined) unplaced.push(d);
    else placed.push({ device: d, x: p.x, y: p.y });
  }
  const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
  placed.sort((a, b) => byName(a.device, b.device));
  unplaced.sort(byName);
  return { placed, unplaced };
}

/** The pane's view selector: the world map, then one entry per site. */
export function viewOptions(sites: Iterable<Site>, selected: SiteId | null): TemplateResult {
  const list = [...sites].sort((a, b) => a.name.localeCompare(b.name));
  const option = (value: string, label: string, on: boolean): TemplateResult =>
    html`<option value=${value} ?selected=${on} .selected=${liveProp(on)}>${label}</option>`;
  return html`${option("", "World map", selected === null)}${list.map((s) =>
    option(s.id, `${s.name} floor plan${s.hasFloorPlan ? "" : " (none yet)"}`, s.id === selected),
  )}`;
}

/** The side list of the site's devices that are not on the plan; each can be dragged onto it. */
export function unplacedList(devices: readonly Device[], live: ReadonlyMap<DeviceId, DeviceLive>, armed: DeviceId | null): TemplateResult {
  if (devices.length === 0) return html`<p class="muted">Every device of this site is on the plan.</p>`;
  const items = devices.map((d) => {
    const state = live.get(d.id)?.state ?? "unknown";
    return html`<li draggable="true" data-id=${d.id} tabindex="0" role="button" aria-pressed=${String(d.id === armed)}
      title="Drag onto the plan, or click here and then on the plan"><span class="dot st-${state}" aria-label=${state}></span>${d.name}</li>`;
  });
  return html`<h3>Not on the plan (${devices.length})</h3><ul>${items}</ul>`;
}

/** Why a picked file cannot be a plan, or null. The type may be empty (unknown): the service decides then. */
export function checkPlanFile(type: string, size: number): string | null {
  if (type === "image/svg+xml") return "SVG is not accepted (it can carry script); export the plan as PNG, JPEG or WebP";
  if (type !== "" && !PLAN_TYPES.includes(type)) return `a ${type} file is not a PNG, JPEG or WebP image`;
  if (size === 0) return "the file is empty";
  if (size > MAX_PLAN_BYTES) return `the image is ${formatBytes(size)}; the limit is ${formatBytes(MAX_PLAN_BYTES)}`;
  return null;
}

/** The base64 part of a `data:<mime>;base64,<data>` URL (what FileReader.readAsDataURL gives). */
export function base64FromDataUrl(url: string): string | null {
  const m = /^data:[^,]*;base64,/.exec(url);
  return m === null ? null : url.slice(m[0].length);
}

export function planDataUrl(mime: string, data: string): string {
  return `data:${mime};base64,${data}`;
}
