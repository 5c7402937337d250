import { describe, expect, it } from "vitest";
import type { DeviceHistory, SeriesData } from "./generated/bindings";
import { align, chartSpecs, gapBreaks, hasData, interfaceLabel, withAlpha, type ChartSpec } from "./charts";

function series(metric: string, unit: string, t: number[], avg: number[], extra: Partial<SeriesData> = {}): SeriesData {
  return { metric, unit, ifIndex: null, row: null, interface: null, t, avg, min: avg.map((v) => v - 1), max: avg.map((v) => v + 1), ...extra };
}

function history(s: SeriesData[], ifIndex: number | null = null): DeviceHistory {
  return {
    deviceId: "dev-1",
    from: "2026-03-01T11:00:00Z",
    to: "2026-03-01T12:00:00Z",
    bucketSecs: 60,
    tier: "raw",
    ifIndex,
    series: s,
    states: [],
  };
}

describe("colours", () => {
  it("makes canvas-safe translucent colours", () => {
    expect(withAlpha("#2f6fdb", 0.15)).toBe("rgba(47, 111, 219, 0.15)");
    expect(withAlpha("red", 0.5)).toBe("red");
  });
});

describe("alignment", () => {
  it("puts columns on one x, undefined where a column has no point", () => {
    const data = align(60, [
      { t: [0, 60, 120], v: [1, 2, 3] },
      { t: [60, 180], v: [5, 6] },
    ]);
    expect(data[0]).toEqual([0, 60, 120, 180]);
    expect(data[1]).toEqual([1, 2, 3, undefined]);
    expect(data[2]).toEqual([undefined, 5, undefined, 6]);
  });

  it("breaks a line over a hole, but not over buckets finer than the poll interval", () => {
    // polled every 60 s into 10 s buckets: no holes
    expect(gapBreaks([0, 60, 120, 180, 240], 10)).toEqual([]);
    // a 10-minute silence in a 60 s series
    const t = [0, 60, 120, 180, 780, 840];
    expect(gapBreaks(t, 10)).toEqual([240]);
    const [xs, ys] = align(10, [{ t, v: [1, 1, 1, 1, 1, 1] }]);
    expect(xs).toEqual([0, 60, 120, 180, 240, 780, 840]);
    expect(ys?.[4]).toBeNull();
  });
});

