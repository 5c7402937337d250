import { describe, expect, it } from "vitest";
import type { Site } from "./generated/bindings";
import type { CoreEvent, DeviceLive } from "./generated/bindings";
import { applyEvent, byId, deviceLocation, diffLive, emptyModel, liveById, mergeChanges, NO_CHANGES } from "./model";
import { alarm, device } from "./fixtures";


function site(overrides: Partial<Site> = {}): Site {
  return {
    id: "site-1",
    name: "paris",
    lat: 48.85,
    lon: 2.35,
    hasFloorPlan: false,
    deviceCount: 1,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
    version: 1,
    ...overrides,
  };
}

describe("applyEvent", () => {
  it("adds a raised alarm, replaces it on ack, and removes it on clear", () => {
    const m = emptyModel();
    const a = alarm({ deviceId: "dev-1" });
    // The alarm touches its device's marker only; the inventory is unchanged.
    expect(applyEvent(m, { type: "alarmRaised", alarm: a })).toEqual({
      alarms: true,
      devices: false,
      touched: new Set(["dev-1"]),
      reloadInventory: false,
    });
    expect(m.alarms.get(a.id)).toBe(a);

    const acked = { ...a, ackedAt: "2025-01-01T00:01:00Z", ackedBy: "ops", ackComment: "on it", version: 2 };
    applyEvent(m, { type: "alarmAcknowledged", alarm: acked });
    expect(m.alarms.get(a.id)?.ackComment).toBe("on it");

    const cleared = { ...acked, clearedAt: "2025-01-01T00:02:00Z", perceivedSeverity: "cleared" as const, version: 3 };
    applyEvent(m, { type: "alarmCleared", alarm: cleared });
    expect(m.alarms.size).toBe(0);
  });

  it("ignores an event older than what the model holds", () => {
    const m = emptyModel();
    const a = alarm({ version: 3, ackComment: "fresh" });
    m.alarms.set(a.id, a);
    const stale = { ...a, version: 2, ackComment: "stale" };
    expect(applyEvent(m, { type: "alarmAcknowledged", alarm: stale }).alarms).toBe(false);
    expect(m.alarms.get(a.id)?.ackComment).toBe("fresh");
  });

  it("an alarm without a device does not touch the markers", () => {
    const m = emptyModel();
    const c = applyEvent(m, { type: "alarmRaised", alarm: alarm({ deviceId: null }) });
    expect(c.devices).toBe(false);
    expect(c.touched.size).toBe(0);
  });

  it("updates the live state on a state change, keeping RTT unless down", () => {
    const m = emptyModel();
    m.live.set("dev-1", {
      deviceId: "dev-1",
      state: "up",
      rttMs: 0.05,
      lossPct: 0,
      lastSeen: "2025-01-01T00:00:00Z",
      lastPoll: "2025-01-01T00:00:00Z",
      stale: true,
      since: "2024-12-31T00:00:00Z",
    });
    const c = applyEvent(m, {
      type: "deviceStateChanged",
      deviceId: "dev-1",
      name: "r1",
      from: "up",
      to: "degraded",
      at: "2025-01-01T00:00:30Z",
    });
    expect(c.devices).toBe(false);
    expect([...c.touched]).toEqual(["dev-1"]);
    expect(m.live.get("dev-1")).toMatchObject({ state: "degraded", rttMs: 0.05, lastSeen: "2025-01-01T00:00:00Z" });

    applyEvent(m, { type: "deviceStateChanged", deviceId: "dev-1", name: "r1", from: "degraded", to: "down", at: "2025-01-01T00:01:00Z" });
    expect(m.live.get("dev-1")).toMatchObject({ state: "down", rttMs: null, lossPct: 100, lastPoll: "2025-01-01T00:01:00Z", stale: false, since: null });

    applyEvent(m, { type: "deviceStateChanged", deviceId: "dev-9", name: "new", from: "unknown", to: "up", at: "2025-01-01T00:01:00Z" });
    expect(m.live.get("dev-9")?.state).toBe("up");
  });

  it("asks for an inventory reload on device/site changes and drops removed devices at once", () => {
    const m = emptyModel();
    m.devices = byId([device()]);
    m.live.set("dev-1", { deviceId: "dev-1", state: "up", rttMs: 1, lossPct: 0, lastSeen: null, lastPoll: null, stale: false, since: null });
    expect(applyEvent(m, { type: "inventoryChanged", entity: "device", id: "dev-2", action: "added" })).toEqual({
      alarms: false,
      devices: true,
      touched: new Set(),
      reloadInventory: true,
    });
    applyEvent(m, { type: "inventoryChanged", entity: "device", id: "dev-1", action: "removed" });
    expect(m.devices.size).toBe(0);
    expect(m.live.size).toBe(0);
    expect(applyEvent(m, { type: "inventoryChanged", entity: "link", id: "dev-1", action: "links_refreshed" }).reloadInventory).toBe(false);
  });
});

