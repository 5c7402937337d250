// Grid clustering for the map, built for 10,000+ devices: positions are
// projected once (Web Mercator), each zoom level groups them into square cells
// of a fixed size in screen pixels, and every cell keeps running counts of the
// colours and alarm severities inside. Membership depends only on position,
// so a state change updates one cell per level (no re-clustering), and a
// viewport query returns only the cells in view: the map draws tens of items
// whatever the device count. Pure (no DOM, no Leaflet), so vitest covers it.
import type { Severity } from "./generated/bindings";
import type { MarkerColour } from "./status";

/** Worst first: a cluster takes the colour of the worst state inside it. */
export const COLOUR_ORDER: readonly MarkerColour[] = ["red", "amber", "grey", "green"];
/** Worst first; `cleared` never counts as an alarm. */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "major", "minor", "warning", "indeterminate"];

export interface ClusterPoint {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly colour: MarkerColour;
  /** The worst active alarm on the device, if any. */
  readonly severity: Severity | undefined;
}

export interface BBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

export interface PointItem {
  readonly kind: "point";
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
  readonly colour: MarkerColour;
  readonly severity: Severity | undefined;
}

export interface ClusterItem {
  readonly kind: "cluster";
  /** Stable for the cell at this level: the map keeps the marker while the key stays. */
  readonly key: string;
  /** The centroid of the members. */
  readonly lat: number;
  readonly lon: number;
  readonly count: number;
  /** The worst member state's colour. */
  readonly colour: MarkerColour;
  /** The worst active alarm among the members. */
  readonly severity: Severity | undefined;
  readonly colours: Readonly<Record<MarkerColour, number>>;
  /** [[south, west], [north, east]] of the members, to zoom into. */
  readonly bounds: [[number, number], [number, number]];
}

export type MapItem = PointItem | ClusterItem;

/** Where a device is drawn at some zoom: as itself, or inside a cluster. */
export interface Anchor {
  /** The drawn item's key, as map.ts keys it: "d:" and the device id, or "c:" and the cluster key. */
  readonly key: string;
  readonly lat: number;
  readonly lon: number;
}

interface Cell {
  readonly key: number;
  /** A member's index (the only one when count is 1). */
  readonly first: number;
  count: number;
  sx: number;
  sy: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** Per COLOUR_ORDER index. */
  readonly colours: number[];
  /** Per SEVERITY_ORDER index. */
  readonly severities: number[];
}

interface Level {
  /** Cells per world width at this level. */
  readonly scale: number;
  readonly cells: Map<number, Cell>;
}

const MAX_LAT = 85.0511287798;

/** Longitude and latitude to Web Mercator x, y in [0, 1] (y grows southwards). */
export function project(lat: number, lon: number): [number, number] {
  const φ = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  const x = (lon + 180) / 360;
  const y = 0.5 - Math.log(Math.tan(Math.PI / 4 + φ / 2)) / (2 * Math.PI);
  return [Math.max(0, Math.min(1, x)), Math.max(0, Math.min(1, y))];
}

export function unproject(x: number, y: number): [number, number] {
  const lat = ((2 * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - Math.PI / 2) * 180) / Math.PI;
  return [lat, x * 360 - 180];
}

function colourIndex(c: MarkerColour): number {
  return COLOUR_ORDER.indexOf(c);
}

function severityIndex(s: Severity | undefined): number {
  return s === undefined ? -1 : SEVERITY_ORDER.indexOf(s);
}

function worstColour(counts: readonly number[]): MarkerColour {
  const i = counts.findIndex((n) => n > 0);
  return COLOUR_ORDER[i < 0 ? COLOUR_ORDER.length - 1 : i] as MarkerColour;
}

function worstSeverity(counts: readonly number[]): Severity | undefined {
  const i = counts.findIndex((n) => n > 0);
  return i < 0 ? undefined : SEVERITY_ORDER[i];
}

export interface ClusterOptions {
  /** Cell size in screen pixels (default 64). */
  readonly cellPx?: number;
  /** Above this zoom every device is drawn on its own (default 14). */
  readonly maxZoom?: number;
  /** Leaflet's tile size: the world is tileSize * 2^zoom pixels wide (default 256). */
  readonly tileSize?: number;
}

/** A cluster bubble's text: "1.2k" above 999, so the bubble stays small. */
export function clusterLabel(count: number): string {
  if (count < 1000) return String(count);
  return count < 9_950 ? `${(count / 1000).toFixed(1)}k` : `${Math.round(count / 1000)}k`;
}

