// The Leaflet map: an offline basemap (Natural Earth 1:110m countries from the
// world-atlas package, bundled) and the devices, clustered (cluster.ts) so
// that only what is in view is drawn: lone devices as canvas circle markers
// on their own canvas (a state change repaints the markers, never the
// countries), clusters as small DOM bubbles coloured by the worst state
// inside. Work is proportional to change: a state change updates one cell
// per zoom level and redraws only the drawn items whose look changed. No tile
// layer unless the user names a tile server (maptilelayer.ts): by default
// nothing is fetched from the network. Topology links (links.ts) are
// drawn between where their ends are drawn, on a canvas below the devices,
// and devices close together fan out once zoomed past clustering
// (spread.ts). Bubbles that would overlap are merged (overlap.ts), names
// show where there is room (labels.ts), and the view stops at the world's
// edges and at the deepest zoom the 1:110m outline still means something.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import type { DeviceId, Severity } from "./generated/bindings";
import type { Anchor, BBox, ClusterItem, MapItem, PointItem } from "./cluster";
import { ClusterIndex } from "./cluster";
import { LinkLayer } from "./linklayer";
import type { MapLink } from "./links";
import type { Model } from "./model";
import { deviceLocation } from "./model";
import type { MarkerColour, MarkerStyle } from "./status";
import { markerStyle } from "./status";
import { activeSeverity, clusterIcon, clusterSig, clusterSize, clusterTitle, cssVar, styleSig } from "./mapstyle";
import { markerTooltip, popup } from "./render";
import { html, toElement } from "./html";
import { NEAR_PX, spreadNearby } from "./spread";
import { fixGeometry } from "./antimeridian";
import { itemKey, mergeOverlapping } from "./overlap";
import type { LabelCandidate, Rect } from "./labels";
import { markerRect } from "./labels";
import { MapLabels } from "./maplabels";
import { TileOverlay } from "./maptilelayer";
import type { TileLayerSpec } from "./tiles";

/**
 * The deepest zoom: Natural Earth 1:110m is drawn from points about 10 km
 * apart, so past zoom 8 (about 600 m per pixel) the map would show empty
 * land or sea round the devices. Devices closer than that fan out instead.
 * With a tile server set the map may zoom to TILE_MAX_ZOOM (tiles.ts).
 */
export const MAP_MAX_ZOOM = 8;
/** The world's edges: the view stops there (no wrapped copies). */
const WORLD_BOUNDS = L.latLngBounds([-85.05, -180], [85.05, 180]);
/** A cluster click fans out at most this many devices in place; bigger ones zoom in. */
const FAN_MAX = 60;
/** More drawn items than this and no labels are tried (no room anyway, and it bounds work). */
const LABEL_ITEMS_MAX = 400;

/** The smallest zoom at which the world fills a pane of this size (so it never floats in sea). */
export function minZoomFor(width: number, height: number, tileSize = 256): number {
  const z = Math.log2(Math.max(width, height, 1) / tileSize);
  return Math.max(1, Math.min(MAP_MAX_ZOOM, Math.ceil(z * 2) / 2));
}

export interface MapStats {
  /** Placed devices (whether drawn alone or inside a cluster). */
  markers: number;
  byColour: Record<MarkerColour, number>;
}

interface Drawn {
  readonly layer: L.Layer;
  sig: string;
  /** A cluster as drawn: a click fans it out or zooms to it. */
  item?: ClusterItem;
}

/** A cluster fanned out in place by a click, until the zoom changes. */
interface Expanded {
  readonly key: string;
  readonly zoom: number;
  readonly members: readonly PointItem[];
}

export class DeviceMap {
  private readonly map: L.Map;
  private readonly basemap: L.GeoJSON;
  private readonly renderer: L.Canvas;
  private readonly index = new ClusterIndex({ maxZoom: MAP_MAX_ZOOM - 1 });
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
  /** Merged clusters' parts (overlap.ts) and where merged items are drawn, for this view. */
  private mergedParts = new Map<string, MapItem[]>();
  private mergedAnchors = new Map<string, Anchor>();
  private expanded: Expanded | null = null;
  private readonly labels: MapLabels;
  private readonly tiles: TileOverlay;