describe("applyEvent with an event kind the view does not know", () => {
  it("changes nothing", () => {
    const m = emptyModel();
    const ev = { type: "somethingNew", id: "x" } as unknown as CoreEvent;
    expect(applyEvent(m, ev)).toEqual({ alarms: false, devices: false, touched: new Set(), reloadInventory: false });
  });
});

describe("deviceLocation", () => {
  const sites = byId([site()]);
  it("prefers the device's own location", () => {
    expect(deviceLocation(device({ lat: 52.5, lon: 13.4, siteId: "site-1" }), sites)).toEqual([52.5, 13.4]);
  });
  it("falls back to the site's location", () => {
    expect(deviceLocation(device({ siteId: "site-1" }), sites)).toEqual([48.85, 2.35]);
  });
  it("has none without either, with an unknown site, or with a site without coordinates", () => {
    expect(deviceLocation(device(), sites)).toBeNull();
    expect(deviceLocation(device({ siteId: "gone" }), sites)).toBeNull();
    expect(deviceLocation(device({ siteId: "s2" }), byId([site({ id: "s2", lat: null, lon: null })]))).toBeNull();
  });
  it("rejects out-of-range coordinates", () => {
    expect(deviceLocation(device({ lat: 95, lon: 0 }), sites)).toBeNull();
    expect(deviceLocation(device({ lat: 0, lon: Number.NaN }), sites)).toBeNull();
  });
});

function live(deviceId: string, overrides: Partial<DeviceLive> = {}): DeviceLive {
  return {
    deviceId,
    state: "up",
    rttMs: 0.05,
    lossPct: 0,
    lastSeen: "2025-01-01T00:00:00Z",
    lastPoll: "2025-01-01T00:00:00Z",
    stale: false,
    since: null,
    ...overrides,
  };
}

describe("diffLive", () => {
  it("finds nothing when a poll brings the same values", () => {
    const prev = liveById([live("a"), live("b")]);
    const d = diffLive(prev, [live("a"), live("b")]);
    expect(d.states.size).toBe(0);
    expect(d.details.size).toBe(0);
    expect(d.live.get("a")).toEqual(live("a"));
  });

  it("separates state changes (marker colour) from value-only changes (popup)", () => {
    const prev = liveById([live("a"), live("b"), live("c")]);
    const d = diffLive(prev, [
      live("a", { state: "down", rttMs: null, lossPct: 100 }),
      live("b", { rttMs: 0.07, lastSeen: "2025-01-01T00:00:30Z" }),
      live("c"),
    ]);
    expect([...d.states]).toEqual(["a"]);
    expect([...d.details]).toEqual(["b"]);
  });

  it("counts a new sysUpTime reading as a value change, and a state event keeps it", () => {
    const up = { uptimeSecs: 90, uptimeAt: "2025-01-01T00:00:00Z" };
    const prev = liveById([live("a", up)]);
    const d = diffLive(prev, [live("a", { uptimeSecs: 120, uptimeAt: "2025-01-01T00:00:30Z" })]);
    expect([...d.details]).toEqual(["a"]);
    const m = emptyModel();
    m.live = liveById([live("a", up)]);
    applyEvent(m, { type: "deviceStateChanged", deviceId: "a", name: "a", from: "up", to: "degraded", at: "2025-01-01T00:01:00Z" });
    expect(m.live.get("a")).toMatchObject({ state: "degraded", ...up });
  });

  it("redraws a device whose last known state a poll confirms, though the state is the same", () => {
    const prev = liveById([live("a", { stale: true, since: "2024-12-31T00:00:00Z", lastPoll: null })]);
    const d = diffLive(prev, [live("a")]);
    expect([...d.states]).toEqual(["a"]);
    expect(d.live.get("a")?.stale).toBe(false);
  });

  it("counts devices that appear or vanish as state changes", () => {
    const d = diffLive(liveById([live("gone")]), [live("new")]);
    expect([...d.states].sort()).toEqual(["gone", "new"]);
    expect(d.live.has("gone")).toBe(false);
  });

  it("scales: one changed device among 10,000 is the only one reported", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => live(`d${i}`));
    const next = many.map((l, i) => (i === 4242 ? { ...l, state: "degraded" as const } : l));
    const d = diffLive(liveById(many), next);
    expect([...d.states]).toEqual(["d4242"]);
    expect(d.details.size).toBe(0);
  });
});

describe("mergeChanges", () => {
  it("unions flags and touched devices", () => {
    const a = { ...NO_CHANGES, touched: new Set(["x"]) };
    const b = { ...NO_CHANGES, alarms: true, touched: new Set(["y"]) };
    const m = mergeChanges(a, b);
    expect(m.alarms).toBe(true);
    expect(m.devices).toBe(false);
    expect([...m.touched].sort()).toEqual(["x", "y"]);
  });
});
