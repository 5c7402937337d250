// Grid clustering (cluster.ts) puts nearby devices in different cells when a
// cell edge runs between them: at world zoom London's and Frankfurt's
// bubbles then sit 25 px apart and one hides the other. This pass merges
// drawn items whose centres are closer than a bubble (clusters with
// clusters, and a lone device with a bubble that would cover it) into one
// cluster at their weighted centre, so nothing drawn hides anything else.
// Work is bounded by the items in view (tens to hundreds). Pure, so vitest
// covers it.
import type { Severity } from "./generated/bindings";
import type { Anchor, ClusterItem, MapItem } from "./cluster";
import { COLOUR_ORDER, SEVERITY_ORDER } from "./cluster";
import type { MarkerColour } from "./status";

/** Centres closer than this (screen pixels) merge: about one bubble across. */
export const MERGE_PX = 36;

/** The key map.ts draws an item under. */
export function itemKey(item: MapItem): string {
  return item.kind === "point" ? `d:${item.id}` : `c:${item.key}`;
}

interface Group {
  members: MapItem[];
  x: number;
  y: number;
  weight: number;
}

export interface Merged {
  readonly items: MapItem[];
  /** For every item folded into a merged cluster: where it is drawn now (links end there). */
  readonly anchors: Map<string, Anchor>;
  /** A merged cluster's key → the items it holds (a click fans them out or zooms to them). */
  readonly parts: Map<string, MapItem[]>;
}

function weightOf(i: MapItem): number {
  return i.kind === "point" ? 1 : i.count;
}

/**
 * Merges items closer than `minPx` once projected by `toPx` (world pixels at
 * the current zoom); `fromPx` turns a merged centre back into lat/lon.
 * Deterministic: heaviest first, ties by key, so a redraw gives the same keys.
 */
export function mergeOverlapping(
  items: readonly MapItem[],
  toPx: (lat: number, lon: number) => [number, number],
  fromPx: (x: number, y: number) => [number, number],
  minPx = MERGE_PX,
): Merged {
  const sorted = [...items].sort((a, b) => weightOf(b) - weightOf(a) || (itemKey(a) < itemKey(b) ? -1 : 1));
  let groups: Group[] = [];
  for (const item of sorted) {
    const [x, y] = toPx(item.lat, item.lon);
    const near = groups.find((g) => Math.hypot(g.x - x, g.y - y) < minPx);
    const w = weightOf(item);
    if (near === undefined) groups.push({ members: [item], x, y, weight: w });
    else absorb(near, [item], x, y, w);
  }
  // A merged centre moves and may now sit on another group: repeat until none do (bounded).
  for (let pass = 0; pass < 4; pass++) {
    const next: Group[] = [];
    let merged = false;
    for (const g of groups) {
      const near = next.find((h) => Math.hypot(h.x - g.x, h.y - g.y) < minPx);
      if (near === undefined) next.push(g);
      else {
        absorb(near, g.members, g.x, g.y, g.weight);
        merged = true;
      }
    }
    groups = next;
    if (!merged) break;
  }
  const out: MapItem[] = [];
  const anchors = new Map<string, Anchor>();
  const parts = new Map<string, MapItem[]>();
  for (const g of groups) {
    if (g.members.length === 1) {
      out.push(g.members[0] as MapItem);
      continue;
    }
    const [lat, lon] = fromPx(g.x, g.y);
    const c = combine(g.members, lat, lon);
    out.push(c);
    parts.set(c.key, g.members);
    for (const m of g.members) anchors.set(itemKey(m), { key: `c:${c.key}`, lat, lon });
  }
  return { items: out, anchors, parts };
}

function absorb(g: Group, members: readonly MapItem[], x: number, y: number, w: number): void {
  const total = g.weight + w;
  g.x = (g.x * g.weight + x * w) / total;
  g.y = (g.y * g.weight + y * w) / total;
  g.weight = total;
  g.members.push(...members);
}

/** One cluster holding every member; keyed by its heaviest member so the drawn bubble stays. */
function combine(members: readonly MapItem[], lat: number, lon: number): ClusterItem {
  const colours: Record<MarkerColour, number> = { green: 0, amber: 0, red: 0, grey: 0 };
  let count = 0;
  let severity = SEVERITY_ORDER.length;
  let south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
  for (const m of members) {
    if (m.kind === "point") {
      colours[m.colour] += 1;
      count += 1;
      south = Math.min(south, m.lat);
      north = Math.max(north, m.lat);
      west = Math.min(west, m.lon);
      east = Math.max(east, m.lon);
    } else {
      for (const k of COLOUR_ORDER) colours[k] += m.colours[k];
      count += m.count;
      south = Math.min(south, m.bounds[0][0]);
      west = Math.min(west, m.bounds[0][1]);
      north = Math.max(north, m.bounds[1][0]);
      east = Math.max(east, m.bounds[1][1]);
    }
    if (m.severity !== undefined) severity = Math.min(severity, SEVERITY_ORDER.indexOf(m.severity));
  }
  const colour = COLOUR_ORDER.find((k) => colours[k] > 0) ?? "green";
  const head = members[0] as MapItem;
  return {
    kind: "cluster",
    key: `m:${itemKey(head)}`,
    lat,
    lon,
    count,
    colour,
    severity: SEVERITY_ORDER[severity] as Severity | undefined,
    colours,
    bounds: [
      [south, west],
      [north, east],
    ],
  };
}
