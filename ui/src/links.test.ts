import { describe, expect, it } from "vitest";
import type { DeviceState } from "./generated/bindings";
import type { Anchor } from "./cluster";
import type { MapLink } from "./links";
import { linkedDevices, linkSegments, linkTone, segmentInView } from "./links";

function link(a: string, b: string | null, localPort = "p1", remotePort = "p2"): MapLink {
  return { localDevice: a, remoteDevice: b, localName: a.toUpperCase(), remoteName: b?.toUpperCase() ?? null, localPort, remotePort };
}

const ANCHORS: Record<string, Anchor> = {
  a: { key: "d:a", lat: 10, lon: 20 },
  b: { key: "d:b", lat: 30, lon: 40 },
  c1: { key: "c:4:77", lat: 50, lon: 60 },
  c2: { key: "c:4:77", lat: 50, lon: 60 },
  x: { key: "c:4:99", lat: -5, lon: -5 },
  y: { key: "c:4:99", lat: -5, lon: -5 },
};

const anchorOf = (id: string): Anchor | undefined => ANCHORS[id];

function states(map: Record<string, DeviceState>): (id: string) => DeviceState | undefined {
  return (id) => map[id];
}

describe("linkTone", () => {
  it("is up only when both ends are up, down when either is down", () => {
    expect(linkTone("up", "up")).toBe("up");
    expect(linkTone("up", "down")).toBe("down");
    expect(linkTone("down", undefined)).toBe("down");
    expect(linkTone("up", "degraded")).toBe("other");
    expect(linkTone(undefined, "up")).toBe("other");
  });
});

describe("linkSegments", () => {
  it("draws matched links between placed devices and skips the rest", () => {
    const segs = linkSegments(
      [link("a", "b"), link("a", null), link("a", "ghost"), link("a", "a")],
      anchorOf,
      states({ a: "up", b: "up" }),
    );
    expect(segs).toHaveLength(1);
    expect(segs[0]).toMatchObject({ key: "d:a|d:b", from: [10, 20], to: [30, 40], tone: "up", count: 1 });
    expect(segs[0]?.title).toBe("A p1 — B p2");
  });

  it("leaves out links inside one cluster and joins two clusters at their centres", () => {
    const segs = linkSegments([link("c1", "c2"), link("c1", "x"), link("c2", "y")], anchorOf, states({}));
    expect(segs).toHaveLength(1);
    expect(segs[0]).toMatchObject({ key: "c:4:77|c:4:99", from: [50, 60], to: [-5, -5], count: 2, tone: "other" });
    expect(segs[0]?.title).toContain("2 links");
  });

  it("counts a cable reported from both ends once and takes the worst tone", () => {
    const segs = linkSegments(
      [link("a", "b", "p1", "p2"), link("b", "a", "p2", "p1"), link("b", "a", "p9", "p8")],
      anchorOf,
      states({ a: "down", b: "up" }),
    );
    expect(segs).toHaveLength(1);
    expect(segs[0]?.count).toBe(2);
    expect(segs[0]?.tone).toBe("down");
    // Either direction gives the same key: the segment survives redraws.
    expect(linkSegments([link("b", "a")], anchorOf, states({}))[0]?.key).toBe("d:a|d:b");
  });

  it("keeps names as plain text in the tooltip and lists at most four links", () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ ...link("a", "b", `p${i}`, `q${i}`), localName: "<b>x</b>" }));
    const [s] = linkSegments(many, anchorOf, states({}));
    const lines = s?.title.split("\n") ?? [];
    expect(lines[0]).toBe("6 links");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain("<b>x</b>");
    expect(lines[5]).toBe("and 2 more");
  });
});

describe("linkedDevices", () => {
  it("lists both ends of matched links only", () => {
    expect([...linkedDevices([link("a", "b"), link("c", null), link("d", "d")])].sort()).toEqual(["a", "b"]);
  });
});

describe("segmentInView", () => {
  const view = { west: 0, south: 0, east: 10, north: 10 };
  const seg = (from: [number, number], to: [number, number]) =>
    ({ key: "k", from, to, tone: "up", count: 1, title: "" }) as const;
  it("keeps segments whose box meets the view, even when both ends are outside", () => {
    expect(segmentInView(seg([5, 5], [50, 50]), view)).toBe(true);
    expect(segmentInView(seg([-5, 5], [15, 5]), view)).toBe(true);
    expect(segmentInView(seg([20, 20], [30, 30]), view)).toBe(false);
    expect(segmentInView(seg([-5, -20], [-1, -10]), view)).toBe(false);
  });
});
