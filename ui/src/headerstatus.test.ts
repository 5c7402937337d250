import { describe, expect, it } from "vitest";
import type { Device, DeviceLive } from "./generated/bindings";
import { device } from "./fixtures";
import { countStates, stateSummary } from "./headerstatus";

function live(d: Device, state: DeviceLive["state"]): [string, DeviceLive] {
  return [d.id, { deviceId: d.id, state } as DeviceLive];
}

describe("header status summary", () => {
  it("counts live states, unknown for devices not polled yet, disabled apart", () => {
    const a = device({ id: "a" });
    const b = device({ id: "b" });
    const c = device({ id: "c" });
    const d = device({ id: "d", enabled: false });
    const e = device({ id: "e" });
    const counts = countStates([a, b, c, d, e], new Map([live(a, "up"), live(b, "up"), live(c, "down"), live(d, "up")]));
    expect(counts).toEqual({ up: 2, degraded: 0, down: 1, unknown: 1, disabled: 1 });
    expect(stateSummary(counts)).toBe("2 up · 1 down · 1 unknown · 1 disabled");
  });

  it("always says how many are up, and says when there are no devices", () => {
    expect(stateSummary({ up: 0, degraded: 1, down: 0, unknown: 0, disabled: 0 })).toBe("0 up · 1 degraded");
    expect(stateSummary({ up: 44, degraded: 0, down: 1, unknown: 2, disabled: 0 })).toBe("44 up · 1 down · 2 unknown");
    expect(stateSummary({ up: 0, degraded: 0, down: 0, unknown: 0, disabled: 0 })).toBe("No devices");
  });
});
