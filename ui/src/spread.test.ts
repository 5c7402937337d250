import { describe, expect, it } from "vitest";
import { SPREAD_GAP_PX, SPREAD_RADIUS_PX, spreadNearby, spreadOffsets } from "./spread";

const dist = ([x, y]: [number, number]): number => Math.hypot(x, y);

describe("spreadOffsets", () => {
  it("leaves lone devices where they are", () => {
    const out = spreadOffsets([
      { id: "a", lat: 1, lon: 2 },
      { id: "b", lat: 1, lon: 2.000001 },
    ]);
    expect(out.size).toBe(0);
  });

  it("fans a co-located group out on a circle of fixed pixel radius, first at the top", () => {
    const out = spreadOffsets(
      [
        { id: "c", lat: 5, lon: 5 },
        { id: "a", lat: 5, lon: 5 },
        { id: "b", lat: 5, lon: 5 },
        { id: "lone", lat: 6, lon: 6 },
      ],
      20,
      10,
    );
    expect([...out.keys()].sort()).toEqual(["a", "b", "c"]);
    for (const o of out.values()) expect(dist(o)).toBeCloseTo(20, 9);
    const a = out.get("a") as [number, number];
    expect(a[0]).toBeCloseTo(0, 9);
    expect(a[1]).toBeCloseTo(-20, 9);
    // Evenly spaced: three points 120 degrees apart.
    const b = out.get("b") as [number, number];
    expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeCloseTo(20 * Math.sqrt(3), 9);
  });

  it("is stable whatever order the devices come in", () => {
    const pts = ["x", "y", "z", "w"].map((id) => ({ id, lat: 0, lon: 0 }));
    const one = spreadOffsets(pts);
    const two = spreadOffsets([...pts].reverse());
    expect(two).toEqual(one);
  });

  it("grows the circle for a big group so neighbours keep their gap", () => {
    const pts = Array.from({ length: 40 }, (_, i) => ({ id: `d${String(i).padStart(2, "0")}`, lat: 3, lon: 4 }));
    const out = spreadOffsets(pts, 18, 16);
    const first = out.get("d00") as [number, number];
    const second = out.get("d01") as [number, number];
    expect(Math.hypot(first[0] - second[0], first[1] - second[1])).toBeCloseTo(16, 6);
    expect(dist(first)).toBeGreaterThan(18);
  });

  it("keeps separate groups separate", () => {
    const out = spreadOffsets([
      { id: "a1", lat: 1, lon: 1 },
      { id: "a2", lat: 1, lon: 1 },
      { id: "b1", lat: 2, lon: 2 },
      { id: "b2", lat: 2, lon: 2 },
    ]);
    expect(out.get("a1")).toEqual(out.get("b1"));
    expect(out.get("a2")).toEqual(out.get("b2"));
    expect(out.get("a1")).not.toEqual(out.get("a2"));
  });
});

describe("spreadNearby", () => {
  it("fans out points that are close but not identical, round their centre", () => {
    const pts = [
      { id: "b", x: 100, y: 100 },
      { id: "a", x: 104, y: 102 },
      { id: "c", x: 300, y: 300 },
    ];
    const off = spreadNearby(pts);
    expect(off.has("c")).toBe(false);
    const at = (id: string, x: number, y: number): [number, number] => {
      const o = off.get(id) as [number, number];
      return [x + o[0], y + o[1]];
    };
    const a = at("a", 104, 102);
    const b = at("b", 100, 100);
    // "a" first, at the top of the circle round (102, 101).
    expect(a[0]).toBeCloseTo(102);
    expect(a[1]).toBeCloseTo(101 - SPREAD_RADIUS_PX);
    expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThanOrEqual(SPREAD_GAP_PX);
  });

  it("groups chains of near points and keeps every fanned marker apart", () => {
    const pts = Array.from({ length: 30 }, (_, i) => ({ id: `d${String(i).padStart(2, "0")}`, x: 500 + (i % 3) * 5, y: 500 + Math.floor(i / 3) * 5 }));
    const off = spreadNearby(pts);
    expect(off.size).toBe(30);
    const at = pts.map((p) => {
      const o = off.get(p.id) as [number, number];
      return [p.x + o[0], p.y + o[1]] as const;
    });
    for (let i = 0; i < at.length; i++)
      for (let j = i + 1; j < at.length; j++) {
        const p = at[i] as readonly [number, number];
        const q = at[j] as readonly [number, number];
        expect(Math.hypot(p[0] - q[0], p[1] - q[1])).toBeGreaterThanOrEqual(SPREAD_GAP_PX - 1e-6);
      }
  });
});
