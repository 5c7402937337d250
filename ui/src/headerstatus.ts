// The header's status summary: how many devices are up, degraded, down and
// unknown ("44 up · 1 down · 2 unknown"), from the inventory and the live
// states the UI already holds. Disabled devices are not polled, so they are
// counted as disabled rather than unknown.
import type { Device, DeviceId, DeviceLive, DeviceState } from "./generated/bindings";

export interface StateCounts {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  disabled: number;
}

export function countStates(devices: Iterable<Device>, live: ReadonlyMap<DeviceId, DeviceLive>): StateCounts {
  const c: StateCounts = { up: 0, degraded: 0, down: 0, unknown: 0, disabled: 0 };
  for (const d of devices) {
    if (!d.enabled) c.disabled += 1;
    else c[live.get(d.id)?.state ?? ("unknown" satisfies DeviceState)] += 1;
  }
  return c;
}

const ORDER = ["up", "degraded", "down", "unknown", "disabled"] as const;

/** "44 up · 1 down · 2 unknown": "up" always, the others when there are any; "No devices" for none. */
export function stateSummary(c: StateCounts): string {
  const total = ORDER.reduce((n, k) => n + c[k], 0);
  if (total === 0) return "No devices";
  return ORDER.filter((k) => k === "up" || c[k] > 0)
    .map((k) => `${c[k]} ${k}`)
    .join(" · ");
}
