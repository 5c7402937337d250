// Devices table at 10,000 devices: search and sort (issue 12 asks for under
// 100 ms each). Run: cd ui && npx vitest bench --run bench/
// Figures are recorded in docs/PERFORMANCE.md ("Devices table: 10,000 devices").
import { bench, describe } from "vitest";
import type { Device, DeviceLive, Severity } from "../src/generated/bindings";
import { buildRows, filterRows, NO_FILTER, sortRows } from "../src/devicequery";

const N = 10_000;
const VENDORS = ["Cisco", "Juniper", "Arista", "MikroTik", "HP", null];
const KINDS = ["router", "switch", "firewall", "server", "ups", "unknown"] as const;
const STATES = ["up", "up", "up", "down", "degraded", "unknown"] as const;

function address(i: number): string {
  if (i % 10 === 7) return `2001:db8:${(i >> 8).toString(16)}::${(i & 0xff).toString(16)}`;
  if (i % 10 === 9) return `host-${i}.lab.example`;
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

const devices: Device[] = Array.from({ length: N }, (_, i) => ({
  id: `0192e4a0-0000-7000-8000-${String(i).padStart(12, "0")}`,
  name: `${KINDS[i % KINDS.length]}-${i}`,
  address: address(i),
  kind: KINDS[i % KINDS.length] ?? "unknown",
  vendor: VENDORS[i % VENDORS.length] ?? null,
  model: i % 3 === 0 ? `M${i % 97}` : null,
  os: null,
  siteId: i % 5 === 0 ? null : `site-${i % 40}`,
  siteName: i % 5 === 0 ? null : `Site ${i % 40}`,
  lat: null,
  lon: null,
  tags: i % 4 === 0 ? ["core", `rack-${i % 50}`] : [`rack-${i % 50}`],
  credentialId: null,
  credentialName: null,
  snmpPort: null,
  enabled: i % 17 !== 0,
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
  version: 1,
}));
const live = new Map<string, DeviceLive>(
  devices.map((d, i) => [
    d.id,
    { deviceId: d.id, state: STATES[i % STATES.length] ?? "unknown", rttMs: 1, lossPct: 0, lastSeen: new Date(1_770_000_000_000 + i * 1000).toISOString(), lastPoll: null },
  ]),
);
const worst = new Map<string, Severity>(devices.filter((_, i) => i % 13 === 0).map((d) => [d.id, "warning"]));
const rows = buildRows(devices, live, worst);
const byName = sortRows(rows, { key: "name", dir: 1 });

describe("devices table, 10,000 devices", () => {
  bench("build rows (sort keys, search text)", () => {
    buildRows(devices, live, worst);
  });
  bench("search: one word ('core')", () => {
    filterRows(byName, { ...NO_FILTER, text: "core" });
  });
  bench("search: two words ('rack-7 cisco')", () => {
    filterRows(byName, { ...NO_FILTER, text: "rack-7 cisco" });
  });
  bench("search: a single character ('1'), the worst case for typing", () => {
    filterRows(byName, { ...NO_FILTER, text: "1" });
  });
  bench("filters: site + state + tag", () => {
    filterRows(byName, { ...NO_FILTER, site: "site-3", state: "up", tag: "core" });
  });
  bench("sort by name", () => {
    sortRows(rows, { key: "name", dir: 1 });
  });
  bench("sort by address (IPv4, IPv6, host names)", () => {
    sortRows(rows, { key: "address", dir: 1 });
  });
  bench("sort by address, descending, from name order", () => {
    sortRows(byName, { key: "address", dir: -1 });
  });
  bench("sort by state", () => {
    sortRows(rows, { key: "state", dir: 1 });
  });
  bench("sort by last seen", () => {
    sortRows(rows, { key: "lastSeen", dir: -1 });
  });
});
