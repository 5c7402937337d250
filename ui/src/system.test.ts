import { describe, expect, it } from "vitest";
import type { SystemStatus } from "./generated/bindings";
import { selfAlarms, systemRows, tierRows } from "./system";

function status(over: Partial<SystemStatus> = {}): SystemStatus {
  return {
    monitorRunning: true,
    monitorStartedAt: "2026-12-04T00:00:00Z",
    uptimeSecs: 3723,
    devices: 12,
    pollJobs: 30,
    pollsOk: 90,
    pollsFailed: 10,
    pollsInFlight: 2,
    pollsStarted: 100,
    pollsLate: 25,
    ticksSkipped: 3,
    queueDepth: 5,
    queueCapacity: 200000,
    samplesWritten: 1000,
    samplesDropped: 7,
    writeErrors: 0,
    writerBatchMs: 2.5,
    rulePassMs: null,
    storeBytes: 838860800,
    storeCapBytes: 1073741824,
    tiers: [{ tier: "raw", rows: 1200, bytes: 65536 }],
    disk: { freeBytes: 1073741824, totalBytes: 4294967296 },
    storeError: null,
    selfAlarms: [],
    traps: null,
    syslog: null,
    ...over,
  };
}

const value = (s: SystemStatus, key: string): string | undefined => systemRows(s, "en").find((r) => r.key === key)?.value;

describe("system view model", () => {
  it("shows the figures with their units and shares", () => {
    const s = status();
    expect(value(s, "uptime")).toBe("1 h 2 min");
    expect(value(s, "polls")).toBe("90 / 10 (10 % failed)");
    expect(value(s, "late")).toBe("25 of 100 (25 %)");
    expect(value(s, "store")).toBe("800 MiB of 1 GiB cap (78 %)");
    expect(value(s, "disk")).toBe("1 GiB of 4 GiB (25 %)");
    expect(value(s, "writer")).toBe("2.50 ms");
    expect(value(s, "rules")).toBe("—");
    expect(value(s, "written")).toBe("1,000 / 7");
    expect(tierRows(s.tiers, "en")).toEqual([{ key: "tier-raw", label: "raw samples", value: "1,200 rows, 64 KiB" }]);
  });

  it("says what is missing rather than showing zeros", () => {
    const s = status({ monitorRunning: false, uptimeSecs: null, storeCapBytes: null, disk: null, pollsStarted: 0, pollsLate: 0, storeError: "disk full" });
    expect(value(s, "monitor")).toBe("not running");
    expect(value(s, "uptime")).toBe("—");
    expect(value(s, "store")).toBe("800 MiB (no cap set)");
    expect(value(s, "disk")).toBe("—");
    expect(value(s, "late")).toBe("0 of 0 (—)");
    expect(value(s, "storeError")).toBe("disk full");
    expect(value(s, "traps")).toBeUndefined();
  });

  it("shows each receiver's intake and names its losses only when there are some", () => {
    const s = status({
      traps: { received: 1200, stored: 1180, dropped: 17, refused: 3, malformed: 0 },
      syslog: { received: 50, stored: 50, dropped: 0, refused: 0, malformed: 0 },
    });
    expect(value(s, "traps")).toBe("1,200 / 1,180 (17 dropped, 3 refused)");
    expect(value(s, "syslog")).toBe("50 / 50");
  });

  it("lists self-alarms most severe first", () => {
    const spec = (p: string, sev: "warning" | "major") => ({
      managedObject: "meridian/store",
      eventType: "quality_of_service" as const,
      probableCause: "x",
      specificProblem: p,
      perceivedSeverity: sev,
      additionalText: "",
    });
    const s = status({ selfAlarms: [spec("storeNearCap", "warning"), spec("diskSpaceLow", "major")] });
    expect(selfAlarms(s).map((a) => a.specificProblem)).toEqual(["diskSpaceLow", "storeNearCap"]);
  });
});
