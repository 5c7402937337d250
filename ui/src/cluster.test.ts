import { describe, expect, it } from "vitest";
import type { ClusterItem, ClusterPoint, MapItem } from "./cluster";
import { ClusterIndex, clusterLabel, project, unproject } from "./cluster";

const WORLD = { west: -180, south: -85, east: 180, north: 85 };

function pt(id: string, lat: number, lon: number, overrides: Partial<ClusterPoint> = {}): ClusterPoint {
  return { id, lat, lon, colour: "green", severity: undefined, ...overrides };
}

function clusters(items: readonly MapItem[]): ClusterItem[] {
  return items.filter((i): i is ClusterItem => i.kind === "cluster");
}

function total(items: readonly MapItem[]): number {
  return items.reduce((n, i) => n + (i.kind === "cluster" ? i.count : 1), 0);
}

/** A 100 x 100 grid of devices spread over the world: 10,000 in all. */
function grid10k(): ClusterPoint[] {
  const out: ClusterPoint[] = [];
  for (let i = 0; i < 100; i++)
    for (let j = 0; j < 100; j++) out.push(pt(`d${i}-${j}`, -60 + i * 1.2, -170 + j * 3.4));
  return out;
}

describe("projection", () => {
  it("round-trips and clamps to the Mercator range", () => {
    const [x, y] = project(48.85, 2.35);
    const [lat, lon] = unproject(x, y);
    expect(lat).toBeCloseTo(48.85, 9);
    expect(lon).toBeCloseTo(2.35, 9);
    expect(project(0, 0)).toEqual([0.5, 0.5]);
    expect(project(90, 180)[1]).toBeCloseTo(0, 6);
  });
});

describe("ClusterIndex", () => {
  it("groups nearby devices and keeps distant ones apart", () => {
    const idx = new ClusterIndex();
    idx.load([pt("a", 48.85, 2.35), pt("b", 48.86, 2.36), pt("c", 48.87, 2.34), pt("far", -33.9, 151.2)]);
    const items = idx.query(WORLD, 3);
    expect(total(items)).toBe(4);
    const [paris] = clusters(items);
    expect(paris?.count).toBe(3);
    expect(items.find((i) => i.kind === "point")).toMatchObject({ kind: "point", id: "far", lat: -33.9, lon: 151.2 });
  });

  it("draws each device alone above maxZoom, and only those in view", () => {
    const idx = new ClusterIndex({ maxZoom: 10 });
    idx.load([pt("a", 48.85, 2.35), pt("b", 48.8501, 2.3501), pt("far", -33.9, 151.2)]);
    const items = idx.query({ west: 2, south: 48, east: 3, north: 49 }, 11);
    expect(items.map((i) => (i.kind === "point" ? i.id : "cluster")).sort()).toEqual(["a", "b"]);
    expect(clusters(idx.query(WORLD, 10))).toHaveLength(1);
  });

  it("keeps the draw count small at 10,000 devices while accounting for all of them", () => {
    const idx = new ClusterIndex();
    idx.load(grid10k());
    expect(idx.size).toBe(10_000);
    for (const zoom of [1, 2, 3, 4]) {
      const items = idx.query(WORLD, zoom);
      expect(total(items)).toBe(10_000);
      // At most one item per 64 px cell: 2^(zoom + 2) cells a side.
      expect(items.length).toBeLessThanOrEqual(4 ** (zoom + 2));
    }
    // A zoomed-in view of Europe draws only what is in it.
    const europe = idx.query({ west: -10, south: 35, east: 30, north: 60 }, 6);
    expect(europe.length).toBeGreaterThan(0);
    expect(total(europe)).toBeLessThan(500);
  });

  it("colours a cluster by the worst state inside and rings it with the worst alarm", () => {
    const idx = new ClusterIndex();
    idx.load([
      pt("a", 10, 10),
      pt("b", 10.01, 10.01, { colour: "grey" }),
      pt("c", 10.02, 10.02, { colour: "amber", severity: "minor" }),
    ]);
    const only = (): ClusterItem => {
      const [c] = clusters(idx.query(WORLD, 2));
      if (c === undefined) throw new Error("no cluster");
      return c;
    };
    expect(only()).toMatchObject({ count: 3, colour: "amber", severity: "minor", colours: { green: 1, grey: 1, amber: 1, red: 0 } });
    expect(idx.update("a", "red", "critical")).toBe(true);
    expect(only()).toMatchObject({ colour: "red", severity: "critical", colours: { red: 1, green: 0 } });
    // Back to healthy: the worst left inside wins again.
    idx.update("a", "green", undefined);
    idx.update("c", "green", undefined);
    expect(only()).toMatchObject({ colour: "grey", severity: undefined });
    idx.update("b", "green", undefined);
    expect(only().colour).toBe("green");
  });

  it("updates in place: no change and unknown ids report false, cluster keys stay stable", () => {
    const idx = new ClusterIndex();
    idx.load([pt("a", 1, 1), pt("b", 1.001, 1.001)]);
    const before = clusters(idx.query(WORLD, 5))[0]?.key;
    expect(idx.update("a", "green", undefined)).toBe(false);
    expect(idx.update("nope", "red", undefined)).toBe(false);
    expect(idx.update("a", "red", undefined)).toBe(true);
    const after = clusters(idx.query(WORLD, 5))[0];
    expect(after?.key).toBe(before);
    expect(after?.colour).toBe("red");
  });

  it("updates every zoom level, so zooming after a change shows it", () => {
    const idx = new ClusterIndex();
    idx.load(grid10k());
    idx.update("d50-50", "red", "major");
    for (let zoom = 0; zoom <= idx.maxZoom; zoom++) {
      const red = idx.query(WORLD, zoom).filter((i) => i.colour === "red");
      expect(red).toHaveLength(1);
      expect(red[0]?.kind === "cluster" ? red[0].colours.red : 1).toBe(1);
    }
  });

  it("gives the members' bounds and the whole extent", () => {
    const idx = new ClusterIndex();
    expect(idx.bounds()).toBeNull();
    idx.load([pt("a", 10, 20), pt("b", 10.5, 20.5), pt("c", -40, -70)]);
    const [[s, w], [n, e]] = idx.bounds() ?? [[0, 0], [0, 0]];
    expect(s).toBeCloseTo(-40, 6);
    expect(w).toBeCloseTo(-70, 6);
    expect(n).toBeCloseTo(10.5, 6);
    expect(e).toBeCloseTo(20.5, 6);
    const c = clusters(idx.query(WORLD, 4))[0];
    expect(c?.bounds[0][0]).toBeCloseTo(10, 6);
    expect(c?.bounds[1][1]).toBeCloseTo(20.5, 6);
  });

  it("load replaces the previous points", () => {
    const idx = new ClusterIndex();
    idx.load([pt("a", 1, 1), pt("b", 2, 2)]);
    idx.load([pt("c", 3, 3)]);
    expect(idx.has("a")).toBe(false);
    expect(idx.query(WORLD, 3)).toMatchObject([{ kind: "point", id: "c" }]);
  });
});

