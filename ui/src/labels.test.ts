import { describe, expect, it } from "vitest";
import { labelText, markerRect, overlaps, placeLabels } from "./labels";

const view = { width: 800, height: 600 };

describe("placeLabels", () => {
  it("puts a lone label to the right of its marker", () => {
    const p = placeLabels([{ key: "a", text: "core-1", x: 100, y: 100, r: 7, priority: 1 }], [markerRect(100, 100, 7)], view);
    expect(p.get("a")?.side).toBe("right");
    expect(p.get("a")?.rect.x0).toBe(110);
  });

  it("moves a label off a neighbouring marker, and drops it when there is no room at all", () => {
    const markers = [markerRect(100, 100, 7), markerRect(140, 100, 7)];
    const p = placeLabels(
      [
        { key: "a", text: "a-long-name", x: 100, y: 100, r: 7, priority: 1 },
        { key: "b", text: "b", x: 140, y: 100, r: 7, priority: 1 },
      ],
      markers,
      view,
    );
    expect(p.get("a")?.side).not.toBe("right");
    for (const [, l] of p) for (const m of markers) expect(overlaps(l.rect, m)).toBe(false);
    const crowded = placeLabels([{ key: "x", text: "x", x: 5, y: 5, r: 7, priority: 1 }], [], { width: 10, height: 10 });
    expect(crowded.size).toBe(0);
  });

  it("gives room to higher priority first, and no two labels overlap", () => {
    const cands = Array.from({ length: 40 }, (_, i) => ({ key: `d${i}`, text: `device-${i}`, x: 300 + (i % 5) * 12, y: 300 + Math.floor(i / 5) * 12, r: 6, priority: 1 }));
    cands.push({ key: "site", text: "Berlin", x: 320, y: 340, r: 16, priority: 10 });
    const p = placeLabels(cands, [], view);
    expect(p.has("site")).toBe(true);
    const rects = [...p.values()].map((l) => l.rect);
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i]!, rects[j]!)).toBe(false);
    expect(p.size).toBeLessThan(cands.length);
  });

  it("cuts long names", () => {
    expect(labelText("a".repeat(30), 10)).toBe(`${"a".repeat(9)}…`);
    expect(labelText("short", 10)).toBe("short");
  });
});
