// Pure alarm logic for the console and the header: severity order, sorting,
// filtering and counting. No DOM, so vitest covers it directly.
import type { Alarm, DeviceId, Severity } from "./generated/bindings";
import { problemText } from "./problem";

/** Worst first. `cleared` is last: a cleared alarm is never "worse" than an active one. */
export const SEVERITIES: readonly Severity[] = ["critical", "major", "minor", "warning", "indeterminate", "cleared"];

/** The severities an active alarm can have, in header order. */
export const ACTIVE_SEVERITIES: readonly Severity[] = SEVERITIES.filter((s) => s !== "cleared");

const RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  major: 1,
  minor: 2,
  warning: 3,
  indeterminate: 4,
  cleared: 5,
};

/** 0 is the worst. */
export function severityRank(s: Severity): number {
  return RANK[s];
}

export function isActive(a: Alarm): boolean {
  return a.clearedAt === null;
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Severity (worst first), then raise time (newest first), then id for a stable order. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    RANK[a.perceivedSeverity] - RANK[b.perceivedSeverity] ||
    time(b.raisedAt) - time(a.raisedAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * A sorted copy. Parses each timestamp once (not once per comparison), which
 * matters at 100,000 alarms.
 */
export function sortAlarms(alarms: Iterable<Alarm>): Alarm[] {
  const keyed = Array.from(alarms, (a) => ({ a, rank: RANK[a.perceivedSeverity], t: time(a.raisedAt) }));
  keyed.sort((x, y) => x.rank - y.rank || y.t - x.t || (x.a.id < y.a.id ? -1 : x.a.id > y.a.id ? 1 : 0));
  return keyed.map((k) => k.a);
}

/** Acknowledgement state to show: every alarm, only the unacknowledged, or only the acknowledged. */
export type AckFilter = "all" | "unacked" | "acked";

/** Site filter value for alarms whose device has no site (or no device). */
export const NO_SITE = "none";

export interface AlarmFilter {
  /** Severities to show; empty shows all. */
  readonly severities: ReadonlySet<Severity>;
  /** Case-insensitive substring of the device name, the problem in words, managed object, cause, problem or text. */
  readonly text: string;
  /** Absent means "all". */
  readonly ack?: AckFilter;
  /** A site id, `NO_SITE`, or absent/"" for every site. */
  readonly site?: string;
}

export const NO_FILTER: AlarmFilter = { severities: new Set(), text: "" };

export function isFiltering(f: AlarmFilter): boolean {
  return f.severities.size > 0 || f.text.trim() !== "" || (f.ack ?? "all") !== "all" || (f.site ?? "") !== "";
}

/**
 * `deviceName` resolves an alarm's device id to the name the operator sees and
 * searches for; `deviceSite` to its site id (undefined: no site).
 */
export function matchesFilter(
  a: Alarm,
  f: AlarmFilter,
  deviceName: (id: DeviceId) => string | undefined = () => undefined,
  deviceSite: (id: DeviceId) => string | undefined = () => undefined,
): boolean {
  if (f.severities.size > 0 && !f.severities.has(a.perceivedSeverity)) return false;
  const ack = f.ack ?? "all";
  if (ack === "acked" && a.ackedAt === null) return false;
  if (ack === "unacked" && a.ackedAt !== null) return false;
  const site = f.site ?? "";
  if (site !== "") {
    const own = a.deviceId === null ? undefined : deviceSite(a.deviceId);
    if ((own ?? NO_SITE) !== site) return false;
  }
  const needle = f.text.trim().toLowerCase();
  if (needle === "") return true;
  const name = a.deviceId === null ? undefined : deviceName(a.deviceId);
  // The plain words (problem.ts) too: operators type what they read ("ping").
  return [name ?? "", problemText(a), a.managedObject, a.probableCause, a.specificProblem, a.additionalText, a.ackComment ?? ""].some(
    (field) => field.toLowerCase().includes(needle),
  );
}

export function filterAlarms(
  alarms: readonly Alarm[],
  f: AlarmFilter,
  deviceName?: (id: DeviceId) => string | undefined,
  deviceSite?: (id: DeviceId) => string | undefined,
): Alarm[] {
  if (!isFiltering(f)) return alarms.slice();
  return alarms.filter((a) => matchesFilter(a, f, deviceName, deviceSite));
}

/** Active alarms per severity (every severity present, zero when none). */
export function countBySeverity(alarms: Iterable<Alarm>): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, major: 0, minor: 0, warning: 0, indeterminate: 0, cleared: 0 };
  for (const a of alarms) if (isActive(a)) counts[a.perceivedSeverity] += 1;
  return counts;
}

/** The worst active alarm severity per device; devices without active alarms are absent. */
export function worstSeverityByDevice(alarms: Iterable<Alarm>): Map<DeviceId, Severity> {
  const worst = new Map<DeviceId, Severity>();
  for (const a of alarms) {
    if (a.deviceId === null || !isActive(a)) continue;
    const seen = worst.get(a.deviceId);
    if (seen === undefined || RANK[a.perceivedSeverity] < RANK[seen]) worst.set(a.deviceId, a.perceivedSeverity);
  }
  return worst;
}

/**
 * Console order with each symptom (an alarm suppressed by another, e.g. a
 * device unreachable behind a dead router) moved right under its root
 * cause, keeping the given order among symptoms. A symptom whose root is
 * not in the list stays where it was.
 */
export function groupUnderRoots(alarms: readonly Alarm[]): Alarm[] {
  const ids = new Set(alarms.map((a) => a.id));
  const under = new Map<string, Alarm[]>();
  for (const a of alarms) {
    if (a.suppressedBy !== null && a.suppressedBy !== a.id && ids.has(a.suppressedBy)) {
      const list = under.get(a.suppressedBy) ?? [];
      list.push(a);
      under.set(a.suppressedBy, list);
    }
  }
  const out: Alarm[] = [];
  for (const a of alarms) {
    if (a.suppressedBy !== null && a.suppressedBy !== a.id && ids.has(a.suppressedBy)) continue;
    out.push(a, ...(under.get(a.id) ?? []));
  }
  return out;
}
