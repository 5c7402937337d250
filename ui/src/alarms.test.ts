import { describe, expect, it } from "vitest";
import {
  groupUnderRoots,
  ACTIVE_SEVERITIES,
  compareAlarms,
  countBySeverity,
  filterAlarms,
  isFiltering,
  matchesFilter,
  NO_FILTER,
  NO_SITE,
  sortAlarms,
  worstSeverityByDevice,
} from "./alarms";
import { alarm } from "./fixtures";

describe("sorting", () => {
  it("orders by severity, worst first, then newest first", () => {
    const oldCrit = alarm({ perceivedSeverity: "critical", raisedAt: "2025-01-01T00:00:00Z" });
    const newCrit = alarm({ perceivedSeverity: "critical", raisedAt: "2025-01-02T00:00:00Z" });
    const major = alarm({ perceivedSeverity: "major", raisedAt: "2025-01-03T00:00:00Z" });
    const warning = alarm({ perceivedSeverity: "warning", raisedAt: "2025-01-04T00:00:00Z" });
    const minor = alarm({ perceivedSeverity: "minor", raisedAt: "2024-01-01T00:00:00Z" });
    const sorted = sortAlarms([warning, oldCrit, minor, major, newCrit]);
    expect(sorted).toEqual([newCrit, oldCrit, major, minor, warning]);
    // the comparator and the keyed sort agree
    expect([warning, oldCrit, minor, major, newCrit].sort(compareAlarms)).toEqual(sorted);
  });

  it("compares times, not strings (fractional seconds and offsets)", () => {
    const a = alarm({ raisedAt: "2025-01-01T00:00:00.9Z" });
    const b = alarm({ raisedAt: "2025-01-01T01:00:00+02:00" }); // earlier than a
    expect(sortAlarms([b, a])).toEqual([a, b]);
  });

  it("is stable for equal severity and time (by id), and does not mutate the input", () => {
    const x = alarm({ id: "b" });
    const y = alarm({ id: "a" });
    const input = [x, y];
    expect(sortAlarms(input).map((a) => a.id)).toEqual(["a", "b"]);
    expect(input).toEqual([x, y]);
  });

  it("sorts 100,000 alarms quickly", () => {
    const sev = ACTIVE_SEVERITIES;
    const many = Array.from({ length: 100_000 }, (_, i) =>
      alarm({ perceivedSeverity: sev[i % sev.length] ?? "major", raisedAt: new Date(1.7e12 + i * 1000).toISOString() }),
    );
    const t0 = performance.now();
    const sorted = sortAlarms(many);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(sorted[0]?.perceivedSeverity).toBe("critical");
    expect(sorted[sorted.length - 1]?.perceivedSeverity).toBe("indeterminate");
  });
});

describe("filtering", () => {
  const names = (id: string): string | undefined => ({ "dev-1": "core-r1", "dev-2": "edge-sw2" })[id];

  it("matches the problem in plain words", () => {
    const a = alarm({ probableCause: "communicationsSubsystemFailure", specificProblem: "icmpNoReply" });
    expect(matchesFilter(a, { severities: new Set(), text: "reply to PING" })).toBe(true);
    expect(matchesFilter(a, { severities: new Set(), text: "rebooted" })).toBe(false);
  });

  it("shows everything with no filter, as a copy", () => {
    const all = [alarm(), alarm()];
    const out = filterAlarms(all, NO_FILTER);
    expect(out).toEqual(all);
    expect(out).not.toBe(all);
  });

  it("filters by a set of severities", () => {
    const c = alarm({ perceivedSeverity: "critical" });
    const m = alarm({ perceivedSeverity: "major" });
    const w = alarm({ perceivedSeverity: "warning" });
    expect(filterAlarms([c, m, w], { severities: new Set(["critical", "warning"]), text: "" })).toEqual([c, w]);
  });

  it("matches free text case-insensitively in device name, cause, problem, text and ack comment", () => {
    const f = (text: string) => ({ severities: new Set<never>(), text });
    expect(matchesFilter(alarm({ deviceId: "dev-2" }), f("EDGE-sw"), names)).toBe(true);
    expect(matchesFilter(alarm(), f("signal"), names)).toBe(true);
    expect(matchesFilter(alarm(), f("unreachable"), names)).toBe(true);
    expect(matchesFilter(alarm({ additionalText: "no reply from 127.9.7.7" }), f("127.9.7"), names)).toBe(true);
    expect(matchesFilter(alarm({ ackComment: "ticket INC-42" }), f("inc-42"), names)).toBe(true);
    expect(matchesFilter(alarm(), f("nothing like this"), names)).toBe(false);
    expect(matchesFilter(alarm(), f("   "), names)).toBe(true);
  });

  it("combines severity and text", () => {
    const a = alarm({ perceivedSeverity: "critical", deviceId: "dev-2" });
    const b = alarm({ perceivedSeverity: "major", deviceId: "dev-2" });
    expect(filterAlarms([a, b], { severities: new Set(["major"]), text: "edge" }, names)).toEqual([b]);
  });
});

