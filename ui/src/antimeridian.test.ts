import { describe, expect, it } from "vitest";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-110m.json";
import { fixGeometry, splitPolygon, unwrapRing } from "./antimeridian";

/** The largest longitude step between neighbours in any ring, but along a pole (off the map beyond 85°). */
function maxStep(coords: readonly (readonly (readonly (readonly number[])[])[])[]): number {
  let m = 0;
  for (const poly of coords) for (const r of poly) for (let i = 1; i < r.length; i++) {
    if (Math.abs(r[i]?.[1] ?? 0) === 90 && Math.abs(r[i - 1]?.[1] ?? 0) === 90) continue;
    m = Math.max(m, Math.abs((r[i]?.[0] ?? 0) - (r[i - 1]?.[0] ?? 0)));
  }
  return m;
}

describe("antimeridian", () => {
  it("leaves a ring that does not cross alone", () => {
    const ring = [[10, 50], [12, 50], [12, 52], [10, 50]];
    expect(unwrapRing(ring)).toEqual({ ring, changed: false, net: 0 });
    expect(splitPolygon([ring])).toEqual([[ring]]);
  });

  it("unwraps a ring across 180° and draws it on both sides", () => {
    const ring = [[178, -16], [-179, -16], [-179, -17], [178, -17], [178, -16]];
    const parts = splitPolygon([ring]);
    expect(parts).toHaveLength(2);
    expect(parts[0]?.[0]?.map((p) => p[0])).toEqual([-182, -179, -179, -182, -182]);
    expect(parts[1]?.[0]?.map((p) => p[0])).toEqual([178, 181, 181, 178, 178]);
  });

  it("closes a ring round the south pole along the pole", () => {
    const ring = [[-180, -80], [-90, -75], [0, -70], [90, -75], [180, -80], [-180, -80]];
    const { ring: out, net } = unwrapRing(ring);
    expect(net).toBe(1);
    expect(out.slice(-3)).toEqual([[180, -90], [-180, -90], [-180, -80]]);
  });

  it("leaves no world-wide edge in the bundled countries (Russia, Fiji, Antarctica)", () => {
    const world = feature(countries, countries.objects.countries);
    let worst = 0;
    for (const f of world.features) {
      const g = f.geometry;
      if (g.type !== "Polygon" && g.type !== "MultiPolygon") continue;
      worst = Math.max(worst, maxStep(fixGeometry(g).coordinates));
    }
    expect(worst).toBeLessThan(180);
  });
});
