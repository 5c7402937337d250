// Devices at exactly the same coordinates (a rack, a site without per-device
// positions) would be drawn on top of each other, one hiding the rest. Once
// the map is zoomed in past clustering, each such group is fanned out on a
// small circle around the shared point. The radius is in screen pixels, so
// the fan looks the same at every zoom and the markers never wander far from
// where the devices really are. Pure, so vitest covers it.

export interface SpreadPoint {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
}

/** Pixels from the shared point to each fanned-out marker. */
export const SPREAD_RADIUS_PX = 18;
/** Closest two neighbours on the circle may be (a marker is ~14 px across). */
export const SPREAD_GAP_PX = 18;

/**
 * Pixel offsets [dx, dy] (y down) for every point that shares its exact
 * coordinates with another; lone points get none. Members of a group are
 * ordered by id so a redraw puts every device back in the same place, and
 * the first sits at the top. A big group gets a bigger circle, just enough
 * to keep `gapPx` between neighbours.
 */
export function spreadOffsets(
  points: readonly SpreadPoint[],
  radiusPx = SPREAD_RADIUS_PX,
  gapPx = SPREAD_GAP_PX,
): Map<string, [number, number]> {
  const groups = new Map<string, string[]>();
  for (const p of points) {
    const key = `${p.lat},${p.lon}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [p.id]);
    else g.push(p.id);
  }
  const out = new Map<string, [number, number]>();
  for (const ids of groups.values()) {
    const n = ids.length;
    if (n < 2) continue;
    ids.sort();
    const r = Math.max(radiusPx, gapPx / (2 * Math.sin(Math.PI / n)));
    ids.forEach((id, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      out.set(id, [r * Math.cos(a), r * Math.sin(a)]);
    });
  }
  return out;
}

export interface PixelPoint {
  readonly id: string;
  /** Screen (or world) pixels at the current zoom. */
  readonly x: number;
  readonly y: number;
}

/** Markers closer than this (pixels) overlap and are fanned out together. */
export const NEAR_PX = 14;

/**
 * Like spreadOffsets, but for devices that are merely close on screen (one
 * site, a campus at the map's deepest zoom), not only identical: points
 * within `nearPx` of another (transitively) form a group, fanned out on a
 * circle round the group's centre. Offsets are from each point's own
 * position. A grid of `nearPx` cells keeps it linear in the points.
 */
export function spreadNearby(
  points: readonly PixelPoint[],
  nearPx = NEAR_PX,
  radiusPx = SPREAD_RADIUS_PX,
  gapPx = SPREAD_GAP_PX,
): Map<string, [number, number]> {
  const parent = points.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const p = parent[parent[i] as number] as number;
      parent[i] = p;
      i = p;
    }
    return i;
  };
  const grid = new Map<string, number[]>();
  points.forEach((p, i) => {
    const gx = Math.floor(p.x / nearPx);
    const gy = Math.floor(p.y / nearPx);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
          const q = points[j] as PixelPoint;
          if (Math.hypot(q.x - p.x, q.y - p.y) < nearPx) parent[find(i)] = find(j);
        }
      }
    const key = `${gx},${gy}`;
    const cell = grid.get(key);
    if (cell === undefined) grid.set(key, [i]);
    else cell.push(i);
  });
  const groups = new Map<number, PixelPoint[]>();
  points.forEach((p, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g === undefined) groups.set(root, [p]);
    else g.push(p);
  });
  const out = new Map<string, [number, number]>();
  for (const g of groups.values()) {
    const n = g.length;
    if (n < 2) continue;
    g.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const cx = g.reduce((s, p) => s + p.x, 0) / n;
    const cy = g.reduce((s, p) => s + p.y, 0) / n;
    const r = Math.max(radiusPx, gapPx / (2 * Math.sin(Math.PI / n)));
    g.forEach((p, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      out.set(p.id, [cx + r * Math.cos(a) - p.x, cy + r * Math.sin(a) - p.y]);
    });
  }
  return out;
}
