// The Leaflet map: an offline basemap (Natural Earth 1:110m countries from the
// world-atlas package, bundled) and one canvas circle marker per placed
// device. No tile layer: nothing is fetched from the network.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import type { DeviceId, Severity } from "./generated/bindings";
import type { Model } from "./model";
import { deviceLocation } from "./model";
import type { MarkerColour } from "./status";
import { markerStyle } from "./status";
import { popupHtml } from "./render";

export interface MapStats {
  markers: number;
  byColour: Record<MarkerColour, number>;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === "" ? fallback : v;
}

export class DeviceMap {
  private readonly map: L.Map;
  private readonly basemap: L.GeoJSON;
  private readonly markers = new Map<DeviceId, L.CircleMarker>();
  private fitted = false;
  private model: Model | null = null;
  private worst: ReadonlyMap<DeviceId, Severity> = new Map();

  constructor(el: HTMLElement) {
    this.map = L.map(el, {
      preferCanvas: true, // one canvas for all markers: cheap at thousands of devices
      minZoom: 1,
      maxZoom: 18,
      zoomSnap: 0.5,
      worldCopyJump: true,
      attributionControl: true,
    });
    // Plain text: a link would navigate the app's only webview away.
    this.map.attributionControl.setPrefix("Leaflet");
    this.map.attributionControl.addAttribution("Natural Earth");
    const world = feature(countries, countries.objects.countries);
    this.basemap = L.geoJSON(world, { interactive: false, style: () => this.landStyle() }).addTo(this.map);
    this.map.setView([30, 10], 2);
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.refreshTheme());
    // The pane's size comes from the stylesheet, which may apply after this
    // runs, and changes with the window: keep Leaflet's idea of it current.
    new ResizeObserver(() => this.map.invalidateSize()).observe(el);
  }

  /** Re-reads the land colours from CSS (theme change, or the stylesheet arrived late). */
  refreshTheme(): void {
    this.basemap.setStyle(() => this.landStyle());
  }

  private landStyle(): L.PathOptions {
    return {
      color: cssVar("--land-border", "#a9b3bf"),
      weight: 0.6,
      fillColor: cssVar("--land", "#e3e7ec"),
      fillOpacity: 1,
    };
  }

  /** The map resizes with its pane; Leaflet must be told. */
  invalidateSize(): void {
    this.map.invalidateSize();
  }

  update(model: Model, worst: ReadonlyMap<DeviceId, Severity>): MapStats {
    this.model = model;
    this.worst = worst;
    const stats: MapStats = { markers: 0, byColour: { green: 0, amber: 0, red: 0, grey: 0 } };
    const seen = new Set<DeviceId>();
    for (const d of model.devices.values()) {
      const at = deviceLocation(d, model.sites);
      if (at === null) continue;
      seen.add(d.id);
      const style = markerStyle(model.live.get(d.id)?.state, worst.get(d.id));
      let m = this.markers.get(d.id);
      if (m === undefined) {
        const id = d.id;
        m = L.circleMarker(at, style).addTo(this.map);
        m.bindPopup(() => this.popup(id));
        this.markers.set(id, m);
      } else {
        m.setLatLng(at);
        m.setStyle(style);
        m.setRadius(style.radius);
      }
      stats.markers += 1;
      stats.byColour[style.colourName] += 1;
    }
    for (const [id, m] of this.markers) {
      if (!seen.has(id)) {
        m.remove();
        this.markers.delete(id);
      }
    }
    if (!this.fitted && this.markers.size > 0) {
      this.fitted = true;
      const bounds = L.latLngBounds([...this.markers.values()].map((m) => m.getLatLng()));
      this.map.fitBounds(bounds, { padding: [60, 60], maxZoom: 5 });
    }
    return stats;
  }

  private popup(id: DeviceId): string {
    const d = this.model?.devices.get(id);
    if (this.model === null || d === undefined) return "<div class=\"popup\">device removed</div>";
    return popupHtml(d, this.model.live.get(id), this.worst.get(id), Date.now());
  }
}
