// The devices table's data: one row per device with its live state and worst
// active alarm, free-text search, the site/state/kind/tag/vendor filters, and
// sorting by any column. Pure, so vitest covers it and bench/ times it at
// 10,000 devices. Sort keys and the search text are computed once per row
// (when the row is built), not once per comparison or keystroke.
import type { Device, DeviceId, DeviceLive, DeviceState, Severity } from "./generated/bindings";
import { addressKey, compareKeys, naturalKey } from "./addrsort";
import { severityRank } from "./alarms";

export interface DeviceRow {
  readonly device: Device;
  state: DeviceState;
  /** The state is the last known from before the monitor started, not yet polled. */
  stale: boolean;
  /** The worst active alarm's severity, or null when the device has none. */
  worst: Severity | null;
  lastSeen: string | null;
  /** Epoch ms of lastSeen; NaN when never seen. */
  lastSeenMs: number;
  readonly nameKey: string;
  readonly addressKey: string;
  /** Lower-cased name, address, site, tags, kind, vendor, model and OS, for search. */
  readonly haystack: string;
}

export type SortKey = "name" | "address" | "state" | "alarm" | "kind" | "vendor" | "model" | "site" | "lastSeen" | "enabled";
export const SORT_KEYS: readonly SortKey[] = ["name", "address", "state", "alarm", "kind", "vendor", "model", "site", "lastSeen", "enabled"];

export interface SortSpec {
  readonly key: SortKey;
  readonly dir: 1 | -1;
}

/** Filter value meaning "has none" (no site, vendor unknown). Site ids and vendors never look like this. */
export const NONE = "\u2205";

export interface DeviceFilter {
  /** Words that must all appear somewhere in the row (any order, any case). */
  readonly text: string;
  /** "" any; a site id; NONE for devices without a site. */
  readonly site: string;
  /** "" any; a DeviceState. */
  readonly state: string;
  readonly kind: string;
  /** "" any; a tag the device carries. */
  readonly tag: string;
  /** "" any; a vendor; NONE for devices with no vendor. */
  readonly vendor: string;
}

export const NO_FILTER: DeviceFilter = { text: "", site: "", state: "", kind: "", tag: "", vendor: "" };

export function isFiltering(f: DeviceFilter): boolean {
  return f.text.trim() !== "" || f.site !== "" || f.state !== "" || f.kind !== "" || f.tag !== "" || f.vendor !== "";
}

export function buildRow(d: Device, live: DeviceLive | undefined, worst: Severity | undefined): DeviceRow {
  const lastSeen = live?.lastSeen ?? null;
  return {
    device: d,
    state: live?.state ?? "unknown",
    stale: live?.stale ?? false,
    worst: worst ?? null,
    lastSeen,
    lastSeenMs: lastSeen === null ? NaN : Date.parse(lastSeen),
    nameKey: naturalKey(d.name),
    addressKey: addressKey(d.address),
    haystack: [d.name, d.address, d.siteName ?? "", d.kind, d.vendor ?? "", d.model ?? "", d.os ?? "", ...d.tags]
      .join("\n")
      .toLowerCase(),
  };
}

/** Refreshes the live half of a row in place (state changes every poll; the device does not). */
export function updateLive(row: DeviceRow, live: DeviceLive | undefined, worst: Severity | undefined): void {
  row.state = live?.state ?? "unknown";
  row.stale = live?.stale ?? false;
  row.worst = worst ?? null;
  const lastSeen = live?.lastSeen ?? null;
  if (lastSeen !== row.lastSeen) {
    row.lastSeen = lastSeen;
    row.lastSeenMs = lastSeen === null ? NaN : Date.parse(lastSeen);
  }
}

export function buildRows(
  devices: Iterable<Device>,
  live: ReadonlyMap<DeviceId, DeviceLive>,
  worst: ReadonlyMap<DeviceId, Severity>,
): DeviceRow[] {
  return Array.from(devices, (d) => buildRow(d, live.get(d.id), worst.get(d.id)));
}

