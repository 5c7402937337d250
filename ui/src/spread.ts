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
