// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PRESET,
  presetForAge,
  describe as describeRange,
  isLive,
  MAX_POINTS,
  maxPointsFor,
  MIN_POINTS,
  presetButtons,
  preset,
  PRESETS,
  resolve,
  shouldRefresh,
  zoomTo,
  type TimeRange,
} from "./timerange";
import { toElement } from "./html";

const NOW = Date.parse("2026-03-01T12:00:00Z");

describe("presets", () => {
  it("offer 1 h to 30 d, and fall back to the default for an unknown key", () => {
    expect(PRESETS.map((p) => p.label)).toEqual(["1 h", "6 h", "24 h", "7 d", "30 d"]);
    expect(preset("7d").seconds).toBe(7 * 86_400);
    expect(preset("nonsense").key).toBe(DEFAULT_PRESET);
  });

  it("resolve to a window ending now", () => {
    const { from, to } = resolve({ kind: "preset", key: "6h" }, NOW);
    expect(to.getTime()).toBe(NOW);
    expect(to.getTime() - from.getTime()).toBe(6 * 3600 * 1000);
    expect(from.toISOString()).toBe("2026-03-01T06:00:00.000Z");
  });
});

describe("refresh", () => {
  const live: TimeRange = { kind: "preset", key: "1h" };
  const fixed: TimeRange = { kind: "fixed", fromMs: NOW - 3_600_000, toMs: NOW - 1_800_000 };

  it("happens only for a range ending now, on a page and window that show", () => {
    expect(isLive(live)).toBe(true);
    expect(isLive(fixed)).toBe(false);
    expect(shouldRefresh(live, true, true)).toBe(true);
    expect(shouldRefresh(live, false, true)).toBe(false);
    expect(shouldRefresh(live, true, false)).toBe(false);
    expect(shouldRefresh(fixed, true, true)).toBe(false);
  });

  it("keeps a fixed window as it is", () => {
    const { from, to } = resolve(fixed, NOW + 999_999);
    expect([from.getTime(), to.getTime()]).toEqual([NOW - 3_600_000, NOW - 1_800_000]);
  });
});

describe("zoom", () => {
  it("turns a drag into a fixed window, in either direction", () => {
    expect(zoomTo(1000, 4600)).toEqual({ kind: "fixed", fromMs: 1_000_000, toMs: 4_600_000 });
    expect(zoomTo(4600, 1000)).toEqual({ kind: "fixed", fromMs: 1_000_000, toMs: 4_600_000 });
  });

  it("ignores a click or a sliver narrower than a minute", () => {
    expect(zoomTo(1000, 1000)).toBeNull();
    expect(zoomTo(1000, 1059)).toBeNull();
    expect(zoomTo(Number.NaN, 1000)).toBeNull();
  });
});

describe("points per series", () => {
  it("follow the chart width within the service's bounds", () => {
    expect(maxPointsFor(1000)).toBe(500);
    expect(maxPointsFor(0)).toBe(MIN_POINTS);
    expect(maxPointsFor(Number.NaN)).toBe(MIN_POINTS);
    expect(maxPointsFor(100_000)).toBe(MAX_POINTS);
  });
});

describe("picker", () => {
  it("marks the active preset pressed and none for a zoomed window", () => {
    const el = toElement(presetButtons({ kind: "preset", key: "7d" }));
    expect(el.querySelectorAll("button")).toHaveLength(5);
    expect(el.querySelector('[data-range="7d"]')?.getAttribute("aria-pressed")).toBe("true");
    expect(el.querySelector('[data-range="1h"]')?.getAttribute("aria-pressed")).toBe("false");
    expect(el.querySelector("[style]")).toBeNull();
    expect(toElement(presetButtons({ kind: "fixed", fromMs: 0, toMs: 1 })).querySelector('[aria-pressed="true"]')).toBeNull();
  });

  it("describes the range", () => {
    expect(describeRange({ kind: "preset", key: "24h" })).toBe("last 24 h");
    expect(describeRange({ kind: "fixed", fromMs: NOW - 3_600_000, toMs: NOW }, "en-GB")).toContain("–");
    // Local times, so this holds in every time zone; the hour cycle is the locale's.
    const from = new Date(2026, 2, 3, 8, 0).getTime();
    const to = new Date(2026, 2, 3, 9, 30).getTime();
    expect(describeRange({ kind: "fixed", fromMs: from, toMs: to }, "en-GB")).toBe("3 Mar 2026, 08:00 – 09:30");
    expect(describeRange({ kind: "fixed", fromMs: from, toMs: to }, "en-US").replace(/\s/g, " ")).toBe("Mar 3, 2026, 8:00 AM – 9:30 AM");
    expect(describeRange({ kind: "fixed", fromMs: from, toMs: to + 86_400_000 }, "de-DE")).toBe("03.03.2026, 08:00 – 04.03.2026, 09:30");
  });
});

describe("presetForAge", () => {
  const now = Date.parse("2026-03-03T12:00:00Z");
  it("opens a young device on the shortest range that covers its life", () => {
    expect(presetForAge(now - 10 * 60_000, now)).toBe("1h");
    expect(presetForAge(now - 3600_000, now)).toBe("1h");
    expect(presetForAge(now - 3 * 3600_000, now)).toBe("6h");
    expect(presetForAge(now - 20 * 3600_000, now)).toBe("24h");
  });
  it("keeps the default for older devices and for times it cannot trust", () => {
    expect(presetForAge(now - 40 * 86_400_000, now)).toBe(DEFAULT_PRESET);
    expect(presetForAge(now - 3 * 86_400_000, now)).toBe(DEFAULT_PRESET);
    expect(presetForAge(now + 60_000, now)).toBe(DEFAULT_PRESET);
    expect(presetForAge(Number.NaN, now)).toBe(DEFAULT_PRESET);
  });
});