export class ClusterIndex {
  readonly cellPx: number;
  readonly maxZoom: number;
  private readonly tileSize: number;
  private ids: string[] = [];
  private xs = new Float64Array(0);
  private ys = new Float64Array(0);
  private lats = new Float64Array(0);
  private lons = new Float64Array(0);
  private colour: number[] = [];
  private severity: number[] = [];
  private readonly index = new Map<string, number>();
  private levels: Level[] = [];

  constructor(opts: ClusterOptions = {}) {
    this.cellPx = opts.cellPx ?? 64;
    this.maxZoom = opts.maxZoom ?? 14;
    this.tileSize = opts.tileSize ?? 256;
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Replaces every point (inventory changed). O(points x levels). */
  load(points: readonly ClusterPoint[]): void {
    const n = points.length;
    this.ids = new Array<string>(n);
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    this.lats = new Float64Array(n);
    this.lons = new Float64Array(n);
    this.colour = new Array<number>(n);
    this.severity = new Array<number>(n);
    this.index.clear();
    points.forEach((p, i) => {
      const [x, y] = project(p.lat, p.lon);
      this.ids[i] = p.id;
      this.xs[i] = x;
      this.ys[i] = y;
      this.lats[i] = p.lat;
      this.lons[i] = p.lon;
      this.colour[i] = colourIndex(p.colour);
      this.severity[i] = severityIndex(p.severity);
      this.index.set(p.id, i);
    });
    this.levels = [];
    for (let z = 0; z <= this.maxZoom; z++) {
      const scale = (this.tileSize * 2 ** z) / this.cellPx;
      const cells = new Map<number, Cell>();
      const side = Math.ceil(scale) + 1;
      for (let i = 0; i < n; i++) {
        const x = this.xs[i] as number;
        const y = this.ys[i] as number;
        const key = Math.floor(x * scale) * side + Math.floor(y * scale);
        let c = cells.get(key);
        if (c === undefined) {
          c = {
            key,
            first: i,
            count: 0,
            sx: 0,
            sy: 0,
            minX: x,
            minY: y,
            maxX: x,
            maxY: y,
            colours: [0, 0, 0, 0],
            severities: [0, 0, 0, 0, 0],
          };
          cells.set(key, c);
        }
        c.count += 1;
        c.sx += x;
        c.sy += y;
        if (x < c.minX) c.minX = x;
        if (x > c.maxX) c.maxX = x;
        if (y < c.minY) c.minY = y;
        if (y > c.maxY) c.maxY = y;
        (c.colours[this.colour[i] as number] as number) += 1;
        const s = this.severity[i] as number;
        if (s >= 0) (c.severities[s] as number) += 1;
      }
      this.levels.push({ scale, cells });
    }
  }

  /**
   * A device's colour or alarm changed: adjusts the counts of its cell on
   * every level. Returns false when nothing changed (or the id is unknown).
   */
  update(id: string, colour: MarkerColour, severity: Severity | undefined): boolean {
    const i = this.index.get(id);
    if (i === undefined) return false;
    const c = colourIndex(colour);
    const s = severityIndex(severity);
    const oldC = this.colour[i] as number;
    const oldS = this.severity[i] as number;
    if (c === oldC && s === oldS) return false;
    this.colour[i] = c;
    this.severity[i] = s;
    const x = this.xs[i] as number;
    const y = this.ys[i] as number;
    for (const level of this.levels) {
      const side = Math.ceil(level.scale) + 1;
      const cell = level.cells.get(Math.floor(x * level.scale) * side + Math.floor(y * level.scale));
      if (cell === undefined) continue;
      (cell.colours[oldC] as number) -= 1;
      (cell.colours[c] as number) += 1;
      if (oldS >= 0) (cell.severities[oldS] as number) -= 1;
      if (s >= 0) (cell.severities[s] as number) += 1;
    }
    return true;
  }

  /** The [[south, west], [north, east]] box around every point, or null when empty. */
  bounds(): [[number, number], [number, number]] | null {
    const top = this.levels[0];
    if (top === undefined || this.size === 0) return null;
    let minX = 1, minY = 1, maxX = 0, maxY = 0;
    for (const c of top.cells.values()) {
      minX = Math.min(minX, c.minX);
      minY = Math.min(minY, c.minY);
      maxX = Math.max(maxX, c.maxX);
      maxY = Math.max(maxY, c.maxY);
    }
    return box(minX, minY, maxX, maxY);
  }

  /**
   * What to draw for the view `bbox` at `zoom`: one item per non-empty cell of
   * the zoom's level (a lone device as itself), or every device in view above
   * maxZoom. Longitudes outside -180..180 (a zoomed-out view) are clamped.
   */
  query(bbox: BBox, zoom: number): MapItem[] {
    const [x0, y0] = project(bbox.north, bbox.west);
    const [x1, y1] = project(bbox.south, bbox.east);
    const inView = (x: number, y: number): boolean => x >= x0 && x <= x1 && y >= y0 && y <= y1;
    const out: MapItem[] = [];
    const z = Math.floor(zoom);
    const level = z > this.maxZoom ? undefined : this.levels[Math.max(0, z)];
    if (level === undefined) {
      for (let i = 0; i < this.ids.length; i++) {
        if (inView(this.xs[i] as number, this.ys[i] as number)) out.push(this.point(i));
      }
      return out;
    }
    for (const c of level.cells.values()) {
      const cx = c.sx / c.count;
      const cy = c.sy / c.count;
      if (!inView(cx, cy)) continue;
      if (c.count === 1) {
        out.push(this.point(c.first));
        continue;
      }
      const [lat, lon] = unproject(cx, cy);
      const colours = { green: 0, amber: 0, red: 0, grey: 0 };
      COLOUR_ORDER.forEach((name, k) => (colours[name] = c.colours[k] as number));
      out.push({
        kind: "cluster",
        key: `${z}:${c.key}`,
        lat,
        lon,
        count: c.count,
        colour: worstColour(c.colours),
        severity: worstSeverity(c.severities),
        colours,
        bounds: box(c.minX, c.minY, c.maxX, c.maxY),
      });
    }
    return out;
  }

  /**
   * The devices in the cluster drawn under `key` ("zoom:cell", as query gives
   * it), as points. O(devices): for a click, not for every frame.
   */
  members(key: string): PointItem[] {
    const [zs, cs] = key.split(":");
    const z = Number(zs);
    const cellKey = Number(cs);
    const level = this.levels[z];
    if (level === undefined || !Number.isFinite(cellKey)) return [];
    const side = Math.ceil(level.scale) + 1;
    const out: PointItem[] = [];
    for (let i = 0; i < this.ids.length; i++) {
      const x = this.xs[i] as number;
      const y = this.ys[i] as number;
      if (Math.floor(x * level.scale) * side + Math.floor(y * level.scale) === cellKey) out.push(this.point(i));
    }
    return out;
  }

  /**
   * Where device `id` is drawn at `zoom`: its own position, or the centre of
   * the cluster holding it (the links on the map end there). O(1); works for
   * devices outside the view too. Undefined for a device the index lacks.
   */
  anchor(id: string, zoom: number): Anchor | undefined {
    const i = this.index.get(id);
    if (i === undefined) return undefined;
    const z = Math.floor(zoom);
    const level = z > this.maxZoom ? undefined : this.levels[Math.max(0, z)];
    const lone: Anchor = { key: `d:${id}`, lat: this.lats[i] as number, lon: this.lons[i] as number };
    if (level === undefined) return lone;
    const side = Math.ceil(level.scale) + 1;
    const x = this.xs[i] as number;
    const y = this.ys[i] as number;
    const cell = level.cells.get(Math.floor(x * level.scale) * side + Math.floor(y * level.scale));
    if (cell === undefined || cell.count === 1) return lone;
    const [lat, lon] = unproject(cell.sx / cell.count, cell.sy / cell.count);
    return { key: `c:${z}:${cell.key}`, lat, lon };
  }

  private point(i: number): PointItem {
    const s = this.severity[i] as number;
    return {
      kind: "point",
      id: this.ids[i] as string,
      lat: this.lats[i] as number,
      lon: this.lons[i] as number,
      colour: COLOUR_ORDER[this.colour[i] as number] as MarkerColour,
      severity: s < 0 ? undefined : SEVERITY_ORDER[s],
    };
  }
}

function box(minX: number, minY: number, maxX: number, maxY: number): [[number, number], [number, number]] {
  const [north, west] = unproject(minX, minY);
  const [south, east] = unproject(maxX, maxY);
  return [
    [south, west],
    [north, east],
  ];
}
