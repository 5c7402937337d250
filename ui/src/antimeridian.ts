// The offline basemap (world-atlas, Natural Earth 1:110m) is in spherical
// coordinates: a ring that crosses the antimeridian (Russia's Chukotka, Fiji)
// jumps from +179° to -179°, and Leaflet, which draws in the plane, draws
// that jump as an edge across the whole world (the beige band at 60-70°N,
// the stray line in the southern tropics). Antarctica goes round the pole
// and closes with one such jump. Here each ring is unwrapped into one
// continuous run of longitudes, a ring round a pole is closed along the
// pole, and every changed polygon is also emitted shifted by ±360° so that
// both sides of the antimeridian show. Pure, so vitest covers it.

export type Position = readonly number[];
export type Ring = readonly Position[];
export type PolygonCoords = readonly Ring[];

export interface PolygonGeometry {
  readonly type: "Polygon";
  readonly coordinates: PolygonCoords;
}
export interface MultiPolygonGeometry {
  readonly type: "MultiPolygon";
  readonly coordinates: readonly PolygonCoords[];
}

/** A ring with every ±360° jump between neighbours removed, and whether one was. */
export function unwrapRing(ring: Ring): { ring: number[][]; changed: boolean; net: number } {
  const out: number[][] = [];
  let shift = 0;
  let net = 0;
  let prev: number | null = null;
  for (const p of ring) {
    const lon = p[0] ?? 0;
    const lat = p[1] ?? 0;
    if (prev !== null) {
      const d = lon - prev;
      if (d > 180) {
        shift -= 360;
        net -= 1;
      } else if (d < -180) {
        shift += 360;
        net += 1;
      }
    }
    prev = lon;
    out.push([lon + shift, lat]);
  }
  const changed = out.some((p, i) => p[0] !== ring[i]?.[0]);
  if (net !== 0 && out.length > 0) {
    // Round a pole: the ring ends 360° from where it began. Close it along
    // the pole on the side it lies (Antarctica: the south).
    const first = out[0] as number[];
    const last = out[out.length - 1] as number[];
    const pole = (first[1] ?? 0) + (last[1] ?? 0) < 0 ? -90 : 90;
    out.push([last[0] ?? 0, pole], [first[0] ?? 0, pole], [first[0] ?? 0, first[1] ?? 0]);
  }
  return { ring: out, changed, net };
}

function shifted(poly: number[][][], dx: number): number[][][] {
  return poly.map((r) => r.map((p) => [(p[0] ?? 0) + dx, p[1] ?? 0]));
}

function lonRange(poly: readonly (readonly number[][])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of poly) for (const p of r) {
    lo = Math.min(lo, p[0] ?? 0);
    hi = Math.max(hi, p[0] ?? 0);
  }
  return [lo, hi];
}

/**
 * One polygon as polygons Leaflet can draw: unchanged when no ring crosses
 * the antimeridian, else the unwrapped polygon and its ±360° copies that
 * reach into -180..180.
 */
export function splitPolygon(poly: PolygonCoords): number[][][][] {
  const rings = poly.map((r) => unwrapRing(r));
  const plain = rings.map((r) => r.ring);
  if (!rings.some((r) => r.changed || r.net !== 0)) return [plain];
  const out: number[][][][] = [];
  for (const dx of [-360, 0, 360]) {
    const copy = dx === 0 ? plain : shifted(plain, dx);
    const [lo, hi] = lonRange(copy);
    if (hi > -180 && lo < 180) out.push(copy);
  }
  return out;
}

/** A country's geometry with its antimeridian crossings unwrapped (see splitPolygon). */
export function fixGeometry(g: PolygonGeometry | MultiPolygonGeometry): MultiPolygonGeometry {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  return { type: "MultiPolygon", coordinates: polys.flatMap((p) => splitPolygon(p)) };
}
