import { describe, expect, it } from "vitest";
import type { Device, DeviceLive } from "./generated/bindings";
import { device } from "./fixtures";
import { countStates, stateSummary } from "./headerstatus";

function live(d: Device, state: DeviceLive["state"], stale = false): [string, DeviceLive] {
  return [d.id, { deviceId: d.id, state, stale } as DeviceLive];
}

describe("header status summary", () => {
  it("counts live states, unknown for devices not polled yet, disabled apart", () => {
    const a = device({ id: "a" });
    const b = device({ id: "b" });
    const c = device({ id: "c" });
    const d = device({ id: "d", enabled: false });
    const e = device({ id: "e" });
    const counts = countStates([a, b, c, d, e], new Map([live(a, "up"), live(b, "up"), live(c, "down"), live(d, "up")]));
    expect(counts).toEqual({ up: 2, degraded: 0, down: 1, unknown: 1, disabled: 1, stale: 0 });
    expect(stateSummary(counts)).toBe("2 up · 1 down · 1 unknown · 1 disabled");
  });

  it("always says how many are up, and says when there are no devices", () => {
    expect(stateSummary({ up: 0, degraded: 1, down: 0, unknown: 0, disabled: 0, stale: 0 })).toBe("0 up · 1 degraded");
    expect(stateSummary({ up: 44, degraded: 0, down: 1, unknown: 2, disabled: 0, stale: 0 })).toBe("44 up · 1 down · 2 unknown");
    expect(stateSummary({ up: 0, degraded: 0, down: 0, unknown: 0, disabled: 0, stale: 0 })).toBe("No devices");
  });

  it("counts devices showing their last known state as stale too, disabled ones not", () => {
    const [a, b, c, d, e] = ["a", "b", "c", "d", "e"].map((id) => device({ id }));
    const off = device({ id: "off", enabled: false });
    const devices = [a, b, c, d, e, off].filter((x): x is Device => x !== undefined);
    const map = new Map([
      live(devices[0]!, "up", true),
      live(devices[1]!, "up", true),
      live(devices[2]!, "up"),
      live(devices[3]!, "down"),
      live(devices[4]!, "down", true),
      live(off, "up", true),
    ]);
    const counts = countStates(devices, map);
    expect(counts).toMatchObject({ up: 3, down: 2, stale: 3, disabled: 1 });
    expect(stateSummary({ up: 44, degraded: 0, down: 1, unknown: 0, disabled: 0, stale: 3 })).toBe("44 up · 1 down · 3 stale");
    expect(stateSummary(counts)).toBe("3 up · 2 down · 3 stale · 1 disabled");
  });
});
