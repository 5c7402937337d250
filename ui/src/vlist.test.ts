import { describe, expect, it } from "vitest";
import { scrollToReveal, virtualWindow } from "./vlist";

describe("virtualWindow", () => {
  it("renders only the visible rows plus overscan at the top", () => {
    expect(virtualWindow(0, 320, 32, 100_000, 4)).toEqual({ start: 0, end: 15, offsetTop: 0, totalHeight: 3_200_000 });
  });

  it("follows the scroll position with overscan on both sides", () => {
    // row 1000 is at the top of the viewport
    const w = virtualWindow(32_000, 320, 32, 100_000, 4);
    expect(w.start).toBe(996);
    expect(w.end).toBe(1000 + 11 + 4);
    expect(w.offsetTop).toBe(996 * 32);
    expect(w.end - w.start).toBeLessThan(25);
  });

  it("handles a partially scrolled row", () => {
    const w = virtualWindow(50, 100, 32, 1000, 0);
    // rows 1..4 are (partly) visible: 50/32 = 1.56, 150/32 = 4.69
    expect(w.start).toBe(1);
    expect(w.end).toBeGreaterThanOrEqual(5);
  });

  it("clamps at the end, including a scrollTop beyond the content (shrunk list)", () => {
    const w = virtualWindow(1_000_000, 320, 32, 50, 4);
    expect(w.end).toBe(50);
    expect(w.start).toBe(Math.floor((50 * 32 - 320) / 32) - 4);
    expect(w.totalHeight).toBe(1600);
  });

  it("renders everything when the list is shorter than the viewport", () => {
    expect(virtualWindow(0, 800, 32, 5)).toEqual({ start: 0, end: 5, offsetTop: 0, totalHeight: 160 });
  });

  it("is empty for no rows and safe for negative or zero sizes", () => {
    expect(virtualWindow(100, 320, 32, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(virtualWindow(-50, 320, 32, 10, 0).start).toBe(0);
    const hidden = virtualWindow(0, 0, 32, 10, 2);
    expect(hidden.start).toBe(0);
    expect(hidden.end).toBeLessThanOrEqual(3);
    expect(() => virtualWindow(0, 100, 0, 10)).toThrow(RangeError);
  });

  it("keeps the rendered count constant while scrolling through 100,000 rows", () => {
    for (let top = 0; top < 3_200_000 - 600; top += 12_345) {
      const w = virtualWindow(top, 600, 32, 100_000, 4);
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(600 / 32) + 1 + 8);
      expect(w.offsetTop).toBeLessThanOrEqual(top);
      expect(w.offsetTop + (w.end - w.start) * 32).toBeGreaterThanOrEqual(top + 600);
    }
  });
});

describe("scrollToReveal", () => {
  it("scrolls up or down just enough, or not at all", () => {
    expect(scrollToReveal(10, 0, 320, 32)).toBe(32); // row 10 ends at 352
    expect(scrollToReveal(2, 320, 320, 32)).toBe(64);
    expect(scrollToReveal(5, 0, 320, 32)).toBe(0);
  });
});
