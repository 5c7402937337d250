// The Leaflet map: an offline basemap (Natural Earth 1:110m countries from the
// world-atlas package, bundled) and the devices, clustered (cluster.ts) so
// that only what is in view is drawn: lone devices as canvas circle markers
// on their own canvas (a state change repaints the markers, never the
// countries), clusters as small DOM bubbles coloured by the worst state
// inside. Work is proportional to change: a state change updates one cell
// per zoom level and redraws only the drawn items whose look changed. No tile
// layer: nothing is fetched from the network.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import type { DeviceId, Severity } from "./generated/bindings";
import type { ClusterItem, MapItem } from "./cluster";
import { ClusterIndex, clusterLabel } from "./cluster";
import type { Model } from "./model";
import { deviceLocation } from "./model";
import type { MarkerColour, MarkerStyle } from "./status";
import { markerStyle } from "./status";
import { popupHtml } from "./render";

export interface MapStats {
  /** Placed devices (whether drawn alone or inside a cluster). */
  markers: number;
  byColour: Record<MarkerColour, number>;
}

interface Drawn {
  readonly layer: L.Layer;
  sig: string;
  /** A cluster's members' box: a click zooms to it. */
  bounds?: L.LatLngBounds;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === "" ? fallback : v;
}

/** The worst active alarm, as the cluster index and the marker ring see it. */
function activeSeverity(s: Severity | undefined): Severity | undefined {
  return s === "cleared" ? undefined : s;
}

function styleSig(s: MarkerStyle): string {
  return `${s.fillColor}|${s.color}|${s.weight}|${s.radius}`;
}

function clusterSig(c: ClusterItem): string {
  return `${c.count}|${c.colour}|${c.severity ?? ""}|${c.lat}|${c.lon}`;
}

function clusterIcon(c: ClusterItem): L.DivIcon {
  const size = c.count < 10 ? 28 : c.count < 100 ? 34 : c.count < 1000 ? 40 : 46;
  const ring = c.severity === undefined ? "" : ` ring-${c.severity}`;
  return L.divIcon({
    className: `cluster cluster-${c.colour}${ring}`,
    html: `<span>${clusterLabel(c.count)}</span>`,
    iconSize: [size, size],
  });
}

function clusterTitle(c: ClusterItem): string {
  const n = c.colours;
  return `${c.count} devices: ${n.red} down, ${n.amber} degraded, ${n.grey} unknown, ${n.green} up` +
    (c.severity === undefined ? "" : `; worst alarm ${c.severity}`);
}

export class DeviceMap {
  private readonly map: L.Map;
  private readonly basemap: L.GeoJSON;
  private readonly renderer: L.Canvas;
  private readonly index = new ClusterIndex();
  /** Current style of every placed device. */
  private readonly styles = new Map<DeviceId, MarkerStyle>();
  /** What is on the map now, by item key ("d:" device id or "c:" cell). */
  private readonly drawn = new Map<string, Drawn>();
  private stats: MapStats = { markers: 0, byColour: { green: 0, amber: 0, red: 0, grey: 0 } };
  private fitted = false;
  private visible = true;
  private stale = false;
  private openId: DeviceId | null = null;
  private model: Model | null = null;
  private worst: ReadonlyMap<DeviceId, Severity> = new Map();

