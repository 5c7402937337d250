// The Leaflet map: an offline basemap (Natural Earth 1:110m countries from the
// world-atlas package, bundled) and the devices, clustered (cluster.ts) so
// that only what is in view is drawn: lone devices as canvas circle markers
// on their own canvas (a state change repaints the markers, never the
// countries), clusters as small DOM bubbles coloured by the worst state
// inside. Work is proportional to change: a state change updates one cell
// per zoom level and redraws only the drawn items whose look changed. No tile
// layer: nothing is fetched from the network. Topology links (links.ts) are
// drawn between where their ends are drawn, on a canvas below the devices,
// and devices sharing coordinates fan out once zoomed past clustering
// (spread.ts).
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import type { DeviceId, Severity } from "./generated/bindings";
import type { Anchor, BBox, MapItem } from "./cluster";
import { ClusterIndex } from "./cluster";
import { LinkLayer } from "./linklayer";
import type { MapLink } from "./links";
import type { Model } from "./model";
import { deviceLocation } from "./model";
import type { MarkerColour, MarkerStyle } from "./status";
import { markerStyle } from "./status";
import { activeSeverity, clusterIcon, clusterSig, clusterTitle, cssVar, styleSig } from "./mapstyle";
import { popup } from "./render";
import { html, toElement } from "./html";
import { spreadOffsets } from "./spread";

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
  private readonly links: LinkLayer;
  private linkData: readonly MapLink[] = [];
  /** False while the pane shows a floor plan instead: the world map then draws nothing. */
  private worldShown = true;
  /** Where fanned-out devices in view are drawn, so links end at the marker. */
  private spreadAt = new Map<DeviceId, L.LatLng>();

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
    this.links = new LinkLayer(this.map, () => this.redraw());
    this.map.setView([30, 10], 2);
    this.map.on("moveend", () => this.redraw());
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.refreshTheme());
    // The pane's size comes from the stylesheet, which may apply after this
    // runs, and changes with the window: keep Leaflet's idea of it current.
    new ResizeObserver(() => {
      if (this.visible && this.worldShown) this.map.invalidateSize();
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
    if (!on || !this.worldShown) return;
    this.map.invalidateSize();
    this.fitOnce();
    if (this.stale) this.redraw();
  }

  /** The pane switched between the world map and a floor plan (the world map keeps its data current). */
  setWorldShown(on: boolean): void {
    this.worldShown = on;
    this.setVisible(this.visible);
  }

  /** The topology changed: links are redrawn for the current view. */
  setLinks(links: readonly MapLink[]): void {
    this.linkData = links;
    this.redraw();
  }

  get linksDrawn(): number {
    return this.links.count;
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
    const b = this.fitted || !this.visible || !this.worldShown ? null : this.index.bounds();
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
    if (!this.visible || !this.worldShown || size.x === 0 || size.y === 0) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const b = this.map.getBounds().pad(0.25);
    const view = { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    const zoom = this.map.getZoom();
    const items = this.index.query(view, zoom);
    // Past clustering every device in view is a point: fan out those sharing coordinates.
    const offsets =
      zoom > this.index.maxZoom ? spreadOffsets(items.filter((i) => i.kind === "point")) : new Map<string, [number, number]>();
    this.spreadAt = new Map();
    const keep = new Set<string>();
    for (const item of items) {
      const offset = item.kind === "point" ? offsets.get(item.id) : undefined;
      keep.add(this.draw(item, offset));
      if (item.kind === "point" && offset !== undefined) keep.add(`s:${item.id}`);
    }
    for (const [key, d] of this.drawn) {
      if (!keep.has(key)) {
        d.layer.remove();
        this.drawn.delete(key);
      }
    }
    this.drawLinks(view, zoom);
  }

  private drawLinks(view: BBox, zoom: number): void {
    const anchorOf = (id: DeviceId): Anchor | undefined => {
      const at = this.spreadAt.get(id);
      return at === undefined ? this.index.anchor(id, zoom) : { key: `d:${id}`, lat: at.lat, lon: at.lng };
    };
    this.links.update(this.linkData, anchorOf, (id) => this.model?.live.get(id)?.state, view);
  }

  /** Where a fanned-out device is drawn: `offset` screen pixels from its true position. */
  private spread(lat: number, lon: number, offset: [number, number] | undefined): L.LatLng {
    const at = L.latLng(lat, lon);
    if (offset === undefined) return at;
    return this.map.layerPointToLatLng(this.map.latLngToLayerPoint(at).add(L.point(offset[0], offset[1])));
  }

  /** A thin line from a fanned-out marker back to the point the group shares. */
  private leg(id: DeviceId, from: L.LatLng, to: L.LatLng): void {
    const key = `s:${id}`;
    const sig = `${from.lat}|${from.lng}|${to.lat}|${to.lng}`;
    const d = this.drawn.get(key);
    if (d === undefined) {
      const line = L.polyline([from, to], { renderer: this.renderer, color: "#1b2230", weight: 1, opacity: 0.5, interactive: false });
      line.addTo(this.map);
      line.bringToBack();
      this.drawn.set(key, { layer: line, sig });
    } else if (d.sig !== sig) {
      (d.layer as L.Polyline).setLatLngs([from, to]);
      d.sig = sig;
    }
  }

  /** Adds or updates one item (a point `offset` pixels from its position); returns its key. */
  private draw(item: MapItem, offset?: [number, number]): string {
    if (item.kind === "point") {
      const key = `d:${item.id}`;
      const style = this.styles.get(item.id);
      if (style === undefined) return key;
      const at = this.spread(item.lat, item.lon, offset);
      if (offset !== undefined) {
        this.spreadAt.set(item.id, at);
        this.leg(item.id, L.latLng(item.lat, item.lon), at);
      }
      const sig = `${styleSig(style)}|${at.lat}|${at.lng}`;
      const d = this.drawn.get(key);
      if (d === undefined) {
        const id = item.id;
        const m = L.circleMarker(at, { ...style, renderer: this.renderer });
        m.bindPopup(() => this.popup(id));
        m.on("popupopen", () => (this.openId = id));
        m.on("popupclose", () => {
          if (this.openId === id) this.openId = null;
        });
        m.addTo(this.map);
        this.drawn.set(key, { layer: m, sig });
      } else if (d.sig !== sig) {
        const m = d.layer as L.CircleMarker;
        m.setLatLng(at);
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

  private popup(id: DeviceId): HTMLElement {
    const d = this.model?.devices.get(id);
    if (this.model === null || d === undefined) return toElement(html`<div class="popup">device removed</div>`);
    return toElement(popup(d, this.model.live.get(id), this.worst.get(id), Date.now()));
  }
}
