// The header's status summary: how many devices are up, degraded, down and
// unknown ("44 up · 1 down · 2 unknown"), from the inventory and the live
// states the UI already holds. Disabled devices are not polled, so they are
// counted as disabled rather than unknown. Devices showing their last known
// state from before a restart (no poll of this run yet) are counted in that
// state and again as stale ("44 up · 1 down · 3 stale").
import type { Device, DeviceId, DeviceLive, DeviceState } from "./generated/bindings";

export interface StateCounts {
  up: number;
  degraded: number;
  down: number;
  unknown: number;
  disabled: number;
  /** Of the enabled devices above, those whose state is the last known one, not yet confirmed. */
  stale: number;
}

export function countStates(devices: Iterable<Device>, live: ReadonlyMap<DeviceId, DeviceLive>): StateCounts {
  const c: StateCounts = { up: 0, degraded: 0, down: 0, unknown: 0, disabled: 0, stale: 0 };
  for (const d of devices) {
    if (!d.enabled) {
      c.disabled += 1;
      continue;
    }
    const l = live.get(d.id);
    c[l?.state ?? ("unknown" satisfies DeviceState)] += 1;
    if (l?.stale === true) c.stale += 1;
  }
  return c;
}

const ORDER = ["up", "degraded", "down", "unknown", "stale", "disabled"] as const;

/** "44 up · 1 down · 2 unknown · 3 stale": "up" always, the others when there are any; "No devices" for none. */
export function stateSummary(c: StateCounts): string {
  const total = c.up + c.degraded + c.down + c.unknown + c.disabled;
  if (total === 0) return "No devices";
  return ORDER.filter((k) => k === "up" || c[k] > 0)
    .map((k) => `${c[k]} ${k}`)
    .join(" · ");
}
