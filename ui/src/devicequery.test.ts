import { describe, expect, it } from "vitest";
import type { Device, DeviceLive, Severity } from "./generated/bindings";
import { device } from "./fixtures";
import {
  buildRows,
  dependsOnLive,
  facets,
  filterRows,
  NO_FILTER,
  NONE,
  nextSort,
  sortRows,
  updateLive,
  type DeviceFilter,
  type SortSpec,
} from "./devicequery";

const devs: Device[] = [
  device({ id: "a", name: "core-r10", address: "127.0.2.10", vendor: "Cisco", model: "C9300", siteId: "s1", siteName: "HQ", tags: ["core"] }),
  device({ id: "b", name: "core-r2", address: "127.0.2.2", vendor: "Juniper", siteId: "s2", siteName: "Lab", tags: ["core", "lab"] }),
  device({ id: "c", name: "printer", address: "printer.lab", kind: "printer", tags: ["office"] }),
  device({ id: "d", name: "v6-host", address: "2001:db8::1", kind: "server", vendor: "Cisco", enabled: false }),
];
const live = new Map<string, DeviceLive>([
  ["a", { deviceId: "a", state: "up", rttMs: 1, lossPct: 0, lastSeen: "2026-03-01T10:00:00Z", lastPoll: null, stale: false, since: null }],
  ["b", { deviceId: "b", state: "down", rttMs: null, lossPct: 100, lastSeen: "2026-03-01T09:00:00Z", lastPoll: null, stale: false, since: null }],
]);
const worst = new Map<string, Severity>([
  ["a", "warning"],
  ["b", "critical"],
]);
const rows = buildRows(devs, live, worst);
const ids = (rs: { device: Device }[]): string[] => rs.map((r) => r.device.id);
const filter = (f: Partial<DeviceFilter>): string[] => ids(filterRows(rows, { ...NO_FILTER, ...f }));
const sort = (s: SortSpec): string[] => ids(sortRows(rows, s));

describe("device rows", () => {
  it("carry the live state and the worst alarm side by side (up with a warning shows both)", () => {
    const a = rows.find((r) => r.device.id === "a");
    expect(a?.state).toBe("up");
    expect(a?.worst).toBe("warning");
    expect(rows.find((r) => r.device.id === "c")?.state).toBe("unknown");
  });

  it("update in place when only live values change", () => {
    const [r] = buildRows([devs[0] as Device], new Map(), new Map());
    if (r === undefined) throw new Error("no row");
    updateLive(r, { deviceId: "a", state: "down", rttMs: null, lossPct: 100, lastSeen: "2026-03-01T00:00:00Z", lastPoll: null, stale: false, since: null }, "major");
    expect([r.state, r.worst, r.lastSeenMs]).toEqual(["down", "major", Date.parse("2026-03-01T00:00:00Z")]);
  });
});

describe("search and filters", () => {
  it("matches every word anywhere in the row, in any case", () => {
    expect(filter({ text: "core" })).toEqual(["a", "b"]);
    expect(filter({ text: "CORE lab" })).toEqual(["b"]);
    expect(filter({ text: "127.0.2.1" })).toEqual(["a"]);
    expect(filter({ text: "c9300" })).toEqual(["a"]);
    expect(filter({ text: "  " })).toEqual(["a", "b", "c", "d"]);
  });

  it("filters by site (or none), state, kind, tag and vendor (or none)", () => {
    expect(filter({ site: "s1" })).toEqual(["a"]);
    expect(filter({ site: NONE })).toEqual(["c", "d"]);
    expect(filter({ state: "unknown" })).toEqual(["c", "d"]);
    expect(filter({ kind: "printer" })).toEqual(["c"]);
    expect(filter({ tag: "lab" })).toEqual(["b"]);
    expect(filter({ vendor: "Cisco" })).toEqual(["a", "d"]);
    expect(filter({ vendor: NONE })).toEqual(["c"]);
    expect(filter({ vendor: "Cisco", text: "v6" })).toEqual(["d"]);
  });

  it("offers only the kinds, tags and vendors some device has", () => {
    const f = facets(devs);
    expect(f.kinds).toEqual(["printer", "router", "server"]);
    expect(f.tags).toEqual(["core", "lab", "office"]);
    expect(f.vendors).toEqual(["Cisco", "Juniper"]);
    expect(f.hasNoVendor).toBe(true);
  });
});

describe("sorting", () => {
  it("sorts names naturally and addresses as addresses (IPv4, IPv6, then host names)", () => {
    expect(sort({ key: "name", dir: 1 })).toEqual(["b", "a", "c", "d"]);
    expect(sort({ key: "address", dir: 1 })).toEqual(["b", "a", "d", "c"]);
    expect(sort({ key: "address", dir: -1 })).toEqual(["c", "d", "a", "b"]);
  });

  it("keeps empty values last in both directions", () => {
    expect(sort({ key: "alarm", dir: 1 })).toEqual(["b", "a", "c", "d"]);
    expect(sort({ key: "alarm", dir: -1 })).toEqual(["a", "b", "c", "d"]);
    expect(sort({ key: "vendor", dir: 1 })).toEqual(["a", "d", "b", "c"]);
    expect(sort({ key: "site", dir: -1 })).toEqual(["b", "a", "c", "d"]);
    expect(sort({ key: "lastSeen", dir: -1 })).toEqual(["a", "b", "c", "d"]);
  });

  it("sorts state worst first, and enabled before disabled", () => {
    expect(sort({ key: "state", dir: 1 })).toEqual(["b", "c", "d", "a"]);
    // Ties fall back to the name: core-r2 before core-r10.
    expect(sort({ key: "enabled", dir: 1 })).toEqual(["b", "a", "c", "d"]);
  });

  it("flips the direction on the same column and starts ascending on another", () => {
    expect(nextSort({ key: "name", dir: 1 }, "name")).toEqual({ key: "name", dir: -1 });
    expect(nextSort({ key: "name", dir: -1 }, "address")).toEqual({ key: "address", dir: 1 });
  });

  it("knows when live changes reorder or refilter the table", () => {
    expect(dependsOnLive(NO_FILTER, { key: "name", dir: 1 })).toBe(false);
    expect(dependsOnLive(NO_FILTER, { key: "state", dir: 1 })).toBe(true);
    expect(dependsOnLive({ ...NO_FILTER, state: "down" }, { key: "name", dir: 1 })).toBe(true);
  });
});
