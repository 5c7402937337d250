import { describe, expect, it } from "vitest";
import type { ClusterItem, MapItem, PointItem } from "./cluster";
import { ClusterIndex, project, unproject } from "./cluster";
import { mergeOverlapping } from "./overlap";

const WORLD = (z: number): number => 256 * 2 ** z;
const px = (z: number) => (lat: number, lon: number): [number, number] => {
  const [x, y] = project(lat, lon);
  return [x * WORLD(z), y * WORLD(z)];
};
const ll = (z: number) => (x: number, y: number): [number, number] => unproject(x / WORLD(z), y / WORLD(z));

function point(id: string, lat: number, lon: number, colour: PointItem["colour"] = "green"): PointItem {
  return { kind: "point", id, lat, lon, colour, severity: undefined };
}

describe("mergeOverlapping", () => {
  it("merges London's and Frankfurt's clusters at world zoom, and keeps them apart once zoomed in", () => {
    const pts = [
      ...[0, 1, 2].map((i) => ({ id: `lon${i}`, lat: 51.5, lon: -0.12, colour: "green" as const, severity: undefined })),
      ...[0, 1, 2, 3].map((i) => ({ id: `fra${i}`, lat: 50.11, lon: 8.68, colour: "red" as const, severity: "major" as const })),
    ];
    const index = new ClusterIndex();
    index.load(pts);
    const world = { west: -180, south: -85, east: 180, north: 85 };
    const raw = index.query(world, 2);
    expect(raw).toHaveLength(2); // two cells, 25 px apart: one bubble would hide the other
    const merged = mergeOverlapping(raw, px(2), ll(2));
    expect(merged.items).toHaveLength(1);
    const c = merged.items[0] as ClusterItem;
    expect(c.count).toBe(7);
    expect(c.colour).toBe("red");
    expect(c.severity).toBe("major");
    expect(c.colours).toEqual({ green: 3, amber: 0, red: 4, grey: 0 });
    expect(merged.parts.get(c.key)).toHaveLength(2);
    for (const r of raw) expect(merged.anchors.get(`c:${(r as ClusterItem).key}`)?.key).toBe(`c:${c.key}`);
    // The centre lies between the two, nearer the heavier Frankfurt.
    expect(c.lon).toBeGreaterThan(4.3);
    expect(c.lon).toBeLessThan(8.68);
    expect(mergeOverlapping(index.query(world, 6), px(6), ll(6)).items).toHaveLength(2);
  });

  it("folds a lone device under a bubble into it, and leaves far items alone", () => {
    const items: MapItem[] = [point("a", 0, 0), point("b", 0.5, 0.5), point("c", 40, 100)];
    const m = mergeOverlapping(items, px(3), ll(3));
    expect(m.items.map((i) => (i.kind === "point" ? i.id : i.count)).sort()).toEqual([2, "c"]);
  });

  it("gives the same keys whatever the input order", () => {
    const items: MapItem[] = [point("a", 0, 0), point("b", 0.5, 0.5), point("c", 0.2, 0.1)];
    const k1 = mergeOverlapping(items, px(3), ll(3)).items.map((i) => (i.kind === "cluster" ? i.key : i.id));
    const k2 = mergeOverlapping([...items].reverse(), px(3), ll(3)).items.map((i) => (i.kind === "cluster" ? i.key : i.id));
    expect(k1).toEqual(k2);
  });

  it("leaves no two drawn items closer than the merge distance", () => {
    const items: MapItem[] = [];
    for (let i = 0; i < 60; i++) items.push(point(`p${i}`, 48 + (i % 7) * 0.9, 2 + Math.floor(i / 7) * 1.3));
    const m = mergeOverlapping(items, px(4), ll(4));
    const at = m.items.map((i) => px(4)(i.lat, i.lon));
    for (let i = 0; i < at.length; i++)
      for (let j = i + 1; j < at.length; j++) {
        const a = at[i] as [number, number];
        const b = at[j] as [number, number];
        expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThanOrEqual(36 - 1e-6);
      }
    expect(m.items.reduce((n, i) => n + (i.kind === "point" ? 1 : i.count), 0)).toBe(60);
  });
});