describe("chart specs", () => {
  it("builds latency (with a min-max band), traffic, CPU/load and memory charts", () => {
    const h = history(
      [
        series("loss_pct", "%", [0, 60], [0, 50]),
        series("rtt_ms", "ms", [0, 60], [2, 4]),
        series("cpu_pct", "%", [0], [30]),
        series("load1", "", [0], [0.5]),
        series("storage_used_pct", "%", [0], [10], { row: "/home" }),
        series("storage_used_pct", "%", [0], [60], { row: "Physical memory" }),
        series("if_in_bps", "bit/s", [0, 60], [100, 200], { ifIndex: 2, interface: "eth1" }),
        series("if_out_bps", "bit/s", [0, 60], [10, 20], { ifIndex: 2, interface: "eth1" }),
      ],
      2,
    );
    const specs = chartSpecs(h);
    expect(specs.map((s) => s.key)).toEqual(["latency", "traffic", "cpu", "storage"]);
    const [latency, traffic, cpu, storage] = specs;
    expect(latency?.lines.map((l) => l.label)).toEqual(["RTT max", "RTT min", "RTT", "Loss"]);
    expect(latency?.bands).toEqual([[1, 2]]);
    expect(latency?.data).toEqual([[0, 60], [3, 5], [1, 3], [2, 4], [0, 50]]);
    expect(latency?.lines.find((l) => l.label === "Loss")?.axis).toBe(1);
    expect(traffic?.title).toBe("Traffic — eth1");
    expect(traffic?.data.slice(1)).toEqual([[100, 200], [10, 20]]);
    expect(cpu?.lines.map((l) => [l.label, l.axis])).toEqual([["CPU", 0], ["Load (1 min)", 1]]);
    expect(storage?.title).toBe("Memory and storage");
    expect(storage?.lines.map((l) => l.label)).toEqual(["Physical memory", "/home"]);
    expect(specs.every(hasData)).toBe(true);
  });

  it("gives a ping-only device its latency chart and nothing it cannot fill", () => {
    const specs = chartSpecs(history([series("rtt_ms", "ms", [0], [2]), series("loss_pct", "%", [0], [0])]));
    expect(specs.map((s) => s.key)).toEqual(["latency"]);
    const none = chartSpecs(history([]));
    expect(none.map((s) => s.key)).toEqual(["latency"]);
    expect(none.some(hasData)).toBe(false);
  });

  it("keeps a chart whose series exist but have no points in the range", () => {
    const specs = chartSpecs(history([series("cpu_pct", "%", [], []), series("if_in_bps", "bit/s", [], [], { ifIndex: 1 })], 1));
    expect(specs.map((s) => s.key)).toEqual(["latency", "traffic", "cpu"]);
    expect(specs[1]?.title).toBe("Traffic — ifIndex 1");
    expect(specs.some(hasData)).toBe(false);
  });

  it("draws a watched NTP server's offset (with its band), delay and stratum", () => {
    const specs = chartSpecs(
      history([
        series("rtt_ms", "ms", [0], [2]),
        series("ntp_offset_ms", "ms", [0, 60], [0.5, -0.25]),
        series("ntp_delay_ms", "ms", [0, 60], [0.04, 0.05]),
        series("ntp_stratum", "", [0, 60], [8, 8]),
      ]),
    );
    expect(specs.map((s) => s.key)).toEqual(["latency", "ntp"]);
    const ntp = specs[1];
    expect(ntp?.lines.map((l) => [l.label, l.unit, l.axis])).toEqual([
      ["Offset max", "ms", 0],
      ["Offset min", "ms", 0],
      ["Offset", "ms", 0],
      ["Delay", "ms", 0],
      ["Stratum", "", 1],
    ]);
    expect(ntp?.bands).toEqual([[1, 2]]);
    expect(ntp?.data).toEqual([[0, 60], [1.5, 0.75], [-0.5, -1.25], [0.5, -0.25], [0.04, 0.05], [8, 8]]);
  });

  it("draws a watched PTP clock's offset and path delay, and its grandmaster's class and steps", () => {
    const specs = chartSpecs(
      history([
        series("ptp_offset_ns", "ns", [0, 60, 120], [-1669, 120, 35]),
        series("ptp_path_delay_ns", "ns", [0, 60, 120], [2971, 2950, 2990]),
        series("ptp_gm_clock_class", "", [0, 60, 120], [248, 248, 6]),
        series("ptp_steps_removed", "", [0, 60, 120], [1, 1, 1]),
      ]),
    );
    expect(specs.map((s) => s.key)).toEqual(["latency", "ptp", "ptp-gm"]);
    const [, ptp, gm] = specs;
    expect(ptp?.title).toBe("PTP offset from master and path delay");
    expect(ptp?.lines.map((l) => l.label)).toEqual(["Offset max", "Offset min", "Offset", "Mean path delay"]);
    expect(ptp?.lines.every((l) => l.unit === "ns" && l.axis === 0)).toBe(true);
    expect(ptp?.data[3]).toEqual([-1669, 120, 35]);
    expect(ptp?.data[4]).toEqual([2971, 2950, 2990]);
    expect(gm?.lines.map((l) => [l.label, l.axis])).toEqual([["Grandmaster clock class", 0], ["Steps removed", 1]]);
    expect(gm?.data[1]).toEqual([248, 248, 6]);
    // A lost master leaves the offset series without points: the chart stays and says so.
    const lost = chartSpecs(history([series("ptp_offset_ns", "ns", [], []), series("ptp_steps_removed", "", [0], [1])]));
    expect(lost.map((s) => s.key)).toEqual(["latency", "ptp", "ptp-gm"]);
    expect(hasData(lost[1] as ChartSpec)).toBe(false);
  });

  it("draws no timing chart for a device without timing series", () => {
    const keys = chartSpecs(history([series("cpu_pct", "%", [0], [3])])).map((s) => s.key);
    expect(keys.some((k) => k.startsWith("ntp") || k.startsWith("ptp"))).toBe(false);
  });

  it("names an interface by name, else by index", () => {
    expect(interfaceLabel({ interface: "ge-0/0/1", ifIndex: 5 })).toBe("ge-0/0/1");
    expect(interfaceLabel({ interface: null, ifIndex: 5 })).toBe("ifIndex 5");
    expect(interfaceLabel({ interface: null, ifIndex: null })).toBe("");
  });
});