describe("counting", () => {
  it("counts active alarms per severity, with zeroes", () => {
    const counts = countBySeverity([
      alarm({ perceivedSeverity: "critical" }),
      alarm({ perceivedSeverity: "major" }),
      alarm({ perceivedSeverity: "major" }),
      alarm({ perceivedSeverity: "major", clearedAt: "2025-01-01T00:00:01Z" }),
    ]);
    expect(counts).toEqual({ critical: 1, major: 2, minor: 0, warning: 0, indeterminate: 0, cleared: 0 });
  });

  it("finds the worst active severity per device", () => {
    const worst = worstSeverityByDevice([
      alarm({ deviceId: "a", perceivedSeverity: "minor" }),
      alarm({ deviceId: "a", perceivedSeverity: "critical" }),
      alarm({ deviceId: "a", perceivedSeverity: "warning" }),
      alarm({ deviceId: "b", perceivedSeverity: "critical", clearedAt: "2025-01-01T00:00:01Z" }),
      alarm({ deviceId: "b", perceivedSeverity: "warning" }),
      alarm({ deviceId: null, perceivedSeverity: "critical" }),
    ]);
    expect([...worst.entries()].sort()).toEqual([
      ["a", "critical"],
      ["b", "warning"],
    ]);
  });
});

describe("acknowledgement and site filters", () => {
  const sites = new Map<string, string>([["dev-1", "site-a"], ["dev-2", "site-b"]]);
  const site = (id: string): string | undefined => sites.get(id);
  const acked = alarm({ deviceId: "dev-1", ackedAt: "2026-01-01T00:00:00Z" });
  const open = alarm({ deviceId: "dev-2" });
  const homeless = alarm({ deviceId: "dev-9" });

  it("keeps only the acknowledged or only the open ones", () => {
    const all = [acked, open, homeless];
    expect(filterAlarms(all, { ...NO_FILTER, ack: "acked" }, undefined, site)).toEqual([acked]);
    expect(filterAlarms(all, { ...NO_FILTER, ack: "unacked" }, undefined, site)).toEqual([open, homeless]);
    expect(filterAlarms(all, { ...NO_FILTER, ack: "all" }, undefined, site)).toEqual(all);
  });

  it("keeps one site's alarms, or those of devices without a site", () => {
    const all = [acked, open, homeless];
    expect(filterAlarms(all, { ...NO_FILTER, site: "site-b" }, undefined, site)).toEqual([open]);
    expect(filterAlarms(all, { ...NO_FILTER, site: NO_SITE }, undefined, site)).toEqual([homeless]);
    expect(isFiltering({ ...NO_FILTER, site: "" })).toBe(false);
    expect(isFiltering({ ...NO_FILTER, ack: "acked" })).toBe(true);
  });
});

describe("grouping symptoms under their root cause", () => {
  it("puts suppressed alarms right under the alarm that suppressed them", () => {
    const root = alarm({ perceivedSeverity: "critical" });
    const other = alarm({ perceivedSeverity: "major" });
    const a = alarm({ perceivedSeverity: "critical", suppressedBy: root.id });
    const b = alarm({ perceivedSeverity: "critical", suppressedBy: root.id });
    const orphan = alarm({ suppressedBy: "gone" });
    expect(groupUnderRoots([a, root, other, b, orphan]).map((x) => x.id)).toEqual([root.id, a.id, b.id, other.id, orphan.id]);
    expect(groupUnderRoots([])).toEqual([]);
  });
});