  constructor(el: HTMLElement) {
    this.map = L.map(el, {
      preferCanvas: true, // the basemap on a canvas too
      minZoom: 1,
      maxZoom: MAP_MAX_ZOOM,
      zoomSnap: 0.5,
      // One world, bounded: wrapped copies would repeat every device.
      maxBounds: WORLD_BOUNDS,
      maxBoundsViscosity: 1,
      attributionControl: true,
    });
    // Plain text: a link would navigate the app's only webview away.
    this.map.attributionControl.setPrefix("Leaflet");
    this.map.attributionControl.addAttribution("Natural Earth");
    const world = feature(countries, countries.objects.countries);
    // Countries across the antimeridian (Russia, Fiji) and round the pole
    // (Antarctica) unwrapped: drawn as given they cross the whole world.
    for (const f of world.features) {
      const g = f.geometry;
      if (g.type === "Polygon" || g.type === "MultiPolygon") f.geometry = fixGeometry(g) as typeof f.geometry;
    }
    this.basemap = L.geoJSON(world, { interactive: false, style: () => this.landStyle() }).addTo(this.map);
    // Devices get their own canvas above the countries': repainting a marker
    // never repaints the basemap. Clusters (DOM) sit above, in the marker pane.
    const pane = this.map.createPane("devices");
    pane.style.zIndex = "450";
    this.renderer = L.canvas({ pane: "devices", padding: 0.25 });
    this.links = new LinkLayer(this.map, () => this.redraw());
    this.labels = new MapLabels(this.map);
    this.tiles = new TileOverlay(this.map, MAP_MAX_ZOOM, WORLD_BOUNDS);
    this.map.setView([30, 10], 2);
    this.map.on("moveend", () => this.redraw());
    this.map.on("zoomstart", () => (this.expanded = null));
    this.map.on("click", () => {
      if (this.expanded === null) return;
      this.expanded = null;
      this.redraw();
    });
    this.map.on("resize", () => this.fitMinZoom());
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

  /** The opt-in tile server above the offline basemap (null: none); it raises the deepest zoom. */
  setTiles(spec: TileLayerSpec | null): void {
    this.tiles.set(spec);
  }

  /** The map resizes with its pane; Leaflet must be told. */
  invalidateSize(): void {
    this.map.invalidateSize();
  }

  /**
   * A hidden map (other tab) keeps its data current but draws nothing until
   * shown. Shown again it is laid out and repainted at once: its canvases may
   * have been emptied while it had no size, and Leaflet repaints them only
   * on a move, so it came back blank until panned. An open popup belongs to
   * the moment it was opened: it is closed when the map is hidden.
   */
  setVisible(on: boolean): void {
    this.visible = on;
    if (!on || !this.worldShown) {
      this.map.closePopup();
      return;
    }
    this.repaint();
    this.fitOnce();
    // Once more after the browser's layout pass (a panel shown in the same task may not have its size yet).
    requestAnimationFrame(() => {
      if (this.visible && this.worldShown) this.repaint();
    });
  }

  /**
   * Leaflet's size (keeping the centre: hidden, the map had no size, and its
   * corner would otherwise become the old centre), then a zero pan: every
   * layer (canvases too) redraws on its moveend.
   */
  private repaint(): void {
    this.map.invalidateSize();
    this.fitMinZoom();
    this.map.panBy([0, 0], { animate: false });
    if (this.stale) this.redraw();
  }

  private fitMinZoom(): void {
    const size = this.map.getSize();
    if (size.x === 0 || size.y === 0) return;
    const z = minZoomFor(size.x, size.y);
    if (z !== this.map.getMinZoom()) this.map.setMinZoom(z);
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
      const l = model.live.get(d.id);
      const style = markerStyle(l?.state, severity, l?.stale === true);
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
      const l = model.live.get(id);
      const style = markerStyle(l?.state, severity, l?.stale === true);
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

  /**
   * Centres a placed device at the deepest zoom (where clusters have broken
   * up) and opens its popup: the alarm drawer's "Show on map". False when
   * the device has no place on the world map.
   */
  focusDevice(id: DeviceId): boolean {
    const d = this.model?.devices.get(id);
    const at = d === undefined || this.model === null ? null : deviceLocation(d, this.model.sites);
    if (at === null) return false;
    this.expanded = null;
    this.map.setView(at, MAP_MAX_ZOOM, { animate: false });
    this.redraw();
    this.drawn.get(`d:${id}`)?.layer.openPopup();
    return true;
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
    let items = this.index.query(view, zoom);
    this.mergedParts = new Map();
    this.mergedAnchors = new Map();
    if (zoom <= this.index.maxZoom) {
      // Bubbles from neighbouring cells can sit on each other: merge those.
      const merged = mergeOverlapping(
        items,
        (lat, lon) => {
          const p = this.map.project([lat, lon], zoom);
          return [p.x, p.y];
        },
        (x, y) => {
          const at = this.map.unproject([x, y], zoom);
          return [at.lat, at.lng];
        },
      );
      items = merged.items;
      this.mergedParts = merged.parts;
      this.mergedAnchors = merged.anchors;
    }
    // Where a point is drawn when it is not at its own position.
    const at = new Map<string, L.LatLng>();
    const ex = this.expanded;
    if (ex !== null && ex.zoom === zoom) {
      const i = items.findIndex((it) => it.kind === "cluster" && it.key === ex.key);
      const c = items[i];
      if (c !== undefined) {
        items = [...items.slice(0, i), ...items.slice(i + 1), ...ex.members];
        const centre = this.map.latLngToLayerPoint([c.lat, c.lon]);
        for (const [id, o] of spreadNearby(ex.members.map((m) => ({ id: m.id, x: 0, y: 0 }))))
          at.set(id, this.map.layerPointToLatLng(centre.add(L.point(o[0], o[1]))));
      }
    } else if (zoom > this.index.maxZoom) {
      // Past clustering every device in view is a point: fan out those too close to tell apart.
      const pts = items.filter((i): i is PointItem => i.kind === "point");
      const px = new Map(pts.map((p) => [p.id, this.map.latLngToLayerPoint([p.lat, p.lon])]));
      for (const [id, o] of spreadNearby(pts.map((p) => ({ id: p.id, x: px.get(p.id)?.x ?? 0, y: px.get(p.id)?.y ?? 0 })))) {
        const p = px.get(id);
        if (p !== undefined) at.set(id, this.map.layerPointToLatLng(p.add(L.point(o[0], o[1]))));
      }
    }
    this.spreadAt = new Map();
    const keep = new Set<string>();
    for (const item of items) {
      const moved = item.kind === "point" ? at.get(item.id) : undefined;
      keep.add(this.draw(item, moved));
      if (item.kind === "point" && moved !== undefined) keep.add(`s:${item.id}`);
    }
    for (const [key, d] of this.drawn) {
      if (!keep.has(key)) {
        d.layer.remove();
        this.drawn.delete(key);
      }
    }
    this.drawLinks(view, zoom);
    this.drawLabels(items);
  }

  /** Site names, then device names, wherever they fit beside the drawn markers. */
  private drawLabels(items: readonly MapItem[]): void {
    if (this.model === null || items.length > LABEL_ITEMS_MAX) {
      this.labels.clear();
      return;
    }
    const size = this.map.getSize();
    const inView = (p: L.Point): boolean => p.x >= 0 && p.y >= 0 && p.x <= size.x && p.y <= size.y;
    const obstacles: Rect[] = [];
    const cands: LabelCandidate[] = [];
    for (const item of items) {
      if (item.kind === "cluster") {
        const p = this.map.latLngToContainerPoint([item.lat, item.lon]);
        obstacles.push(markerRect(p.x, p.y, clusterSize(item.count) / 2 + 2));
        continue;
      }
      const p = this.map.latLngToContainerPoint(this.spreadAt.get(item.id) ?? [item.lat, item.lon]);
      const r = (this.styles.get(item.id)?.radius ?? 7) + 2;
      obstacles.push(markerRect(p.x, p.y, r));
      const name = this.model.devices.get(item.id)?.name;
      if (name !== undefined && inView(p)) cands.push({ key: `d:${item.id}`, text: name, x: p.x, y: p.y, r, priority: 1 });
    }
    for (const site of this.model.sites.values()) {
      if (site.lat === null || site.lon === null) continue;
      const p = this.map.latLngToContainerPoint([site.lat, site.lon]);
      if (!inView(p)) continue;
      cands.push({ key: `s:${site.id}`, text: site.name, x: p.x, y: p.y, r: 17, priority: 2 });
    }
    this.labels.update(cands, obstacles);
  }

  private drawLinks(view: BBox, zoom: number): void {
    const anchorOf = (id: DeviceId): Anchor | undefined => {
      const at = this.spreadAt.get(id);
      if (at !== undefined) return { key: `d:${id}`, lat: at.lat, lon: at.lng };
      const a = this.index.anchor(id, zoom);
      return a === undefined ? undefined : (this.mergedAnchors.get(a.key) ?? a);
    };
    this.links.update(this.linkData, anchorOf, (id) => this.model?.live.get(id)?.state, view);
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

  /** Adds or updates one item (a point drawn at `moved` when fanned out); returns its key. */
  private draw(item: MapItem, moved?: L.LatLng): string {
    if (item.kind === "point") {
      const key = `d:${item.id}`;
      const style = this.styles.get(item.id);
      if (style === undefined) return key;
      const at = moved ?? L.latLng(item.lat, item.lon);
      if (moved !== undefined) {
        this.spreadAt.set(item.id, at);
        this.leg(item.id, L.latLng(item.lat, item.lon), at);
      }
      const sig = `${styleSig(style)}|${at.lat}|${at.lng}`;
      const d = this.drawn.get(key);
      if (d === undefined) {
        const id = item.id;
        const m = L.circleMarker(at, { ...style, renderer: this.renderer });
        m.bindPopup(() => this.popup(id));
        m.bindTooltip(() => this.tooltip(id), { direction: "top", offset: [0, -6] });
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
    const key = itemKey(item);
    const sig = clusterSig(item);
    const d = this.drawn.get(key);
    if (d === undefined) {
      const m = L.marker([item.lat, item.lon], { icon: clusterIcon(item), title: clusterTitle(item), keyboard: false });
      const entry: Drawn = { layer: m, sig, item };
      m.on("click", () => {
        if (entry.item !== undefined) this.clusterClicked(entry.item);
      });
      m.addTo(this.map);
      this.drawn.set(key, entry);
    } else if (d.sig !== sig) {
      const m = d.layer as L.Marker;
      m.setIcon(clusterIcon(item));
      m.setLatLng([item.lat, item.lon]);
      m.getElement()?.setAttribute("title", clusterTitle(item));
      d.sig = sig;
    }
    if (d !== undefined) d.item = item;
    return key;
  }

  /**
   * Devices at one site (closer than a marker even at the deepest zoom) fan
   * out where they are, at this zoom; zooming could never separate them and
   * used to land in empty background. Others are zoomed to, no deeper than
   * the basemap goes.
   */
  private clusterClicked(item: ClusterItem): void {
    const b = L.latLngBounds(item.bounds);
    const nw = this.map.project(b.getNorthWest(), MAP_MAX_ZOOM);
    const se = this.map.project(b.getSouthEast(), MAP_MAX_ZOOM);
    const oneSite = Math.max(se.x - nw.x, se.y - nw.y) < NEAR_PX * 3;
    const zoom = this.map.getZoom();
    if (item.count <= FAN_MAX && (oneSite || zoom >= MAP_MAX_ZOOM)) {
      this.expanded = { key: item.key, zoom, members: this.membersOf(item) };
      this.redraw();
      return;
    }
    this.map.fitBounds(b, { padding: [40, 40], maxZoom: MAP_MAX_ZOOM });
  }

  /** Every device in a drawn cluster (a merged one holds cells and lone devices). */
  private membersOf(item: ClusterItem): PointItem[] {
    const parts = this.mergedParts.get(item.key);
    if (parts === undefined) return this.index.members(item.key);
    return parts.flatMap((p) => (p.kind === "point" ? [p] : this.index.members(p.key)));
  }

  /** Text, not markup: Leaflet sets a string tooltip as innerHTML, so an element with textContent. */
  private tooltip(id: DeviceId): HTMLElement {
    const d = this.model?.devices.get(id);
    const el = document.createElement("span");
    el.textContent = d === undefined ? "device removed" : markerTooltip(d, this.model?.live.get(id));
    return el;
  }

  private popup(id: DeviceId): HTMLElement {
    const d = this.model?.devices.get(id);
    if (this.model === null || d === undefined) return toElement(html`<div class="popup">device removed</div>`);
    return toElement(popup(d, this.model.live.get(id), this.worst.get(id), Date.now()));
  }
}