describe("ClusterIndex.anchor", () => {
  it("says where a device is drawn: its cluster's centre, or itself once alone or zoomed in", () => {
    const idx = new ClusterIndex();
    idx.load([pt("a", 10, 20), pt("b", 10.5, 20.5), pt("far", -40, -70)]);
    const items = idx.query(WORLD, 4);
    const c = clusters(items)[0];
    expect(idx.anchor("a", 4)).toEqual({ key: `c:${c?.key}`, lat: c?.lat, lon: c?.lon });
    expect(idx.anchor("b", 4)?.key).toBe(idx.anchor("a", 4)?.key);
    expect(idx.anchor("far", 4)).toEqual({ key: "d:far", lat: -40, lon: -70 });
    expect(idx.anchor("a", idx.maxZoom + 1)).toEqual({ key: "d:a", lat: 10, lon: 20 });
    expect(idx.anchor("nope", 4)).toBeUndefined();
  });
});

describe("clusterLabel", () => {
  it("abbreviates thousands", () => {
    expect([7, 999, 1000, 1250, 9999, 10_000, 12_600].map(clusterLabel)).toEqual(["7", "999", "1.0k", "1.3k", "10k", "10k", "13k"]);
  });
});

describe("ClusterIndex.members", () => {
  it("lists the devices of a drawn cluster", () => {
    const index = new ClusterIndex();
    index.load([
      { id: "a", lat: 52.5, lon: 13.4, colour: "green", severity: undefined },
      { id: "b", lat: 52.5, lon: 13.4, colour: "red", severity: "major" },
      { id: "c", lat: -33.9, lon: 151.2, colour: "green", severity: undefined },
    ]);
    const items = index.query({ west: -180, south: -85, east: 180, north: 85 }, 3);
    const cluster = items.find((i) => i.kind === "cluster");
    expect(cluster?.kind).toBe("cluster");
    if (cluster?.kind !== "cluster") return;
    expect(index.members(cluster.key).map((p) => p.id).sort()).toEqual(["a", "b"]);
    expect(index.members("nonsense")).toEqual([]);
  });
});