export function filterRows(rows: readonly DeviceRow[], f: DeviceFilter): DeviceRow[] {
  const words = f.text.toLowerCase().split(/\s+/).filter((w) => w !== "");
  return rows.filter((r) => {
    const d = r.device;
    if (f.site !== "" && (d.siteId ?? NONE) !== f.site) return false;
    if (f.state !== "" && r.state !== f.state) return false;
    if (f.kind !== "" && d.kind !== f.kind) return false;
    if (f.tag !== "" && !d.tags.includes(f.tag)) return false;
    if (f.vendor !== "" && (d.vendor ?? NONE) !== f.vendor) return false;
    for (const w of words) if (!r.haystack.includes(w)) return false;
    return true;
  });
}

/** Worst first when ascending: what needs attention sorts to the top. */
const STATE_RANK: Readonly<Record<DeviceState, number>> = { down: 0, degraded: 1, unknown: 2, up: 3 };

/** A comparable value per row and key; null sorts last in both directions. */
function sortValue(r: DeviceRow, key: SortKey): string | number | null {
  const d = r.device;
  switch (key) {
    case "name":
      return r.nameKey;
    case "address":
      return r.addressKey;
    case "state":
      return STATE_RANK[r.state];
    case "alarm":
      return r.worst === null ? null : severityRank(r.worst);
    case "kind":
      return d.kind;
    case "vendor":
      return d.vendor === null || d.vendor === "" ? null : naturalKey(d.vendor);
    case "model":
      return d.model === null || d.model === "" ? null : naturalKey(d.model);
    case "site":
      return d.siteName === null ? null : naturalKey(d.siteName);
    case "lastSeen":
      return Number.isNaN(r.lastSeenMs) ? null : r.lastSeenMs;
    case "enabled":
      return d.enabled ? 0 : 1;
  }
}

function compareValues(a: string | number, b: string | number): number {
  return typeof a === "number" && typeof b === "number" ? a - b : compareKeys(String(a), String(b));
}

/**
 * A sorted copy: by the key in the given direction, empty values last, then
 * by name and id so equal rows keep one order between redraws.
 */
export function sortRows(rows: readonly DeviceRow[], s: SortSpec): DeviceRow[] {
  const keyed = rows.map((r) => ({ r, v: sortValue(r, s.key) }));
  keyed.sort((x, y) => {
    if (x.v !== y.v) {
      if (x.v === null) return 1;
      if (y.v === null) return -1;
      const c = compareValues(x.v, y.v);
      if (c !== 0) return c * s.dir;
    }
    return compareKeys(x.r.nameKey, y.r.nameKey) || compareKeys(x.r.device.id, y.r.device.id);
  });
  return keyed.map((k) => k.r);
}

/** Clicking a header: a new column sorts ascending, the same column flips. */
export function nextSort(current: SortSpec, key: SortKey): SortSpec {
  return current.key === key ? { key, dir: current.dir === 1 ? -1 : 1 } : { key, dir: 1 };
}

/** Whether re-sorting or re-filtering is needed when only live values (state, alarm, last seen) change. */
export function dependsOnLive(f: DeviceFilter, s: SortSpec): boolean {
  return f.state !== "" || s.key === "state" || s.key === "alarm" || s.key === "lastSeen";
}

export interface Facets {
  readonly kinds: string[];
  readonly tags: string[];
  /** Vendors seen, sorted; `hasNoVendor` when some device has none. */
  readonly vendors: string[];
  readonly hasNoVendor: boolean;
}

/** The values the kind, tag and vendor filters offer: only what some device has. */
export function facets(devices: Iterable<Device>): Facets {
  const kinds = new Set<string>();
  const tags = new Set<string>();
  const vendors = new Set<string>();
  let hasNoVendor = false;
  for (const d of devices) {
    kinds.add(d.kind);
    for (const t of d.tags) tags.add(t);
    if (d.vendor === null || d.vendor === "") hasNoVendor = true;
    else vendors.add(d.vendor);
  }
  const sorted = (s: Set<string>): string[] => [...s].sort((a, b) => compareKeys(naturalKey(a), naturalKey(b)));
  return { kinds: sorted(kinds), tags: sorted(tags), vendors: sorted(vendors), hasNoVendor };
}
