import { describe, expect, it } from "vitest";
import type { MaskVerdict, PtpTree, PtpTreeNode, WanderReport } from "./generated/bindings";
import { maskChoices, roleLabel, ROLES, treeRows, verdictText, wanderPlot } from "./timingmodel";
import { formatSeconds } from "./format";

function node(clock: string, over: Partial<PtpTreeNode> = {}, children: PtpTreeNode[] = []): PtpTreeNode {
  return { clock, device: clock, seen: true, role: null, portState: "SLAVE", offsetNs: 5, pathDelayNs: 10, stepsRemoved: 1, children, ...over };
}

describe("treeRows", () => {
  it("walks depth first and names a clock by its role, else by its place", () => {
    const tree: PtpTree = {
      roots: [
        node("gm", { portState: "MASTER", offsetNs: null }, [
          node("bc", {}, [node("leaf")]),
          node("tsc", { role: "ptp-client" }),
        ]),
        node("lost", { seen: false, device: null }, [node("orphan")]),
      ],
      unreachable: [],
    };
    const rows = treeRows(tree);
    expect(rows.map((r) => [r.node.clock, r.depth, r.place])).toEqual([
      ["gm", 0, "Grandmaster"],
      ["bc", 1, "Boundary clock"],
      ["leaf", 2, "Client"],
      ["tsc", 1, "PTP client"],
      ["lost", 0, "Grandmaster (not watched)"],
      ["orphan", 1, "Client"],
    ]);
    expect(treeRows({ roots: [], unreachable: [] })).toEqual([]);
  });

  it("labels every role and none", () => {
    expect(ROLES.map(roleLabel)).toContain("SSU/BITS");
    expect(new Set(ROLES.map(roleLabel)).size).toBe(ROLES.length);
    expect(roleLabel(null)).toBe("—");
  });
});

function report(): WanderReport {
  return {
    device: "c",
    from: "2026-12-03T10:00:00Z",
    to: "2026-12-03T11:00:00Z",
    points: 360,
    tau0: 1,
    mtie: [
      { tau: 1, value: 1e-6 },
      { tau: 2, value: 0 },
      { tau: 4, value: 1.2e-6 },
    ],
    tdev: [{ tau: 1, value: 2e-8 }],
    verdicts: [],
    curves: [
      { mask: "g8261-eec1-network", metric: "mtie", points: [{ tau: 0.1, value: 2.5e-7 }, { tau: 2.5, value: 2.5e-7 }, { tau: 4, value: 4e-7 }] },
      { mask: "g8261-eec1-network", metric: "tdev", points: [{ tau: 0.1, value: 1.2e-8 }] },
    ],
  };
}

describe("wanderPlot", () => {
  it("puts the measured curve and the metric's masks on one ascending tau axis, gaps as null", () => {
    const p = wanderPlot(report(), "mtie");
    expect(p.labels).toEqual(["MTIE", "g8261-eec1-network limit"]);
    expect(p.data[0]).toEqual([0.1, 1, 2, 2.5, 4]);
    // Zero cannot sit on a log axis: a gap, not a point at the bottom.
    expect(p.data[1]).toEqual([null, 1e-6, null, null, 1.2e-6]);
    expect(p.data[2]).toEqual([2.5e-7, null, null, 2.5e-7, 4e-7]);
    const t = wanderPlot(report(), "tdev");
    expect(t.data[0]).toEqual([0.1, 1]);
    expect(t.data.length).toBe(3);
  });
});

describe("verdictText and formatSeconds", () => {
  const base: MaskVerdict = { mask: "g8262-eec1", metric: "mtie", title: "", pass: true, firstFailingTau: null, worstMargin: 0.4, worstTau: 8, points: [] };
  it("names the first failing tau with value and limit", () => {
    const v: MaskVerdict = {
      ...base,
      pass: false,
      firstFailingTau: 16,
      points: [
        { tau: 8, value: 1e-8, limit: 4e-8, pass: true },
        { tau: 16, value: 2.12e-7, limit: 5.25e-8, pass: false },
      ],
    };
    expect(verdictText(v)).toBe("MTIE fails g8262-eec1 from tau 16 s (212 ns > 52.5 ns)");
    expect(verdictText({ ...base, points: [{ tau: 8, value: 1e-8, limit: 4e-8, pass: true }] })).toBe(
      "MTIE passes g8262-eec1 (worst margin 40 % at 8 s)",
    );
    expect(verdictText(base)).toMatch(/not judged/);
  });

  it("formats seconds in the unit that reads best", () => {
    expect(formatSeconds(16, "en-US")).toBe("16 s");
    expect(formatSeconds(2.5, "en-US")).toBe("2.50 s");
    expect(formatSeconds(1.5e-6, "en-US")).toBe("1.50 µs");
    expect(formatSeconds(2.12e-7, "en-US")).toBe("212 ns");
    expect(formatSeconds(0, "en-US")).toBe("0 s");
    expect(formatSeconds(Number.NaN, "en-US")).toBe("—");
  });

  it("lists each mask id once", () => {
    expect(maskChoices([{ id: "a", title: "A" }, { id: "a", title: "A" }, { id: "b", title: "B" }])).toEqual([
      { id: "a", title: "A" },
      { id: "b", title: "B" },
    ]);
  });
});