  constructor(el: HTMLElement) {
    this.map = L.map(el, {
      preferCanvas: true, // the basemap on a canvas too
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
    // Devices get their own canvas above the countries': repainting a marker
    // never repaints the basemap. Clusters (DOM) sit above, in the marker pane.
    const pane = this.map.createPane("devices");
    pane.style.zIndex = "450";
    this.renderer = L.canvas({ pane: "devices", padding: 0.25 });
    this.map.setView([30, 10], 2);
    this.map.on("moveend", () => this.redraw());
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.refreshTheme());
    // The pane's size comes from the stylesheet, which may apply after this
    // runs, and changes with the window: keep Leaflet's idea of it current.
    new ResizeObserver(() => {
      if (this.visible) this.map.invalidateSize();
    }).observe(el);
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

  /** A hidden map (other tab) keeps its data current but draws nothing until shown. */
  setVisible(on: boolean): void {
    this.visible = on;
    if (!on) return;
    this.map.invalidateSize();
    this.fitOnce();
    if (this.stale) this.redraw();
  }

  get currentStats(): MapStats {
    return this.stats;
  }

  /** Devices or sites changed: re-places every device (O(devices), on inventory changes only). */
  setDevices(model: Model, worst: ReadonlyMap<DeviceId, Severity>): MapStats {
    this.model = model;
    this.worst = worst;
    this.styles.clear();
    const byColour: Record<MarkerColour, number> = { green: 0, amber: 0, red: 0, grey: 0 };
    const points = [];
    for (const d of model.devices.values()) {
      const at = deviceLocation(d, model.sites);
      if (at === null) continue;
      const severity = activeSeverity(worst.get(d.id));
      const style = markerStyle(model.live.get(d.id)?.state, severity);
      this.styles.set(d.id, style);
      byColour[style.colourName] += 1;
      points.push({ id: d.id, lat: at[0], lon: at[1], colour: style.colourName, severity });
    }
    this.index.load(points);
    this.stats = { markers: points.length, byColour };
    this.fitOnce();
    this.redraw();
    return this.stats;
  }

  /** The first time there are devices and the map shows, frame them all. */
  private fitOnce(): void {
    const b = this.fitted || !this.visible ? null : this.index.bounds();
    if (b === null) return;
    this.fitted = true;
    this.map.fitBounds(b, { padding: [60, 60], maxZoom: 5, animate: false });
  }

  /**
   * Some devices' state or alarms changed: updates only those. Devices that
   * are not placed (or not known to the map) are ignored.
   */
  updateDevices(ids: Iterable<DeviceId>, model: Model, worst: ReadonlyMap<DeviceId, Severity>): MapStats {
    this.model = model;
    this.worst = worst;
    let changed = false;
    for (const id of ids) {
      const old = this.styles.get(id);
      if (old === undefined) continue;
      const severity = activeSeverity(worst.get(id));
      const style = markerStyle(model.live.get(id)?.state, severity);
      if (styleSig(style) === styleSig(old)) continue;
      this.styles.set(id, style);
      this.stats.byColour[old.colourName] -= 1;
      this.stats.byColour[style.colourName] += 1;
      this.index.update(id, style.colourName, severity);
      changed = true;
    }
    if (changed) this.redraw();
    return this.stats;
  }

  /** Fresh live values for these devices: an open popup on one of them shows them. */
  refreshPopup(ids: ReadonlySet<DeviceId>): void {
    if (this.openId === null || !ids.has(this.openId)) return;
    const drawn = this.drawn.get(`d:${this.openId}`);
    drawn?.layer.getPopup()?.update();
  }

  /** Brings the drawn items in line with the index for the current view. */
  private redraw(): void {
    const size = this.map.getSize();
    if (!this.visible || size.x === 0 || size.y === 0) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const b = this.map.getBounds().pad(0.25);
    const items = this.index.query(
      { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() },
      this.map.getZoom(),
    );
    const keep = new Set<string>();
    for (const item of items) keep.add(this.draw(item));
    for (const [key, d] of this.drawn) {
      if (!keep.has(key)) {
        d.layer.remove();
        this.drawn.delete(key);
      }
    }
  }

  /** Adds or updates one item; returns its key. */
  private draw(item: MapItem): string {
    if (item.kind === "point") {
      const key = `d:${item.id}`;
      const style = this.styles.get(item.id);
      if (style === undefined) return key;
      const sig = `${styleSig(style)}|${item.lat}|${item.lon}`;
      const d = this.drawn.get(key);
      if (d === undefined) {
        const id = item.id;
        const m = L.circleMarker([item.lat, item.lon], { ...style, renderer: this.renderer });
        m.bindPopup(() => this.popup(id));
        m.on("popupopen", () => (this.openId = id));
        m.on("popupclose", () => {
          if (this.openId === id) this.openId = null;
        });
        m.addTo(this.map);
        this.drawn.set(key, { layer: m, sig });
      } else if (d.sig !== sig) {
        const m = d.layer as L.CircleMarker;
        m.setLatLng([item.lat, item.lon]);
        m.setStyle(style);
        m.setRadius(style.radius);
        d.sig = sig;
      }
      return key;
    }
    const key = `c:${item.key}`;
    const sig = clusterSig(item);
    const d = this.drawn.get(key);
    if (d === undefined) {
      const m = L.marker([item.lat, item.lon], { icon: clusterIcon(item), title: clusterTitle(item), keyboard: false });
      const entry: Drawn = { layer: m, sig, bounds: L.latLngBounds(item.bounds) };
      m.on("click", () => {
        if (entry.bounds !== undefined)
          this.map.fitBounds(entry.bounds, { padding: [40, 40], maxZoom: this.index.maxZoom + 1 });
      });
      m.addTo(this.map);
      this.drawn.set(key, entry);
    } else if (d.sig !== sig) {
      const m = d.layer as L.Marker;
      m.setIcon(clusterIcon(item));
      m.setLatLng([item.lat, item.lon]);
      m.getElement()?.setAttribute("title", clusterTitle(item));
      d.sig = sig;
      d.bounds = L.latLngBounds(item.bounds);
    }
    return key;
  }

  private popup(id: DeviceId): string {
    const d = this.model?.devices.get(id);
    if (this.model === null || d === undefined) return "<div class=\"popup\">device removed</div>";
    return popupHtml(d, this.model.live.get(id), this.worst.get(id), Date.now());
  }
}
